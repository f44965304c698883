// The single writer of a store (per node): a bounded queue drained by one
// thread that commits jobs in groups — one transaction (one fsync) per
// group, each job in its own SAVEPOINT so a failing job does not sink its
// neighbours. Backend-neutral: SQLite and PostgreSQL give it their
// connection as a WriterConnection.
// Disk-full guard (storage::WriteKind): after a group failed for lack of
// space the writer releases its reserve and refuses commands at once until
// the disk has room again; the audit entries of reads still commit.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/store.h"
#include "storage/writer_connection.h"

namespace casus::storage {

class GroupWriter {
 public:
  // Takes the (migrated) read-write connection and starts the thread.
  // `reserve` may be null (no disk-full guard).
  GroupWriter(std::unique_ptr<WriterConnection> conn, std::size_t max_queue, std::size_t max_group,
              std::unique_ptr<SpaceGuard> reserve = nullptr);
  // Answers everything queued, then stops the thread and closes the connection.
  ~GroupWriter();
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // Unavailable when max_queue jobs are waiting (the server answers 503); also once
  // shutting down. In both cases `done` is never called. Thread-safe.
  Status Submit(WorkFn work, DoneFn done, WriteKind kind = WriteKind::kCommand);
  // The audit entries of a read (Store::SubmitAudit): no savepoint of their
  // own; all reads of a group are appended after its commands in one chained
  // pass. Same queue, bound and answers as Submit.
  Status SubmitAudit(std::vector<AuditEntry> entries, DoneFn done);
  // Returns when every job submitted before the call has been answered.
  // Must not be called from the writer thread (it would wait on itself).
  void Flush();
  // Jobs waiting to be picked up (not counting the group in progress).
  std::size_t QueueDepth() const;

 private:
  struct Job {
    WorkFn work;  // empty for a read's audit entries
    DoneFn done;
    WriteKind kind;
    Status status;
    std::vector<AuditEntry> audit;  // a read's entries (work empty)
  };

  void Run();
  void CommitGroup(std::deque<Job>& group);
  Status RunJob(Job& job);
  // The reads' audit entries of the group, in one savepoint: all or none.
  void AppendReadAudit(std::deque<Job>& group);
  Status Enqueue(Job job);
  // The disk-full guard, before and after each group.
  void LeaveFullWhenSpaceReturned();
  void EnterFullWhenOutOfSpace(const std::deque<Job>& group);

  std::unique_ptr<WriterConnection> conn_;  // touched only by the writer thread
  std::unique_ptr<SpaceGuard> reserve_;     // writer thread only
  bool full_ = false;                      // writer thread only
  const std::size_t max_queue_;
  const std::size_t max_group_;

  mutable std::mutex mu_;
  std::condition_variable work_ready_;  // queue non-empty or stopping
  std::condition_variable answered_;    // answered_count_ moved
  std::deque<Job> queue_;
  std::uint64_t submitted_count_ = 0;
  std::uint64_t answered_count_ = 0;
  bool stopping_ = false;

  std::thread thread_;  // last: started after every member above exists
};

}  // namespace casus::storage

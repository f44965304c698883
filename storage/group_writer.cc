#include "storage/group_writer.h"

#include <exception>
#include <iterator>


namespace casus::storage {

namespace {

bool OutOfSpace(const Status& st) { return st.detail() && st.detail()->reason == Refusal::kStorageFull; }

Status RefusedWhileFull() {
  return Status(StatusCode::kUnavailable, "the disk is full: changes are refused until space returns",
                StatusDetail{Refusal::kStorageFull, {}, {}, ""});
}

}  // namespace

GroupWriter::GroupWriter(std::unique_ptr<WriterConnection> conn, std::size_t max_queue, std::size_t max_group,
                         std::unique_ptr<SpaceGuard> reserve)
    : conn_(std::move(conn)),
      reserve_(std::move(reserve)),
      max_queue_(max_queue == 0 ? 1 : max_queue),
      max_group_(max_group == 0 ? 1 : max_group),
      thread_([this] { Run(); }) {}

GroupWriter::~GroupWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  thread_.join();  // Run drains the queue before it returns
}

Status GroupWriter::Submit(WorkFn work, DoneFn done, WriteKind kind) {
  if (!work) return Status::InvalidArgument("empty write job");
  return Enqueue(Job{std::move(work), std::move(done), kind, Status::Ok(), {}});
}

Status GroupWriter::SubmitAudit(std::vector<AuditEntry> entries, DoneFn done) {
  if (entries.empty()) return Status::InvalidArgument("no audit entries to append");
  return Enqueue(Job{nullptr, std::move(done), WriteKind::kReadAudit, Status::Ok(), std::move(entries)});
}

Status GroupWriter::Enqueue(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Status::Unavailable("store is shutting down");
    if (queue_.size() >= max_queue_) {
      return Status::Unavailable("write queue is full (" + std::to_string(max_queue_) + " pending)");
    }
    queue_.push_back(std::move(job));
    ++submitted_count_;
  }
  work_ready_.notify_one();
  return Status::Ok();
}

void GroupWriter::Flush() {
  std::unique_lock lock(mu_);
  const std::uint64_t target = submitted_count_;
  answered_.wait(lock, [&] { return answered_count_ >= target; });
}

std::size_t GroupWriter::QueueDepth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void GroupWriter::Run() {
  while (true) {
    std::deque<Job> group;
    {
      std::unique_lock lock(mu_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      // Whatever piled up while the previous group was fsyncing goes into
      // this one: under load groups grow, idle latency stays one commit.
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    LeaveFullWhenSpaceReturned();
    CommitGroup(group);
    EnterFullWhenOutOfSpace(group);
    for (Job& job : group) {
      try {
        if (job.done) job.done(job.status);
      } catch (...) {
        // A throwing callback must not take the writer (and every later
        // caller) down with it; the job itself is already decided.
      }
    }
    {
      std::lock_guard lock(mu_);
      answered_count_ += group.size();
    }
    answered_.notify_all();
  }
}

void GroupWriter::CommitGroup(std::deque<Job>& group) {
  Status begin = conn_->Begin();
  if (!begin.ok()) {
    for (Job& job : group) job.status = begin;
    return;
  }
  bool transaction_lost = false;
  for (Job& job : group) {
    if (!job.work) continue;  // a read's audit entries: AppendReadAudit below
    if (full_ && job.kind == WriteKind::kCommand) {
      job.status = RefusedWhileFull();
      continue;
    }
    job.status = RunJob(job);
    if (!conn_->InTransaction()) {
      // The database ended the whole transaction itself (SQLite: I/O
      // error, disk full; PostgreSQL: connection lost): the earlier jobs of
      // the group are gone too.
      transaction_lost = true;
      break;
    }
  }
  if (!transaction_lost) {
    AppendReadAudit(group);
    transaction_lost = !conn_->InTransaction();
  }
  if (transaction_lost) {
    for (Job& job : group) {
      if (job.status.ok()) job.status = Status::Unavailable("the database rolled the write transaction back");
    }
    return;
  }
  Status commit = conn_->Control("COMMIT");
  if (!commit.ok()) {
    if (conn_->InTransaction()) (void)conn_->Control("ROLLBACK");
    // Jobs that failed on their own keep their reason; the others did not
    // happen either, and the commit error says why.
    for (Job& job : group) {
      if (job.status.ok()) job.status = commit;
    }
  }
}

void GroupWriter::LeaveFullWhenSpaceReturned() {
  if (!full_ || !reserve_ || !reserve_->SpaceReturned()) return;
  if (reserve_->Ensure()) full_ = false;
}

void GroupWriter::EnterFullWhenOutOfSpace(const std::deque<Job>& group) {
  if (full_ || !reserve_) return;
  for (const Job& job : group) {
    if (OutOfSpace(job.status)) {
      full_ = true;
      reserve_->Release();
      return;
    }
  }
}

void GroupWriter::AppendReadAudit(std::deque<Job>& group) {
  std::vector<AuditEntry> entries;
  for (Job& job : group) {
    if (job.work) continue;
    std::move(job.audit.begin(), job.audit.end(), std::back_inserter(entries));
  }
  if (entries.empty()) return;
  Status st = conn_->Control("SAVEPOINT reads");
  if (st.ok()) {
    st = conn_->transaction().audit().AppendAll(std::move(entries)).status();
    if (st.ok()) st = conn_->Control("RELEASE reads");
    if (!st.ok() && conn_->InTransaction()) {
      (void)conn_->Control("ROLLBACK TO reads");
      (void)conn_->Control("RELEASE reads");
    }
  }
  for (Job& job : group)
    if (!job.work) job.status = st;
}

Status GroupWriter::RunJob(Job& job) {
  RETURN_IF_ERROR(conn_->Control("SAVEPOINT job"));
  // job.work is never empty: Submit refuses an empty job.
  Status st = RunCatching([&] { return job.work(conn_->transaction()); }, "write job");
  if (st.ok()) {
    Status release = conn_->Control("RELEASE job");
    if (release.ok()) return st;
    st = release;
  }
  if (conn_->InTransaction()) {
    (void)conn_->Control("ROLLBACK TO job");
    (void)conn_->Control("RELEASE job");
  }
  return st;
}

}  // namespace casus::storage

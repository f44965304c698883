// Checkpoints off the commit path. The writer's connection does not
// checkpoint (its WAL hook replaces SQLite's auto-checkpoint, which ran the
// checkpoint and its fsyncs inside a commit every 1000 pages). After a
// commit that leaves at least kWalPages pages in the WAL, the hook wakes
// this thread, which checkpoints on a connection of its own in PASSIVE
// mode: it copies what no reader still needs and never blocks the writer
// or the readers. The WAL starts over once a checkpoint caught up.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "storage/sqlite/connection.h"

namespace casus::storage::sqlite {

class Checkpointer {
 public:
  static constexpr int kWalPages = 1000;  // SQLite's own auto-checkpoint threshold

  // Opens its connection (synchronous as the writer's) and starts the thread.
  static StatusOr<std::unique_ptr<Checkpointer>> Start(const std::filesystem::path& path, int busy_timeout_ms,
                                                       const std::string& synchronous);
  ~Checkpointer();  // stops the thread; the last connection to close checkpoints the rest
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // From the writer's WAL hook: cheap, never waits for a checkpoint.
  void AfterCommit(int wal_pages);

 private:
  explicit Checkpointer(std::unique_ptr<Connection> conn);
  void Run();

  std::unique_ptr<Connection> conn_;  // touched only by the thread
  std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: started after every member above exists
};

}  // namespace casus::storage::sqlite

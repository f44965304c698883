// Read-only connections for Store::Read and VerifyAudit. Each read runs in
// its own deferred transaction on a connection checked out for the
// duration, so it sees one consistent WAL snapshot and never blocks the
// writer.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/sqlite/connection.h"

namespace casus::storage::sqlite {

class ReaderPool {
 public:
  // Opens `count` read-only connections (query_only as well, so a write
  // attempt fails with a status rather than reaching the file).
  static StatusOr<std::unique_ptr<ReaderPool>> Open(const std::filesystem::path& path, int count,
                                                    int busy_timeout_ms, const std::string& synchronous);

  // Waits for a free connection, runs `work` between BEGIN and COMMIT on it.
  // Exceptions from `work` become Internal. Thread-safe.
  Status Run(const std::function<Status(Connection&)>& work);

 private:
  ReaderPool() = default;
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> conn);

  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> free_;
};

}  // namespace casus::storage::sqlite

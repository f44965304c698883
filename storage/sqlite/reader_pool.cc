#include "storage/sqlite/reader_pool.h"

#include "storage/store.h"

namespace casus::storage::sqlite {

StatusOr<std::unique_ptr<ReaderPool>> ReaderPool::Open(const std::filesystem::path& path, int count,
                                                       int busy_timeout_ms, const std::string& synchronous) {
  std::unique_ptr<ReaderPool> pool(new ReaderPool());
  for (int i = 0; i < (count < 1 ? 1 : count); ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                     Connection::Open(path, Connection::Mode::kReadOnly, busy_timeout_ms));
    // synchronous only matters for writes, but a uniform setting keeps
    // "what is this connection's synchronous?" answerable on any of them.
    RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous = " + synchronous));
    RETURN_IF_ERROR(conn->Exec("PRAGMA query_only = ON"));
    RETURN_IF_ERROR(conn->Exec("PRAGMA temp_store = MEMORY"));  // sorts of list queries
    pool->free_.push_back(std::move(conn));
  }
  return pool;
}

std::unique_ptr<Connection> ReaderPool::Acquire() {
  std::unique_lock lock(mu_);
  available_.wait(lock, [&] { return !free_.empty(); });
  std::unique_ptr<Connection> conn = std::move(free_.back());
  free_.pop_back();
  return conn;
}

void ReaderPool::Release(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(conn));
  }
  available_.notify_one();
}

Status ReaderPool::Run(const std::function<Status(Connection&)>& work) {
  std::unique_ptr<Connection> conn = Acquire();
  Status st = conn->Exec("BEGIN");
  if (st.ok()) {
    st = RunCatching([&] { return work(*conn); }, "read job");
    // Nothing was written; COMMIT just ends the snapshot. ROLLBACK is the
    // fallback so the connection never goes back to the pool mid-transaction.
    if (conn->InTransaction() && !conn->Exec("COMMIT").ok()) (void)conn->Exec("ROLLBACK");
  }
  Release(std::move(conn));
  return st;
}

}  // namespace casus::storage::sqlite

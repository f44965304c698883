// One SQLite connection with its prepared-statement cache. Used by one
// thread at a time (the writer thread, or a reader checked out of the pool).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/status.h"
#include "storage/sqlite/statement.h"

struct sqlite3;

namespace casus::storage::sqlite {

class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens (the read-write mode creates the file) with extended result codes
  // and the busy timeout set. PRAGMAs beyond that are the caller's choice.
  static StatusOr<std::unique_ptr<Connection>> Open(const std::filesystem::path& path, Mode mode,
                                                    int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return nothing of interest.
  Status Exec(const std::string& sql);
  // Runs one statement through the cache: for the transaction-control
  // statements the writer issues several times per group.
  Status ExecCached(const std::string& sql);
  // A cached prepared statement for `sql`, reset when the ref goes away.
  StatusOr<StatementRef> Prepare(const std::string& sql);
  // The first column of the first row, e.g. for PRAGMA queries.
  StatusOr<std::int64_t> QueryInt(const std::string& sql);
  StatusOr<std::string> QueryText(const std::string& sql);

  // Called on this connection's thread after each commit with the number
  // of pages in the WAL. Replaces SQLite's own auto-checkpoint: this
  // connection then never checkpoints (sqlite/checkpointer.h does).
  void OnWalCommit(std::function<void(int wal_pages)> hook);

  std::int64_t Changes() const;
  std::int64_t LastInsertRowId() const;
  bool InTransaction() const;  // false once SQLite rolled back on its own (e.g. disk full)
  Mode mode() const { return mode_; }

 private:
  Connection(sqlite3* db, Mode mode) : db_(db), mode_(mode) {}

  sqlite3* db_;
  Mode mode_;
  // Destroyed (finalized) before db_ is closed: see ~Connection.
  std::map<std::string, std::unique_ptr<Statement>> cache_;
  std::function<void(int)> wal_hook_;
};

}  // namespace casus::storage::sqlite

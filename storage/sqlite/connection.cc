#include "storage/sqlite/connection.h"

#include <sqlite3.h>

namespace casus::storage::sqlite {

StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::filesystem::path& path, Mode mode,
                                                       int busy_timeout_ms) {
  // NOMUTEX: every connection is confined to one thread at a time by its
  // owner (writer thread or reader pool), so SQLite's own mutex is waste.
  int flags = SQLITE_OPEN_NOMUTEX | (mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY
                                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = Status::Unavailable("open " + path.string() + ": " +
                                    (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close(db);
    return st;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Connection>(new Connection(db, mode));
}

Connection::~Connection() {
  cache_.clear();  // finalize statements first, or close reports SQLITE_BUSY
  sqlite3_close(db_);
}

Status Connection::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteError(db_, sqlite3_extended_errcode(db_), sql.substr(0, 60));
  return Status::Ok();
}

Status Connection::ExecCached(const std::string& sql) {
  ASSIGN_OR_RETURN(StatementRef stmt, Prepare(sql));
  return stmt->Run(sql);
}

StatusOr<StatementRef> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return SqliteError(db_, sqlite3_extended_errcode(db_), "prepare " + sql.substr(0, 60));
    }
    it = cache_.emplace(sql, std::make_unique<Statement>(db_, stmt, sql)).first;
  }
  return StatementRef(it->second.get());
}

StatusOr<std::int64_t> Connection::QueryInt(const std::string& sql) {
  ASSIGN_OR_RETURN(StatementRef stmt, Prepare(sql));
  ASSIGN_OR_RETURN(bool row, stmt->Step(sql));
  if (!row) return Status::NotFound(sql + ": no row");
  return stmt->ColumnInt(0);
}

StatusOr<std::string> Connection::QueryText(const std::string& sql) {
  ASSIGN_OR_RETURN(StatementRef stmt, Prepare(sql));
  ASSIGN_OR_RETURN(bool row, stmt->Step(sql));
  if (!row) return Status::NotFound(sql + ": no row");
  return stmt->ColumnText(0);
}

void Connection::OnWalCommit(std::function<void(int wal_pages)> hook) {
  wal_hook_ = std::move(hook);
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int pages) -> int {
        static_cast<Connection*>(self)->wal_hook_(pages);
        return SQLITE_OK;
      },
      this);
}

std::int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

std::int64_t Connection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace casus::storage::sqlite

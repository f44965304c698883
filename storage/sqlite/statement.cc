#include "storage/sqlite/statement.h"

#include <sqlite3.h>

namespace casus::storage::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string msg = std::string(what) + ": " + detail;
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Status::FailedPrecondition(std::string(what) + ": already exists (" + detail + ")");
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Status::FailedPrecondition(std::string(what) + ": refers to a row that does not exist");
    case SQLITE_CONSTRAINT_TRIGGER:
      // RAISE(ABORT, ...) from an append-only trigger: the message says why.
      return Status::FailedPrecondition(msg);
    case SQLITE_READONLY:
    case SQLITE_READONLY_DBMOVED:
      return Status::FailedPrecondition(std::string(what) +
                                        ": not allowed in a read transaction (writes go through Store::Write)");
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:  // NOT NULL, CHECK: the value itself is wrong
      return Status::InvalidArgument(msg);
    case SQLITE_READONLY:
      return Status::FailedPrecondition(std::string(what) + ": not allowed in a read transaction");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(msg);
    case SQLITE_FULL:
      // The disk is full: nothing was written (the transaction rolled
      // back) and writes work again once space returns, so this is a
      // temporary unavailability (503 storage_full), not an internal error.
      return Status(StatusCode::kUnavailable, msg, StatusDetail{Refusal::kStorageFull, {}, {}, ""});
    default:
      return Status::Internal(msg);
  }
}

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql) : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::NoteBindError(int rc) {
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::Bind(int index, std::int64_t value) { NoteBindError(sqlite3_bind_int64(stmt_, index, value)); }

void Statement::Bind(int index, std::string_view value) {
  NoteBindError(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::Bind(int index, const std::optional<std::string>& value) {
  if (value) {
    Bind(index, std::string_view(*value));
  } else {
    BindNull(index);
  }
}

void Statement::BindNull(int index) { NoteBindError(sqlite3_bind_null(stmt_, index)); }

StatusOr<bool> Statement::Step(std::string_view what) {
  if (bind_error_ != 0) {
    int rc = bind_error_;
    bind_error_ = 0;
    return Status::Internal(std::string(what) + ": bind failed: " + sqlite3_errstr(rc));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // sqlite3_step returns the primary code only in some versions' legacy
  // mode; the extended code is what distinguishes a duplicate from a CHECK.
  return SqliteError(db_, sqlite3_extended_errcode(db_), what);
}

Status Statement::Run(std::string_view what) {
  auto row = Step(what);
  if (!row.ok()) return row.status();
  return Status::Ok();
}

std::int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Statement::ColumnText(int col) const {
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

bool Statement::ColumnIsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::optional<std::string> Statement::ColumnOptionalText(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return ColumnText(col);
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = 0;
}

}  // namespace casus::storage::sqlite

// A prepared statement and the scoped handle through which it is used.
// <sqlite3.h> stays in the .cc files; only opaque handles appear here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace casus::storage::sqlite {

// Owns one sqlite3_stmt. Bind errors are remembered and reported by the next
// Step so that call sites stay a straight list of binds. Not thread-safe: a
// statement belongs to the connection that prepared it.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  void Bind(int index, std::int64_t value);
  void Bind(int index, std::string_view value);
  void Bind(int index, const std::string& value) { Bind(index, std::string_view(value)); }
  void Bind(int index, const char* value) { Bind(index, std::string_view(value)); }
  void Bind(int index, const std::optional<std::string>& value);  // nullopt binds NULL
  void BindNull(int index);

  // true: a row is available; false: done. Errors carry `what` as context.
  StatusOr<bool> Step(std::string_view what);
  // Runs a statement that returns no rows.
  Status Run(std::string_view what);

  std::int64_t ColumnInt(int col) const;
  std::string ColumnText(int col) const;
  bool ColumnIsNull(int col) const;
  std::optional<std::string> ColumnOptionalText(int col) const;

  // Makes the statement reusable and releases its read snapshot.
  void Reset();

  const std::string& sql() const { return sql_; }

 private:
  void NoteBindError(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
  int bind_error_ = 0;
};

// A cached statement checked out for one use: resets it on scope exit so a
// half-read result never pins a snapshot or leaks bindings into the next use.
class StatementRef {
 public:
  explicit StatementRef(Statement* stmt) : stmt_(stmt) {}
  ~StatementRef() {
    if (stmt_ != nullptr) stmt_->Reset();
  }
  StatementRef(StatementRef&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  StatementRef& operator=(StatementRef&&) = delete;
  StatementRef(const StatementRef&) = delete;
  StatementRef& operator=(const StatementRef&) = delete;

  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
};

// Maps an SQLite result code to a Status; `what` says which operation failed.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

}  // namespace casus::storage::sqlite

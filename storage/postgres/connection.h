// One PostgreSQL connection (libpq). Used by one thread at a time, like a
// SQLite connection. Errors become Status with the server's primary
// message and SQLSTATE only: libpq's DETAIL lines can quote row values
// (a person's name in a unique violation), which must not reach a log.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"

struct pg_conn;
struct pg_result;

namespace casus::storage::postgres {

// A statement's parameter: text, or SQL NULL.
using Param = std::optional<std::string>;

// The rows of one statement, owned (PQclear on destruction).
class Result {
 public:
  explicit Result(pg_result* result);
  ~Result();
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  int columns() const;
  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  // InvalidArgument-free: the column is known to hold an integer.
  std::int64_t Int(int row, int column) const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t Affected() const;

 private:
  pg_result* result_;
};

class Connection {
 public:
  // Connects to `url` (postgresql://user@host:port/db?…). Unavailable, with
  // the URL's password left out of the message, when the server cannot be
  // reached or refuses the login.
  static StatusOr<std::unique_ptr<Connection>> Open(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters.
  Status Exec(const std::string& sql);
  // Runs one statement with $1… parameters (text format). A statement text
  // seen before on this connection runs as a prepared statement: the server
  // parses and plans it once per connection instead of on every call.
  StatusOr<Result> Query(const std::string& sql, const std::vector<Param>& params = {});
  // The first column of the first row as an integer.
  StatusOr<std::int64_t> QueryInt(const std::string& sql, const std::vector<Param>& params = {});

  // Statements sent together in pipeline mode: one round trip for all of
  // them instead of one each. Their results, in order; or the first
  // failure (the server skips the statements after a failed one).
  struct Statement {
    std::string sql;
    std::vector<Param> params;
  };
  StatusOr<std::vector<Result>> QueryPipelined(const std::vector<Statement>& statements);

  // A command without parameters whose answer is not needed before the
  // next statement's (SAVEPOINT): it goes to the server with the next
  // Exec or Query, in the same round trip, and a failure of it is that
  // call's failure.
  void SendWithNext(std::string sql);

  // LISTEN on `channel` (a fixed identifier, not user input).
  Status Listen(const std::string& channel);
  // Waits up to `timeout` for a notification on a channel this connection
  // listens on and consumes every one that arrived; true when any did.
  // Unavailable when the connection is lost.
  StatusOr<bool> WaitForNotification(std::chrono::milliseconds timeout);

  // Whether the server connection is gone (server restart, failover, a
  // terminated backend).
  bool Lost() const;
  // Connects again with the same parameters; Unavailable when that fails.
  Status Reconnect();

  // Whether a transaction is open (also one whose last statement failed);
  // false when idle or when the connection is lost.
  bool InTransaction() const;

  // Begins a transaction holding the append lock (locks.h) to its end:
  // taken at the top level, so no savepoint's rollback releases it. The
  // group writer begins every group so.
  Status BeginHoldingAppendLock();
  // The append lock for a repository's append: nothing to do when the
  // transaction took it at its top level, else taken here (a round trip).
  Status EnsureAppendLock();

 private:
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  // The name of `sql`'s prepared statement, preparing it on its second
  // use; empty when it runs unprepared.
  StatusOr<std::string> PreparedName(const std::string& sql, int param_count);
  // After each statement: a transaction that ended took the append lock with it.
  void NoteTransactionEnd();

  pg_conn* conn_;
  // Statement text -> uses so far, and its name once prepared. Bounded:
  // statements whose text varies (a list of n placeholders) would grow it
  // without end, so past the bound new texts stay unprepared.
  struct Prepared {
    int uses = 0;
    std::string name;
  };
  std::unordered_map<std::string, Prepared> statements_;
  int prepared_count_ = 0;
  bool append_locked_ = false;  // by BeginHoldingAppendLock, until the transaction ends
  std::vector<std::string> send_with_next_;
};

// `url` with any password replaced by "***", for messages and logs.
std::string RedactUrl(const std::string& url);

}  // namespace casus::storage::postgres

#include "storage/postgres/connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <cstring>
#include <optional>

#include "storage/postgres/locks.h"

namespace casus::storage::postgres {
namespace {

// A SQLSTATE as a Status code: what a caller may retry, what is a
// constraint, what is the server gone.
StatusCode CodeFor(const char* sqlstate) {
  const std::string s = sqlstate ? sqlstate : "";
  if (s == "40001" || s == "40P01") return StatusCode::kAborted;  // serialization failure, deadlock
  if (s.rfind("23", 0) == 0) return StatusCode::kFailedPrecondition;  // integrity constraints (23505: unique)
  if (s.rfind("08", 0) == 0 || s == "57P01" || s == "57P02" || s == "57P03") return StatusCode::kUnavailable;
  return StatusCode::kInternal;
}

// The primary message and SQLSTATE, never DETAIL or the statement's values.
Status ErrorOf(const PGresult* result, PGconn* conn) {
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = primary ? primary : (conn ? PQerrorMessage(conn) : "unknown error");
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (!result && conn && PQstatus(conn) != CONNECTION_OK)
    return Status::Unavailable("postgresql: connection lost: " + message);
  return Status(CodeFor(sqlstate), "postgresql: " + message + (sqlstate ? std::string(" (") + sqlstate + ")" : ""));
}

StatusOr<Result> Checked(PGresult* raw, PGconn* conn) {
  Result result(raw);
  const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  return ErrorOf(raw, conn);
}

}  // namespace

Result::Result(pg_result* result) : result_(result) {}
Result::~Result() {
  if (result_) PQclear(result_);
}
Result::Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    if (result_) PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}
int Result::rows() const { return PQntuples(result_); }
int Result::columns() const { return PQnfields(result_); }
bool Result::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) == 1; }
std::string Result::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column)));
}
std::int64_t Result::Int(int row, int column) const {
  const char* text = PQgetvalue(result_, row, column);
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}
std::int64_t Result::Affected() const {
  const char* text = PQcmdTuples(result_);
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn) return Status::Unavailable("postgresql: out of memory connecting to " + RedactUrl(url));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    PQfinish(conn);
    return Status::Unavailable("postgresql: cannot connect to " + RedactUrl(url) + ": " + message);
  }
  // Notices (e.g. "relation already exists, skipping") are not errors and
  // must not go to stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

namespace {

// Statements prepared per connection at most (see Connection::statements_).
constexpr std::size_t kMaxStatements = 200;

// libpq's view of parameters: pointers into `params`, null for SQL NULL.
std::vector<const char*> ParamValues(const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}

// Reads what is left of a pipeline up to and including its sync: after a
// statement failed to send, or after the statements' own results. Each
// statement's results end with a null, so at most `statements` + 1 of them
// come before the sync; fewer when the connection is gone.
void DrainToSync(PGconn* conn, std::size_t statements) {
  std::size_t nulls = 0;
  while (PQstatus(conn) == CONNECTION_OK && nulls <= statements) {
    PGresult* r = PQgetResult(conn);
    if (!r) {
      ++nulls;
      continue;
    }
    const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (sync) return;
  }
}

}  // namespace

Status Connection::Exec(const std::string& sql) {
  std::string text;
  // A simple query may hold several statements: the commands waiting to
  // be sent go first, in the same round trip.
  for (std::string& waiting : send_with_next_) text += std::move(waiting) + "; ";
  send_with_next_.clear();
  text += sql;
  StatusOr<Result> r = Checked(PQexec(conn_, text.c_str()), conn_);
  NoteTransactionEnd();
  return r.status();
}

void Connection::SendWithNext(std::string sql) { send_with_next_.push_back(std::move(sql)); }

void Connection::NoteTransactionEnd() {
  // Whatever ended the transaction (COMMIT, ROLLBACK, a failed COMMIT, a
  // lost connection), the append lock ended with it.
  if (!InTransaction()) append_locked_ = false;
}

StatusOr<std::string> Connection::PreparedName(const std::string& sql, int param_count) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    if (statements_.size() < kMaxStatements) statements_.emplace(sql, Prepared{1, ""});
    return std::string();  // a statement run once (migrations, a rare query) is not worth a prepare
  }
  Prepared& st = it->second;
  if (!st.name.empty() || ++st.uses < 2) return st.name;
  const std::string name = "casus_" + std::to_string(++prepared_count_);
  // Preparing is not transactional: the statement outlives a rollback of
  // the transaction it was prepared in, until the connection closes.
  ASSIGN_OR_RETURN([[maybe_unused]] Result prepared,
                   Checked(PQprepare(conn_, name.c_str(), sql.c_str(), param_count, nullptr), conn_));
  st.name = name;
  return name;
}

StatusOr<Result> Connection::Query(const std::string& sql, const std::vector<Param>& params) {
  if (!send_with_next_.empty()) {
    std::vector<Statement> statements;
    for (std::string& waiting : send_with_next_) statements.push_back({std::move(waiting), {}});
    send_with_next_.clear();
    statements.push_back({sql, params});
    ASSIGN_OR_RETURN(std::vector<Result> results, QueryPipelined(statements));
    return std::move(results.back());
  }
  const std::vector<const char*> values = ParamValues(params);
  const int n = static_cast<int>(values.size());
  ASSIGN_OR_RETURN(std::string name, PreparedName(sql, n));
  PGresult* raw = name.empty() ? PQexecParams(conn_, sql.c_str(), n, nullptr, values.data(), nullptr, nullptr,
                                              /*resultFormat=text*/ 0)
                               : PQexecPrepared(conn_, name.c_str(), n, values.data(), nullptr, nullptr,
                                                /*resultFormat=text*/ 0);
  StatusOr<Result> r = Checked(raw, conn_);
  NoteTransactionEnd();
  return r;
}

StatusOr<std::vector<Result>> Connection::QueryPipelined(const std::vector<Statement>& statements) {
  // Prepared statements are made (a round trip each, once per text and
  // connection) before the pipeline: PQprepare is not allowed inside one.
  std::vector<std::string> names;
  for (const Statement& st : statements) {
    ASSIGN_OR_RETURN(std::string name, PreparedName(st.sql, static_cast<int>(st.params.size())));
    names.push_back(std::move(name));
  }
  if (PQenterPipelineMode(conn_) != 1) return ErrorOf(nullptr, conn_);
  bool sent = true;
  for (std::size_t i = 0; i < statements.size() && sent; ++i) {
    const std::vector<const char*> values = ParamValues(statements[i].params);
    const int n = static_cast<int>(values.size());
    sent = (names[i].empty() ? PQsendQueryParams(conn_, statements[i].sql.c_str(), n, nullptr, values.data(), nullptr,
                                                 nullptr, 0)
                             : PQsendQueryPrepared(conn_, names[i].c_str(), n, values.data(), nullptr, nullptr, 0)) == 1;
  }
  // The sync also after a failed send: the server then answers what it
  // got, and the connection leaves pipeline mode clean.
  const bool synced = PQpipelineSync(conn_) == 1;
  if (!sent || !synced) {
    // Lost() says whether the connection is gone; Reconnect() then starts
    // afresh (out of pipeline mode).
    Status failed = Status::Unavailable("postgresql: sending a pipeline failed: " + std::string(PQerrorMessage(conn_)));
    if (synced) DrainToSync(conn_, statements.size());
    if (PQstatus(conn_) == CONNECTION_OK) PQexitPipelineMode(conn_);
    NoteTransactionEnd();
    return failed;
  }
  std::vector<Result> results;
  std::optional<Status> failure;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    PGresult* raw = PQgetResult(conn_);
    if (!raw) {
      failure = ErrorOf(nullptr, conn_);
      break;
    }
    if (PQresultStatus(raw) == PGRES_PIPELINE_ABORTED) {
      PQclear(raw);  // skipped after an earlier failure, which is the answer
    } else {
      StatusOr<Result> r = Checked(raw, conn_);
      if (r.ok()) {
        results.push_back(std::move(r).value());
      } else if (!failure) {
        failure = r.status();
      }
    }
    // Each statement's results end with a null.
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  }
  // The sync's own result, then out of pipeline mode.
  DrainToSync(conn_, statements.size());
  if (PQstatus(conn_) == CONNECTION_OK) PQexitPipelineMode(conn_);
  NoteTransactionEnd();
  if (failure) return *failure;
  return results;
}

Status Connection::BeginHoldingAppendLock() {
  // One round trip for both (a simple query may hold several statements).
  RETURN_IF_ERROR(Exec(std::string("BEGIN; ") + kLockAppend));
  append_locked_ = true;
  return Status::Ok();
}

Status Connection::EnsureAppendLock() {
  if (append_locked_ && InTransaction()) return Status::Ok();
  return Exec(kLockAppend);
}

StatusOr<std::int64_t> Connection::QueryInt(const std::string& sql, const std::vector<Param>& params) {
  ASSIGN_OR_RETURN(Result r, Query(sql, params));
  if (r.rows() < 1 || r.columns() < 1 || r.IsNull(0, 0)) return Status::NotFound("no value");
  return r.Int(0, 0);
}

Status Connection::Listen(const std::string& channel) { return Exec("LISTEN " + channel); }

StatusOr<bool> Connection::WaitForNotification(std::chrono::milliseconds timeout) {
  auto drain = [this] {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      PQfreemem(n);
      any = true;
    }
    return any;
  };
  if (drain()) return true;
  const int fd = PQsocket(conn_);
  if (fd < 0) return Status::Unavailable("postgresql: connection lost");
  pollfd p{fd, POLLIN, 0};
  const int ready = poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return false;  // timeout (or EINTR: the caller waits again)
  if (PQconsumeInput(conn_) == 0) return Status::Unavailable("postgresql: connection lost while listening");
  return drain();
}

bool Connection::Lost() const { return PQstatus(conn_) != CONNECTION_OK; }

Status Connection::Reconnect() {
  // A new server session: no prepared statements, no transaction, no lock.
  statements_.clear();
  append_locked_ = false;
  send_with_next_.clear();
  PQreset(conn_);
  if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
  std::string message = PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return Status::Unavailable("postgresql: reconnecting failed: " + message);
}

bool Connection::InTransaction() const {
  // INERROR: a statement failed; ROLLBACK (TO SAVEPOINT) is still possible.
  // UNKNOWN: the connection is gone, and the transaction with it.
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

std::string RedactUrl(const std::string& url) {
  // postgresql://user:password@host/...: the password sits between the
  // first ':' after the scheme and the '@'.
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url.find("password") == std::string::npos ? url : "(connection string)";
  const auto start = scheme + 3;
  const auto at = url.find('@', start);
  std::string out = url;
  if (at != std::string::npos) {
    const auto colon = url.find(':', start);
    if (colon != std::string::npos && colon < at) out = url.substr(0, colon + 1) + "***" + url.substr(at);
  }
  // A password given as a query parameter.
  if (const auto p = out.find("password="); p != std::string::npos) {
    const auto end = out.find('&', p);
    out = out.substr(0, p) + "password=***" + (end == std::string::npos ? "" : out.substr(end));
  }
  return out;
}

}  // namespace casus::storage::postgres

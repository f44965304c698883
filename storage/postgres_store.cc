// Wires the PostgreSQL Store: migrates, hands one connection to the group
// writer and keeps a pool of reader connections.
#include "storage/postgres_store.h"

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "storage/group_writer.h"
#include "storage/postgres/audit_verify.h"
#include "storage/postgres/locks.h"
#include "storage/postgres/migrations.h"
#include "storage/postgres/transaction.h"

namespace casus::storage {
namespace {

using postgres::Connection;

// Opens a transaction with `begin`. A connection the server dropped
// (restart, failover, a terminated backend) shows only when a statement
// fails: then it is made again and the transaction opened once more, which
// is safe because nothing ran in it yet. Unavailable when the server
// cannot be reached; the next call tries again.
Status BeginOnLiveConnection(Connection& conn, const std::function<Status()>& begin) {
  if (conn.Lost()) RETURN_IF_ERROR(conn.Reconnect());
  Status st = begin();
  if (st.ok() || !conn.Lost()) return st;
  RETURN_IF_ERROR(conn.Reconnect());
  return begin();
}

// The writer runs in READ COMMITTED (PostgreSQL's default): each statement
// sees what other nodes committed before it, so a version check
// (UPDATE … WHERE version = $) after a concurrent commit finds no row and
// the write set is stale, and the append lock's next holder reads the
// chain head its predecessor committed.
//
// A group takes the append lock (locks.h) first, before any row lock: every
// group appends audit entries anyway, and taking it first gives all nodes'
// writers one lock order, so two groups cannot deadlock on a case row
// against the append lock. Groups of different nodes therefore commit one
// after the other, each with one fsync, like one SQLite writer.
class PgWriterConnection final : public WriterConnection {
 public:
  explicit PgWriterConnection(std::unique_ptr<Connection> conn) : conn_(std::move(conn)), tx_(*conn_) {}
  Status Begin() override {
    // A connection lost during the previous group (its jobs were answered
    // Unavailable: whether their commit landed is unknown, so none was
    // acknowledged) is made again here.
    return BeginOnLiveConnection(*conn_, [&] { return conn_->BeginHoldingAppendLock(); });
  }
  Status Control(const char* sql) override {
    // Every node's event feed wakes when a group commits (the notification
    // is delivered at COMMIT, and not at all on ROLLBACK); sent with the
    // COMMIT, in one round trip.
    if (std::strcmp(sql, "COMMIT") == 0) return conn_->Exec(std::string(postgres::kNotifyCommit) + "; COMMIT");
    // A job's savepoint goes to the server with the job's first statement,
    // in pipeline mode: a round trip less per job. Should it fail, that
    // statement fails, and the job with it, as when it was sent alone.
    if (std::strncmp(sql, "SAVEPOINT ", 10) == 0) {
      conn_->SendWithNext(sql);
      return Status::Ok();
    }
    return conn_->Exec(sql);
  }
  bool InTransaction() const override { return conn_->InTransaction(); }
  Transaction& transaction() override { return tx_; }

 private:
  std::unique_ptr<Connection> conn_;
  postgres::PgTransaction tx_;
};

// Reader connections, checked out one per Read. A read is one REPEATABLE
// READ, READ ONLY transaction: one snapshot for everything it reads, and
// repository writes inside it fail.
class ReaderPool {
 public:
  explicit ReaderPool(std::vector<std::unique_ptr<Connection>> conns) : idle_(std::move(conns)) {}

  Status Run(const std::function<Status(Connection&)>& work) {
    std::unique_ptr<Connection> conn;
    {
      std::unique_lock lock(mu_);
      available_.wait(lock, [&] { return !idle_.empty(); });
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    Status st = BeginOnLiveConnection(
        *conn, [&] { return conn->Exec("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"); });
    if (st.ok()) {
      st = RunCatching([&] { return work(*conn); }, "read job");
      // Nothing was written: COMMIT only ends the snapshot.
      Status end = conn->Exec(st.ok() ? "COMMIT" : "ROLLBACK");
      if (st.ok()) st = end;
    }
    if (conn->InTransaction()) (void)conn->Exec("ROLLBACK");
    {
      std::lock_guard lock(mu_);
      idle_.push_back(std::move(conn));
    }
    available_.notify_one();
    return st;
  }

 private:
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// The lead of the background jobs: a session-level advisory lock on a
// connection of its own. Holding it is checked on every call, so a node
// whose connection died stops leading at once and another takes over at
// its next try.
class Lead {
 public:
  explicit Lead(std::string url) : url_(std::move(url)) {}

  bool Try() {
    std::lock_guard lock(mu_);
    if (!conn_) {
      auto opened = Connection::Open(url_);
      if (!opened.ok()) return false;
      conn_ = std::move(opened).value();
    }
    if (holding_ && conn_->Exec("SELECT 1").ok()) return true;
    holding_ = false;
    if (conn_->Lost() && !conn_->Reconnect().ok()) return false;
    auto got = conn_->Query(postgres::kTryLead);
    holding_ = got.ok() && got->Text(0, 0) == "t";
    return holding_;
  }

 private:
  std::mutex mu_;
  const std::string url_;
  std::unique_ptr<Connection> conn_;
  bool holding_ = false;
};

// The wake-up of the shared event feed: LISTEN on a connection of its
// own. Only a wake-up: the feed reads the events table, so a notification
// missed while the connection was down loses nothing.
class CommitListener {
 public:
  explicit CommitListener(std::string url) : url_(std::move(url)) {}

  bool Wait(std::chrono::milliseconds timeout) {
    std::lock_guard lock(mu_);
    if (!conn_ || conn_->Lost()) {
      conn_.reset();
      auto opened = Connection::Open(url_);
      if (!opened.ok() || !(*opened)->Listen(postgres::kCommitChannel).ok()) {
        std::this_thread::sleep_for(timeout);
        return false;
      }
      conn_ = std::move(opened).value();
    }
    auto woke = conn_->WaitForNotification(timeout);
    return woke.ok() && *woke;
  }

 private:
  std::mutex mu_;
  const std::string url_;
  std::unique_ptr<Connection> conn_;
};

class PostgresStore final : public Store {
 public:
  PostgresStore(std::unique_ptr<GroupWriter> writer, std::unique_ptr<ReaderPool> readers, std::string url)
      : lead_(url), listener_(url), readers_(std::move(readers)), writer_(std::move(writer)) {}

  bool TryLead() override { return lead_.Try(); }
  bool Shared() const override { return true; }
  bool WaitForCommits(std::chrono::milliseconds timeout) override { return listener_.Wait(timeout); }

  Status SubmitWrite(WorkFn work, DoneFn done, WriteKind kind) override {
    return writer_->Submit(std::move(work), std::move(done), kind);
  }

  Status SubmitAudit(std::vector<AuditEntry> entries, DoneFn done) override {
    return writer_->SubmitAudit(std::move(entries), std::move(done));
  }

  Status Read(WorkFn work) override {
    return readers_->Run([&work](Connection& conn) {
      postgres::PgTransaction tx(conn);
      return work(tx);
    });
  }

  StatusOr<AuditVerification> VerifyAudit() override {
    std::optional<AuditVerification> result;
    RETURN_IF_ERROR(readers_->Run([&result](Connection& conn) -> Status {
      ASSIGN_OR_RETURN(AuditVerification v, postgres::VerifyAuditChain(conn));
      result = std::move(v);
      return Status::Ok();
    }));
    return *result;
  }

  void Flush() override { writer_->Flush(); }
  std::size_t WriteQueueDepth() const override { return writer_->QueueDepth(); }

 private:
  // The writer drains and answers its queue first (its jobs may still call
  // Read); the lead goes last, with the node.
  Lead lead_;
  CommitListener listener_;
  std::unique_ptr<ReaderPool> readers_;
  std::unique_ptr<GroupWriter> writer_;
};

Status ValidateOptions(const PostgresOptions& o) {
  if (o.url.empty()) return Status::InvalidArgument("storage.postgres.url is empty");
  if (o.max_queue == 0) return Status::InvalidArgument("max_queue must be at least 1");
  if (o.max_group == 0) return Status::InvalidArgument("max_group must be at least 1");
  if (o.reader_connections < 1) return Status::InvalidArgument("reader_connections must be at least 1");
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Connection::Open(options.url));
  RETURN_IF_ERROR(postgres::Migrate(*conn));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.reader_connections; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader, Connection::Open(options.url));
    readers.push_back(std::move(reader));
  }
  auto writer = std::make_unique<GroupWriter>(std::make_unique<PgWriterConnection>(std::move(conn)),
                                              options.max_queue, options.max_group);
  return std::unique_ptr<Store>(
      new PostgresStore(std::move(writer), std::make_unique<ReaderPool>(std::move(readers)), options.url));
}

}  // namespace casus::storage

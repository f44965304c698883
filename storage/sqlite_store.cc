// Wires the SQLite Store: opens and migrates the database, then hands the
// read-write connection to the writer thread and opens the reader pool.
#include "storage/sqlite_store.h"

#include "storage/sqlite/audit_verify.h"
#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/reader_pool.h"
#include "storage/sqlite/transaction.h"
#include "storage/sqlite/space_reserve.h"
#include "storage/group_writer.h"

namespace casus::storage {
namespace {

using sqlite::Connection;

// The writer's connection: BEGIN IMMEDIATE takes SQLite's write lock at
// the start of the group; transaction control goes through the statement cache.
class SqliteWriterConnection final : public WriterConnection {
 public:
  explicit SqliteWriterConnection(std::unique_ptr<Connection> conn) : conn_(std::move(conn)), tx_(*conn_) {}
  Status Begin() override { return conn_->ExecCached("BEGIN IMMEDIATE"); }
  Status Control(const char* sql) override { return conn_->ExecCached(sql); }
  bool InTransaction() const override { return conn_->InTransaction(); }
  Transaction& transaction() override { return tx_; }

 private:
  std::unique_ptr<Connection> conn_;
  sqlite::SqliteTransaction tx_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<GroupWriter> writer, std::unique_ptr<sqlite::Checkpointer> checkpointer,
              std::unique_ptr<sqlite::ReaderPool> readers)
      : readers_(std::move(readers)), checkpointer_(std::move(checkpointer)), writer_(std::move(writer)) {}

  Status SubmitWrite(WorkFn work, DoneFn done, WriteKind kind) override {
    return writer_->Submit(std::move(work), std::move(done), kind);
  }

  Status SubmitAudit(std::vector<AuditEntry> entries, DoneFn done) override {
    return writer_->SubmitAudit(std::move(entries), std::move(done));
  }

  Status Read(WorkFn work) override {
    return readers_->Run([&work](Connection& conn) {
      sqlite::SqliteTransaction tx(conn);
      return work(tx);
    });
  }

  StatusOr<AuditVerification> VerifyAudit() override {
    std::optional<AuditVerification> result;
    RETURN_IF_ERROR(readers_->Run([&result](Connection& conn) -> Status {
      ASSIGN_OR_RETURN(AuditVerification v, sqlite::VerifyAuditChain(conn));
      result = std::move(v);
      return Status::Ok();
    }));
    return *result;
  }

  void Flush() override { writer_->Flush(); }
  std::size_t WriteQueueDepth() const override { return writer_->QueueDepth(); }

 private:
  // Members die in reverse order: the writer drains and answers its queue
  // first (its jobs may still call Read; its WAL hook wakes the
  // checkpointer), then the checkpointer stops, the readers close last.
  std::unique_ptr<sqlite::ReaderPool> readers_;
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;
  std::unique_ptr<GroupWriter> writer_;
};

Status ValidateOptions(const SqliteOptions& o) {
  if (o.path.empty()) return Status::InvalidArgument("database path is empty");
  if (o.synchronous != "FULL" && o.synchronous != "NORMAL") {
    return Status::InvalidArgument("synchronous must be FULL or NORMAL, not \"" + o.synchronous + "\"");
  }
  if (o.max_queue == 0) return Status::InvalidArgument("max_queue must be at least 1");
  if (o.max_group == 0) return Status::InvalidArgument("max_group must be at least 1");
  if (o.reader_connections < 1) return Status::InvalidArgument("reader_connections must be at least 1");
  if (o.busy_timeout_ms < 0) return Status::InvalidArgument("busy_timeout_ms must not be negative");
  return Status::Ok();
}

StatusOr<std::unique_ptr<Connection>> OpenWriterConnection(const SqliteOptions& o) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                   Connection::Open(o.path, Connection::Mode::kReadWrite, o.busy_timeout_ms));
  ASSIGN_OR_RETURN(std::string mode, conn->QueryText("PRAGMA journal_mode = WAL"));
  if (mode != "wal") return Status::Unavailable("could not switch " + o.path.string() + " to WAL (got " + mode + ")");
  RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous = " + o.synchronous));
  // Each job's savepoint journal (and any sort) stays in memory: on disk it
  // was a temporary file written for every job (bench/analysis.md).
  RETURN_IF_ERROR(conn->Exec("PRAGMA temp_store = MEMORY"));
  RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys = ON"));
  ASSIGN_OR_RETURN(std::int64_t fk, conn->QueryInt("PRAGMA foreign_keys"));
  if (fk != 1) return Status::Internal("SQLite was built without foreign key support");
  return conn;
}

}  // namespace

int CurrentSchemaVersion() { return sqlite::LatestSchemaVersion(); }

StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, OpenWriterConnection(options));
  RETURN_IF_ERROR(sqlite::Migrate(*conn));
  // Readers after migration: they must never see a half-built schema.
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::ReaderPool> readers,
                   sqlite::ReaderPool::Open(options.path, options.reader_connections, options.busy_timeout_ms,
                                            options.synchronous));
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Checkpointer> checkpointer,
                   sqlite::Checkpointer::Start(options.path, options.busy_timeout_ms, options.synchronous));
  conn->OnWalCommit([c = checkpointer.get()](int wal_pages) { c->AfterCommit(wal_pages); });
  // The disk-full guard's reserve lives beside the database; made now if
  // the disk has room (best effort: without it, reads are refused with the
  // writes when the disk is full).
  auto reserve = std::make_unique<sqlite::SpaceReserve>(options.path.string() + "-reserve");
  reserve->Ensure();
  auto writer = std::make_unique<GroupWriter>(std::make_unique<SqliteWriterConnection>(std::move(conn)),
                                              options.max_queue, options.max_group, std::move(reserve));
  return std::unique_ptr<Store>(new SqliteStore(std::move(writer), std::move(checkpointer), std::move(readers)));
}

}  // namespace casus::storage

#include "storage/sqlite_to_postgres.h"

#include "storage/postgres/audit_verify.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/migrations.h"
#include "storage/sqlite/audit_verify.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"

namespace casus::storage {
namespace {

// Parents before children (foreign keys). audit_head is the chain's head
// row, written last. Each table's columns are the target's (TargetColumns),
// so columns a later step added (users' and sessions' OpenID identity,
// case_deadlines' term and suspension) are copied without being listed
// here. Not copied: the transient tables, whose rows live minutes and are
// recreated as people go on using Casus — rate_limit_hits (login
// throttles) and oidc_logins (OpenID logins in progress; one cut off by
// the move is begun again at the provider).
constexpr const char* kTables[] = {
    "organisations", "users",        "persons",          "reports",        "workflow_definitions",
    "cases",         "case_number_counters", "case_deadlines", "case_events", "notes",    "actions",
    "case_team",     "access_grants", "deadline_firings", "sessions",      "meetings",
    "meeting_participants", "agendas", "agenda_items",   "agenda_decisions", "audit_log",
    "retention_log",
};

// Tables whose SQLite listing order is rowid order, kept in PostgreSQL by
// an identity column (`ord`) that the copy fills by inserting in that order.
bool OrderedByRowid(const std::string& table) {
  return table == "notes" || table == "actions" || table == "case_team" || table == "agenda_decisions";
}

// The target's columns of `table` that the copy writes (not `ord`).
StatusOr<std::vector<std::string>> TargetColumns(postgres::Connection& pg, const std::string& table) {
  ASSIGN_OR_RETURN(postgres::Result r,
                   pg.Query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                            "current_schema() AND table_name = $1 AND column_name <> 'ord' ORDER BY ordinal_position",
                            {table}));
  std::vector<std::string> columns;
  for (int i = 0; i < r.rows(); ++i) columns.push_back(r.Text(i, 0));
  if (columns.empty()) return Status::Internal("migrate: the target has no table " + table);
  return columns;
}

StatusOr<std::int64_t> CopyTable(sqlite::Connection& lite, postgres::Connection& pg, const std::string& table) {
  ASSIGN_OR_RETURN(std::vector<std::string> columns, TargetColumns(pg, table));
  std::string select = "SELECT ", insert = "INSERT INTO " + table + " (", values;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    select += (i ? ", " : "") + columns[i];
    insert += (i ? ", " : "") + columns[i];
    values += (i ? ", $" : "$") + std::to_string(i + 1);
  }
  select += " FROM " + table + (OrderedByRowid(table) ? " ORDER BY rowid" : "");
  // retention_log's id is an identity: the copy keeps the source's ids.
  insert += ")" + std::string(table == "retention_log" ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES (" + values + ")";
  ASSIGN_OR_RETURN(sqlite::StatementRef s, lite.Prepare(select));
  std::int64_t copied = 0;
  std::vector<postgres::Param> row(columns.size());
  while (true) {
    ASSIGN_OR_RETURN(bool more, s->Step("migrate: read " + table));
    if (!more) break;
    for (std::size_t i = 0; i < columns.size(); ++i) row[i] = s->ColumnOptionalText(static_cast<int>(i));
    auto inserted = pg.Query(insert, row);
    if (!inserted.ok()) return Status(inserted.status().code(), "migrate: " + table + ": " + inserted.status().message());
    ++copied;
  }
  return copied;
}

// Refuses a target that holds Casus data: an organisation (every database
// `casus init` made has them) or an audit entry.
Status CheckEmpty(postgres::Connection& pg) {
  ASSIGN_OR_RETURN(std::int64_t orgs, pg.QueryInt("SELECT count(*) FROM organisations"));
  ASSIGN_OR_RETURN(std::int64_t entries, pg.QueryInt("SELECT last_seq FROM audit_head"));
  if (orgs > 0 || entries > 0)
    return Status::FailedPrecondition("migrate: the PostgreSQL database already holds Casus data; "
                                      "migrate into an empty database");
  return Status::Ok();
}

}  // namespace

StatusOr<CopyReport> CopySqliteToPostgres(const std::filesystem::path& sqlite_file, const std::string& postgres_url) {
  if (!std::filesystem::exists(sqlite_file))
    return Status::NotFound("migrate: no SQLite database at " + sqlite_file.string());
  ASSIGN_OR_RETURN(auto lite, sqlite::Connection::Open(sqlite_file, sqlite::Connection::Mode::kReadWrite, 5000));
  // An older file is brought to this build's schema first, as `casus serve` would.
  RETURN_IF_ERROR(sqlite::Migrate(*lite));
  ASSIGN_OR_RETURN(auto pg, postgres::Connection::Open(postgres_url));
  RETURN_IF_ERROR(postgres::Migrate(*pg));
  RETURN_IF_ERROR(CheckEmpty(*pg));

  CopyReport report;
  // One snapshot of the source (a running server may go on writing to it),
  // verified and copied; one REPEATABLE READ transaction on the target, so
  // that its chain is verified on one snapshot before it commits.
  RETURN_IF_ERROR(lite->Exec("BEGIN"));
  RETURN_IF_ERROR(pg->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ"));
  auto copy = [&]() -> Status {
    ASSIGN_OR_RETURN(AuditVerification source, sqlite::VerifyAuditChain(*lite));
    if (!source.intact)
      return Status::FailedPrecondition("migrate: the SQLite audit chain is broken at entry " +
                                        std::to_string(source.first_bad_seq) + " (" + source.problem +
                                        "); nothing copied");
    for (const char* table : kTables) {
      ASSIGN_OR_RETURN(std::int64_t copied, CopyTable(*lite, *pg, table));
      ASSIGN_OR_RETURN(std::int64_t counted, lite->QueryInt(std::string("SELECT count(*) FROM ") + table));
      if (copied != counted) return Status::Internal(std::string("migrate: ") + table + ": count changed while copying");
      report.rows.emplace_back(table, copied);
    }
    ASSIGN_OR_RETURN(std::int64_t last_seq, lite->QueryInt("SELECT last_seq FROM audit_head"));
    ASSIGN_OR_RETURN(std::string last_hash, lite->QueryText("SELECT last_hash FROM audit_head"));
    ASSIGN_OR_RETURN([[maybe_unused]] auto head,
                     pg->Query("UPDATE audit_head SET last_seq = $1::bigint, last_hash = $2",
                               {std::to_string(last_seq), last_hash}));
    // The copied chain must verify on the target before it is committed.
    ASSIGN_OR_RETURN(AuditVerification target, postgres::VerifyAuditChain(*pg));
    if (!target.intact)
      return Status::FailedPrecondition("migrate: the copied audit chain does not verify at entry " +
                                        std::to_string(target.first_bad_seq) + " (" + target.problem +
                                        "); nothing committed");
    if (target.entries != source.entries)
      return Status::FailedPrecondition("migrate: the copy has " + std::to_string(target.entries) +
                                        " audit entries, the source " + std::to_string(source.entries));
    report.audit_entries = target.entries;
    return pg->Exec("COMMIT");
  };
  Status copied = copy();
  (void)lite->Exec("COMMIT");  // read only: ends the snapshot
  if (!copied.ok()) {
    if (pg->InTransaction()) (void)pg->Exec("ROLLBACK");
    return copied;
  }
  return report;
}

}  // namespace casus::storage

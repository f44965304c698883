#include "storage/postgres/migrations.h"

#include <string>
#include <vector>

#include "storage/postgres/schema.h"

namespace casus::storage::postgres {
namespace {

// Index i holds the step to version i + 1. Append only: a released step
// never changes, because databases out there already ran it.
const std::vector<const char*>& Steps() {
  static const std::vector<const char*> steps = {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4, kSchemaV5};
  return steps;
}

// The advisory lock key of migrations (any constant shared by all nodes;
// "casus" in ASCII). Transaction-scoped: released by COMMIT or ROLLBACK.
constexpr const char* kLockMigrations = "SELECT pg_advisory_xact_lock(435459045747)";

constexpr const char* kVersionTable =
    "CREATE TABLE IF NOT EXISTS casus_schema_version ("
    "  only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),"
    "  version  INTEGER NOT NULL)";

StatusOr<int> ReadVersion(Connection& conn) {
  ASSIGN_OR_RETURN(Result exists, conn.Query("SELECT to_regclass('casus_schema_version') IS NOT NULL"));
  if (exists.Text(0, 0) != "t") return 0;
  ASSIGN_OR_RETURN(Result r, conn.Query("SELECT version FROM casus_schema_version"));
  return r.rows() == 0 ? 0 : static_cast<int>(r.Int(0, 0));
}

Status MigrateLocked(Connection& conn) {
  RETURN_IF_ERROR(conn.Exec(kLockMigrations));
  RETURN_IF_ERROR(conn.Exec(kVersionTable));
  ASSIGN_OR_RETURN(int version, ReadVersion(conn));
  const int latest = LatestSchemaVersion();
  if (version > latest)
    return Status::FailedPrecondition("database schema version " + std::to_string(version) +
                                      " is newer than this build supports (" + std::to_string(latest) +
                                      "); refusing to open it");
  for (int next = version + 1; next <= latest; ++next) {
    Status st = conn.Exec(Steps()[static_cast<std::size_t>(next - 1)]);
    if (!st.ok())
      return Status(st.code(), "migration to schema version " + std::to_string(next) + " failed: " + st.message());
  }
  if (version < latest) {
    ASSIGN_OR_RETURN([[maybe_unused]] Result r,
                     conn.Query("INSERT INTO casus_schema_version (version) VALUES ($1::integer) "
                                "ON CONFLICT (only_row) DO UPDATE SET version = EXCLUDED.version",
                                {std::to_string(latest)}));
  }
  return Status::Ok();
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Steps().size()); }

StatusOr<int> SchemaVersion(Connection& conn) { return ReadVersion(conn); }

Status Migrate(Connection& conn) {
  RETURN_IF_ERROR(conn.Exec("BEGIN"));
  Status st = MigrateLocked(conn);
  if (st.ok()) st = conn.Exec("COMMIT");
  if (!st.ok() && conn.InTransaction()) (void)conn.Exec("ROLLBACK");
  return st;
}

}  // namespace casus::storage::postgres

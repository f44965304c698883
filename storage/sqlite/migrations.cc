#include "storage/sqlite/migrations.h"

#include <string>
#include <vector>

#include "storage/sqlite/audit_upgrade.h"
#include "storage/sqlite/schema.h"

namespace casus::storage::sqlite {
namespace {

// A step is SQL, optionally followed by work in C++ and more SQL, all in
// the step's transaction.
struct Step {
  const char* sql;
  Status (*code)(Connection&) = nullptr;
  const char* sql_after = nullptr;
};

// Index i holds the step to version i + 1. Append only: a released step
// never changes, because databases out there already ran it.
const std::vector<Step>& Steps() {
  static const std::vector<Step> steps = {{kSchemaV1}, {kSchemaV2}, {kSchemaV3}, {kSchemaV4},
                                          {kSchemaV5Before, UpgradeAuditChain, kSchemaV5After},
                                          {kSchemaV6}, {kSchemaV7}, {kSchemaV8}, {kSchemaV9},
                                          {kSchemaV10}};
  return steps;
}

Status RunStep(Connection& conn, const Step& step) {
  RETURN_IF_ERROR(conn.Exec(step.sql));
  if (step.code) RETURN_IF_ERROR(step.code(conn));
  if (step.sql_after) RETURN_IF_ERROR(conn.Exec(step.sql_after));
  return Status::Ok();
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Steps().size()); }

Status Migrate(Connection& conn) {
  ASSIGN_OR_RETURN(std::int64_t version, conn.QueryInt("PRAGMA user_version"));
  const int latest = LatestSchemaVersion();
  if (version > latest) {
    return Status::FailedPrecondition("database schema version " + std::to_string(version) +
                                      " is newer than this build supports (" + std::to_string(latest) +
                                      "); refusing to open it");
  }
  if (version < 0) return Status::FailedPrecondition("database has a negative schema version");
  for (int next = static_cast<int>(version) + 1; next <= latest; ++next) {
    RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
    // user_version is written inside the same transaction as the step, so
    // the step and its version number commit together.
    Status st = RunStep(conn, Steps()[static_cast<std::size_t>(next - 1)]);
    if (st.ok()) st = conn.Exec("PRAGMA user_version = " + std::to_string(next));
    if (st.ok()) st = conn.Exec("COMMIT");
    if (!st.ok()) {
      if (conn.InTransaction()) (void)conn.Exec("ROLLBACK");
      return Status(st.code(), "migration to schema version " + std::to_string(next) + " failed: " + st.message());
    }
  }
  return Status::Ok();
}

}  // namespace casus::storage::sqlite

// PostgreSQL schema migrations. The version lives in casus_schema_version;
// all missing steps run in one transaction under a transaction-scoped
// advisory lock, so that nodes starting together migrate once and a crash
// mid-way leaves the database at the version it had (PostgreSQL's DDL is
// transactional).
#pragma once

#include "common/status.h"
#include "storage/postgres/connection.h"

namespace casus::storage::postgres {

// The version the last migration step produces.
int LatestSchemaVersion();

// Applies the missing steps. FailedPrecondition when the database is newer
// than this build (an older binary must not write a schema it does not know).
Status Migrate(Connection& conn);

// The database's schema version (0: not a Casus database yet).
StatusOr<int> SchemaVersion(Connection& conn);

}  // namespace casus::storage::postgres

// Schema migrations keyed on PRAGMA user_version: step N takes a database
// from version N-1 to N, each in its own transaction, so a crash mid-way
// leaves a database at a well-defined version.
#pragma once

#include "common/status.h"
#include "storage/sqlite/connection.h"

namespace casus::storage::sqlite {

// The version the last migration step produces.
int LatestSchemaVersion();

// Applies the missing steps. FailedPrecondition when the database is newer
// than this build (an older binary must not write a schema it does not know).
Status Migrate(Connection& conn);

}  // namespace casus::storage::sqlite

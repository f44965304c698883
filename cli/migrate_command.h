// `casus migrate --from-sqlite FILE`: moves a SQLite database into the
// PostgreSQL database the configuration names (storage.postgres.url or
// CASUS_DATABASE_URL), for a region moving from one node to several.
#pragma once

#include <string>

#include "cli/commands.h"

namespace casus::cli {

// Exit 0 when every row arrived and the chain verifies on both sides; 1
// when a chain is broken or the copy differs (nothing is committed); 2
// when it could not run (no PostgreSQL configured, the target not empty,
// no source file, the server unreachable).
int MigrateFromSqlite(const CommonOptions& options, const std::string& sqlite_file);

}  // namespace casus::cli

// `casus backup FILE` and `casus restore FILE --data-dir NEW`.
#pragma once

#include <string>

#include "cli/commands.h"

namespace casus::cli {

// An online, consistent copy of the database into FILE (which must not
// exist), safe while `casus serve` runs. Exit 0, or 2 when it could not.
int Backup(const CommonOptions& options, const std::string& file);

// Restores FILE as the database of a data directory that has none yet,
// then verifies the audit chain of the result. Exit 0; 1 when the chain
// of the backup is broken (the restored database is removed again); 2
// when it could not run (no backup, target exists, not a database).
int Restore(const CommonOptions& options, const std::string& file);

}  // namespace casus::cli

// Online backup and restore of the database file through SQLite's backup
// API: the copy is one consistent snapshot (a single read transaction on
// the source), and in WAL mode the running server keeps writing meanwhile.
#pragma once

#include <filesystem>

#include "common/status.h"

namespace casus::storage {

// Copies the database at `source` into `destination` (a new file, mode
// 0600; the directory must exist). Writes `destination`.partial, checks it with
// PRAGMA integrity_check, fsyncs it and renames it into place, so a
// crash never leaves a half-written backup under the final name.
// FailedPrecondition when `destination` exists; NotFound when `source` does not.
Status BackupDatabase(const std::filesystem::path& source, const std::filesystem::path& destination);

// Puts the backup `backup` in place as the database `destination` (which
// must not exist yet). The backup is checked with PRAGMA integrity_check
// first (InvalidArgument when it is not an intact SQLite database).
// Callers then open the store and verify the audit chain.
Status RestoreDatabase(const std::filesystem::path& backup, const std::filesystem::path& destination);

}  // namespace casus::storage

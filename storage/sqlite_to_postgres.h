// `casus migrate --from-sqlite FILE`: copies a SQLite database into an
// empty PostgreSQL database, row for row — ids, event ids (the replay
// cursors), audit sequence numbers and hashes unchanged — after checking
// the source's audit chain, and checks the target's chain and row counts
// after. Refuses a target that already holds Casus data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace casus::storage {

struct CopyReport {
  std::vector<std::pair<std::string, std::int64_t>> rows;  // table, rows copied (in copy order)
  std::int64_t audit_entries = 0;                          // verified on both sides
};

// FailedPrecondition when the source chain is broken, the target is not
// empty, or the target's chain or counts differ after the copy (then
// nothing of the copy is committed: it runs in one transaction).
StatusOr<CopyReport> CopySqliteToPostgres(const std::filesystem::path& sqlite_file, const std::string& postgres_url);

}  // namespace casus::storage

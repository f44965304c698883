// The SQLite implementation of Store. <sqlite3.h> stays out of this header.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace casus::storage {

struct SqliteOptions {
  std::filesystem::path path;                // the database file; created when absent
  std::string synchronous = "FULL";          // FULL or NORMAL (WAL)
  std::size_t max_queue = 10000;             // pending writes before Unavailable (503)
  std::size_t max_group = 256;               // writes committed together at most
  int reader_connections = 4;
  int busy_timeout_ms = 5000;
};

// Opens (creating when needed) and migrates the database to the current
// schema (PRAGMA user_version), then starts the writer thread. Destruction
// flushes pending writes, stops the writer and closes all connections.
StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// The schema version this build migrates to.
int CurrentSchemaVersion();

}  // namespace casus::storage

// The PostgreSQL implementation of Store (storage.backend: postgres).
// Several Casus nodes may open one database: each node has its own group
// writer, and what must be one across nodes (the audit chain, the event
// ids) is serialised in the database (storage/postgres/locks.h).
// <libpq-fe.h> stays out of this header.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace casus::storage {

struct PostgresOptions {
  std::string url;                 // postgresql://user[:password]@host[:port]/database[?sslmode=…]
  std::size_t max_queue = 10000;   // pending writes before Unavailable (503)
  std::size_t max_group = 256;     // writes committed together at most
  int reader_connections = 4;
};

// Connects, migrates the database to the current schema (once across nodes
// starting together), then starts the writer thread and the readers.
// Destruction answers pending writes and closes every connection.
StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

}  // namespace casus::storage

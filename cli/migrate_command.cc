#include "cli/migrate_command.h"

#include <iostream>

#include "cli/store_access.h"
#include "storage/sqlite_to_postgres.h"

namespace casus::cli {

int MigrateFromSqlite(const CommonOptions& options, const std::string& sqlite_file) {
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  if (config->storage.backend != app::StorageConfig::Backend::kPostgres) {
    std::cerr << "migrate: no PostgreSQL database configured (storage.backend: postgres with "
                 "storage.postgres.url, or CASUS_DATABASE_URL)\n";
    return 2;
  }
  auto copied = storage::CopySqliteToPostgres(sqlite_file, config->storage.postgres_url);
  if (!copied.ok()) {
    std::cerr << copied.status().message() << "\n";
    return copied.status().code() == StatusCode::kFailedPrecondition &&
                   copied.status().message().find("already holds") == std::string::npos
               ? 1
               : 2;
  }
  for (const auto& [table, rows] : copied->rows) std::cout << table << ": " << rows << " rows\n";
  std::cout << "migrated " << sqlite_file << " into " << DatabaseName(*config) << "; audit chain intact on both sides ("
            << copied->audit_entries << " entries)\n";
  return 0;
}

}  // namespace casus::cli

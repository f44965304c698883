#include "cli/store_access.h"

#include <filesystem>
#include <iostream>

#include "storage/postgres/connection.h"
#include "storage/postgres_store.h"
#include "storage/sqlite_store.h"

namespace casus::cli {

std::optional<app::Config> LoadConfigOrReport(const CommonOptions& options) {
  std::optional<std::filesystem::path> file;
  if (options.config_file) file = *options.config_file;
  auto config = app::LoadConfig(file);
  if (!config.ok()) {
    std::cerr << "configuration: " << config.status().message() << "\n";
    return std::nullopt;
  }
  if (options.data_dir) config->data_dir = *options.data_dir;
  return std::move(config).value();
}

StatusOr<std::unique_ptr<storage::Store>> OpenStore(const app::Config& config, bool create) {
  if (config.storage.backend == app::StorageConfig::Backend::kPostgres) {
    // The database itself is the region's IT department's: Casus creates
    // its tables in it (migrations), never the database.
    storage::PostgresOptions options;
    options.url = config.storage.postgres_url;
    return storage::OpenPostgresStore(options);
  }
  std::error_code ec;
  if (create) {
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) return Status::Unavailable("cannot create " + config.data_dir.string() + ": " + ec.message());
  } else if (!std::filesystem::exists(config.DatabasePath())) {
    return Status::NotFound("no database at " + config.DatabasePath().string() + " (run `casus init` first)");
  }
  storage::SqliteOptions options;
  options.path = config.DatabasePath();
  options.synchronous = config.synchronous;
  return storage::OpenSqliteStore(options);
}

std::string DatabaseName(const app::Config& config) {
  if (config.storage.backend == app::StorageConfig::Backend::kPostgres)
    return storage::postgres::RedactUrl(config.storage.postgres_url);
  return config.DatabasePath().string();
}

std::unique_ptr<storage::Store> OpenStoreOrReport(const app::Config& config, bool create) {
  auto store = OpenStore(config, create);
  if (!store.ok()) {
    std::cerr << "database: " << store.status().message() << "\n";
    return nullptr;
  }
  return std::move(store).value();
}

}  // namespace casus::cli

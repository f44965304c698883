// Configuration and database access shared by the casus subcommands. Both
// report problems on stderr in the user's terms and let the caller choose
// the exit code.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/config.h"
#include "cli/commands.h"
#include "common/status.h"
#include "storage/store.h"

namespace casus::cli {

// The configuration with --config and --data-dir applied; nullopt after
// printing why it could not be loaded.
std::optional<app::Config> LoadConfigOrReport(const CommonOptions& options);

// Opens the database and migrates it to the current schema. SQLite: with
// `create`, the data directory and database are created when absent;
// without it, NotFound when there is no database yet. PostgreSQL: the
// database must exist; its tables are created or migrated.
StatusOr<std::unique_ptr<storage::Store>> OpenStore(const app::Config& config, bool create);

// The database as a user may see it in messages: the SQLite file, or the
// PostgreSQL URL without its password.
std::string DatabaseName(const app::Config& config);

// OpenStore, or null after printing why not ("database: ...").
std::unique_ptr<storage::Store> OpenStoreOrReport(const app::Config& config, bool create);

}  // namespace casus::cli

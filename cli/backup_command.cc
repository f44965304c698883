#include "cli/backup_command.h"

#include <filesystem>
#include <iostream>

#include "cli/store_access.h"
#include "storage/sqlite_backup.h"

namespace casus::cli {

namespace {

// On PostgreSQL, backups, replication and point-in-time recovery are the
// database's (and its administrators'): Casus does not copy a shared
// database behind their back.
int PostgresBackupPointer(const app::Config& config, const char* what) {
  std::cerr << what << ": the database is PostgreSQL (" << DatabaseName(config)
            << "); back it up and restore it with PostgreSQL's tools, e.g. `pg_dump --format=custom "
               "--file=casus.dump URL` and `pg_restore --dbname=URL casus.dump`, or your platform's "
               "replication and point-in-time recovery. `casus audit verify` checks the chain afterwards.\n";
  return 2;
}

}  // namespace

int Backup(const CommonOptions& options, const std::string& file) {
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  if (config->storage.backend == app::StorageConfig::Backend::kPostgres)
    return PostgresBackupPointer(*config, "backup");
  Status st = storage::BackupDatabase(config->DatabasePath(), file);
  if (!st.ok()) {
    std::cerr << "backup: " << st.message() << "\n";
    return 2;
  }
  std::cout << "backup of " << config->DatabasePath().string() << " written to " << file << "\n";
  return 0;
}

int Restore(const CommonOptions& options, const std::string& file) {
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  if (config->storage.backend == app::StorageConfig::Backend::kPostgres)
    return PostgresBackupPointer(*config, "restore");
  std::error_code ec;
  std::filesystem::create_directories(config->data_dir, ec);
  if (ec) {
    std::cerr << "restore: cannot create " << config->data_dir.string() << ": " << ec.message() << "\n";
    return 2;
  }
  const std::filesystem::path db = config->DatabasePath();
  Status st = storage::RestoreDatabase(file, db);
  if (!st.ok()) {
    std::cerr << "restore: " << st.message() << "\n";
    return 2;
  }
  int verdict = 0;
  {
    auto store = OpenStoreOrReport(*config, /*create=*/false);
    if (!store) {
      verdict = 2;
    } else if (auto audit = store->VerifyAudit(); !audit.ok()) {
      std::cerr << "restore: audit verify: " << audit.status().message() << "\n";
      verdict = 2;
    } else if (!audit->intact) {
      std::cerr << "restore: audit chain of the backup BROKEN at entry " << audit->first_bad_seq << ": "
                << audit->problem << "\n";
      verdict = 1;
    } else {
      std::cout << "restored " << file << " into " << db.string() << "; audit chain intact: " << audit->entries
                << " entries\n";
    }
  }
  if (verdict != 0) {
    // A database that does not verify is not a restore: leave no trace.
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix, ec);
  }
  return verdict;
}

}  // namespace casus::cli

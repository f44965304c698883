#include "storage/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

namespace casus::storage {
namespace {

namespace fs = std::filesystem;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

constexpr int kBusyTimeoutMs = 5000;

StatusOr<Db> OpenDb(const fs::path& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK)
    return Status::Unavailable("open " + path.string() + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  return db;
}

// "ok" from PRAGMA integrity_check, or why not.
Status CheckIntegrity(sqlite3* db, const fs::path& path) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  std::string answer;
  if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    answer = text ? reinterpret_cast<const char*>(text) : "";
  } else {
    answer = sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  if (answer != "ok") return Status::InvalidArgument(path.string() + " is not an intact database: " + answer);
  return Status::Ok();
}

// Copies every page of `from` into `to` in one step: one read transaction
// on the source, so the copy is a single consistent snapshot. Retries
// while the source is locked (a checkpoint or a migration in progress).
Status CopyPages(sqlite3* from, sqlite3* to) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (!backup) return Status::Unavailable(std::string("backup: ") + sqlite3_errmsg(to));
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Status::Unavailable(std::string("backup: ") + sqlite3_errstr(rc));
  if (finished != SQLITE_OK) return Status::Unavailable(std::string("backup: ") + sqlite3_errmsg(to));
  return Status::Ok();
}

Status SyncFile(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Unavailable("open " + path.string() + " to sync: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::Unavailable("fsync " + path.string() + ": " + std::strerror(errno));
  return Status::Ok();
}

// Copies `source` (open as `from`) into a fresh `destination` via a
// .partial file that is checked, synced and renamed into place.
Status CopyToNewFile(sqlite3* from, const fs::path& destination) {
  std::error_code ec;
  if (fs::exists(destination, ec)) return Status::FailedPrecondition(destination.string() + " already exists");
  const fs::path partial = destination.string() + ".partial";
  fs::remove(partial, ec);
  Status st = [&]() -> Status {
    // Created here, owner-only: the backup holds the same personal data as
    // the database, and SQLite would create it with the umask's mode.
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Status::Unavailable("create " + partial.string() + ": " + std::strerror(errno));
    ::close(fd);
    ASSIGN_OR_RETURN(Db to, OpenDb(partial, SQLITE_OPEN_READWRITE));
    RETURN_IF_ERROR(CopyPages(from, to.get()));
    // The copy keeps the source's WAL flag; a rollback-journal file is
    // one self-contained file (the server switches back to WAL on open).
    char* err = nullptr;
    if (sqlite3_exec(to.get(), "PRAGMA journal_mode = DELETE", nullptr, nullptr, &err) != SQLITE_OK) {
      std::string why = err ? err : "journal mode change failed";
      sqlite3_free(err);
      return Status::Unavailable("backup journal mode: " + why);
    }
    return CheckIntegrity(to.get(), partial);
  }();
  if (st.ok()) st = SyncFile(partial);
  if (st.ok()) {
    fs::rename(partial, destination, ec);
    if (ec) st = Status::Unavailable("rename " + partial.string() + ": " + ec.message());
  }
  if (!st.ok()) {
    fs::remove(partial, ec);
    fs::remove(partial.string() + "-wal", ec);
    fs::remove(partial.string() + "-shm", ec);
    return st;
  }
  // The directory entry of the rename must reach the disk too.
  return SyncFile(destination.parent_path().empty() ? fs::path(".") : destination.parent_path());
}

}  // namespace

Status BackupDatabase(const fs::path& source, const fs::path& destination) {
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) return Status::NotFound("no database at " + source.string());
  // Read-write (never create): a reader of a WAL database may have to
  // recover the -shm index when the server is not running.
  ASSIGN_OR_RETURN(Db from, OpenDb(source, SQLITE_OPEN_READWRITE));
  return CopyToNewFile(from.get(), destination);
}

Status RestoreDatabase(const fs::path& backup, const fs::path& destination) {
  std::error_code ec;
  if (!fs::is_regular_file(backup, ec)) return Status::NotFound("no backup file at " + backup.string());
  if (fs::exists(destination, ec) || fs::exists(destination.string() + "-wal", ec))
    return Status::FailedPrecondition(destination.string() + " already exists; restore only into a new data directory");
  ASSIGN_OR_RETURN(Db from, OpenDb(backup, SQLITE_OPEN_READONLY));
  RETURN_IF_ERROR(CheckIntegrity(from.get(), backup));
  return CopyToNewFile(from.get(), destination);
}

}  // namespace casus::storage

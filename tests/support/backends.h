// The storage backends the same tests run against: SQLite in a temp file,
// and PostgreSQL in a fresh database on the binary's throwaway server
// (tests/support/postgres_server.h). A PostgreSQL run skips, saying why,
// only where PostgreSQL cannot run here.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace casus::testing {

enum class Backend { kSqlite, kPostgres };

std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// The backend a suite that runs twice (casus_test_on_postgres in
// tests/CMakeLists.txt) runs on this time: PostgreSQL when
// CASUS_TEST_BACKEND=postgres, else SQLite.
Backend BackendOfThisRun();

// The writer's bounds, which some tests shrink; the rest of a store's
// options are the same for every test.
struct StoreLimits {
  std::size_t max_queue = 10000;
  std::size_t max_group = 256;
};

// One test's database: a SQLite file, or a database on the shared
// PostgreSQL server. Every store opened on it sees the same data, so a test
// can close its store and open another (a restart), and it can reach the
// database behind the store's back, as an attacker with database rights
// would (on PostgreSQL the server's user is a superuser). Copyable: it is
// only where the database is.
class BackendDatabase {
 public:
  // A new, empty database (the first Open creates the schema), SQLite's
  // under `dir`. Nullopt with `skip` set when the backend cannot run here;
  // nullopt with a test failure when it should have been created.
  static std::optional<BackendDatabase> Create(Backend backend, const std::filesystem::path& dir,
                                               std::string* skip);

  Backend backend() const { return backend_; }
  // The SQLite file's path or the PostgreSQL URL.
  const std::string& location() const { return location_; }

  // A store on this database; null with a test failure when it did not open.
  std::unique_ptr<storage::Store> Open(const StoreLimits& limits = {}) const;

  // Runs one or more statements on a connection of its own, outside any
  // store; the database's error message when one fails.
  Status Exec(const std::string& sql) const;
  // The first column of the first row as an integer, or as text ("" for NULL).
  StatusOr<std::int64_t> QueryInt(const std::string& sql) const;
  StatusOr<std::string> QueryText(const std::string& sql) const;

 private:
  BackendDatabase(Backend backend, std::string location) : backend_(backend), location_(std::move(location)) {}
  Backend backend_;
  std::string location_;
};

// A new, empty store: BackendDatabase::Create, then Open. Null with `skip`
// set when the backend cannot run here; null with a test failure when it
// should have opened.
std::unique_ptr<storage::Store> OpenBackend(Backend backend, const std::filesystem::path& dir, std::string* skip);

}  // namespace casus::testing

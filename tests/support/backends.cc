#include "tests/support/backends.h"

#include <atomic>

#include "storage/postgres_store.h"
#include "storage/sqlite_store.h"
#include "tests/support/postgres_server.h"

namespace casus::testing {

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

std::unique_ptr<storage::Store> OpenBackend(Backend backend, const std::filesystem::path& dir, std::string* skip) {
  if (backend == Backend::kSqlite) {
    storage::SqliteOptions o;
    o.path = dir / "casus.db";
    o.reader_connections = 2;
    auto store = storage::OpenSqliteStore(o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::string reason;
  PostgresServer* server = SharedPostgres(&reason);
  if (!server) {
    *skip = "PostgreSQL unavailable: " + reason;
    return nullptr;
  }
  static std::atomic<int> counter{0};
  auto url = server->CreateDatabase("casus_store_" + std::to_string(++counter));
  EXPECT_TRUE(url.ok()) << url.status().ToString();
  if (!url.ok()) return nullptr;
  storage::PostgresOptions o;
  o.url = *url;
  o.reader_connections = 2;
  auto store = storage::OpenPostgresStore(o);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

}  // namespace casus::testing

#include "tests/support/backends.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "storage/postgres/connection.h"
#include "storage/postgres_store.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite_store.h"
#include "tests/support/postgres_server.h"

namespace casus::testing {

namespace {

constexpr const char* kTemplate = "casus_store_template";

// Each test's PostgreSQL database is a copy of one that a store migrated
// once per binary: CREATE DATABASE … TEMPLATE costs what creating an empty
// database does, while migrating each test's database took about a third
// of a PostgreSQL test's time. The migration itself is tested in
// tests/storage_postgres. OK once the template exists.
Status MakeTemplateOnce(PostgresServer& server) {
  static std::mutex mu;
  static std::optional<Status> made;
  std::lock_guard lock(mu);
  if (!made) {
    made = [&]() -> Status {
      ASSIGN_OR_RETURN(std::string url, server.CreateDatabase(kTemplate));
      storage::PostgresOptions o;
      o.url = url;
      o.reader_connections = 1;
      // Opening migrates; closing leaves no connection to it, which a copy needs.
      ASSIGN_OR_RETURN([[maybe_unused]] auto store, storage::OpenPostgresStore(o));
      return Status::Ok();
    }();
  }
  return *made;
}

StatusOr<std::string> CreateFromTemplate(PostgresServer& server, const std::string& name) {
  RETURN_IF_ERROR(MakeTemplateOnce(server));
  ASSIGN_OR_RETURN(auto admin, storage::postgres::Connection::Open(server.Url("postgres")));
  RETURN_IF_ERROR(admin->Exec("CREATE DATABASE \"" + name + "\" TEMPLATE \"" + kTemplate + "\""));
  return server.Url(name);
}

}  // namespace

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

Backend BackendOfThisRun() {
  const char* backend = std::getenv("CASUS_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres" ? Backend::kPostgres : Backend::kSqlite;
}

std::optional<BackendDatabase> BackendDatabase::Create(Backend backend, const std::filesystem::path& dir,
                                                       std::string* skip) {
  if (backend == Backend::kSqlite) return BackendDatabase(backend, (dir / "casus.db").string());
  std::string reason;
  PostgresServer* server = SharedPostgres(&reason);
  if (!server) {
    *skip = "PostgreSQL unavailable: " + reason;
    return std::nullopt;
  }
  static std::atomic<int> counter{0};
  auto url = CreateFromTemplate(*server, "casus_store_" + std::to_string(++counter));
  EXPECT_TRUE(url.ok()) << url.status().ToString();
  if (!url.ok()) return std::nullopt;
  return BackendDatabase(backend, *url);
}

std::unique_ptr<storage::Store> BackendDatabase::Open(const StoreLimits& limits) const {
  StatusOr<std::unique_ptr<storage::Store>> store = Status::Internal("no backend");
  if (backend_ == Backend::kSqlite) {
    storage::SqliteOptions o;
    o.path = location_;
    o.reader_connections = 2;
    o.max_queue = limits.max_queue;
    o.max_group = limits.max_group;
    store = storage::OpenSqliteStore(o);
  } else {
    storage::PostgresOptions o;
    o.url = location_;
    o.reader_connections = 2;
    o.max_queue = limits.max_queue;
    o.max_group = limits.max_group;
    store = storage::OpenPostgresStore(o);
  }
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

Status BackendDatabase::Exec(const std::string& sql) const {
  if (backend_ == Backend::kSqlite) {
    ASSIGN_OR_RETURN(auto conn, storage::sqlite::Connection::Open(location_,
                                                                  storage::sqlite::Connection::Mode::kReadWrite, 5000));
    return conn->Exec(sql);
  }
  ASSIGN_OR_RETURN(auto conn, storage::postgres::Connection::Open(location_));
  return conn->Exec(sql);
}

StatusOr<std::int64_t> BackendDatabase::QueryInt(const std::string& sql) const {
  if (backend_ == Backend::kSqlite) {
    ASSIGN_OR_RETURN(auto conn, storage::sqlite::Connection::Open(location_,
                                                                  storage::sqlite::Connection::Mode::kReadOnly, 5000));
    return conn->QueryInt(sql);
  }
  ASSIGN_OR_RETURN(auto conn, storage::postgres::Connection::Open(location_));
  return conn->QueryInt(sql);
}

StatusOr<std::string> BackendDatabase::QueryText(const std::string& sql) const {
  if (backend_ == Backend::kSqlite) {
    ASSIGN_OR_RETURN(auto conn, storage::sqlite::Connection::Open(location_,
                                                                  storage::sqlite::Connection::Mode::kReadOnly, 5000));
    return conn->QueryText(sql);
  }
  ASSIGN_OR_RETURN(auto conn, storage::postgres::Connection::Open(location_));
  ASSIGN_OR_RETURN(auto rows, conn->Query(sql));
  if (rows.rows() == 0 || rows.columns() == 0) return Status::NotFound(sql + ": no row");
  return rows.IsNull(0, 0) ? std::string() : rows.Text(0, 0);
}

std::unique_ptr<storage::Store> OpenBackend(Backend backend, const std::filesystem::path& dir, std::string* skip) {
  std::optional<BackendDatabase> db = BackendDatabase::Create(backend, dir, skip);
  return db ? db->Open() : nullptr;
}

}  // namespace casus::testing

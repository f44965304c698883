// `casus migrate --from-sqlite` as a region runs it: the demo database
// copied into an empty PostgreSQL database arrives whole (every row of
// every table, the deadlines' term and suspension, the event ids and the
// audit chain), and is refused into a database with data, from a broken
// chain, or without PostgreSQL configured.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "storage/postgres/connection.h"
#include "tests/support/postgres_server.h"
#include "tests/cli/run_shell.h"
#include "tests/support/temp_dir.h"

namespace {

using casus::testing::RunResult;

// `env` is prefixed to the command ("CASUS_DATABASE_URL=… ").
RunResult RunCasus(const std::string& env, const std::string& args) {
  std::string command = "cd " CASUS_SOURCE_DIR " && " + env + " " + std::string(CASUS_BINARY) + " " + args + " 2>&1";
  return casus::testing::RunShell(command);
}

std::int64_t SqliteInt(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  std::int64_t value = -1;
  if (sqlite3_open(db.c_str(), &handle) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
      value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
  }
  sqlite3_close(handle);
  return value;
}

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    server = casus::testing::SharedPostgres(&reason);
    if (!server) GTEST_SKIP() << "PostgreSQL unavailable: " << reason;
    // One demo database for the binary (init hashes every demo password
    // with the production cost), copied for each test.
    static casus::testing::TempDir demo;
    static const RunResult init = RunCasus("", "init --demo --data-dir " + demo.path().string());
    ASSERT_EQ(init.exit_code, 0) << init.output;
    std::filesystem::copy_file(demo.path() / "casus.db", db());
  }
  std::string NewDatabase() {
    static int counter = 0;
    auto url = server->CreateDatabase("casus_migrate_" + std::to_string(++counter));
    EXPECT_TRUE(url.ok()) << url.status().ToString();
    return url.ok() ? *url : "";
  }
  RunResult Migrate(const std::string& url) {
    return RunCasus("CASUS_DATABASE_URL=" + url, "migrate --from-sqlite " + db().string());
  }
  std::filesystem::path db() const { return dir.path() / "casus.db"; }

  casus::testing::PostgresServer* server = nullptr;
  casus::testing::TempDir dir;
};

TEST_F(MigrateTest, TheDemoDatabaseArrivesWholeAndItsChainVerifies) {
  const std::string url = NewDatabase();
  auto r = Migrate(url);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("audit chain intact on both sides"), std::string::npos) << r.output;
  auto pg = casus::storage::postgres::Connection::Open(url);
  ASSERT_TRUE(pg.ok()) << pg.status().ToString();
  for (const char* table : {"organisations", "users", "persons", "reports", "workflow_definitions", "cases",
                            "case_deadlines", "case_events", "notes", "actions", "case_team", "audit_log"}) {
    const std::string count = std::string("SELECT count(*) FROM ") + table;
    EXPECT_EQ(*(*pg)->QueryInt(count), SqliteInt(db(), count)) << table;
    EXPECT_GT(SqliteInt(db(), count), 0) << table << ": the demo has rows here";
  }
  // Replay cursors and the chain's head are the same numbers.
  EXPECT_EQ(*(*pg)->QueryInt("SELECT max(id) FROM case_events"), SqliteInt(db(), "SELECT max(id) FROM case_events"));
  EXPECT_EQ(*(*pg)->QueryInt("SELECT last_seq FROM audit_head"), SqliteInt(db(), "SELECT last_seq FROM audit_head"));
  auto verify = RunCasus("CASUS_DATABASE_URL=" + url, "audit verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("audit chain intact"), std::string::npos) << verify.output;
}

TEST_F(MigrateTest, DeadlinesArriveWithTheirTermAndSuspension) {
  // One demo deadline suspended as the engine would store it, with a
  // quote in its reason; the others as the demo left them.
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle,
                         "UPDATE case_deadlines SET term = '10wd', extended_by = 3, suspended_at = 1767225600, "
                         "suspension_reason = 'wacht op ''rapport''' "
                         "WHERE case_id = (SELECT min(case_id) FROM case_deadlines) AND position = 0",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  const std::string url = NewDatabase();
  auto r = Migrate(url);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto pg = casus::storage::postgres::Connection::Open(url);
  ASSERT_TRUE(pg.ok()) << pg.status().ToString();
  const std::string suspended =
      "SELECT count(*) FROM case_deadlines WHERE term = '10wd' AND extended_by = 3 AND suspended_at = 1767225600 "
      "AND suspension_reason = 'wacht op ''rapport''' AND case_id = (SELECT min(case_id) FROM case_deadlines) "
      "AND position = 0";
  EXPECT_EQ(SqliteInt(db(), suspended), 1);
  EXPECT_EQ(*(*pg)->QueryInt(suspended), 1);
  // Every other row's new columns arrive as they were, NULL included.
  for (const char* query : {"SELECT count(*) FROM case_deadlines WHERE term IS NULL",
                            "SELECT count(*) FROM case_deadlines WHERE suspended_at IS NULL",
                            "SELECT count(*) FROM case_deadlines WHERE suspension_reason IS NULL",
                            "SELECT coalesce(sum(extended_by), 0) FROM case_deadlines",
                            "SELECT count(DISTINCT term) FROM case_deadlines"}) {
    EXPECT_EQ(*(*pg)->QueryInt(query), SqliteInt(db(), query)) << query;
  }
}

TEST_F(MigrateTest, ADatabaseWithDataIsRefusedAndLeftAsItWas) {
  const std::string url = NewDatabase();
  ASSERT_EQ(Migrate(url).exit_code, 0);
  auto again = Migrate(url);
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("already holds Casus data"), std::string::npos) << again.output;
  auto pg = casus::storage::postgres::Connection::Open(url);
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(*(*pg)->QueryInt("SELECT count(*) FROM cases"), SqliteInt(db(), "SELECT count(*) FROM cases"));
}

TEST_F(MigrateTest, ABrokenSourceChainCopiesNothing) {
  // Tampering as someone with the file would: triggers dropped, an entry changed.
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle,
                         "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user_id = 'someone_else' WHERE seq = 5;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  const std::string url = NewDatabase();
  auto r = Migrate(url);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("audit chain is broken at entry 5"), std::string::npos) << r.output;
  auto pg = casus::storage::postgres::Connection::Open(url);
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(*(*pg)->QueryInt("SELECT count(*) FROM organisations"), 0);
}

TEST_F(MigrateTest, WithoutPostgresConfiguredItSaysSo) {
  auto r = RunCasus("", "migrate --from-sqlite " + db().string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no PostgreSQL database configured"), std::string::npos) << r.output;
  auto missing = RunCasus("CASUS_DATABASE_URL=" + NewDatabase(), "migrate --from-sqlite /nonexistent/casus.db");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

}  // namespace

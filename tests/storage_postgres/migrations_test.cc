// PostgreSQL migrations: a fresh database reaches the latest version, a
// second run changes nothing, two nodes migrating at once migrate once,
// a database at an older step keeps its rows, and a database newer than
// this build is refused.
#include "storage/postgres/migrations.h"

#include <gtest/gtest.h>

#include <future>

#include "storage/postgres/schema.h"
#include "tests/storage_postgres/pg_fixture.h"

namespace casus::storage::postgres {
namespace {

TEST_F(PgTest, AFreshDatabaseReachesTheLatestVersionOnce) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  EXPECT_EQ(*SchemaVersion(*conn), 0);
  Status migrated = Migrate(*conn);
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  EXPECT_EQ(*SchemaVersion(*conn), LatestSchemaVersion());
  // The tables the app writes exist.
  for (const char* table : {"cases", "case_events", "audit_log", "persons", "case_team", "deadline_firings",
                            "sessions", "reports"}) {
    auto exists = conn->Query("SELECT to_regclass($1) IS NOT NULL", {table});
    ASSERT_TRUE(exists.ok()) << exists.status().ToString();
    EXPECT_EQ(exists->Text(0, 0), "t") << table;
  }
  ASSERT_TRUE(Migrate(*conn).ok());
  EXPECT_EQ(*SchemaVersion(*conn), LatestSchemaVersion());
  EXPECT_FALSE(conn->InTransaction());
  // The audit log and the timeline are append-only, TRUNCATE included.
  for (const char* table : {"audit_log", "case_events"}) {
    Status truncated = conn->Exec(std::string("TRUNCATE ") + table);
    EXPECT_EQ(truncated.code(), StatusCode::kFailedPrecondition) << table << ": " << truncated.ToString();
    EXPECT_NE(truncated.message().find("append-only"), std::string::npos) << truncated.message();
  }
  // The chain's head row is there from the start.
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM audit_head"), 1);
}

TEST_F(PgTest, TwoNodesMigratingAtOnceMigrateOnce) {
  auto a = Connect();
  auto b = Connect();
  ASSERT_TRUE(a && b);
  auto first = std::async(std::launch::async, [&] { return Migrate(*a); });
  auto second = std::async(std::launch::async, [&] { return Migrate(*b); });
  Status sa = first.get(), sb = second.get();
  EXPECT_TRUE(sa.ok()) << sa.ToString();
  EXPECT_TRUE(sb.ok()) << sb.ToString();
  EXPECT_EQ(*SchemaVersion(*a), LatestSchemaVersion());
  EXPECT_EQ(*a->QueryInt("SELECT count(*) FROM casus_schema_version"), 1);
}

TEST_F(PgTest, ANewerDatabaseIsRefusedAndLeftAlone) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(Migrate(*conn).ok());
  ASSERT_TRUE(conn->Query("UPDATE casus_schema_version SET version = $1::integer",
                          {std::to_string(LatestSchemaVersion() + 1)})
                  .ok());
  Status refused = Migrate(*conn);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("newer than this build"), std::string::npos) << refused.message();
  EXPECT_EQ(*SchemaVersion(*conn), LatestSchemaVersion() + 1);
  EXPECT_FALSE(conn->InTransaction());
}

TEST_F(PgTest, AStepTwoDatabaseGainsOpenIdColumnsKeepingItsUsersAndSessions) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  // A database as step 2 left it, with two local users and a session.
  ASSERT_TRUE(conn->Exec(std::string(kSchemaV1) + kSchemaV2 +
                         "CREATE TABLE casus_schema_version (only_row BOOLEAN PRIMARY KEY DEFAULT TRUE "
                         "CHECK (only_row), version INTEGER NOT NULL);"
                         "INSERT INTO casus_schema_version (version) VALUES (2);"
                         "INSERT INTO users VALUES ('user_1', 'alice', 'org_1', '[]', 'h', 's', false, 5, 0);"
                         "INSERT INTO users VALUES ('user_2', 'bob', 'org_1', '[]', 'h', 's', false, 5, 0);"
                         "INSERT INTO sessions VALUES ('sess_1', 'th', 'ch', 'user_1', 'c', 1, 1, 2, NULL);")
                  .ok());
  Status migrated = Migrate(*conn);
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  EXPECT_EQ(*SchemaVersion(*conn), LatestSchemaVersion());
  // The new columns' default marks them local; both share the empty identity.
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM users WHERE oidc_issuer = '' AND oidc_subject = ''"), 2);
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM sessions WHERE oidc_issuer = '' AND oidc_sid = ''"), 1);
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM oidc_logins"), 0);
}

TEST_F(PgTest, AFailedStepLeavesTheDatabaseAsItWas) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  // A table in the way of the first step: the step fails and rolls back whole.
  ASSERT_TRUE(conn->Exec("CREATE TABLE cases (in_the_way INTEGER)").ok());
  Status failed = Migrate(*conn);
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(failed.message().find("migration to schema version 1 failed"), std::string::npos) << failed.message();
  EXPECT_EQ(*SchemaVersion(*conn), 0);
  EXPECT_EQ(conn->Query("SELECT to_regclass('audit_log') IS NULL")->Text(0, 0), "t");
  EXPECT_FALSE(conn->InTransaction());
}

}  // namespace
}  // namespace casus::storage::postgres

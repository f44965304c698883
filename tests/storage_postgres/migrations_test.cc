// PostgreSQL migrations: a fresh database reaches the latest version, a
// second run changes nothing, two nodes migrating at once migrate once,
// a database at an older step keeps its rows, and a database newer than
// this build is refused.
#include "storage/postgres/migrations.h"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <utility>
#include <vector>

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

TEST_F(PgTest, AStepThreeDatabaseNumbersItsCasesInCreationOrderPerTypeAndYear) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  // A database as step 3 left it, with cases of two types over the turn of
  // the year, inserted out of creation order. Midnight in Amsterdam on
  // 1 January 2026 is 2025-12-31T23:00:00Z (1767222000).
  std::string sql = std::string(kSchemaV1) + kSchemaV2 + kSchemaV3 +
                    "CREATE TABLE casus_schema_version (only_row BOOLEAN PRIMARY KEY DEFAULT TRUE "
                    "CHECK (only_row), version INTEGER NOT NULL);"
                    "INSERT INTO casus_schema_version (version) VALUES (3);";
  const std::vector<std::pair<std::string, std::pair<std::string, std::int64_t>>> cases = {
      {"case_mar", {"iaww", 1772704800}},   // 2026-03-05T10:00Z
      {"case_jan", {"iaww", 1768039200}},   // 2026-01-10T10:00Z
      {"case_wv", {"wvggz", 1769940000}},   // 2026-02-01T10:00Z
      {"case_ny", {"iaww", 1767223800}},    // 2025-12-31T23:30Z: 00:30 on New Year's Day in Amsterdam
      {"case_old", {"iaww", 1767220200}},   // 2025-12-31T22:30Z: still 2025 in Amsterdam
      {"case_tie_b", {"jpp", 1768039200}},  // the same second: by id
      {"case_tie_a", {"jpp", 1768039200}},
  };
  for (const auto& [id, kind] : cases)
    sql += "INSERT INTO cases (id, type, definition_version, state, level, version, municipality, confidentiality, "
           "subject_person_id, report_id, received_at, created_at, updated_at, history_json, data_json) VALUES ('" +
           id + "', '" + kind.first + "', 1, 'nieuw', 'laag', 1, 'Kerkrade', 1, NULL, NULL, " +
           std::to_string(kind.second) + ", " + std::to_string(kind.second) + ", " + std::to_string(kind.second) +
           ", '[]', '{}');";
  ASSERT_TRUE(conn->Exec(sql).ok());
  Status migrated = Migrate(*conn);
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  EXPECT_EQ(*SchemaVersion(*conn), LatestSchemaVersion());
  auto number = [&](const std::string& id) {
    auto r = conn->Query("SELECT case_number FROM cases WHERE id = $1", {id});
    return r.ok() && r->rows() == 1 ? r->Text(0, 0) : std::string("?");
  };
  EXPECT_EQ(number("case_ny"), "IAWW-2026-0001");
  EXPECT_EQ(number("case_jan"), "IAWW-2026-0002");
  EXPECT_EQ(number("case_mar"), "IAWW-2026-0003");
  EXPECT_EQ(number("case_old"), "IAWW-2025-0001");
  EXPECT_EQ(number("case_wv"), "WVGGZ-2026-0001");
  EXPECT_EQ(number("case_tie_a"), "JPP-2026-0001");
  EXPECT_EQ(number("case_tie_b"), "JPP-2026-0002");
  // The counters continue after the numbers given; the column is filled and unique.
  EXPECT_EQ(*conn->QueryInt("SELECT last_number FROM case_number_counters WHERE type = 'iaww' AND year = 2026"), 3);
  EXPECT_EQ(*conn->QueryInt("SELECT last_number FROM case_number_counters WHERE type = 'iaww' AND year = 2025"), 1);
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM case_number_counters"), 4);
  EXPECT_FALSE(conn->Exec("UPDATE cases SET case_number = NULL WHERE id = 'case_jan'").ok());
  EXPECT_FALSE(conn->Exec("UPDATE cases SET case_number = 'IAWW-2026-0001' WHERE id = 'case_jan'").ok());
  EXPECT_FALSE(conn->InTransaction());
}

TEST_F(PgTest, AStepFourDatabaseKeepsItsDeadlinesNeverSuspended) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  // A database as step 4 left it, with a case, its active deadline and a cleared one.
  ASSERT_TRUE(conn->Exec(std::string(kSchemaV1) + kSchemaV2 + kSchemaV3 + kSchemaV4 +
                         "CREATE TABLE casus_schema_version (only_row BOOLEAN PRIMARY KEY DEFAULT TRUE "
                         "CHECK (only_row), version INTEGER NOT NULL);"
                         "INSERT INTO casus_schema_version (version) VALUES (4);"
                         "INSERT INTO cases (id, type, definition_version, state, level, version, municipality, "
                         "confidentiality, subject_person_id, report_id, received_at, created_at, updated_at, "
                         "history_json, data_json, case_number) VALUES ('case_1', 'iaww', 1, 'nieuw', 'laag', 1, "
                         "'Kerkrade', 1, NULL, NULL, 100, 100, 100, '[]', '{}', 'IAWW-1970-0001');"
                         "INSERT INTO case_deadlines VALUES ('case_1', 0, 'agendering', 100, 900, NULL);"
                         "INSERT INTO case_deadlines VALUES ('case_1', 1, 'eerste_contact', 100, 200, 150);")
                  .ok());
  Status migrated = Migrate(*conn);
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  EXPECT_EQ(*SchemaVersion(*conn), LatestSchemaVersion());
  EXPECT_GE(LatestSchemaVersion(), 5);
  // The deadlines are kept, without term, with nothing added, not suspended.
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM case_deadlines WHERE term IS NULL AND extended_by = 0 AND "
                            "suspended_at IS NULL AND suspension_reason IS NULL"),
            2);
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM case_deadlines WHERE (position, deadline_id, started_at, due_at) "
                            "= (0, 'agendering', 100, 900) AND cleared_at IS NULL"),
            1);
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM case_deadlines WHERE (position, deadline_id, started_at, due_at, "
                            "cleared_at) = (1, 'eerste_contact', 100, 200, 150)"),
            1);
  // extended_by is required; the other new columns take a suspension.
  EXPECT_FALSE(conn->Exec("UPDATE case_deadlines SET extended_by = NULL WHERE position = 0").ok());
  EXPECT_TRUE(conn->Exec("UPDATE case_deadlines SET term = '10wd', extended_by = 3, suspended_at = 500, "
                         "suspension_reason = 'wacht' WHERE position = 0")
                  .ok());
  EXPECT_FALSE(conn->InTransaction());
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

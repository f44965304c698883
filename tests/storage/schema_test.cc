// Opening: PRAGMAs, option validation, migrations, append-only triggers.
#include <gtest/gtest.h>

#include <map>

#include "storage/case_number.h"
#include "storage/codec.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/transaction.h"
#include "tests/storage/test_db.h"

namespace casus::storage::testing {
namespace {

using SchemaTest = StorageTest;

// PRAGMA values are per connection, so they are read through the store's
// own connections: the writer's, and a reader's.
std::int64_t WriterPragma(Store& store, const std::string& pragma) {
  std::int64_t value = -1;
  MustWrite(store, [&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(value, dynamic_cast<sqlite::SqliteTransaction&>(tx).connection().QueryInt("PRAGMA " + pragma));
    return Status::Ok();
  });
  return value;
}

std::int64_t ReaderPragma(Store& store, const std::string& pragma) {
  std::int64_t value = -1;
  EXPECT_TRUE(store.Read([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(value, dynamic_cast<sqlite::SqliteTransaction&>(tx).connection().QueryInt("PRAGMA " + pragma));
    return Status::Ok();
  }).ok());
  return value;
}

TEST_F(SchemaTest, FreshDatabaseIsMigratedToTheCurrentVersion) {
  EXPECT_EQ(CurrentSchemaVersion(), 10);
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(WriterPragma(*store, "user_version"), CurrentSchemaVersion());
  store.reset();
  EXPECT_EQ(RawInt(db_path(), "PRAGMA user_version"), CurrentSchemaVersion());
  EXPECT_EQ(RawInt(db_path(), "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ("
                              "'organisations', 'users', 'persons', 'reports', 'cases', 'case_deadlines', "
                              "'case_events', 'notes', 'actions', 'case_team', 'workflow_definitions', "
                              "'audit_log', 'audit_head', 'sessions', 'access_grants')"),
            15);
  EXPECT_EQ(RawInt(db_path(), "SELECT count(*) FROM audit_head WHERE id = 1 AND last_seq = 0 AND last_hash = ''"), 1);
  // Reopening an up-to-date database runs no step again (the head row would
  // be inserted twice and the open would fail).
  EXPECT_NE(OpenStore(), nullptr);
}

TEST_F(SchemaTest, NewerDatabaseIsRefused) {
  OpenStore().reset();
  ASSERT_EQ(RawExec(db_path(), "PRAGMA user_version = 99"), "");
  auto store = OpenSqliteStore(Options());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("schema version 99 is newer than this build supports (10)"),
            std::string::npos)
      << store.status().message();
  EXPECT_EQ(RawInt(db_path(), "PRAGMA user_version"), 99);  // left untouched
}

TEST_F(SchemaTest, VersionOneDatabaseIsMigratedKeepingItsData) {
  // A database as schema v1 left it, with a user and an audit entry.
  ASSERT_EQ(RawExec(db_path(), std::string(sqlite::kSchemaV1) +
                                   "INSERT INTO users VALUES ('user_1', 'alice', 'org_1', '[\"admin\"]', 'h', 's', 0, 5);"
                                   "PRAGMA user_version = 1;"),
            "");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(WriterPragma(*store, "user_version"), CurrentSchemaVersion());
  ASSERT_TRUE(store->Read([](Transaction& tx) -> Status {
    auto user = tx.users().Get("user_1");
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    EXPECT_EQ(user->username, "alice");
    EXPECT_EQ(user->roles, std::vector<std::string>{"admin"});
    EXPECT_EQ(user->totp_last_step, 0);  // the v2 column's default
    return Status::Ok();
  }).ok());
  MustWrite(*store, [](Transaction& tx) {
    Session s{"sess_1", "th", "ch", "user_1", "127.0.0.1", At(1), At(1), At(2), std::nullopt, "", ""};
    return tx.sessions().Insert(s);  // a v2 table
  });
}

TEST_F(SchemaTest, VersionSevenDatabaseGainsOpenIdColumnsKeepingItsUsersAndSessions) {
  // A database as schema v7 left it (its v5 audit upgrade has nothing to
  // do on an empty log), with two local users and a session.
  ASSERT_EQ(RawExec(db_path(), std::string(sqlite::kSchemaV1) + sqlite::kSchemaV2 + sqlite::kSchemaV3 +
                                   sqlite::kSchemaV4 + sqlite::kSchemaV5Before + sqlite::kSchemaV5After +
                                   sqlite::kSchemaV6 + sqlite::kSchemaV7 +
                                   "INSERT INTO users VALUES ('user_1', 'alice', 'org_1', '[]', 'h', 's', 0, 5, 0);"
                                   "INSERT INTO users VALUES ('user_2', 'bob', 'org_1', '[]', 'h', 's', 0, 5, 0);"
                                   "INSERT INTO sessions VALUES ('sess_1', 'th', 'ch', 'user_1', 'c', 1, 1, 2, NULL);"
                                   "PRAGMA user_version = 7;"),
            "");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(WriterPragma(*store, "user_version"), CurrentSchemaVersion());
  ASSERT_TRUE(store->Read([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(User alice, tx.users().Get("user_1"));
    EXPECT_EQ(alice.username, "alice");
    EXPECT_EQ(alice.oidc_issuer, "");  // the v8 columns' default: a local account
    EXPECT_EQ(alice.oidc_subject, "");
    ASSIGN_OR_RETURN(std::optional<User> nobody, tx.users().FindByOidcSubject("", ""));
    EXPECT_FALSE(nobody.has_value());
    ASSIGN_OR_RETURN(std::optional<Session> session, tx.sessions().FindByTokenHash("th"));
    EXPECT_TRUE(session.has_value());
    if (session) {
      EXPECT_EQ(session->oidc_sid, "");
    }
    return Status::Ok();
  }).ok());
  // Both local users share the empty identity; a real one is linked.
  MustWrite(*store, [](Transaction& tx) -> Status {
    User bob = *tx.users().Get("user_2");
    bob.oidc_issuer = "https://login.example";
    bob.oidc_subject = "sub-1";
    RETURN_IF_ERROR(tx.users().Update(bob));
    OidcLogin login;
    login.id = "state_hash";
    login.kind = "authorization";
    return tx.oidc_logins().Insert(login);  // a v8 table
  });
}

TEST_F(SchemaTest, VersionEightDatabaseNumbersItsCasesInCreationOrderPerTypeAndYear) {
  // A database as schema v8 left it, with cases of two types over the turn
  // of the year, inserted out of creation order. Midnight in Amsterdam on
  // 1 January 2026 is 2025-12-31T23:00:00Z (1767222000).
  std::string sql = std::string(sqlite::kSchemaV1) + sqlite::kSchemaV2 + sqlite::kSchemaV3 + sqlite::kSchemaV4 +
                    sqlite::kSchemaV5Before + sqlite::kSchemaV5After + sqlite::kSchemaV6 + sqlite::kSchemaV7 +
                    sqlite::kSchemaV8;
  const std::vector<std::pair<std::string, std::pair<std::string, std::int64_t>>> cases = {
      {"case_mar", {"iaww", 1772704800}},    // 2026-03-05T10:00Z
      {"case_jan", {"iaww", 1768039200}},    // 2026-01-10T10:00Z
      {"case_wv", {"wvggz", 1769940000}},    // 2026-02-01T10:00Z
      {"case_ny", {"iaww", 1767223800}},     // 2025-12-31T23:30Z: 00:30 on New Year's Day in Amsterdam
      {"case_old", {"iaww", 1767220200}},    // 2025-12-31T22:30Z: still 2025 in Amsterdam
      {"case_tie_b", {"jpp", 1768039200}},   // the same second: by id
      {"case_tie_a", {"jpp", 1768039200}},
  };
  for (const auto& [id, kind] : cases)
    sql += "INSERT INTO cases (id, type, definition_version, state, level, version, municipality, confidentiality, "
           "subject_person_id, report_id, received_at, created_at, updated_at, history_json, data_json) VALUES ('" +
           id + "', '" + kind.first + "', 1, 'nieuw', 'laag', 1, 'Kerkrade', 1, NULL, NULL, " +
           std::to_string(kind.second) + ", " + std::to_string(kind.second) + ", " + std::to_string(kind.second) +
           ", '[]', '{}');";
  ASSERT_EQ(RawExec(db_path(), sql + "PRAGMA user_version = 8;"), "");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(WriterPragma(*store, "user_version"), CurrentSchemaVersion());
  std::map<std::string, std::string> numbers;
  ASSERT_TRUE(store->Read([&](Transaction& tx) -> Status {
    for (const auto& [id, kind] : cases) {
      ASSIGN_OR_RETURN(CaseRecord k, tx.cases().Get(id));
      numbers[id] = k.case_number;
      // The upgrade's year is the one new cases are numbered in.
      EXPECT_EQ(k.case_number.substr(k.case_number.find('-') + 1, 4), std::to_string(CaseNumberYear(k.created_at)))
          << id;
    }
    return Status::Ok();
  }).ok());
  EXPECT_EQ(numbers["case_ny"], "IAWW-2026-0001");
  EXPECT_EQ(numbers["case_jan"], "IAWW-2026-0002");
  EXPECT_EQ(numbers["case_mar"], "IAWW-2026-0003");
  EXPECT_EQ(numbers["case_old"], "IAWW-2025-0001");
  EXPECT_EQ(numbers["case_wv"], "WVGGZ-2026-0001");
  EXPECT_EQ(numbers["case_tie_a"], "JPP-2026-0001");
  EXPECT_EQ(numbers["case_tie_b"], "JPP-2026-0002");
  // New cases continue after the upgrade's numbers, per type and year.
  std::string next_2026, next_2025;
  MustWrite(*store, [&](Transaction& tx) -> Status {
    CaseRecord k = MakeCase("case_new", "");
    k.type = "iaww";
    k.created_at = *ParseRfc3339("2026-04-01T10:00:00Z");
    ASSIGN_OR_RETURN(next_2026, tx.cases().InsertNumbered(k));
    k.id = "case_late";
    k.created_at = *ParseRfc3339("2025-12-30T10:00:00Z");
    ASSIGN_OR_RETURN(next_2025, tx.cases().InsertNumbered(k));
    return Status::Ok();
  });
  EXPECT_EQ(next_2026, "IAWW-2026-0004");
  EXPECT_EQ(next_2025, "IAWW-2025-0002");
  store.reset();
  EXPECT_EQ(RawExec(db_path(), "UPDATE cases SET case_number = 'IAWW-2026-0001' WHERE id = 'case_jan'"),
            "UNIQUE constraint failed: cases.case_number");
}

TEST_F(SchemaTest, VersionNineDatabaseKeepsItsDeadlinesNeverSuspended) {
  // A database as schema v9 left it, with a case, its active deadline and a
  // cleared one.
  std::string sql = std::string(sqlite::kSchemaV1) + sqlite::kSchemaV2 + sqlite::kSchemaV3 + sqlite::kSchemaV4 +
                    sqlite::kSchemaV5Before + sqlite::kSchemaV5After + sqlite::kSchemaV6 + sqlite::kSchemaV7 +
                    sqlite::kSchemaV8 + sqlite::kSchemaV9;
  const TimePoint opened = At(3, 9);
  const std::string t = std::to_string(ToUnix(opened));
  sql += "INSERT INTO cases (id, type, definition_version, state, level, version, municipality, confidentiality, "
         "subject_person_id, report_id, received_at, created_at, updated_at, history_json, data_json, case_number) "
         "VALUES ('case_1', 'iaww', 1, 'nieuw', 'laag', 1, 'Kerkrade', 1, NULL, NULL, " + t + ", " + t + ", " + t +
         ", '[]', '{}', 'IAWW-2026-0001');"
         "INSERT INTO case_number_counters VALUES ('iaww', 2026, 1);"
         "INSERT INTO case_deadlines VALUES ('case_1', 0, 'agendering', " + t + ", " +
         std::to_string(ToUnix(At(17, 9))) + ", NULL);"
         "INSERT INTO case_deadlines VALUES ('case_1', 1, 'eerste_contact', " + t + ", " +
         std::to_string(ToUnix(At(4, 9))) + ", " + std::to_string(ToUnix(At(3, 15))) + ");";
  ASSERT_EQ(RawExec(db_path(), sql + "PRAGMA user_version = 9;"), "");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(WriterPragma(*store, "user_version"), 10);
  const std::vector<engine::DeadlineState> kept = {
      engine::DeadlineState{"agendering", opened, At(17, 9), std::nullopt},
      engine::DeadlineState{"eerste_contact", opened, At(4, 9), At(3, 15)},
  };
  ASSERT_TRUE(store->Read([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(CaseRecord k, tx.cases().Get("case_1"));
    // No term (the engine resolves it from the definition), nothing added, not suspended.
    EXPECT_EQ(k.deadlines, kept);
    ASSIGN_OR_RETURN(auto due, tx.deadline_firings().ListActiveDueBefore(At(20), 10));
    EXPECT_EQ(due, (std::vector<ActiveDeadline>{{"case_1", "agendering", opened, At(17, 9)}}));
    return Status::Ok();
  }).ok());
  // The new columns take a suspension.
  MustWrite(*store, [&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(CaseRecord k, tx.cases().Get("case_1"));
    k.deadlines.at(0).term = engine::DurationSpec{engine::DurationSpec::Unit::kCalendarDays, 14};
    k.deadlines.at(0).suspended_at = At(10);
    k.deadlines.at(0).suspension_reason = "onderzoek elders";
    return tx.cases().Update(k, k.version);
  });
  store.reset();
  EXPECT_EQ(RawInt(db_path(), "SELECT count(*) FROM case_deadlines WHERE term = '14d' AND extended_by = 0 AND "
                              "suspended_at = " + std::to_string(ToUnix(At(10))) +
                              " AND suspension_reason = 'onderzoek elders'"),
            1);
  EXPECT_EQ(RawExec(db_path(), "INSERT INTO case_deadlines (case_id, position, deadline_id, started_at, due_at, "
                               "extended_by) VALUES ('case_1', 2, 'x', 1, 2, NULL)"),
            "NOT NULL constraint failed: case_deadlines.extended_by");
}

TEST_F(SchemaTest, FailedMigrationStepLeavesTheDatabaseAtThePreviousVersion) {
  // A v1 database whose state makes step 2 fail (the column it adds exists).
  ASSERT_EQ(RawExec(db_path(), std::string(sqlite::kSchemaV1) +
                                   "ALTER TABLE users ADD COLUMN totp_last_step INTEGER; PRAGMA user_version = 1;"),
            "");
  auto store = OpenSqliteStore(Options());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("migration to schema version 2 failed"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(RawInt(db_path(), "PRAGMA user_version"), 1);
  EXPECT_EQ(RawInt(db_path(), "SELECT count(*) FROM sqlite_schema WHERE name = 'sessions'"), 0);  // rolled back
}

TEST_F(SchemaTest, SynchronousFullIsTheDefaultAndNormalIsHonoured) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(WriterPragma(*store, "synchronous"), 2);  // FULL
    EXPECT_EQ(ReaderPragma(*store, "synchronous"), 2);
    EXPECT_EQ(WriterPragma(*store, "foreign_keys"), 1);
    EXPECT_EQ(WriterPragma(*store, "busy_timeout"), 5000);
  }
  SqliteOptions o = Options();
  o.synchronous = "NORMAL";
  o.busy_timeout_ms = 1234;
  auto store = OpenStore(o);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(WriterPragma(*store, "synchronous"), 1);  // NORMAL
  EXPECT_EQ(ReaderPragma(*store, "synchronous"), 1);
  EXPECT_EQ(WriterPragma(*store, "busy_timeout"), 1234);
  EXPECT_EQ(ReaderPragma(*store, "query_only"), 1);
  store.reset();
  EXPECT_EQ(RawInt(db_path(), "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
}

TEST_F(SchemaTest, InvalidOptionsAreRefusedBeforeTouchingTheFile) {
  SqliteOptions o = Options();
  o.synchronous = "OFF";
  auto st = OpenSqliteStore(o);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(db_path()));

  o = Options();
  o.max_queue = 0;
  EXPECT_EQ(OpenSqliteStore(o).status().code(), StatusCode::kInvalidArgument);
  o = Options();
  o.reader_connections = 0;
  EXPECT_EQ(OpenSqliteStore(o).status().code(), StatusCode::kInvalidArgument);
  o = Options();
  o.path.clear();
  EXPECT_EQ(OpenSqliteStore(o).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SchemaTest, UnopenablePathIsUnavailable) {
  SqliteOptions o = Options();
  o.path = dir_.path() / "no" / "such" / "dir" / "casus.db";
  auto st = OpenSqliteStore(o);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), StatusCode::kUnavailable);
}

TEST_F(SchemaTest, CaseEventsAreAppendOnly) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    MustWrite(*store, [](Transaction& tx) -> Status {
      RETURN_IF_ERROR(tx.persons().Insert(MakePerson("person_1", "Piet")));
      RETURN_IF_ERROR(tx.cases().Insert(MakeCase("case_1", "person_1")));
      RETURN_IF_ERROR(tx.audit().Append(MakeAuditEntry(1)).status());
      return tx.events().Append(CaseEvent{0, "case_1", "case.opened", At(1), "u", "{}"}).status();
    });
  }
  EXPECT_EQ(RawExec(db_path(), "UPDATE case_events SET type = 'forged'"), "case_events are append-only");
  EXPECT_EQ(RawExec(db_path(), "DELETE FROM case_events"), "case_events are append-only");
  EXPECT_EQ(RawInt(db_path(), "SELECT count(*) FROM case_events WHERE type = 'case.opened'"), 1);
  EXPECT_EQ(RawExec(db_path(), "UPDATE audit_log SET action = 'x'"), "audit_log is append-only");
  EXPECT_EQ(RawExec(db_path(), "DELETE FROM audit_log"), "audit_log is append-only");
  EXPECT_EQ(RawInt(db_path(), "SELECT count(*) FROM audit_log WHERE action = 'case.transition'"), 1);
}

TEST_F(SchemaTest, StoreWritesAreVisibleToAnotherProcessWhileOpen) {
  // WAL: a committed Write is readable by an independent connection at once.
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  MustWrite(*store, [](Transaction& tx) { return tx.persons().Insert(MakePerson("person_1", "Piet")); });
  EXPECT_EQ(RawInt(db_path(), "SELECT count(*) FROM persons"), 1);
}

}  // namespace
}  // namespace casus::storage::testing

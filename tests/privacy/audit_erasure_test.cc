// The audit chain across erasure: content goes after the audit period,
// the chain keeps verifying, tampering is still found, the triggers allow
// nothing but erasure, and a schema v4 chain is upgraded only when intact.
#include <gtest/gtest.h>

#include "app/retention.h"
#include "storage/audit_hash.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite_store.h"
#include "tests/privacy/privacy_fixture.h"
#include "tests/storage/test_db.h"

namespace casus::privacy::testing {
namespace {

class AuditErasureTest : public PrivacyTest {
 protected:
  // Appends an entry with content at `at`.
  void AppendAt(TimePoint at, const std::string& reason) {
    Status st = store->Write([&](storage::Transaction& tx) -> Status {
      storage::AuditEntry e;
      e.at = at;
      e.action = "person.correct";
      e.result = "success";
      e.user_id = "user_fg";
      e.role = "privacy_officer";
      e.org_id = "org_gem";
      e.client = "198.51.100.7";
      e.object_type = "person";
      e.object_id = "person_1";
      e.person_id = "person_1";
      e.reason = reason;
      e.detail = "{\"name\":{\"old\":\"Oude Naam\",\"new\":\"Nieuwe Naam\"}}";
      return tx.audit().Append(e).status();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  // The statement fails on the append-only triggers, not on anything else.
  ::testing::AssertionResult Refused(const std::string& sql) {
    const std::string error = RawExec(sql);
    if (error.find("append-only") != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << sql << ": " << (error.empty() ? "allowed" : error);
  }
  StatusOr<app::RetentionSummary> Run() {
    app::RetentionService retention(*store, registry, config.retention, clock);
    return retention.Run(false);
  }
};

TEST_F(AuditErasureTest, ContentOlderThanTheAuditPeriodIsErasedAndTheChainStillVerifies) {
  const TimePoint t0 = clock.Now();
  AppendAt(t0, "verzoek betrokkene");
  AppendAt(t0 + std::chrono::hours(24), "tweede verzoek");
  AppendAt(t0 + std::chrono::hours(24 * 365 * 5), "recent verzoek");
  clock.Set(t0 + std::chrono::hours(24 * (365 * 5 + 3)));
  ASSERT_TRUE(Verified());

  auto done = Run();
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->audit_entries, 2);
  EXPECT_EQ(Rows("SELECT count(*) FROM audit_log WHERE seq IN (1, 2) AND erased_at IS NOT NULL AND client = '' "
                 "AND reason = '' AND detail = '' AND salt = '' AND length(content_digest) = 64"),
            2);
  EXPECT_EQ(Text("SELECT reason FROM audit_log WHERE seq = 3"), "recent verzoek");
  // Metadata stays.
  EXPECT_EQ(Text("SELECT action || ' ' || user_id || ' ' || object_id FROM audit_log WHERE seq = 1"),
            "person.correct user_fg person_1");
  EXPECT_EQ(Rows("SELECT count(*) FROM audit_log WHERE action = 'retention.audit_erase'"), 1);
  EXPECT_EQ(Rows("SELECT count(*) FROM retention_log WHERE object_type = 'audit'"), 1);
  EXPECT_TRUE(Verified());
}

TEST_F(AuditErasureTest, TamperedContentIsNotErasedAndStaysVisible) {
  const TimePoint t0 = clock.Now();
  AppendAt(t0, "origineel");
  AppendAt(t0, "ook origineel");
  store->Flush();
  const std::string drop = DropTrigger("audit_log_no_update", "audit_log");
  ASSERT_EQ(RawExec(drop + " UPDATE audit_log SET reason = 'vervalst' WHERE seq = 1"), "");
  clock.Set(t0 + std::chrono::hours(24 * 365 * 6));
  auto done = Run();
  ASSERT_FALSE(done.ok());
  EXPECT_NE(done.status().message().find("audit entry 1 does not match"), std::string::npos)
      << done.status().ToString();
  EXPECT_EQ(Text("SELECT reason FROM audit_log WHERE seq = 1"), "vervalst");
  auto v = store->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_bad_seq, 1);
  EXPECT_EQ(v->problem, "hash mismatch");
}

TEST_F(AuditErasureTest, ContentPutBackIntoAnErasedEntryIsFound) {
  const TimePoint t0 = clock.Now();
  AppendAt(t0, "weg");
  clock.Set(t0 + std::chrono::hours(24 * 365 * 6));
  ASSERT_TRUE(Run().ok());
  ASSERT_TRUE(Verified());
  const std::string drop = DropTrigger("audit_log_no_update", "audit_log");
  ASSERT_EQ(RawExec(drop + " UPDATE audit_log SET reason = 'terug' WHERE seq = 1"), "");
  auto v = store->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_bad_seq, 1);
  EXPECT_EQ(v->problem, "erased entry still holds content");
}

TEST_F(AuditErasureTest, TriggersAllowOnlyErasure) {
  AppendAt(clock.Now(), "inhoud");
  SeedCase("case_t", "iaww", "afgesloten", clock.Now());
  store->Flush();
  // Audit: no change to metadata, no blanking without marking, no undo.
  EXPECT_TRUE(Refused("UPDATE audit_log SET user_id = 'ander' WHERE seq = 1"));
  EXPECT_TRUE(Refused("UPDATE audit_log SET reason = '' WHERE seq = 1"));
  EXPECT_TRUE(Refused("UPDATE audit_log SET reason = 'x', erased_at = 1 WHERE seq = 1"));
  EXPECT_TRUE(Refused("DELETE FROM audit_log WHERE seq = 1"));
  EXPECT_EQ(RawExec("UPDATE audit_log SET reason = '', client = '', detail = '', salt = '', erased_at = 1 "
                    "WHERE seq = 1"),
            "");
  EXPECT_TRUE(Refused("UPDATE audit_log SET erased_at = NULL WHERE seq = 1"));
  // Events: only a payload blanked once, nothing else.
  EXPECT_TRUE(Refused("UPDATE case_events SET payload_json = '{\"x\":1}'"));
  EXPECT_TRUE(Refused("UPDATE case_events SET type = 'anders'"));
  EXPECT_TRUE(Refused("DELETE FROM case_events"));
  EXPECT_EQ(RawExec("UPDATE case_events SET payload_json = '{}', erased_at = 1"), "");
  EXPECT_TRUE(Refused("UPDATE case_events SET payload_json = '{}', erased_at = 2"));
  EXPECT_TRUE(Verified());
}

// A database as schema v4 left it: scheme-1 entries chained over every field.
// Raw SQL on that file; AuditErasureTest has its own RawExec (either backend).
using storage::testing::RawExec;
using storage::testing::RawInt;

class AuditUpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (casus::testing::BackendOfThisRun() == casus::testing::Backend::kPostgres)
      GTEST_SKIP() << "builds a SQLite schema v4 file to test SQLite's in-place chain upgrade; PostgreSQL has no "
                      "v4 (its chain is scheme 2 from its first schema), and the SQLite run covers this";
  }
  void MakeV4(bool tamper) {
    std::string sql = std::string(storage::sqlite::kSchemaV1) + storage::sqlite::kSchemaV2 +
                      storage::sqlite::kSchemaV3 + storage::sqlite::kSchemaV4 + "PRAGMA user_version = 4;";
    ASSERT_EQ(RawExec(db_, sql), "");
    std::string prev;
    for (int i = 1; i <= 5; ++i) {
      storage::AuditEntry e = storage::testing::MakeAuditEntry(i);
      e.seq = i;
      e.prev_hash = prev;
      e.hash = storage::AuditEntryHash(prev, e);  // scheme 1: the default of a hand-built entry
      auto q = [](const std::string& s) { return "'" + s + "'"; };
      ASSERT_EQ(RawExec(db_, "INSERT INTO audit_log (seq, at, action, result, user_id, role, org_id, on_behalf_of, "
                             "client, object_type, object_id, person_id, reason, prev_hash, hash) VALUES (" +
                                 std::to_string(i) + ", " + std::to_string(e.at.time_since_epoch().count()) + ", " +
                                 q(e.action) + ", " + q(e.result) + ", " + q(e.user_id) + ", " + q(e.role) + ", " +
                                 q(e.org_id) + ", " + q(e.on_behalf_of) + ", " + q(e.client) + ", " +
                                 q(e.object_type) + ", " + q(e.object_id) + ", " + q(e.person_id) + ", " +
                                 q(e.reason) + ", " + q(e.prev_hash) + ", " + q(e.hash) + ")"),
                "");
      prev = e.hash;
    }
    old_head_ = prev;
    ASSERT_EQ(RawExec(db_, "UPDATE audit_head SET last_seq = 5, last_hash = '" + prev + "'"), "");
    if (tamper) {
      ASSERT_EQ(RawExec(db_, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = 'x' WHERE seq = 3; "
                             "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                             "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"),
                "");
    }
  }
  std::unique_ptr<storage::Store> Open() {
    storage::SqliteOptions options;
    options.path = db_;
    auto store = storage::OpenSqliteStore(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  casus::testing::TempDir dir_;
  std::filesystem::path db_ = dir_.path() / "v4.db";
  std::string old_head_;
};

TEST_F(AuditUpgradeTest, IntactChainIsRehashedUnderScheme2AndNamesTheOldHead) {
  MakeV4(false);
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto v = store->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->first_bad_seq << ": " << v->problem;
  EXPECT_EQ(v->entries, 6);
  store->Flush();
  EXPECT_EQ(RawInt(db_, "SELECT count(*) FROM audit_log WHERE scheme = 2 AND length(salt) = 32"), 6);
  EXPECT_EQ(RawInt(db_, "SELECT count(*) FROM audit_log WHERE seq = 6 AND action = 'audit.chain_upgraded' AND "
                        "reason = 'scheme 1 head " + old_head_ + " over 5 entries'"),
            1);
  // Old entries can now have their content erased, and the chain holds.
  Status st = store->Write([](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(int n, tx.privacy().EraseAuditContentBefore(*ParseRfc3339("2026-04-01T00:00:00Z"),
                                                                  *ParseRfc3339("2031-04-01T00:00:00Z"), 100));
    return n == 5 ? Status::Ok() : Status::Internal("erased " + std::to_string(n));
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  v = store->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->first_bad_seq << ": " << v->problem;
}

TEST_F(AuditUpgradeTest, BrokenChainIsLeftAsFoundAndStillReportedWhereItBroke) {
  MakeV4(true);
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto v = store->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_bad_seq, 3);
  EXPECT_EQ(v->problem, "hash mismatch");
  store->Flush();
  EXPECT_EQ(RawInt(db_, "SELECT count(*) FROM audit_log WHERE scheme = 1"), 5);
  EXPECT_EQ(RawInt(db_, "SELECT count(*) FROM audit_log WHERE action = 'audit.chain_upgraded'"), 0);
}

}  // namespace
}  // namespace casus::privacy::testing

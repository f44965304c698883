// The audit chain: every kind of tampering is found at the right entry.
// The same tests on both backends (tests/storage/backend_test.h): the
// tampering is raw SQL on the database, bypassing the store, as an
// attacker with the SQLite file or with rights on the PostgreSQL database
// would do it. The hash definition itself: audit_hash_test.cc.
#include <gtest/gtest.h>

#include "storage/audit_hash.h"
#include "tests/storage/backend_test.h"

namespace casus::storage::testing {
namespace {

class AuditChainTest : public BackendTest {
 protected:
  static constexpr int kEntries = 10;

  // A log of kEntries entries; `entries_` holds them as appended. The store
  // is closed afterwards so tests can tamper with the database.
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    for (int i = 1; i <= kEntries; ++i) {
      MustWrite(*store, [&, i](Transaction& tx) -> Status {
        ASSIGN_OR_RETURN(AuditEntry e, tx.audit().Append(MakeAuditEntry(i)));
        entries_.push_back(e);
        return Status::Ok();
      });
    }
    auto v = store->VerifyAudit();
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->intact) << v->problem;
    ASSERT_EQ(v->entries, kEntries);
  }

  // What `casus audit verify` reports: a store opened afresh walks the chain.
  AuditVerification Verify() {
    auto store = OpenStore();
    EXPECT_NE(store, nullptr);
    if (store == nullptr) return {};
    auto v = store->VerifyAudit();
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AuditVerification{};
  }

  static std::string InsertSql(const AuditEntry& e) {
    auto q = [](const std::string& s) { return "'" + s + "'"; };
    return "INSERT INTO audit_log (seq, at, action, result, user_id, role, org_id, on_behalf_of, client, "
           "object_type, object_id, person_id, reason, prev_hash, hash) VALUES (" +
           std::to_string(e.seq) + ", " + std::to_string(e.at.time_since_epoch().count()) + ", " + q(e.action) +
           ", " + q(e.result) + ", " + q(e.user_id) + ", " + q(e.role) + ", " + q(e.org_id) + ", " +
           q(e.on_behalf_of) + ", " + q(e.client) + ", " + q(e.object_type) + ", " + q(e.object_id) + ", " +
           q(e.person_id) + ", " + q(e.reason) + ", " + q(e.prev_hash) + ", " + q(e.hash) + ");";
  }

  // An entry that passes its own hash check when it follows `prev_hash`.
  AuditEntry Forge(std::int64_t seq, const std::string& prev_hash) {
    AuditEntry f = MakeAuditEntry(77);
    f.action = "case.export";
    f.user_id = "intruder";
    f.seq = seq;
    f.prev_hash = prev_hash;
    f.hash = AuditEntryHash(prev_hash, f);
    return f;
  }

  const AuditEntry& entry(int seq) const { return entries_.at(static_cast<std::size_t>(seq - 1)); }

  std::vector<AuditEntry> entries_;
};

void ExpectBroken(const AuditVerification& v, std::int64_t entries, std::int64_t first_bad, const std::string& problem) {
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.entries, entries);
  EXPECT_EQ(v.first_bad_seq, first_bad);
  EXPECT_EQ(v.problem, problem);
}

using EmptyAuditTest = BackendTest;

TEST_P(EmptyAuditTest, EmptyLogWithEmptyHeadIsIntact) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto v = store->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->entries, 0);
  EXPECT_EQ(v->first_bad_seq, 0);
  EXPECT_EQ(v->problem, "");
}

TEST_P(AuditChainTest, IntactAfterManyAppendsAcrossGroupsAndReopen) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(store->SubmitWrite([i](Transaction& tx) { return tx.audit().Append(MakeAuditEntry(i)).status(); },
                                     [](Status st) { EXPECT_TRUE(st.ok()); }).ok());
    }
  }
  AuditVerification v = Verify();
  EXPECT_TRUE(v.intact) << v.first_bad_seq << " " << v.problem;
  EXPECT_EQ(v.entries, kEntries + 200);
  EXPECT_EQ(RawInt("SELECT last_seq FROM audit_head"), kEntries + 200);
}

TEST_P(AuditChainTest, ChangedFieldInTheMiddleIsAHashMismatchThere) {
  DisableAuditTriggers();
  RawSql("UPDATE audit_log SET user_id = 'someone_else' WHERE seq = 5");
  ExpectBroken(Verify(), kEntries, 5, "hash mismatch");
}

TEST_P(AuditChainTest, ChangedTimeIsAHashMismatch) {
  DisableAuditTriggers();
  RawSql("UPDATE audit_log SET at = at + 1 WHERE seq = 3");
  ExpectBroken(Verify(), kEntries, 3, "hash mismatch");
}

TEST_P(AuditChainTest, ChangedAndRehashedEntryBreaksTheNextLink) {
  DisableAuditTriggers();
  AuditEntry e = entry(5);
  e.reason = "rewritten";
  e.hash = AuditEntryHash(e.prev_hash, e);
  RawSql("UPDATE audit_log SET reason = 'rewritten', hash = '" + e.hash + "' WHERE seq = 5");
  ExpectBroken(Verify(), kEntries, 6, "prev_hash does not match");
}

TEST_P(AuditChainTest, DeletedMiddleEntryIsAGap) {
  DisableAuditTriggers();
  RawSql("DELETE FROM audit_log WHERE seq = 5");
  ExpectBroken(Verify(), kEntries - 1, 6, "missing entry before");
}

TEST_P(AuditChainTest, DeletedFirstEntryIsAGap) {
  DisableAuditTriggers();
  RawSql("DELETE FROM audit_log WHERE seq = 1");
  ExpectBroken(Verify(), kEntries - 1, 2, "missing entry before");
}

TEST_P(AuditChainTest, DeletedLastEntryDisagreesWithTheHead) {
  DisableAuditTriggers();
  RawSql("DELETE FROM audit_log WHERE seq = 10");
  ExpectBroken(Verify(), kEntries - 1, 10, "chain head does not match last entry");
}

TEST_P(AuditChainTest, DeletedEverythingDisagreesWithTheHead) {
  DisableAuditTriggers();
  RawSql("DELETE FROM audit_log");
  ExpectBroken(Verify(), 0, 1, "chain head does not match last entry");
}

TEST_P(AuditChainTest, ForgedEntryInsertedInTheMiddleWithRenumberingBreaksTheNextLink) {
  DisableAuditTriggers();
  // Make room at seq 5 (via negative numbers: seq is the primary key), put
  // a self-consistent forgery there and even move the head to the new end.
  RawSql("UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 5; "
                               "UPDATE audit_log SET seq = -seq WHERE seq < 0;");
  RawSql(InsertSql(Forge(5, entry(4).hash)));
  RawSql("UPDATE audit_head SET last_seq = 11");
  ExpectBroken(Verify(), kEntries + 1, 6, "prev_hash does not match");
}

TEST_P(AuditChainTest, SelfConsistentEntryAppendedBehindTheHeadIsCaught) {
  RawSql(InsertSql(Forge(11, entry(10).hash)));  // INSERT needs no trigger switched off
  ExpectBroken(Verify(), kEntries + 1, 11, "chain head does not match last entry");
}

TEST_P(AuditChainTest, ForgedHeadIsCaught) {
  RawSql("UPDATE audit_head SET last_hash = '" + entry(9).hash + "'");
  ExpectBroken(Verify(), kEntries, 10, "chain head does not match last entry");
}

TEST_P(AuditChainTest, SwappedRowsBreakTheChainAtTheFirstOfThem) {
  DisableAuditTriggers();
  // Swap every column but seq between rows 3 and 7.
  const std::string cols[] = {"at", "action", "result", "user_id", "role", "org_id", "on_behalf_of", "client",
                              "object_type", "object_id", "person_id", "reason", "prev_hash", "hash"};
  std::string sql = "CREATE TEMP TABLE saved AS SELECT * FROM audit_log WHERE seq IN (3, 7); UPDATE audit_log SET ";
  for (std::size_t i = 0; i < std::size(cols); ++i) {
    if (i > 0) sql += ", ";
    sql += cols[i] + " = (SELECT " + cols[i] + " FROM saved WHERE saved.seq = 10 - audit_log.seq)";
  }
  sql += " WHERE seq IN (3, 7);";
  RawSql(sql);
  ASSERT_EQ(RawInt("SELECT count(*) FROM audit_log WHERE seq = 3 AND object_id = 'case_7'"), 1);  // really swapped
  ExpectBroken(Verify(), kEntries, 3, "prev_hash does not match");
}

TEST_P(AuditChainTest, RenumberedEntryIsAnUnexpectedSeq) {
  DisableAuditTriggers();
  RawSql("UPDATE audit_log SET seq = 0 WHERE seq = 1");
  ExpectBroken(Verify(), kEntries, 0, "unexpected seq");
}

INSTANTIATE_TEST_SUITE_P(Backends, EmptyAuditTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, AuditChainTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace casus::storage::testing

// The audit chain: the hash definition, and that every kind of tampering
// with the file is found at the right entry.
#include <gtest/gtest.h>

#include "storage/audit_hash.h"
#include "tests/storage/test_db.h"

namespace casus::storage::testing {
namespace {

TEST(AuditHashTest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuditHashTest, CanonicalEncodingIsLengthPrefixedInFixedOrder) {
  AuditEntry e;
  e.seq = 12;
  e.at = At(5, 8, 30);
  e.action = "case.read";
  e.result = "success";
  e.user_id = "u1";
  e.role = "regisseur";
  e.org_id = "o;1";  // separators inside values cannot shift field boundaries
  e.on_behalf_of = "";
  e.client = "10.0.0.1";
  e.object_type = "case";
  e.object_id = "c:7";
  e.person_id = "p1";
  e.reason = "";
  e.prev_hash = "ignored";
  e.hash = "ignored too";
  EXPECT_EQ(CanonicalAuditEncoding(e),
            "2:12;20:2026-03-05T08:30:00Z;9:case.read;7:success;2:u1;9:regisseur;3:o;1;0:;8:10.0.0.1;4:case;3:c:7;"
            "2:p1;0:;");
  EXPECT_EQ(AuditEntryHash("abcd", e), Sha256Hex("abcd\n" + CanonicalAuditEncoding(e)));

  AuditEntry shifted = e;  // same concatenated text, different fields
  shifted.user_id = "u";
  shifted.role = "1regisseur";
  EXPECT_NE(CanonicalAuditEncoding(shifted), CanonicalAuditEncoding(e));
  AuditEntry later = e;
  later.seq = 13;
  EXPECT_NE(AuditEntryHash("abcd", later), AuditEntryHash("abcd", e));
  EXPECT_NE(AuditEntryHash("abce", e), AuditEntryHash("abcd", e));
}

class AuditChainTest : public StorageTest {
 protected:
  static constexpr int kEntries = 10;

  // A log of kEntries entries; `entries_` holds them as appended. The store
  // is closed afterwards so tests can tamper with the file.
  void SetUp() override {
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

  // What an attacker with write access to the file does first.
  void DropTriggers() {
    ASSERT_EQ(RawExec(db_path(), "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"), "");
  }

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

using EmptyAuditTest = StorageTest;

TEST_F(EmptyAuditTest, EmptyLogWithEmptyHeadIsIntact) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto v = store->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->entries, 0);
  EXPECT_EQ(v->first_bad_seq, 0);
  EXPECT_EQ(v->problem, "");
}

TEST_F(AuditChainTest, IntactAfterManyAppendsAcrossGroupsAndReopen) {
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
  EXPECT_EQ(RawInt(db_path(), "SELECT last_seq FROM audit_head"), kEntries + 200);
}

TEST_F(AuditChainTest, ChangedFieldInTheMiddleIsAHashMismatchThere) {
  DropTriggers();
  ASSERT_EQ(RawExec(db_path(), "UPDATE audit_log SET user_id = 'someone_else' WHERE seq = 5"), "");
  ExpectBroken(Verify(), kEntries, 5, "hash mismatch");
}

TEST_F(AuditChainTest, ChangedTimeIsAHashMismatch) {
  DropTriggers();
  ASSERT_EQ(RawExec(db_path(), "UPDATE audit_log SET at = at + 1 WHERE seq = 3"), "");
  ExpectBroken(Verify(), kEntries, 3, "hash mismatch");
}

TEST_F(AuditChainTest, ChangedAndRehashedEntryBreaksTheNextLink) {
  DropTriggers();
  AuditEntry e = entry(5);
  e.reason = "rewritten";
  e.hash = AuditEntryHash(e.prev_hash, e);
  ASSERT_EQ(RawExec(db_path(), "UPDATE audit_log SET reason = 'rewritten', hash = '" + e.hash + "' WHERE seq = 5"),
            "");
  ExpectBroken(Verify(), kEntries, 6, "prev_hash does not match");
}

TEST_F(AuditChainTest, DeletedMiddleEntryIsAGap) {
  DropTriggers();
  ASSERT_EQ(RawExec(db_path(), "DELETE FROM audit_log WHERE seq = 5"), "");
  ExpectBroken(Verify(), kEntries - 1, 6, "missing entry before");
}

TEST_F(AuditChainTest, DeletedFirstEntryIsAGap) {
  DropTriggers();
  ASSERT_EQ(RawExec(db_path(), "DELETE FROM audit_log WHERE seq = 1"), "");
  ExpectBroken(Verify(), kEntries - 1, 2, "missing entry before");
}

TEST_F(AuditChainTest, DeletedLastEntryDisagreesWithTheHead) {
  DropTriggers();
  ASSERT_EQ(RawExec(db_path(), "DELETE FROM audit_log WHERE seq = 10"), "");
  ExpectBroken(Verify(), kEntries - 1, 10, "chain head does not match last entry");
}

TEST_F(AuditChainTest, DeletedEverythingDisagreesWithTheHead) {
  DropTriggers();
  ASSERT_EQ(RawExec(db_path(), "DELETE FROM audit_log"), "");
  ExpectBroken(Verify(), 0, 1, "chain head does not match last entry");
}

TEST_F(AuditChainTest, ForgedEntryInsertedInTheMiddleWithRenumberingBreaksTheNextLink) {
  DropTriggers();
  // Make room at seq 5 (via negative numbers: seq is the primary key), put
  // a self-consistent forgery there and even move the head to the new end.
  ASSERT_EQ(RawExec(db_path(), "UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 5; "
                               "UPDATE audit_log SET seq = -seq WHERE seq < 0;"),
            "");
  ASSERT_EQ(RawExec(db_path(), InsertSql(Forge(5, entry(4).hash))), "");
  ASSERT_EQ(RawExec(db_path(), "UPDATE audit_head SET last_seq = 11"), "");
  ExpectBroken(Verify(), kEntries + 1, 6, "prev_hash does not match");
}

TEST_F(AuditChainTest, SelfConsistentEntryAppendedBehindTheHeadIsCaught) {
  ASSERT_EQ(RawExec(db_path(), InsertSql(Forge(11, entry(10).hash))), "");  // INSERT needs no trigger dropped
  ExpectBroken(Verify(), kEntries + 1, 11, "chain head does not match last entry");
}

TEST_F(AuditChainTest, ForgedHeadIsCaught) {
  ASSERT_EQ(RawExec(db_path(), "UPDATE audit_head SET last_hash = '" + entry(9).hash + "'"), "");
  ExpectBroken(Verify(), kEntries, 10, "chain head does not match last entry");
}

TEST_F(AuditChainTest, SwappedRowsBreakTheChainAtTheFirstOfThem) {
  DropTriggers();
  // Swap every column but seq between rows 3 and 7.
  const std::string cols[] = {"at", "action", "result", "user_id", "role", "org_id", "on_behalf_of", "client",
                              "object_type", "object_id", "person_id", "reason", "prev_hash", "hash"};
  std::string sql = "CREATE TEMP TABLE saved AS SELECT * FROM audit_log WHERE seq IN (3, 7); UPDATE audit_log SET ";
  for (std::size_t i = 0; i < std::size(cols); ++i) {
    if (i > 0) sql += ", ";
    sql += cols[i] + " = (SELECT " + cols[i] + " FROM saved WHERE saved.seq = 10 - audit_log.seq)";
  }
  sql += " WHERE seq IN (3, 7);";
  ASSERT_EQ(RawExec(db_path(), sql), "");
  ASSERT_EQ(RawInt(db_path(), "SELECT object_id = 'case_7' FROM audit_log WHERE seq = 3"), 1);  // really swapped
  ExpectBroken(Verify(), kEntries, 3, "prev_hash does not match");
}

TEST_F(AuditChainTest, RenumberedEntryIsAnUnexpectedSeq) {
  DropTriggers();
  ASSERT_EQ(RawExec(db_path(), "UPDATE audit_log SET seq = 0 WHERE seq = 1"), "");
  ExpectBroken(Verify(), kEntries, 0, "unexpected seq");
}

}  // namespace
}  // namespace casus::storage::testing

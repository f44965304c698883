// The audit chain's hash definition. Pure functions that no backend
// touches, so they run once, in storage_test; the chain itself is tested
// on both backends in audit_test.cc.
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

}  // namespace
}  // namespace casus::storage::testing

// Storage for sign-in through an OpenID provider (issue #15): users linked
// to an identity (issuer, subject), sessions that remember the provider's
// session id for back-channel logout, and logins in progress that are taken
// once. On both backends (tests/storage/backend_test.h); a refusal must not
// sink the rest of its job (on PostgreSQL a failed statement would abort
// the job's transaction).
#include <gtest/gtest.h>

#include "tests/storage/backend_test.h"

namespace casus::storage::testing {
namespace {

constexpr const char* kOidcIssuerA = "https://login.ggz-limburg.example";
constexpr const char* kOidcIssuerB = "https://sso.politie.example";

User LinkedUser(const std::string& id, const std::string& username, const std::string& issuer,
                const std::string& subject) {
  User u = MakeUser(id, username, "org_1");
  u.oidc_issuer = issuer;
  u.oidc_subject = subject;
  return u;
}

Session OidcSession(const std::string& id, const std::string& issuer, const std::string& sid) {
  Session s;
  s.id = id;
  s.token_hash = "token_" + id;
  s.csrf_hash = "csrf_" + id;
  s.user_id = "user_1";
  s.client = "10.0.0.1";
  s.created_at = At(1, 9);
  s.last_seen_at = At(1, 9);
  s.expires_at = At(1, 17);
  s.oidc_issuer = issuer;
  s.oidc_sid = sid;
  return s;
}

OidcLogin AuthorizationLogin(const std::string& id, TimePoint expires_at = At(1, 9, 10)) {
  OidcLogin l;
  l.id = id;
  l.kind = "authorization";
  l.provider = "ggz";
  l.browser_hash = "browser_" + id;
  l.nonce = "nonce_" + id;
  l.code_verifier = "verifier-secret-" + id;
  l.created_at = At(1, 9);
  l.expires_at = expires_at;
  return l;
}

OidcLogin VerifiedLogin(const std::string& id) {
  OidcLogin l;
  l.id = id;
  l.kind = "verified";
  l.provider = "ggz";
  l.browser_hash = "browser_" + id;
  l.user_id = "user_1";
  l.oidc_issuer = kOidcIssuerA;
  l.oidc_sid = "sid_1";
  l.mfa_asserted = true;
  l.created_at = At(1, 9, 1);
  l.expires_at = At(1, 9, 6);
  return l;
}

void ExpectSameLogin(const OidcLogin& got, const OidcLogin& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.provider, want.provider);
  EXPECT_EQ(got.browser_hash, want.browser_hash);
  EXPECT_EQ(got.nonce, want.nonce);
  EXPECT_EQ(got.code_verifier, want.code_verifier);
  EXPECT_EQ(got.user_id, want.user_id);
  EXPECT_EQ(got.oidc_issuer, want.oidc_issuer);
  EXPECT_EQ(got.oidc_sid, want.oidc_sid);
  EXPECT_EQ(got.mfa_asserted, want.mfa_asserted);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.expires_at, want.expires_at);
}

class OidcStorageTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
  }

  std::optional<User> FindByOidc(const std::string& issuer, const std::string& subject) {
    std::optional<User> found;
    EXPECT_TRUE(store_->Read([&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(found, tx.users().FindByOidcSubject(issuer, subject));
      return Status::Ok();
    }).ok());
    return found;
  }

  std::optional<Session> FindSession(const std::string& token_hash) {
    std::optional<Session> found;
    EXPECT_TRUE(store_->Read([&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(found, tx.sessions().FindByTokenHash(token_hash));
      return Status::Ok();
    }).ok());
    return found;
  }

  int RevokeBySid(const std::string& issuer, const std::string& sid, TimePoint at) {
    int revoked = -1;
    MustWrite(*store_, [&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(revoked, tx.sessions().RevokeByOidcSid(issuer, sid, at));
      return Status::Ok();
    });
    return revoked;
  }

  std::optional<OidcLogin> Take(const std::string& id, const std::string& kind) {
    std::optional<OidcLogin> taken;
    MustWrite(*store_, [&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(taken, tx.oidc_logins().Take(id, kind));
      return Status::Ok();
    });
    return taken;
  }

  std::unique_ptr<Store> store_;
};

TEST_P(OidcStorageTest, UsersAreFoundByIssuerAndSubjectTogether) {
  MustWrite(*store_, [](Transaction& tx) {
    // Two local accounts: both have the empty identity, and may.
    RETURN_IF_ERROR(tx.users().Insert(MakeUser("user_1", "alice", "org_1")));
    RETURN_IF_ERROR(tx.users().Insert(MakeUser("user_2", "bob", "org_1")));
    RETURN_IF_ERROR(tx.users().Insert(LinkedUser("user_3", "carol", kOidcIssuerA, "sub-1")));
    // The same subject at another provider is another person.
    return tx.users().Insert(LinkedUser("user_4", "dave", kOidcIssuerB, "sub-1"));
  });
  auto carol = FindByOidc(kOidcIssuerA, "sub-1");
  ASSERT_TRUE(carol.has_value());
  EXPECT_EQ(carol->id, "user_3");
  EXPECT_EQ(carol->username, "carol");
  EXPECT_EQ(carol->oidc_issuer, kOidcIssuerA);
  EXPECT_EQ(carol->oidc_subject, "sub-1");
  EXPECT_EQ(carol->roles, MakeUser("x", "x", "x").roles);
  auto dave = FindByOidc(kOidcIssuerB, "sub-1");
  ASSERT_TRUE(dave.has_value());
  EXPECT_EQ(dave->id, "user_4");
  EXPECT_FALSE(FindByOidc("https://elsewhere.example", "sub-1").has_value());
  EXPECT_FALSE(FindByOidc(kOidcIssuerA, "sub-2").has_value());
  EXPECT_FALSE(FindByOidc(kOidcIssuerA, "SUB-1").has_value());  // exact, as the provider sent it
  // The empty identity is no identity: it never finds a local account.
  EXPECT_FALSE(FindByOidc("", "").has_value());
  EXPECT_FALSE(FindByOidc(kOidcIssuerA, "").has_value());

  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(User got, tx.users().Get("user_3"));
    EXPECT_EQ(got.oidc_issuer, kOidcIssuerA);
    EXPECT_EQ(got.oidc_subject, "sub-1");
    ASSIGN_OR_RETURN(std::optional<User> alice, tx.users().FindByUsername("alice"));
    EXPECT_TRUE(alice.has_value());
    if (alice) {
      EXPECT_EQ(alice->oidc_issuer, "");
      EXPECT_EQ(alice->oidc_subject, "");
    }
    ASSIGN_OR_RETURN(std::vector<User> all, tx.users().List());
    EXPECT_EQ(all.size(), 4u);
    if (all.size() == 4u) {  // by username: alice, bob, carol, dave
      EXPECT_EQ(all[2].oidc_subject, "sub-1");
      EXPECT_EQ(all[3].oidc_issuer, kOidcIssuerB);
    }
    return Status::Ok();
  }).ok());
}

TEST_P(OidcStorageTest, ASecondAccountForOneIdentityIsRefusedAndTheJobGoesOn) {
  MustWrite(*store_,
            [](Transaction& tx) { return tx.users().Insert(LinkedUser("user_1", "carol", kOidcIssuerA, "sub-1")); });
  Status alone = store_->Write(
      [](Transaction& tx) { return tx.users().Insert(LinkedUser("user_2", "carol2", kOidcIssuerA, "sub-1")); });
  EXPECT_EQ(alone.code(), StatusCode::kFailedPrecondition) << alone.ToString();

  // In one job: the refused insert changes nothing, and the job's later
  // statements still run and commit (PostgreSQL: no aborted transaction).
  MustWrite(*store_, [](Transaction& tx) -> Status {
    Status dup = tx.users().Insert(LinkedUser("user_2", "erin", kOidcIssuerA, "sub-1"));
    EXPECT_EQ(dup.code(), StatusCode::kFailedPrecondition) << dup.ToString();
    RETURN_IF_ERROR(tx.users().Insert(LinkedUser("user_2", "erin", kOidcIssuerA, "sub-2")));
    ASSIGN_OR_RETURN(std::optional<User> erin, tx.users().FindByOidcSubject(kOidcIssuerA, "sub-2"));
    EXPECT_TRUE(erin.has_value());
    return tx.organisations().Insert(MakeOrganisation("org_1", "Gemeente Heerlen"));
  });
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(std::vector<User> all, tx.users().List());
    EXPECT_EQ(all.size(), 2u);
    ASSIGN_OR_RETURN(User carol, tx.users().Get("user_1"));
    EXPECT_EQ(carol.username, "carol");  // untouched by the refused inserts
    ASSIGN_OR_RETURN(User erin, tx.users().Get("user_2"));
    EXPECT_EQ(erin.oidc_subject, "sub-2");
    return tx.organisations().Get("org_1").status();
  }).ok());
}

TEST_P(OidcStorageTest, UpdateKeepsLinksAndUnlinksTheIdentity) {
  MustWrite(*store_, [](Transaction& tx) {
    RETURN_IF_ERROR(tx.users().Insert(LinkedUser("user_1", "carol", kOidcIssuerA, "sub-1")));
    RETURN_IF_ERROR(tx.users().Insert(MakeUser("user_2", "bob", "org_1")));
    return tx.users().Insert(MakeUser("user_3", "alice", "org_1"));
  });
  // Another field changes; the identity stays.
  User carol = LinkedUser("user_1", "carol", kOidcIssuerA, "sub-1");
  carol.disabled = true;
  MustWrite(*store_, [&](Transaction& tx) { return tx.users().Update(carol); });
  auto found = FindByOidc(kOidcIssuerA, "sub-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->disabled);

  // A local account is linked; the linked one moves to another subject.
  MustWrite(*store_, [](Transaction& tx) {
    RETURN_IF_ERROR(tx.users().Update(LinkedUser("user_2", "bob", kOidcIssuerB, "sub-b")));
    return tx.users().Update(LinkedUser("user_1", "carol", kOidcIssuerA, "sub-9"));
  });
  EXPECT_EQ(FindByOidc(kOidcIssuerB, "sub-b").value_or(User{}).id, "user_2");
  EXPECT_EQ(FindByOidc(kOidcIssuerA, "sub-9").value_or(User{}).id, "user_1");
  EXPECT_FALSE(FindByOidc(kOidcIssuerA, "sub-1").has_value());

  // Taking another account's identity is refused and changes nothing.
  Status taken = store_->Write(
      [](Transaction& tx) { return tx.users().Update(LinkedUser("user_3", "alice", kOidcIssuerB, "sub-b")); });
  EXPECT_EQ(taken.code(), StatusCode::kFailedPrecondition) << taken.ToString();
  EXPECT_EQ(FindByOidc(kOidcIssuerB, "sub-b").value_or(User{}).id, "user_2");

  // Unlinked again: back to the empty identity, shared with alice.
  MustWrite(*store_, [](Transaction& tx) { return tx.users().Update(MakeUser("user_2", "bob", "org_1")); });
  EXPECT_FALSE(FindByOidc(kOidcIssuerB, "sub-b").has_value());
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(User bob, tx.users().Get("user_2"));
    EXPECT_EQ(bob.oidc_issuer, "");
    EXPECT_EQ(bob.oidc_subject, "");
    return Status::Ok();
  }).ok());
}

TEST_P(OidcStorageTest, SessionsKeepTheirProviderAndSessionId) {
  Session oidc = OidcSession("sess_1", kOidcIssuerA, "sid-1");
  oidc.revoked_at = At(1, 10);
  MustWrite(*store_, [&](Transaction& tx) {
    RETURN_IF_ERROR(tx.sessions().Insert(oidc));
    return tx.sessions().Insert(OidcSession("sess_2", "", ""));
  });
  auto got = FindSession("token_sess_1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, "sess_1");
  EXPECT_EQ(got->oidc_issuer, kOidcIssuerA);
  EXPECT_EQ(got->oidc_sid, "sid-1");
  EXPECT_EQ(got->user_id, "user_1");
  EXPECT_EQ(got->expires_at, At(1, 17));
  EXPECT_EQ(got->revoked_at, std::optional<TimePoint>(At(1, 10)));
  auto local = FindSession("token_sess_2");
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->oidc_issuer, "");
  EXPECT_EQ(local->oidc_sid, "");
}

TEST_P(OidcStorageTest, RevokeByOidcSidEndsExactlyTheMatchingLiveSessions) {
  Session revoked_before = OidcSession("sess_6", kOidcIssuerA, "sid-1");
  revoked_before.revoked_at = At(1, 8);
  MustWrite(*store_, [&](Transaction& tx) {
    RETURN_IF_ERROR(tx.sessions().Insert(OidcSession("sess_1", kOidcIssuerA, "sid-1")));
    RETURN_IF_ERROR(tx.sessions().Insert(OidcSession("sess_2", kOidcIssuerA, "sid-1")));  // a second browser
    RETURN_IF_ERROR(tx.sessions().Insert(OidcSession("sess_3", kOidcIssuerB, "sid-1")));  // another provider's sid
    RETURN_IF_ERROR(tx.sessions().Insert(OidcSession("sess_4", kOidcIssuerA, "sid-2")));  // another provider session
    RETURN_IF_ERROR(tx.sessions().Insert(OidcSession("sess_5", kOidcIssuerA, "")));       // the provider sent no sid
    RETURN_IF_ERROR(tx.sessions().Insert(revoked_before));
    return tx.sessions().Insert(OidcSession("sess_7", "", ""));  // a local login
  });

  EXPECT_EQ(RevokeBySid(kOidcIssuerA, "sid-1", At(1, 12)), 2);
  for (const char* id : {"sess_1", "sess_2"})
    EXPECT_EQ(FindSession(std::string("token_") + id).value_or(Session{}).revoked_at,
              std::optional<TimePoint>(At(1, 12)))
        << id;
  for (const char* id : {"sess_3", "sess_4", "sess_5", "sess_7"})
    EXPECT_FALSE(FindSession(std::string("token_") + id).value_or(Session{}).revoked_at.has_value()) << id;
  // Already revoked: not counted, and its first revocation time stays.
  EXPECT_EQ(FindSession("token_sess_6").value_or(Session{}).revoked_at, std::optional<TimePoint>(At(1, 8)));

  // A repeated logout token ends nothing more.
  EXPECT_EQ(RevokeBySid(kOidcIssuerA, "sid-1", At(1, 13)), 0);
  EXPECT_EQ(FindSession("token_sess_1").value_or(Session{}).revoked_at, std::optional<TimePoint>(At(1, 12)));
  // An empty sid matches nothing, not the sessions that have none.
  EXPECT_EQ(RevokeBySid(kOidcIssuerA, "", At(1, 13)), 0);
  EXPECT_EQ(RevokeBySid("", "", At(1, 13)), 0);
  EXPECT_FALSE(FindSession("token_sess_5").value_or(Session{}).revoked_at.has_value());
  EXPECT_FALSE(FindSession("token_sess_7").value_or(Session{}).revoked_at.has_value());
  EXPECT_EQ(RevokeBySid(kOidcIssuerB, "sid-1", At(1, 14)), 1);
}

TEST_P(OidcStorageTest, ALoginIsTakenOnceAndOnlyAsItsKind) {
  const OidcLogin auth = AuthorizationLogin("state_hash_1");
  const OidcLogin verified = VerifiedLogin("handover_hash_1");
  MustWrite(*store_, [&](Transaction& tx) {
    RETURN_IF_ERROR(tx.oidc_logins().Insert(auth));
    return tx.oidc_logins().Insert(verified);
  });
  // The other kind finds nothing and leaves the login where it is.
  EXPECT_FALSE(Take("state_hash_1", "verified").has_value());
  EXPECT_FALSE(Take("handover_hash_1", "authorization").has_value());
  EXPECT_FALSE(Take("state_hash_unknown", "authorization").has_value());
  // A read transaction cannot take one (it would delete).
  Status in_read = store_->Read(
      [](Transaction& tx) { return tx.oidc_logins().Take("state_hash_1", "authorization").status(); });
  EXPECT_EQ(in_read.code(), StatusCode::kFailedPrecondition) << in_read.ToString();

  auto taken = Take("state_hash_1", "authorization");
  ASSERT_TRUE(taken.has_value());
  ExpectSameLogin(*taken, auth);
  EXPECT_FALSE(taken->mfa_asserted);
  EXPECT_FALSE(Take("state_hash_1", "authorization").has_value());  // a replayed state

  auto handed_over = Take("handover_hash_1", "verified");
  ASSERT_TRUE(handed_over.has_value());
  ExpectSameLogin(*handed_over, verified);
  EXPECT_TRUE(handed_over->mfa_asserted);
  EXPECT_FALSE(Take("handover_hash_1", "verified").has_value());
  EXPECT_EQ(RawInt("SELECT count(*) FROM oidc_logins"), 0);
}

TEST_P(OidcStorageTest, ADuplicateLoginIsRefusedWithoutItsSecretsAndTheJobGoesOn) {
  const OidcLogin first = AuthorizationLogin("state_hash_1");
  MustWrite(*store_, [&](Transaction& tx) { return tx.oidc_logins().Insert(first); });
  OidcLogin again = VerifiedLogin("state_hash_1");
  again.code_verifier = "another-verifier-secret";
  MustWrite(*store_, [&](Transaction& tx) -> Status {
    Status dup = tx.oidc_logins().Insert(again);
    EXPECT_EQ(dup.code(), StatusCode::kFailedPrecondition) << dup.ToString();
    EXPECT_EQ(dup.message().find("verifier-secret"), std::string::npos) << dup.message();
    EXPECT_EQ(dup.message().find("nonce_"), std::string::npos) << dup.message();
    return tx.oidc_logins().Insert(AuthorizationLogin("state_hash_2"));
  });
  auto kept = Take("state_hash_1", "authorization");
  ASSERT_TRUE(kept.has_value());
  ExpectSameLogin(*kept, first);  // the refused insert changed nothing
  EXPECT_TRUE(Take("state_hash_2", "authorization").has_value());

  // A kind that is neither is refused by the schema.
  OidcLogin odd = AuthorizationLogin("state_hash_3");
  odd.kind = "implicit";
  Status refused = store_->Write([&](Transaction& tx) { return tx.oidc_logins().Insert(odd); });
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument) << refused.ToString();
  EXPECT_EQ(RawInt("SELECT count(*) FROM oidc_logins"), 0);
}

TEST_P(OidcStorageTest, DeleteExpiredBeforeDeletesOnlyLoginsThatExpiredBefore) {
  MustWrite(*store_, [](Transaction& tx) {
    RETURN_IF_ERROR(tx.oidc_logins().Insert(AuthorizationLogin("state_10", At(1, 10))));
    RETURN_IF_ERROR(tx.oidc_logins().Insert(AuthorizationLogin("state_11", At(1, 11))));
    return tx.oidc_logins().Insert(AuthorizationLogin("state_12", At(1, 12)));
  });
  int deleted = -1;
  MustWrite(*store_, [&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(deleted, tx.oidc_logins().DeleteExpiredBefore(At(1, 11)));
    return Status::Ok();
  });
  EXPECT_EQ(deleted, 1);  // expiring exactly then is not before
  EXPECT_FALSE(Take("state_10", "authorization").has_value());
  EXPECT_TRUE(Take("state_11", "authorization").has_value());
  MustWrite(*store_, [&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(deleted, tx.oidc_logins().DeleteExpiredBefore(At(1, 11)));
    return Status::Ok();
  });
  EXPECT_EQ(deleted, 0);
  EXPECT_TRUE(Take("state_12", "authorization").has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, OidcStorageTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace casus::storage::testing

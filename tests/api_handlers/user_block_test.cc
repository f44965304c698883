// POST /api/v1/users/{id}/block and /unblock through ApiHandler::Handle:
// 204 for an admin, after which the blocked user's bearer token is 401 at
// once; 403 for every other role, 404 for an unknown or malformed id, 400
// for a missing, blank or oversized reason, 409 for blocking oneself.
#include "app/auth/totp.h"
#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

constexpr const char* kBlockBody = R"({"reason":"left the organisation"})";

class UserBlockTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    admin = AddUser("beheer.kerkrade", "admin", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    alice = AddUser("regie.kerkrade", "regisseur", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  }

  HttpResponse Block(const std::string& user_id, const std::string& body, const std::string& token) {
    return Call("POST", "/api/v1/users/" + user_id + "/block", body, token);
  }
  HttpResponse Unblock(const std::string& user_id, const std::string& body, const std::string& token) {
    return Call("POST", "/api/v1/users/" + user_id + "/unblock", body, token);
  }

  // The problem's HTTP status and reason ("" when it has none).
  static void ExpectProblem(const HttpResponse& r, int status, const std::string& reason = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json") << r.body;
    if (reason.empty()) return;
    auto v = Json(r);
    ASSERT_TRUE(v.is_object()) << r.body;
    const auto* got = v.as_object().if_contains("reason");
    ASSERT_NE(got, nullptr) << r.body;
    EXPECT_EQ(std::string(got->as_string()), reason) << r.body;
  }

  storage::User StoredUser(const std::string& user_id) {
    storage::User out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, tx.users().Get(user_id));
                       return Status::Ok();
                     }).ok());
    return out;
  }
  bool Disabled(const std::string& user_id) { return StoredUser(user_id).disabled; }

  std::size_t AuditCount(const std::string& action) {
    std::size_t n = 0;
    for (const auto& e : Audit())
      if (e.action == action) ++n;
    return n;
  }

  Login admin, alice;
};

TEST_F(UserBlockTest, AnAdminBlocksAndTheUsersTokenIs401AtOnce) {
  ASSERT_EQ(Call("GET", "/api/v1/me", "", alice.token).status, 200);

  HttpResponse r = Block(alice.user_id, kBlockBody, admin.token);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(Disabled(alice.user_id));

  HttpResponse after = Call("GET", "/api/v1/me", "", alice.token);
  ExpectProblem(after, 401);
  EXPECT_EQ(Call("GET", "/api/v1/cases", "", alice.token).status, 401);
  // The admin carries on.
  EXPECT_EQ(Call("GET", "/api/v1/me", "", admin.token).status, 200);

  bool audited = false;
  for (const auto& e : Audit())
    if (e.action == "user.block") {
      audited = true;
      EXPECT_EQ(e.user_id, admin.user_id);
      EXPECT_EQ(e.object_type, "user");
      EXPECT_EQ(e.object_id, alice.user_id);
      EXPECT_EQ(e.reason, "left the organisation");
      EXPECT_EQ(e.client, "192.0.2.10");
    }
  EXPECT_TRUE(audited);
}

TEST_F(UserBlockTest, UnblockLetsTheUserLogInAgain) {
  ASSERT_EQ(Block(alice.user_id, kBlockBody, admin.token).status, 204);
  // No body at all, an empty object, or a reason: all fine.
  EXPECT_EQ(Unblock(alice.user_id, "", admin.token).status, 204);
  EXPECT_EQ(Unblock(alice.user_id, "{}", admin.token).status, 204);
  EXPECT_EQ(Unblock(alice.user_id, R"({"reason":"back after review"})", admin.token).status, 204);
  EXPECT_FALSE(Disabled(alice.user_id));
  EXPECT_EQ(AuditCount("user.unblock"), 3u);
  // The old token stays dead; a new login works.
  ExpectProblem(Call("GET", "/api/v1/me", "", alice.token), 401);
  clock.Advance(std::chrono::seconds(30));
  const std::string secret = StoredUser(alice.user_id).totp_secret;
  boost::json::object login{{"username", "regie.kerkrade"},
                            {"password", kPassword},
                            {"totp", app::auth::TotpCodeAt(secret, app::auth::TotpStep(clock.Now())).value_or("")}};
  HttpResponse in = Call("POST", "/api/v1/auth/login", json::serialize(login));
  ASSERT_EQ(in.status, 200) << in.body;
  const std::string token(Json(in).at("token").as_string());
  EXPECT_EQ(Call("GET", "/api/v1/me", "", token).status, 200);
}

TEST_F(UserBlockTest, EveryOtherRoleIs403) {
  for (const char* role : {"meldpunt", "regisseur", "partner", "coordinator", "burgemeester", "privacy_officer"}) {
    Login other = AddUser(std::string("u.") + role, role, "Gemeente Kerkrade", "gemeente", "Kerkrade");
    ExpectProblem(Block(alice.user_id, kBlockBody, other.token), 403, "role_refused");
    ExpectProblem(Unblock(alice.user_id, "", other.token), 403, "role_refused");
    // The role is checked before the body and the id.
    ExpectProblem(Block(alice.user_id, "not json", other.token), 403, "role_refused");
    ExpectProblem(Block("user_unknown", kBlockBody, other.token), 403, "role_refused");
  }
  EXPECT_FALSE(Disabled(alice.user_id));
  EXPECT_EQ(Call("GET", "/api/v1/me", "", alice.token).status, 200);
  EXPECT_EQ(AuditCount("user.block"), 0u);
}

TEST_F(UserBlockTest, UnknownOrMalformedIdIs404) {
  ExpectProblem(Block("user_unknown", kBlockBody, admin.token), 404);
  ExpectProblem(Unblock("user_unknown", "", admin.token), 404);
  ExpectProblem(Block("not%20an%20id", kBlockBody, admin.token), 404);
  ExpectProblem(Block(std::string(65, 'a'), kBlockBody, admin.token), 404);
  EXPECT_EQ(AuditCount("user.block"), 0u);
}

TEST_F(UserBlockTest, MissingBlankOrOversizedReasonIs400) {
  std::string accents;
  for (int i = 0; i < 300; ++i) accents += "\xC3\xA9";  // 300 characters, 600 bytes
  const std::vector<std::string> bad = {
      "",                                                  // no body
      "{}",                                                // no reason
      R"({"reason":null})",                                // null counts as absent
      R"({"reason":""})",                                  // empty
      R"({"reason":"   "})",                               // blank
      R"({"reason":")" + std::string(501, 'x') + "\"}",    // over 500 characters
      R"({"reason":")" + accents + "\"}",                  // over 500 bytes
      R"({"reason":42})",                                  // not text
      R"({"reason":"left","extra":true})",                 // unknown field
      "not json",
  };
  for (const auto& body : bad) ExpectProblem(Block(alice.user_id, body, admin.token), 400);
  ExpectProblem(Unblock(alice.user_id, R"({"reason":")" + std::string(501, 'x') + "\"}", admin.token), 400);
  ExpectProblem(Unblock(alice.user_id, "not json", admin.token), 400);
  EXPECT_FALSE(Disabled(alice.user_id));
  EXPECT_EQ(Call("GET", "/api/v1/me", "", alice.token).status, 200);
  EXPECT_EQ(AuditCount("user.block"), 0u);
}

TEST_F(UserBlockTest, BlockingOneselfIs409) {
  ExpectProblem(Block(admin.user_id, kBlockBody, admin.token), 409);
  EXPECT_FALSE(Disabled(admin.user_id));
  EXPECT_EQ(Call("GET", "/api/v1/me", "", admin.token).status, 200);
}

TEST_F(UserBlockTest, CookieAuthenticatedBlockNeedsTheCsrfHeader) {
  const std::string cookie = "casus_session=" + admin.token;
  ExpectProblem(Call("POST", "/api/v1/users/" + alice.user_id + "/block", kBlockBody, "", {{"cookie", cookie}}), 403,
                "csrf_required");
  EXPECT_FALSE(Disabled(alice.user_id));
  EXPECT_EQ(Call("POST", "/api/v1/users/" + alice.user_id + "/block", kBlockBody, "",
                 {{"cookie", cookie}, {"x-csrf-token", admin.csrf}})
                .status,
            204);
  EXPECT_TRUE(Disabled(alice.user_id));
}

TEST_F(UserBlockTest, WithoutCredentialsIs401) {
  ExpectProblem(Block(alice.user_id, kBlockBody, ""), 401);
  ExpectProblem(Unblock(alice.user_id, "", "not-a-real-token"), 401);
}

// PUT /api/v1/users/{id}/roles: how an admin gives a provisioned account
// its roles; the user's next request already acts with them.
TEST_F(UserBlockTest, AnAdminReplacesRolesAndOthersAreRefused) {
  const std::string path = "/api/v1/users/" + alice.user_id + "/roles";
  HttpResponse done = Call("PUT", path, R"({"roles":["coordinator","partner"]})", admin.token);
  EXPECT_EQ(done.status, 204) << done.body;
  HttpResponse me = Call("GET", "/api/v1/me", "", alice.token);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(json::serialize(Json(me).at("roles")), R"(["coordinator","partner"])");
  EXPECT_EQ(AuditCount("user.roles"), 1u);

  ExpectProblem(Call("PUT", "/api/v1/users/" + admin.user_id + "/roles", R"({"roles":["regisseur"]})", alice.token),
                403, "role_refused");
  for (const char* bad : {R"({"roles":["superuser"]})", R"({"roles":["system"]})", R"({"roles":"admin"})",
                          R"({"roles":[1]})", R"({"roles":[],"extra":1})"})
    ExpectProblem(Call("PUT", path, bad, admin.token), 400);
  ExpectProblem(Call("PUT", path, "{}", admin.token), 422);  // a missing field, as everywhere in the API
  ExpectProblem(Call("PUT", "/api/v1/users/" + admin.user_id + "/roles", R"({"roles":[]})", admin.token), 409);
  ExpectProblem(Call("PUT", "/api/v1/users/user_unknown/roles", R"({"roles":[]})", admin.token), 404);
  EXPECT_EQ(AuditCount("user.roles"), 1u);
}

}  // namespace
}  // namespace casus::api::handlers::testing

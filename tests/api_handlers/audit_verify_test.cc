// GET /api/v1/audit/verify: the privacy officer sees whether the audit hash
// chain is intact and where it breaks; nobody else may ask; every check is
// audited. The chain is broken for real in the database, the way an
// attacker with access to the file or the database would (triggers
// dropped, a row rewritten).
#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

class AuditVerifyTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meld.kerkrade", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    coordinator = AddUser("coord.kerkrade", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    admin = AddUser("beheer", "admin", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    privacy = AddUser("fg.parkstad", "privacy_officer", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  }

  std::size_t CountAudit(const std::string& action, const std::string& user_id, const std::string& result) {
    std::size_t n = 0;
    for (const auto& e : Audit())
      if (e.action == action && e.user_id == user_id && e.result == result) ++n;
    return n;
  }

  Login meldpunt, coordinator, admin, privacy;
};

TEST_F(AuditVerifyTest, PrivacyOfficerSeesAnIntactChainAndTheCheckIsAudited) {
  OpenIaww(meldpunt);
  const std::size_t before = Audit().size();
  HttpResponse r = Call("GET", "/api/v1/audit/verify", "", privacy.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = Json(r).as_object();
  EXPECT_TRUE(body.at("intact").as_bool()) << r.body;
  EXPECT_EQ(body.at("entries").as_int64(), static_cast<std::int64_t>(before)) << r.body;
  EXPECT_TRUE(body.at("first_bad_seq").is_null());
  EXPECT_TRUE(body.at("problem").is_null());
  EXPECT_EQ(std::string(body.at("checked_at").as_string()), "2026-03-02T09:00:00Z");
  EXPECT_EQ(r.route, "GET /api/v1/audit/verify");
  EXPECT_EQ(CountAudit("audit.verify", privacy.user_id, "success"), 1u);
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
}

TEST_F(AuditVerifyTest, EveryOtherRoleIsRefusedAndTheRefusalAudited) {
  for (const Login* who : {&meldpunt, &coordinator, &admin}) {
    HttpResponse r = Call("GET", "/api/v1/audit/verify", "", who->token);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(r.body.find("intact"), std::string::npos) << r.body;
    EXPECT_EQ(CountAudit("audit.verify", who->user_id, "denied"), 1u) << who->user_id;
  }
}

TEST_F(AuditVerifyTest, WithoutLoginIs401AndQueryParametersAre400) {
  EXPECT_EQ(Call("GET", "/api/v1/audit/verify").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/audit/verify?full=1", "", privacy.token).status, 400);
}

TEST_F(AuditVerifyTest, ARewrittenEntryIsReportedWithItsSeq) {
  OpenIaww(meldpunt);
  ASSERT_EQ(RawExec(DropTrigger("audit_log_no_update", "audit_log") + DropTrigger("audit_log_no_delete", "audit_log")),
            "");
  ASSERT_EQ(RawExec("UPDATE audit_log SET user_id = 'someone_else' WHERE seq = 2"), "");

  HttpResponse r = Call("GET", "/api/v1/audit/verify", "", privacy.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = Json(r).as_object();
  EXPECT_FALSE(body.at("intact").as_bool()) << r.body;
  EXPECT_EQ(body.at("first_bad_seq").as_int64(), 2) << r.body;
  EXPECT_EQ(std::string(body.at("problem").as_string()), "hash mismatch") << r.body;
  EXPECT_EQ(CountAudit("audit.verify", privacy.user_id, "broken"), 1u);
}

}  // namespace
}  // namespace casus::api::handlers::testing

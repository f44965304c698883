// Meldpunt triage over the API: the duplicate check names only cases the
// caller may read and audits each one it names; linking a report to a case
// is scoped, refuses twice, and is audited; the directory and workflow
// lists need a login.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

class TriageTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meld.kerkrade", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    heerlen = AddUser("meld.heerlen", "meldpunt", "Gemeente Heerlen", "gemeente", "Heerlen");
    police = AddUser("agent.limburg", "partner", "Politie Limburg", "politie", "Kerkrade");
    privacy = AddUser("fg.parkstad", "privacy_officer", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  }

  // A staff report in Kerkrade at `street`; returns its id.
  std::string Report(const std::string& street, const Login& who) {
    json::object body{{"source", "burger"},
                      {"category", "woonoverlast"},
                      {"description", "Harde muziek"},
                      {"location", {{"street", street}, {"wijk", "Heilust"}, {"municipality", "Kerkrade"}}}};
    HttpResponse r = Call("POST", "/api/v1/reports", json::serialize(body), who.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Json(r).at("id").as_string());
  }

  json::array Known(const std::string& query, const Login& who, int expect_status = 200) {
    HttpResponse r = Call("GET", "/api/v1/known-cases?" + query, "", who.token);
    EXPECT_EQ(r.status, expect_status) << r.body;
    if (r.status != 200) return {};
    return Json(r).at("cases").as_array();
  }

  long CountAudit(const std::string& action, const std::string& object_id) {
    auto entries = Audit();
    return std::count_if(entries.begin(), entries.end(), [&](const storage::AuditEntry& e) {
      return e.action == action && e.object_id == object_id;
    });
  }

  Login meldpunt, heerlen, police, privacy;
};

TEST_F(TriageTest, KnownPersonIsFoundByNameCaseInsensitivelyAndAudited) {
  auto kase = OpenIaww(meldpunt, "Jan Demo");
  const std::string id(kase.at("id").as_string());
  auto found = Known("name=jan%20demo", meldpunt);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("id").as_string(), id);
  EXPECT_TRUE(found[0].at("by_person").as_bool());
  EXPECT_FALSE(found[0].at("by_address").as_bool());
  EXPECT_EQ(found[0].at("subject").at("name").as_string(), "Jan Demo");
  EXPECT_EQ(CountAudit("case.match", id), 1);
  // A different birth date is a different person.
  EXPECT_TRUE(Known("name=Jan%20Demo&birth_date=1990-05-05", meldpunt).empty());
  EXPECT_EQ(Known("name=Jan%20Demo&birth_date=1980-01-01", meldpunt).size(), 1u);
}

TEST_F(TriageTest, KnownAddressComesFromReportsLinkedToCases) {
  auto kase = OpenIaww(meldpunt, "Piet Adres");
  const std::string id(kase.at("id").as_string());
  const std::string report = Report("Akerstraat 40", meldpunt);
  EXPECT_TRUE(Known("street=Akerstraat%2040&municipality=Kerkrade", meldpunt).empty());  // not linked yet
  HttpResponse link = Call("POST", "/api/v1/reports/" + report + "/link", R"({"case_id":")" + id + R"("})", meldpunt.token);
  ASSERT_EQ(link.status, 200) << link.body;
  EXPECT_EQ(Json(link).at("status").as_string(), "gekoppeld");
  EXPECT_EQ(Json(link).at("case_id").as_string(), id);
  auto found = Known("street=%20akerstraat%2040&municipality=Kerkrade", meldpunt);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].at("by_address").as_bool());
  EXPECT_EQ(CountAudit("report.link", id), 1);
}

TEST_F(TriageTest, CasesOutsideNeedToKnowAreNeverMentioned) {
  auto kase = OpenIaww(meldpunt, "Geheim Persoon");
  const std::string id(kase.at("id").as_string());
  // Heerlen's meldpunt handles reports but may not read Kerkrade's case.
  EXPECT_TRUE(Known("name=Geheim%20Persoon", heerlen).empty());
  EXPECT_EQ(CountAudit("case.match", id), 0);
  // Roles that do not handle reports are refused outright.
  Known("name=Geheim%20Persoon", police, 403);
  Known("name=Geheim%20Persoon", privacy, 403);
  // Nothing to search on.
  Known("", meldpunt, 400);
  Known("street=Akerstraat", meldpunt, 400);  // a street needs its municipality
  Known("name=x&birth_date=gisteren", meldpunt, 400);
  Known("name=x&unknown=1", meldpunt, 400);
  EXPECT_EQ(Call("GET", "/api/v1/known-cases?name=x").status, 401);
}

TEST_F(TriageTest, LinkIsScopedRefusedTwiceAndNeedsAReadableCase) {
  auto kase = OpenIaww(meldpunt, "Klaas Link");
  const std::string id(kase.at("id").as_string());
  const std::string report = Report("Markt 1", meldpunt);
  const std::string body = R"({"case_id":")" + id + R"("})";
  // Another municipality's meldpunt: the report is out of scope, answered as unknown.
  EXPECT_EQ(Call("POST", "/api/v1/reports/" + report + "/link", body, heerlen.token).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/reports/" + report + "/link", body, police.token).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/reports/" + report + "/link", R"({"case_id":"case_nope"})", meldpunt.token).status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/reports/" + report + "/link", R"({"case_id":"../x"})", meldpunt.token).status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/reports/" + report + "/link", R"({"case_id":")" + id + R"(","x":1})", meldpunt.token).status,
            400);
  EXPECT_EQ(Call("POST", "/api/v1/reports/" + report + "/link", body, meldpunt.token).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/reports/" + report + "/link", body, meldpunt.token).status, 409);
  EXPECT_EQ(CountAudit("report.link", id), 1);
  // Refusals inside the scope check are on record: other municipality, unknown case, already linked.
  auto entries = Audit();
  EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                          [](const storage::AuditEntry& e) { return e.action == "report.link" && e.result == "denied"; }),
            3);
}

TEST_F(TriageTest, DirectoryAndWorkflowsNeedALoginAndCarryNoSecrets) {
  EXPECT_EQ(Call("GET", "/api/v1/organisations").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/workflows").status, 401);
  HttpResponse dir = Call("GET", "/api/v1/organisations", "", police.token);
  ASSERT_EQ(dir.status, 200);
  EXPECT_EQ(dir.body.find("password"), std::string::npos);
  EXPECT_EQ(dir.body.find("totp"), std::string::npos);
  bool found = false;
  const json::value directory = Json(dir);  // kept alive: the loop below walks into it
  for (const auto& org : directory.at("organisations").as_array())
    for (const auto& u : org.at("users").as_array())
      if (u.at("username").as_string() == "meld.kerkrade") {
        found = true;
        EXPECT_EQ(org.at("name").as_string(), "Gemeente Kerkrade");
      }
  EXPECT_TRUE(found);

  HttpResponse wf = Call("GET", "/api/v1/workflows", "", meldpunt.token);
  ASSERT_EQ(wf.status, 200);
  bool wvggz = false;
  const json::value workflows = Json(wf);
  for (const auto& w : workflows.at("workflows").as_array()) {
    if (w.at("id").as_string() != "wvggz") continue;
    wvggz = true;
    EXPECT_EQ(w.at("levels").as_array().size(), 2u);
    std::vector<std::string> fields;
    for (const auto& f : w.at("open").at("fields").as_array()) fields.emplace_back(f.at("name").as_string());
    EXPECT_NE(std::find(fields.begin(), fields.end(), "melder_is_essentiele_naaste"), fields.end());
  }
  EXPECT_TRUE(wvggz);
}

}  // namespace
}  // namespace casus::api::handlers::testing

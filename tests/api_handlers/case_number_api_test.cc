// Zaaknummers over the API: the open answer and every case JSON carry
// `zaaknummer` (the case view, the list, a person's cases, the dashboard's
// case references), and the case list finds a case by its zaaknummer —
// exactly, in any letter case, only when the caller may read the case, and
// with a 400 for a malformed one.
#include <algorithm>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

std::string ZnText(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

class CaseNumberApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meld.kerkrade", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    police = AddUser("agent.limburg", "partner", "Politie Limburg", "politie", "Kerkrade");
    heerlen = AddUser("meld.heerlen", "meldpunt", "Gemeente Heerlen", "gemeente", "Heerlen");
  }

  // The zaaknummers the case list answers `who` with for `query`.
  std::vector<std::string> Listed(const Login& who, const std::string& query) {
    HttpResponse r = Call("GET", "/api/v1/cases?" + query, "", who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    const json::value body = Json(r);
    if (!body.is_object() || !body.as_object().contains("cases")) return out;
    for (const auto& c : body.at("cases").as_array()) out.push_back(ZnText(c.at("zaaknummer")));
    return out;
  }

  Login meldpunt, police, heerlen;
};

TEST_F(CaseNumberApiTest, TheOpenAnswerAndTheCaseViewCarryTheZaaknummer) {
  json::object first = OpenIaww(meldpunt, "Persoon Een");
  json::object second = OpenIaww(meldpunt, "Persoon Twee");
  EXPECT_EQ(ZnText(first["zaaknummer"]), "IAWW-2026-0001");
  EXPECT_EQ(ZnText(second["zaaknummer"]), "IAWW-2026-0002");
  const std::string id = ZnText(second["id"]);
  EXPECT_EQ(id.rfind("case_", 0), 0u) << "the hex id stays the id";
  EXPECT_EQ(StoredCase(id).case_number, "IAWW-2026-0002");

  HttpResponse view = Call("GET", "/api/v1/cases/" + id, "", meldpunt.token);
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(ZnText(Json(view).at("zaaknummer")), "IAWW-2026-0002");
  EXPECT_EQ(ZnText(Json(view).at("id")), id);
  EXPECT_EQ(Listed(meldpunt, "limit=10"), (std::vector<std::string>{"IAWW-2026-0001", "IAWW-2026-0002"}));

  // A person's cases carry it too.
  const std::string person = ZnText(second["subject"].at("id"));
  HttpResponse person_view = Call("GET", "/api/v1/persons/" + person, "", meldpunt.token);
  ASSERT_EQ(person_view.status, 200) << person_view.body;
  const json::value person_body = Json(person_view);
  const auto& cases = person_body.at("cases").as_array();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(ZnText(cases[0].at("zaaknummer")), "IAWW-2026-0002");
}

TEST_F(CaseNumberApiTest, TheDashboardNamesItsCasesByZaaknummer) {
  Login coordinator = AddUser("coord.kerkrade", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  json::object opened = OpenIaww(meldpunt);
  HttpResponse r = Call("GET", "/api/v1/dashboard", "", coordinator.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value dashboard = Json(r);
  const auto& without = dashboard.at("cases_without_regisseur").as_array();
  ASSERT_EQ(without.size(), 1u) << r.body;
  EXPECT_EQ(ZnText(without[0].at("case_id")), ZnText(opened["id"]));
  EXPECT_EQ(ZnText(without[0].at("zaaknummer")), "IAWW-2026-0001");
}

TEST_F(CaseNumberApiTest, TheListFindsACaseByItsZaaknummerInAnyLetterCase) {
  OpenIaww(meldpunt, "Persoon Een");
  const std::string wanted = ZnText(OpenIaww(meldpunt, "Persoon Twee")["id"]);
  OpenIaww(meldpunt, "Persoon Drie");
  EXPECT_EQ(Listed(meldpunt, "zaaknummer=IAWW-2026-0002"), std::vector<std::string>{"IAWW-2026-0002"});
  EXPECT_EQ(Listed(meldpunt, "zaaknummer=iaww-2026-0002"), std::vector<std::string>{"IAWW-2026-0002"});
  EXPECT_EQ(Listed(meldpunt, "zaaknummer=IAWW-2026-0002&type=iaww"), std::vector<std::string>{"IAWW-2026-0002"});
  HttpResponse r = Call("GET", "/api/v1/cases?zaaknummer=IAWW-2026-0002", "", meldpunt.token);
  const json::value found = Json(r);
  EXPECT_EQ(ZnText(found.at("cases").as_array().at(0).at("id")), wanted);
  EXPECT_TRUE(found.at("next_cursor").is_null());
  // The listed case is audited as any listed case is.
  const auto audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const storage::AuditEntry& e) {
    return e.action == "case.list" && e.object_id == wanted;
  }));
}

TEST_F(CaseNumberApiTest, AnUnknownZaaknummerFindsNothing) {
  OpenIaww(meldpunt);
  EXPECT_TRUE(Listed(meldpunt, "zaaknummer=IAWW-2026-0099").empty());
  EXPECT_TRUE(Listed(meldpunt, "zaaknummer=JPP-2026-0001").empty());
  EXPECT_TRUE(Listed(meldpunt, "zaaknummer=IAWW-2025-0001").empty());
  EXPECT_TRUE(Listed(meldpunt, "zaaknummer=IAWW-2026-00001").empty());  // exact: no leading-zero variants
  EXPECT_TRUE(Listed(meldpunt, "zaaknummer=IAWW-2026-0001&state=afgesloten").empty());
}

TEST_F(CaseNumberApiTest, ACaseTheCallerMayNotReadIsNotFoundByItsZaaknummer) {
  OpenIaww(meldpunt);
  // The police is on no team of the case; Heerlen's meldpunt serves another municipality.
  EXPECT_TRUE(Listed(police, "zaaknummer=IAWW-2026-0001").empty());
  EXPECT_TRUE(Listed(heerlen, "zaaknummer=IAWW-2026-0001").empty());
  // The same answer as for a number nobody has: nothing reveals that it exists.
  EXPECT_EQ(Call("GET", "/api/v1/cases?zaaknummer=IAWW-2026-0001", "", police.token).body,
            Call("GET", "/api/v1/cases?zaaknummer=IAWW-2026-0999", "", police.token).body);
  EXPECT_EQ(Listed(meldpunt, "zaaknummer=IAWW-2026-0001"), std::vector<std::string>{"IAWW-2026-0001"});
}

TEST_F(CaseNumberApiTest, AMalformedZaaknummerIsABadRequestNamingTheParameter) {
  OpenIaww(meldpunt);
  for (const char* bad : {"IAWW", "IAWW-2026", "IAWW-26-0001", "IAWW-2026-01", "IAWW-2026-00x1", "IA%20WW-2026-0001",
                          "case_0000000000000001", "IAWW-2026-0001-2", "%27%20OR%201%3D1"}) {
    HttpResponse r = Call("GET", std::string("/api/v1/cases?zaaknummer=") + bad, "", meldpunt.token);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json") << bad;
    const json::value body = Json(r);
    ASSERT_TRUE(body.is_object()) << r.body;
    ASSERT_TRUE(body.as_object().contains("errors")) << r.body;
    EXPECT_EQ(ZnText(body.at("errors").as_array().at(0).at("field")), "zaaknummer") << r.body;
  }
  // Too long, and given twice.
  EXPECT_EQ(Call("GET", "/api/v1/cases?zaaknummer=" + std::string(65, 'A') + "-2026-0001", "", meldpunt.token).status,
            400);
  EXPECT_EQ(
      Call("GET", "/api/v1/cases?zaaknummer=IAWW-2026-0001&zaaknummer=IAWW-2026-0002", "", meldpunt.token).status,
      400);
}

}  // namespace
}  // namespace casus::api::handlers::testing

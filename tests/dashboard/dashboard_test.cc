// GET /api/v1/dashboard: scope per DecideCaseRead, counts, deadlines
// (overdue and due within two working days), recent escalations, cases
// without a regisseur, overdue afspraken; one dashboard.read audit entry.
#include <gtest/gtest.h>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

class DashboardTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("dash.meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    coordinator = AddUser("dash.coord", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  }

  boost::json::object Dashboard(const Login& who) {
    HttpResponse r = Call("GET", "/api/v1/dashboard", "", who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = Json(r);
    return v.is_object() ? v.as_object() : boost::json::object{};
  }

  static std::vector<std::string> CaseIds(const boost::json::value& list) {
    std::vector<std::string> out;
    for (const auto& x : list.as_array()) out.emplace_back(x.at("case_id").as_string());
    return out;
  }

  int CountAudit(const std::string& action) {
    int n = 0;
    for (const auto& e : Audit())
      if (e.action == action) ++n;
    return n;
  }

  Login meldpunt, coordinator;
};

TEST_F(DashboardTest, CountsDeadlinesRegisseurAndActions) {
  auto kase = OpenIaww(meldpunt);
  const std::string id(kase.at("id").as_string());
  const std::string state(kase.at("state").as_string());
  const std::string level(kase.at("level").as_string());
  const std::string second(OpenIaww(meldpunt, "Piet Demo").at("id").as_string());

  auto d = Dashboard(coordinator);
  EXPECT_EQ(d.at("counts").at("open").to_number<int>(), 2);
  EXPECT_EQ(d.at("counts").at("by_type").at("iaww").to_number<int>(), 2);
  EXPECT_EQ(d.at("counts").at("by_state").at("iaww").at(state).to_number<int>(), 2);
  EXPECT_EQ(d.at("counts").at("by_level").at("iaww").at(level).to_number<int>(), 2);
  EXPECT_TRUE(d.at("overdue").as_array().empty());
  EXPECT_TRUE(d.at("due_soon").as_array().empty());  // agendering is due in 5 working days
  EXPECT_EQ(CaseIds(d.at("cases_without_regisseur")).size(), 2u);

  // An afspraak due tomorrow.
  boost::json::object action{{"description", "Huisbezoek"}, {"owner_org", meldpunt.org_id}, {"due_at", "2026-03-03T09:00:00Z"}};
  ASSERT_EQ(Call("POST", "/api/v1/cases/" + id + "/actions", boost::json::serialize(action), meldpunt.token).status, 201);
  // A regisseur for the first case.
  // (The opener's organisation is already on the team as "lid".)
  Login regisseur = AddUser("dash.regisseur", "regisseur", "Zorg- en Veiligheidshuis Parkstad", "zvh", "Kerkrade");
  boost::json::object member{{"org", regisseur.org_id}, {"role", "regisseur"}};
  HttpResponse added = Call("POST", "/api/v1/cases/" + id + "/team", boost::json::serialize(member), meldpunt.token);
  ASSERT_EQ(added.status, 201) << added.body;

  // Friday: agendering (due Monday 9 March, end of day) falls within two working days.
  clock.Set(*ParseRfc3339("2026-03-06T09:00:00Z"));
  Login friday = AddUser("dash.coord.fri", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade");  // sessions idle out
  d = Dashboard(friday);
  ASSERT_EQ(d.at("due_soon").as_array().size(), 2u) << boost::json::serialize(d);
  const auto& soon = d.at("due_soon").as_array()[0];
  EXPECT_EQ(soon.at("type").as_string(), "iaww");
  EXPECT_EQ(soon.at("deadline").as_string(), "agendering");
  EXPECT_EQ(soon.at("label").as_string(), "Agendering in het wekelijkse IAWW-overleg");
  EXPECT_EQ(soon.at("due_at").as_string(), "2026-03-09T23:00:00Z");
  EXPECT_TRUE(d.at("overdue").as_array().empty());
  ASSERT_EQ(d.at("overdue_actions").as_array().size(), 1u);
  EXPECT_EQ(d.at("overdue_actions").as_array()[0].at("case_id").as_string(), id);
  EXPECT_EQ(CaseIds(d.at("cases_without_regisseur")), std::vector<std::string>{second});

  // Tuesday: overdue.
  clock.Set(*ParseRfc3339("2026-03-10T09:00:00Z"));
  Login tuesday = AddUser("dash.coord.tue", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  d = Dashboard(tuesday);
  auto overdue = CaseIds(d.at("overdue"));
  EXPECT_EQ(std::count(overdue.begin(), overdue.end(), id), 1);
  EXPECT_EQ(overdue.size(), 2u);
}

TEST_F(DashboardTest, RecentEscalationsOfTheLastFourteenDays) {
  auto kase = OpenIaww(meldpunt);
  const std::string id(kase.at("id").as_string());
  ASSERT_TRUE(store->Write([&](storage::Transaction& tx) -> Status {
                     storage::CaseEvent recent{0, id, "case.escalated", *ParseRfc3339("2026-02-25T10:00:00Z"), "u",
                                               R"({"from_level":"eigen_oplossing","to_level":"bemiddeling"})"};
                     storage::CaseEvent old{0, id, "case.escalated", *ParseRfc3339("2026-02-01T10:00:00Z"), "u",
                                            R"({"from_level":"a","to_level":"b"})"};
                     ASSIGN_OR_RETURN([[maybe_unused]] auto a, tx.events().Append(old));
                     ASSIGN_OR_RETURN([[maybe_unused]] auto b, tx.events().Append(recent));
                     return Status::Ok();
                   }).ok());
  auto d = Dashboard(coordinator);
  const auto& esc = d.at("recent_escalations").as_array();
  ASSERT_EQ(esc.size(), 1u) << boost::json::serialize(d);
  EXPECT_EQ(esc[0].at("case_id").as_string(), id);
  EXPECT_EQ(esc[0].at("from_level").as_string(), "eigen_oplossing");
  EXPECT_EQ(esc[0].at("to_level").as_string(), "bemiddeling");
  EXPECT_EQ(esc[0].at("at").as_string(), "2026-02-25T10:00:00Z");
}

TEST_F(DashboardTest, ScopeFollowsNeedToKnow) {
  auto kase = OpenIaww(meldpunt);
  const std::string id(kase.at("id").as_string());
  Login heerlen = AddUser("dash.heerlen", "coordinator", "Gemeente Heerlen", "gemeente", "Heerlen");
  Login partner = AddUser("dash.politie", "partner", "Politie Limburg", "politie", "Kerkrade");
  Login zvh = AddUser("dash.zvh", "coordinator", "Zorg- en Veiligheidshuis Parkstad", "zvh", "Kerkrade");
  EXPECT_EQ(Dashboard(heerlen).at("counts").at("open").to_number<int>(), 0);
  EXPECT_EQ(Dashboard(partner).at("counts").at("open").to_number<int>(), 0);
  EXPECT_EQ(Dashboard(zvh).at("counts").at("open").to_number<int>(), 1);
  EXPECT_EQ(Dashboard(meldpunt).at("counts").at("open").to_number<int>(), 1);

  boost::json::object member{{"org", partner.org_id}};
  ASSERT_EQ(Call("POST", "/api/v1/cases/" + id + "/team", boost::json::serialize(member), meldpunt.token).status, 201);
  EXPECT_EQ(Dashboard(partner).at("counts").at("open").to_number<int>(), 1);
  EXPECT_EQ(Dashboard(heerlen).at("counts").at("open").to_number<int>(), 0);
}

TEST_F(DashboardTest, PrivacyOfficerAndAdminAreRefused) {
  OpenIaww(meldpunt);
  Login privacy = AddUser("dash.privacy", "privacy_officer", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  Login admin = AddUser("dash.admin", "admin", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  EXPECT_EQ(Call("GET", "/api/v1/dashboard", "", privacy.token).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/dashboard", "", admin.token).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/dashboard").status, 401);
  int denied = 0;
  for (const auto& e : Audit())
    if (e.action == "dashboard.read" && e.result == "denied") ++denied;
  EXPECT_EQ(denied, 2);
}

TEST_F(DashboardTest, AuditedOnceWithoutPerCaseEntries) {
  OpenIaww(meldpunt);
  OpenIaww(meldpunt, "Piet Demo");
  const auto before = Audit().size();
  Dashboard(coordinator);
  auto after = Audit();
  ASSERT_EQ(after.size(), before + 1);
  EXPECT_EQ(after.back().action, "dashboard.read");
  EXPECT_EQ(after.back().result, "success");
  EXPECT_EQ(after.back().user_id, coordinator.user_id);
  EXPECT_EQ(after.back().object_type, "dashboard");
  EXPECT_TRUE(after.back().person_id.empty());
  EXPECT_EQ(Call("GET", "/api/v1/dashboard?x=1", "", coordinator.token).status, 400);
}

}  // namespace
}  // namespace casus::api::handlers::testing

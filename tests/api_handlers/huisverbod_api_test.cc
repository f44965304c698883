// The tijdelijk huisverbod (workflows/huisverbod.yaml, a case type no code
// knows) end to end over the API: the police open, the burgemeester imposes,
// the 10-day and 4-week terms on the case, extension within the 10 days,
// refusal of a second one and of one after the ban ended, the system ending
// the extended ban after 4 weeks, and the case on the dashboard, in the
// statistics and on the huisverbod-overleg's generated agendas.
#include <algorithm>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

std::string HvText(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

class HuisverbodApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    police = AddUser("agent.huisverbod", "partner", "Politie Limburg", "politie", "Kerkrade");
  }

  // Sessions end after 30 idle minutes; the test moves the clock by days, so
  // each step logs in a fresh user of the role it needs.
  Login Fresh(const std::string& role) {
    return AddUser(role + "." + std::to_string(++logins_), role, "Gemeente Kerkrade", "gemeente", "Kerkrade");
  }

  HttpResponse Transition(const Login& who, const std::string& case_id, const std::string& name,
                          std::int64_t version, json::object data = {}) {
    json::object body{{"transition", name}, {"version", version}};
    if (!data.empty()) body["data"] = std::move(data);
    return Call("POST", "/api/v1/cases/" + case_id + "/transitions", json::serialize(body), who.token);
  }

  json::object View(const Login& who, const std::string& case_id) {
    HttpResponse r = Call("GET", "/api/v1/cases/" + case_id, "", who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    json::value v = Json(r);
    return v.is_object() ? v.as_object() : json::object{};
  }

  // The case's deadline entry with this name, or an empty object.
  static json::object Deadline(const json::object& kase, const std::string& name) {
    if (!kase.contains("deadlines")) return {};
    for (const auto& d : kase.at("deadlines").as_array())
      if (HvText(d.at("name")) == name) return d.as_object();
    return {};
  }

  // (case id, reason) of a generated agenda.
  static std::vector<std::pair<std::string, std::string>> Items(const HttpResponse& r) {
    std::vector<std::pair<std::string, std::string>> out;
    json::value v = Json(r);
    if (!v.is_object() || !v.as_object().contains("items")) return out;
    for (const auto& i : v.at("items").as_array()) out.emplace_back(HvText(i.at("case_id")), HvText(i.at("reason")));
    return out;
  }

  static std::string Reason(const HttpResponse& r) {
    json::value v = Json(r);
    return v.is_object() && v.as_object().contains("reason") ? HvText(v.at("reason")) : "";
  }

  std::string Open() {
    json::object body{{"type", "huisverbod"},
                      {"municipality", "Kerkrade"},
                      {"subject", {{"name", "Piet Uithuis"}, {"birth_date", "1985-05-05"}}},
                      {"data",
                       {{"aanleiding", "Mishandeling partner, kinderen aanwezig"},
                        {"risicotaxatie_rihg", true},
                        {"kinderen_in_huishouden", true}}}};
    HttpResponse r = Call("POST", "/api/v1/cases", json::serialize(body), police.token);
    EXPECT_EQ(r.status, 201) << r.body;
    json::value v = Json(r);
    return v.is_object() ? HvText(v.at("id")) : "";
  }

  Login police;
  int logins_ = 0;
};

TEST_F(HuisverbodApiTest, OnlyThePoliceOpenAndOnlyTheBurgemeesterImposes) {
  Login meldpunt = Fresh("meldpunt");
  json::object body{{"type", "huisverbod"},
                    {"municipality", "Kerkrade"},
                    {"subject", {{"name", "Piet Uithuis"}, {"birth_date", "1985-05-05"}}},
                    {"data",
                     {{"aanleiding", "Melding"}, {"risicotaxatie_rihg", true}, {"kinderen_in_huishouden", false}}}};
  HttpResponse refused = Call("POST", "/api/v1/cases", json::serialize(body), meldpunt.token);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(Reason(refused), "role_refused");

  const std::string id = Open();
  ASSERT_FALSE(id.empty());
  json::object imposing{{"besluitdatum", "2026-03-02"}, {"gronden", "Ernstig en onmiddellijk gevaar"}};
  for (const char* role : {"meldpunt", "coordinator"}) {
    HttpResponse r = Transition(Fresh(role), id, "huisverbod_opleggen", 1, imposing);
    EXPECT_EQ(r.status, 403) << role << ": " << r.body;
    EXPECT_EQ(Reason(r), "role_refused") << role;
  }
  HttpResponse by_police = Transition(police, id, "huisverbod_opleggen", 1, imposing);
  EXPECT_EQ(by_police.status, 403) << by_police.body;
  EXPECT_EQ(StoredCase(id).state, "voorbereiding");
  HttpResponse unfounded = Transition(Fresh("burgemeester"), id, "huisverbod_opleggen", 1, {{"besluitdatum", "2026-03-02"}});
  EXPECT_EQ(unfounded.status, 422) << unfounded.body;
}

TEST_F(HuisverbodApiTest, TheJourneyOverTheApi) {
  // Monday 2 March 2026, 10:00 Amsterdam: the police open the case.
  const std::string id = Open();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(StoredCase(id).case_number, "HUISVERBOD-2026-0001");

  Login burgemeester = Fresh("burgemeester");
  json::object preparing = View(burgemeester, id);
  EXPECT_EQ(HvText(preparing["state"]), "voorbereiding");
  EXPECT_EQ(HvText(preparing["state_label"]), "Besluit in voorbereiding (politie)");
  EXPECT_EQ(HvText(preparing["level_label"]), "Voorbereiding (nog geen huisverbod)");
  EXPECT_TRUE(preparing["deadlines"].as_array().empty());
  std::vector<std::string> allowed;
  for (const auto& t : preparing["allowed_transitions"].as_array()) allowed.push_back(HvText(t.at("name")));
  std::sort(allowed.begin(), allowed.end());
  EXPECT_EQ(allowed, (std::vector<std::string>{"afzien_van_huisverbod", "huisverbod_opleggen"}));

  // The burgemeester's decision: 10 days, to the end of Thursday 12 March;
  // at most 4 weeks, to the end of Monday 30 March (summer time by then).
  HttpResponse imposed = Transition(burgemeester, id, "huisverbod_opleggen", 1,
                                    {{"besluitdatum", "2026-03-02"}, {"gronden", "Ernstig en onmiddellijk gevaar"}});
  ASSERT_EQ(imposed.status, 200) << imposed.body;
  json::object kase = View(burgemeester, id);
  EXPECT_EQ(HvText(kase["state"]), "huisverbod_opgelegd");
  EXPECT_EQ(HvText(kase["state_label"]), "Huisverbod opgelegd (10 dagen)");
  EXPECT_EQ(HvText(kase["level"]), "huisverbod");
  json::object ten = Deadline(kase, "huisverbod_duur");
  EXPECT_EQ(HvText(ten["due_at"]), "2026-03-12T23:00:00Z");
  EXPECT_EQ(HvText(ten["label"]), "Einde huisverbod (10 dagen na oplegging)");
  EXPECT_EQ(HvText(ten["legal_basis"]), "art. 2 lid 1 Wet tijdelijk huisverbod");
  json::object four = Deadline(kase, "huisverbod_maximale_duur");
  EXPECT_EQ(HvText(four["due_at"]), "2026-03-30T22:00:00Z");
  EXPECT_EQ(HvText(four["legal_basis"]), "art. 9 Wet tijdelijk huisverbod");

  // The huisverbod-overleg (cadence from the YAML) puts the new ban on its agenda.
  Login coordinator = Fresh("coordinator");
  json::object meeting{{"case_type", "huisverbod"},
                       {"municipality", "Kerkrade"},
                       {"name", "Huisverbod-overleg Kerkrade"},
                       {"participants", json::array{json::value(police.org_id)}}};
  HttpResponse created = Call("POST", "/api/v1/meetings", json::serialize(meeting), coordinator.token);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Json(created).at("cadence_days").as_int64(), 3);
  const std::string meeting_id = HvText(Json(created).at("id"));
  HttpResponse first = Call("POST", "/api/v1/meetings/" + meeting_id + "/agendas", R"({"date":"2026-03-03"})",
                            coordinator.token);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(Items(first), (std::vector<std::pair<std::string, std::string>>{{id, "new"}}));

  // In the statistics of cases by type.
  HttpResponse stats = Call("GET", "/api/v1/stats?subject=cases&group_by=type&from=2026-03-01&to=2026-03-31", "",
                            coordinator.token);
  ASSERT_EQ(stats.status, 200) << stats.body;
  std::int64_t counted = -1;
  const json::value stats_body = Json(stats);  // named: the loop must not range over a temporary's member
  for (const auto& g : stats_body.at("groups").as_array())
    if (HvText(g.at("key")) == "huisverbod") counted = g.at("count").as_int64();
  EXPECT_EQ(counted, 1) << stats.body;

  // Tuesday 10 March: on the dashboard, the 10 days are due soon.
  clock.Set(*ParseRfc3339("2026-03-10T09:00:00Z"));
  Login coordinator2 = Fresh("coordinator");
  HttpResponse dash = Call("GET", "/api/v1/dashboard", "", coordinator2.token);
  ASSERT_EQ(dash.status, 200) << dash.body;
  json::value d = Json(dash);
  EXPECT_EQ(d.at("counts").at("by_type").at("huisverbod").as_int64(), 1);
  EXPECT_EQ(d.at("counts").at("by_state").at("huisverbod").at("huisverbod_opgelegd").as_int64(), 1);
  EXPECT_EQ(d.at("counts").at("by_level").at("huisverbod").at("huisverbod").as_int64(), 1);
  bool due_soon = false;
  for (const auto& x : d.at("due_soon").as_array())
    if (HvText(x.at("case_id")) == id && HvText(x.at("deadline")) == "huisverbod_duur") {
      due_soon = true;
      EXPECT_EQ(HvText(x.at("label")), "Einde huisverbod (10 dagen na oplegging)");
      EXPECT_EQ(HvText(x.at("zaaknummer")), "HUISVERBOD-2026-0001");
    }
  EXPECT_TRUE(due_soon) << dash.body;

  // Extension within the 10 days, to 4 weeks after the imposition.
  Login burgemeester2 = Fresh("burgemeester");
  HttpResponse extended = Transition(burgemeester2, id, "huisverbod_verlengen", 2,
                                     {{"verlengingsdatum", "2026-03-10"}, {"motivering", "De dreiging duurt voort"}});
  ASSERT_EQ(extended.status, 200) << extended.body;
  kase = View(burgemeester2, id);
  EXPECT_EQ(HvText(kase["state"]), "huisverbod_verlengd");
  EXPECT_EQ(HvText(Deadline(kase, "huisverbod_duur")["cleared_at"]), "2026-03-10T09:00:00Z");
  EXPECT_EQ(HvText(Deadline(kase, "huisverbod_maximale_duur")["due_at"]), "2026-03-30T22:00:00Z");
  EXPECT_FALSE(Deadline(kase, "huisverbod_maximale_duur").contains("cleared_at"));

  // A second extension is refused by the workflow.
  HttpResponse again = Transition(burgemeester2, id, "huisverbod_verlengen", 3,
                                  {{"verlengingsdatum", "2026-03-11"}, {"motivering", "Nog eens"}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(Reason(again), "not_allowed_in_state");
  EXPECT_EQ(StoredCase(id).version, 3);

  // Monday 30 March: the extended ban ends today, on the overleg's agenda for review.
  clock.Set(*ParseRfc3339("2026-03-30T07:00:00Z"));
  Login coordinator3 = Fresh("coordinator");
  HttpResponse last = Call("POST", "/api/v1/meetings/" + meeting_id + "/agendas", R"({"date":"2026-03-30"})",
                           coordinator3.token);
  ASSERT_EQ(last.status, 201) << last.body;
  EXPECT_EQ(Items(last), (std::vector<std::pair<std::string, std::string>>{{id, "review_due"}}));

  // At the end of the 4 weeks the system ends the ban.
  clock.Set(*ParseRfc3339("2026-03-30T22:00:01Z"));
  auto tick = services->deadlines.Tick();
  ASSERT_TRUE(tick.ok()) << tick.status().ToString();
  storage::CaseRecord ended = StoredCase(id);
  EXPECT_EQ(ended.state, "huisverbod_beeindigd");
  ASSERT_FALSE(ended.history.empty());
  EXPECT_EQ(ended.history.back(), "verlengd_huisverbod_afgelopen");

  // No extension after the ban ended.
  Login burgemeester3 = Fresh("burgemeester");
  HttpResponse late = Transition(burgemeester3, id, "huisverbod_verlengen", ended.version,
                                 {{"verlengingsdatum", "2026-03-31"}, {"motivering", "Te laat"}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(Reason(late), "not_allowed_in_state");
}

}  // namespace
}  // namespace casus::api::handlers::testing

// GET /api/v1/workflows serves every definition a page or diagram needs,
// and nothing about cases; GET /api/v1/workflows/{type}/{version} serves
// any loaded version (the one a case is pinned to); and the rules that used
// to be code per case type now follow the workflow files: who is told the
// outcome of a report.
#include <gtest/gtest.h>

#include <set>

#include "loader/workflow_loader.h"
#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

std::set<std::string> Keys(const json::object& o) {
  std::set<std::string> out;
  for (const auto& [k, v] : o) out.insert(std::string(k));
  return out;
}

const json::object* ById(const json::array& items, const char* key, const std::string& id) {
  for (const auto& item : items)
    if (Str(item.at(key)) == id) return &item.as_object();
  return nullptr;
}

class WorkflowsApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meld.kerkrade", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  }

  json::array Workflows(const Login& who) {
    HttpResponse r = Call("GET", "/api/v1/workflows", "", who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    json::value j = Json(r);
    if (!j.is_object() || !j.as_object().contains("workflows")) return {};
    return j.at("workflows").as_array();
  }

  Login meldpunt;
};

TEST_F(WorkflowsApiTest, NeedsALogin) { EXPECT_EQ(Call("GET", "/api/v1/workflows").status, 401); }

TEST_F(WorkflowsApiTest, ServesEveryLoadedTypeWithItsWholeDefinition) {
  const json::array workflows = Workflows(meldpunt);
  std::vector<std::string> ids;
  for (const auto& w : workflows) ids.push_back(Str(w.at("id")));
  // The loaded files are the list, by id; each at its latest version.
  std::vector<std::string> expected;
  for (const auto* def : registry.LatestOfEach()) expected.push_back(def->id);
  EXPECT_EQ(ids, expected);
  for (const auto& w : workflows) {
    const auto& o = w.as_object();
    EXPECT_EQ(Keys(o), (std::set<std::string>{"id", "version", "versions", "label", "subject_bsn", "states", "levels",
                                              "initial_level", "transitions", "deadlines", "open", "overleg",
                                              "report_outcome", "suggest_for"}))
        << Str(o.at("id"));
    const auto* def = registry.Latest(Str(o.at("id")));
    ASSERT_NE(def, nullptr);
    EXPECT_EQ(o.at("version").as_int64(), def->version);
    EXPECT_EQ(o.at("versions"), json::value_from(registry.Versions(def->id)));
    EXPECT_EQ(Str(o.at("label")), def->label);
    EXPECT_EQ(o.at("states").as_array().size(), def->states.size());
    EXPECT_EQ(o.at("transitions").as_array().size(), def->transitions.size());
    EXPECT_EQ(o.at("deadlines").as_array().size(), def->deadlines.size());
    EXPECT_EQ(o.at("levels").as_array().size(), def->levels.size());
    // Every label people see is there.
    for (const auto& s : o.at("states").as_array()) EXPECT_FALSE(s.at("label").as_string().empty());
    for (const auto& t : o.at("transitions").as_array()) {
      EXPECT_FALSE(t.at("label").as_string().empty());
      for (const auto& f : t.at("fields").as_array()) EXPECT_FALSE(f.at("label").as_string().empty());
    }
    for (const auto& d : o.at("deadlines").as_array()) {
      EXPECT_FALSE(d.at("label").as_string().empty());
      // Who may suspend the term: present on every deadline, null when nobody may.
      ASSERT_TRUE(d.as_object().contains("suspendable")) << Str(d.at("id"));
      const auto* spec = def->FindDeadline(Str(d.at("id")));
      ASSERT_NE(spec, nullptr);
      if (spec->suspendable) {
        json::array roles;
        for (const auto& r : spec->suspendable->roles) roles.push_back(json::value(r));
        EXPECT_EQ(d.at("suspendable"), json::value(json::object{{"roles", roles}})) << Str(d.at("id"));
      } else {
        EXPECT_TRUE(d.at("suspendable").is_null()) << Str(d.at("id"));
      }
    }
  }
}

TEST_F(WorkflowsApiTest, WvggzInDetail) {
  const json::array workflows = Workflows(meldpunt);
  const json::object* w = ById(workflows, "id", "wvggz");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(Str(w->at("label")), "Wvggz-melding");
  EXPECT_TRUE(w->at("subject_bsn").as_bool());
  EXPECT_EQ(Str(w->at("initial_level")), "regulier");

  const json::object* initial = ById(w->at("states").as_array(), "id", "melding_ontvangen");
  ASSERT_NE(initial, nullptr);
  EXPECT_EQ(*initial, (json::object{{"id", "melding_ontvangen"}, {"label", "Melding ontvangen"}, {"initial", true},
                                    {"terminal", false}}));
  const json::object* closed = ById(w->at("states").as_array(), "id", "afgesloten");
  ASSERT_NE(closed, nullptr);
  EXPECT_TRUE(closed->at("terminal").as_bool());

  // A transition: its graph edge, who may take it, its fields with labels, its level change.
  const json::object* measure = ById(w->at("transitions").as_array(), "name", "crisismaatregel_nemen");
  ASSERT_NE(measure, nullptr);
  EXPECT_EQ(Str(measure->at("to")), "crisismaatregel_genomen");
  EXPECT_EQ(measure->at("from").as_array().size(), 6u);
  EXPECT_EQ(measure->at("roles"), json::value(json::array{"burgemeester"}));
  EXPECT_EQ(measure->at("org_types"), json::value(json::array{"gemeente"}));
  EXPECT_EQ(measure->at("level"), json::value(json::object{{"change", "set"}, {"level", "crisismaatregel"}}));
  const json::array& fields = measure->at("fields").as_array();
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(Str(fields[0].at("name")), "onmiddellijk_dreigend_ernstig_nadeel");
  EXPECT_EQ(Str(fields[0].at("type")), "bool");
  EXPECT_EQ(Str(fields[0].at("label")), "Onmiddellijk dreigend ernstig nadeel");
  // Staying in place and keeping the level are null.
  const json::object* info = ById(w->at("transitions").as_array(), "name", "informatie_toevoegen");
  ASSERT_NE(info, nullptr);
  EXPECT_TRUE(info->at("to").is_null());
  EXPECT_TRUE(info->at("level").is_null());

  // A deadline: kind, legal basis, the term as written, what starts and clears it.
  const json::object* ovj = ById(w->at("deadlines").as_array(), "id", "ovj_beslissing");
  ASSERT_NE(ovj, nullptr);
  EXPECT_EQ(Str(ovj->at("legal_basis")), "art. 5:16 Wvggz");
  EXPECT_EQ(Str(ovj->at("kind")), "milestone");
  EXPECT_EQ(Str(ovj->at("duration")), "28d");
  EXPECT_EQ(ovj->at("longer"), json::value(json::object{{"when", "eigen_plan_van_aanpak"}, {"duration", "42d"}}));
  EXPECT_EQ(ovj->at("start"), json::value(json::object{{"on_transition", json::array{"aanvraag_zorgmachtiging_indienen"}}}));
  const json::object* decision = ById(w->at("deadlines").as_array(), "id", "wvggz_beslissing");
  ASSERT_NE(decision, nullptr);
  EXPECT_EQ(Str(decision->at("duration")), "14d");
  EXPECT_EQ(decision->at("start"), json::value(json::object{{"on_open", true}}));
  // Whether the Algemene termijnenwet moves the term off a rest day.
  EXPECT_EQ(decision->at("atw"), json::value(true));
  const json::object* lapse = ById(w->at("deadlines").as_array(), "id", "crisismaatregel_verval");
  ASSERT_NE(lapse, nullptr);
  EXPECT_EQ(lapse->at("atw"), json::value(false));
  // The law lets nobody suspend the 14 days or the crisismaatregel's lapse.
  EXPECT_TRUE(decision->at("suspendable").is_null());
  EXPECT_TRUE(lapse->at("suspendable").is_null());

  EXPECT_EQ(w->at("report_outcome"), json::value(json::object{{"told_when", "melder_is_essentiele_naaste"}}));
  EXPECT_EQ(w->at("overleg"), json::value(json::object{{"new_states", json::array{"melding_ontvangen"}},
                                            {"awaiting_states", json::array{}},
                                            {"review_deadlines", json::array{}},
                                            {"cadence_days", 14},
                                            {"region_wide", nullptr}}));
  EXPECT_EQ(w->at("suggest_for"), json::value(json::object{{"categories", json::array{"verward_gedrag"}},
                                                {"incident_codes", json::array{"E33", "E14"}}}));
  // The open form: roles, organisation types and fields.
  EXPECT_EQ(w->at("open").at("roles"), json::value(json::array{"meldpunt"}));
  EXPECT_EQ(w->at("open").at("org_types"), json::value(json::array{"gemeente"}));
}

TEST_F(WorkflowsApiTest, IawwOverlegAndNoOutcomeNotice) {
  const json::array workflows = Workflows(meldpunt);
  const json::object* w = ById(workflows, "id", "iaww");
  ASSERT_NE(w, nullptr);
  EXPECT_TRUE(w->at("report_outcome").is_null());
  EXPECT_EQ(w->at("overleg"), json::value(json::object{{"new_states", json::array{"aangemeld", "verrijking"}},
                                            {"awaiting_states", json::array{"geagendeerd"}},
                                            {"review_deadlines", json::array{"monitoring_evaluatie"}},
                                            {"cadence_days", 7},
                                            {"region_wide", json::object{{"new_states", json::array{}},
                                                                         {"awaiting_states", json::array{"opgeschaald_zvh"}},
                                                                         {"review_deadlines", json::array{}}}}}));
  const json::object* review = ById(w->at("deadlines").as_array(), "id", "monitoring_evaluatie");
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(Str(review->at("kind")), "norm");
  EXPECT_EQ(Str(review->at("duration")), "42d");
}

// Definitions only: nothing about the cases there are.
TEST_F(WorkflowsApiTest, CarriesNoCaseData) {
  const std::string before = Call("GET", "/api/v1/workflows", "", meldpunt.token).body;
  OpenIaww(meldpunt, "Geheime Naam");
  const HttpResponse after = Call("GET", "/api/v1/workflows", "", meldpunt.token);
  EXPECT_EQ(after.body, before);
  EXPECT_EQ(after.body.find("Geheime Naam"), std::string::npos);
}

// ---- every loaded version, and one version by path ----

// A type with three loaded versions (registered out of order): version 1
// has two states, version 2 a third, version 3 a fourth.
class WorkflowVersionsTest : public WorkflowsApiTest {
 protected:
  void SetUp() override {
    WorkflowsApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Add(Definition(3, "  - {id: wacht, label: Wacht}\n  - {id: bezig, label: Bezig}\n",
                   "  - {name: wachten, label: Wachten, from: nieuw, to: wacht, roles: [meldpunt]}\n"
                   "  - {name: beginnen, label: Beginnen, from: wacht, to: bezig, roles: [meldpunt]}\n"));
    Add(Definition(1, "", ""));
    Add(Definition(2, "  - {id: bezig, label: Bezig}\n",
                   "  - {name: beginnen, label: Beginnen, from: nieuw, to: bezig, roles: [meldpunt]}\n"));
  }

  static std::string Definition(int version, const std::string& extra_states, const std::string& extra_transitions) {
    return "id: proef\nversion: " + std::to_string(version) +
           "\nlabel: Proef versie " + std::to_string(version) +
           "\nlevels: [{id: laag, label: Laag}]\n"
           "states:\n"
           "  - {id: nieuw, label: Nieuw, initial: true}\n"
           "  - {id: klaar, label: Klaar, terminal: true}\n" +
           extra_states +
           "open: {roles: [meldpunt]}\n"
           "transitions:\n"
           "  - {name: afronden, label: Afronden, from: nieuw, to: klaar, roles: [meldpunt]}\n" +
           extra_transitions +
           (extra_states.empty() ? ""
                                 : "  - {name: klaar_melden, label: Klaar melden, from: bezig, to: klaar, roles: "
                                   "[meldpunt]}\n");
  }

  void Add(const std::string& yaml) {
    engine::LoadResult loaded = engine::LoadWorkflowText(yaml, "test.yaml");
    ASSERT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].ToString());
    ASSERT_TRUE(registry.Add(loaded.definitions.at(0)).ok());
  }

  static std::vector<std::string> StateIds(const json::value& workflow) {
    std::vector<std::string> out;
    for (const auto& s : workflow.at("states").as_array()) out.push_back(Str(s.at("id")));
    return out;
  }
};

TEST_F(WorkflowVersionsTest, ListServesTheLatestWithEveryLoadedVersionAscending) {
  const json::array workflows = Workflows(meldpunt);
  const json::object* w = ById(workflows, "id", "proef");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->at("version"), json::value(3));
  EXPECT_EQ(w->at("versions"), json::value(json::array{1, 2, 3}));
  EXPECT_EQ(StateIds(*w), (std::vector<std::string>{"nieuw", "klaar", "wacht", "bezig"}));
}

TEST_F(WorkflowVersionsTest, RegistryListsVersionsAscendingAndNoneForAnUnknownType) {
  EXPECT_EQ(registry.Versions("proef"), (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(registry.Versions("onbekend").empty());
  EXPECT_TRUE(registry.Versions("proe").empty());  // a prefix of a type is not that type
}

TEST_F(WorkflowVersionsTest, OneVersionByPathWithItsOwnDefinition) {
  HttpResponse r = Call("GET", "/api/v1/workflows/proef/1", "", meldpunt.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.route, "GET /api/v1/workflows/{type}/{version}");
  const json::value one = Json(r);
  EXPECT_EQ(one.at("id"), json::value("proef"));
  EXPECT_EQ(one.at("version"), json::value(1));
  EXPECT_EQ(one.at("label"), json::value("Proef versie 1"));
  EXPECT_EQ(one.at("versions"), json::value(json::array{1, 2, 3}));
  EXPECT_EQ(StateIds(one), (std::vector<std::string>{"nieuw", "klaar"}));

  r = Call("GET", "/api/v1/workflows/proef/2", "", meldpunt.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("version"), json::value(2));
  EXPECT_EQ(StateIds(Json(r)), (std::vector<std::string>{"nieuw", "klaar", "bezig"}));
}

// The same JSON form as the list: the latest by path equals its list entry.
TEST_F(WorkflowVersionsTest, LatestByPathEqualsItsListEntry) {
  for (const auto& w : Workflows(meldpunt)) {
    const std::string path = "/api/v1/workflows/" + Str(w.at("id")) + "/" + std::to_string(w.at("version").as_int64());
    HttpResponse r = Call("GET", path, "", meldpunt.token);
    ASSERT_EQ(r.status, 200) << path << " " << r.body;
    EXPECT_EQ(Json(r), w) << path;
  }
}

TEST_F(WorkflowVersionsTest, UnknownTypeOrVersionIsNotFound) {
  for (const char* path : {"/api/v1/workflows/onbekend/1", "/api/v1/workflows/proef/4",
                           "/api/v1/workflows/proef/2147483647", "/api/v1/workflows/PROEF/1",
                           "/api/v1/workflows/proe/1"}) {
    HttpResponse r = Call("GET", path, "", meldpunt.token);
    EXPECT_EQ(r.status, 404) << path << " " << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json") << path;
    EXPECT_EQ(r.body.find("Proef versie"), std::string::npos) << path;
  }
}

TEST_F(WorkflowVersionsTest, VersionThatIsNotAPositiveWholeNumberIsABadRequest) {
  for (const char* version : {"abc", "0", "-1", "+1", "1.0", "1e3", "2147483648", "99999999999999999999999999",
                              "1abc", "%20"}) {
    const std::string path = std::string("/api/v1/workflows/proef/") + version;
    HttpResponse r = Call("GET", path, "", meldpunt.token);
    EXPECT_EQ(r.status, 400) << path << " " << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json") << path;
    const json::value problem = Json(r);
    ASSERT_TRUE(problem.is_object()) << r.body;
    ASSERT_TRUE(problem.as_object().contains("errors")) << r.body;
    EXPECT_EQ(problem.at("errors").at(0).at("field"), json::value("version")) << path;
  }
  // An unknown type with a bad version: the version is checked first.
  EXPECT_EQ(Call("GET", "/api/v1/workflows/onbekend/abc", "", meldpunt.token).status, 400);
}

TEST_F(WorkflowVersionsTest, OneVersionNeedsALogin) {
  EXPECT_EQ(Call("GET", "/api/v1/workflows/proef/1").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/workflows/onbekend/abc").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/workflows/proef/1", "", "not-a-token").status, 401);
}

TEST_F(WorkflowVersionsTest, OnlyGet) {
  const HttpResponse r = Call("POST", "/api/v1/workflows/proef/1", "{}", meldpunt.token);
  EXPECT_EQ(r.status, 405) << r.body;
  EXPECT_EQ(Header(r, "Allow"), "GET");
}

// ---- the outcome notice follows the workflow file ----

// A type that is not the Wvggz, with its own bool field, tells its melder;
// a type that records melder_is_essentiele_naaste but has no report_outcome
// tells nobody.
class ReportOutcomeTest : public WorkflowsApiTest {
 protected:
  void SetUp() override {
    WorkflowsApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Add(Definition("proef", 1, "Nieuw", "report_outcome: {told_when: melder_mag_horen}\n"));
    Add(Definition("stil", 1, "Nieuw", ""));
  }

  // A small workflow whose opening records both bool fields.
  static std::string Definition(const std::string& id, int version, const std::string& initial_label,
                                const std::string& extra) {
    return "id: " + id + "\nversion: " + std::to_string(version) +
           "\nlabel: Proef\n"
           "levels: [{id: laag, label: Laag}]\n"
           "states:\n"
           "  - {id: nieuw, label: " + initial_label + ", initial: true}\n"
           "  - {id: klaar, label: Klaar, terminal: true}\n"
           "open:\n"
           "  roles: [meldpunt]\n"
           "  requires:\n"
           "    - {name: melder_mag_horen, type: bool, label: Melder mag de uitkomst horen}\n"
           "    - {name: melder_is_essentiele_naaste, type: bool, label: Essentiële naaste}\n"
           "transitions:\n"
           "  - {name: afronden, label: Afronden, from: nieuw, to: klaar, roles: [meldpunt]}\n" +
           extra;
  }

  void Add(const std::string& yaml) {
    engine::LoadResult loaded = engine::LoadWorkflowText(yaml, "test.yaml");
    ASSERT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].ToString());
    ASSERT_TRUE(registry.Add(loaded.definitions.at(0)).ok());
  }

  // A staff report, and a case of `type` opened from it; returns the tracking code.
  std::string ReportWithCase(const std::string& type, bool mag_horen, bool naaste) {
    json::object report{{"source", "burger"},
                        {"category", "woonoverlast"},
                        {"description", "Overlast"},
                        {"location", {{"municipality", "Kerkrade"}, {"wijk", "Heilust"}}}};
    HttpResponse r = Call("POST", "/api/v1/reports", json::serialize(report), meldpunt.token);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return "";
    json::object body{{"type", type},
                      {"municipality", "Kerkrade"},
                      {"report_id", Json(r).at("id")},
                      {"subject", {{"name", "Kees Demo"}}},
                      {"data", {{"melder_mag_horen", mag_horen}, {"melder_is_essentiele_naaste", naaste}}}};
    HttpResponse c = Call("POST", "/api/v1/cases", json::serialize(body), meldpunt.token);
    EXPECT_EQ(c.status, 201) << c.body;
    return Str(Json(r).at("tracking_code"));
  }

  json::object Public(const std::string& code) {
    HttpResponse r = Call("GET", "/api/v1/public/reports/" + code);
    EXPECT_EQ(r.status, 200) << r.body;
    json::value j = Json(r);
    return j.is_object() ? j.as_object() : json::object{};
  }
};

TEST_F(ReportOutcomeTest, MelderIsToldWhenTheNamedFieldIsTrue) {
  const json::object told = Public(ReportWithCase("proef", true, false));
  ASSERT_TRUE(told.contains("outcome")) << json::serialize(told);
  EXPECT_EQ(Str(told.at("outcome")), "Nieuw");
  EXPECT_FALSE(Public(ReportWithCase("proef", false, true)).contains("outcome"));
}

TEST_F(ReportOutcomeTest, NoReportOutcomeSectionTellsNobody) {
  EXPECT_FALSE(Public(ReportWithCase("stil", true, true)).contains("outcome"));
}

// The rule is today's (the latest version's); the label is that of the
// version the case is pinned to.
TEST_F(ReportOutcomeTest, RuleFromTheLatestVersionLabelFromThePinnedOne) {
  const std::string old_case = ReportWithCase("proef", true, false);
  Add(Definition("proef", 2, "Ontvangen", "report_outcome: {told_when: melder_mag_horen}\n"));
  EXPECT_EQ(Str(Public(old_case).at("outcome")), "Nieuw");
  EXPECT_EQ(Str(Public(ReportWithCase("proef", true, false)).at("outcome")), "Ontvangen");
  // Version 3 drops the notice: nobody is told any more, old cases included.
  Add(Definition("proef", 3, "Ontvangen", ""));
  EXPECT_FALSE(Public(old_case).contains("outcome"));
}

}  // namespace
}  // namespace casus::api::handlers::testing

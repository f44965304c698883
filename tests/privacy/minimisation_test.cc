// Minimisation: fields per role in API answers, reporter contact for the
// meldpunt only, the public form's row, and the BSN: stored only where the
// workflow declares it, absent from every list, view, export, event and
// audit row.
#include <gtest/gtest.h>

#include "tests/privacy/privacy_fixture.h"

namespace casus::privacy::testing {
namespace {

namespace json = boost::json;

constexpr const char* kBsn = "111222333";       // passes the elfproef
constexpr const char* kOtherBsn = "123456782";  // passes too

class MinimisationTest : public PrivacyTest {
 protected:
  void SetUp() override {
    PrivacyTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    coordinator = AddUser("coord", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    partner = AddUser("woonpunt", "partner", "Woonpunt", "woningcorporatie", "Kerkrade");
    fg = AddUser("fg.kerkrade", "privacy_officer", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  }
  json::object OpenWithBsn(const std::string& type, const std::string& name, const std::string& bsn) {
    json::object data;
    if (type == "wvggz")
      data = {{"melder_type", "naaste"},
              {"melder_is_essentiele_naaste", true},
              {"aanleiding", "Verward gedrag, weigert zorg"},
              {"politie_incidentcode", "e33"}};
    else
      data = {{"categorie", "woonoverlast"}, {"melder_type", "burger"}, {"wijk", "Holz"}, {"omschrijving", "Overlast"}};
    json::object body{{"type", type},
                      {"municipality", "Kerkrade"},
                      {"subject", {{"name", name}, {"birth_date", "1970-07-07"}, {"bsn", bsn}}},
                      {"data", data}};
    api::HttpResponse r = Call("POST", "/api/v1/cases", json::serialize(body), meldpunt.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Json(r).as_object() : json::object{};
  }
  Login meldpunt, coordinator, partner, fg;
};

TEST_F(MinimisationTest, PartnerSeesOnlyWhatItsRoleNeeds) {
  json::object report{{"source", "burger"},
                      {"category", "woonoverlast"},
                      {"description", "Overlast bij de buren"},
                      {"location", {{"municipality", "Kerkrade"}}},
                      {"reporter", {{"name", "Buurvrouw"}}}};
  api::HttpResponse reported = Call("POST", "/api/v1/reports", json::serialize(report), meldpunt.token);
  ASSERT_EQ(reported.status, 201) << reported.body;
  json::object open{{"type", "iaww"},
                    {"municipality", "Kerkrade"},
                    {"report_id", Json(reported).at("id")},
                    {"subject", {{"name", "Piet Partnerzicht"}, {"birth_date", "1980-01-01"}}},
                    {"data",
                     {{"categorie", "woonoverlast"}, {"melder_type", "burger"}, {"wijk", "Holz"}, {"omschrijving", "x"}}}};
  api::HttpResponse opened = Call("POST", "/api/v1/cases", json::serialize(open), meldpunt.token);
  ASSERT_EQ(opened.status, 201) << opened.body;
  json::object kase = Json(opened).as_object();
  const std::string id(kase["id"].as_string());
  const std::string person(kase["subject"].at("id").as_string());
  ASSERT_EQ(Call("POST", "/api/v1/cases/" + id + "/team", json::serialize(json::object{{"org", partner.org_id}}),
                 meldpunt.token)
                .status,
            201);

  // The case page, the list and the person view, for each role.
  auto check = [&](const Login& who, bool full) {
    api::HttpResponse one = Call("GET", "/api/v1/cases/" + id, "", who.token);
    ASSERT_EQ(one.status, 200) << one.body;
    json::object c = Json(one).as_object();
    EXPECT_EQ(c["subject"].at("name").as_string(), "Piet Partnerzicht");
    EXPECT_TRUE(c["subject"].as_object().contains("birth_date")) << "name and birth date identify the person";
    EXPECT_EQ(c.contains("data"), full);
    EXPECT_EQ(c.contains("report_id"), full);
    EXPECT_EQ(one.body.find("Buurvrouw"), std::string::npos);
    EXPECT_TRUE(c.contains("allowed_transitions"));
    EXPECT_TRUE(c.contains("deadlines"));

    api::HttpResponse list = Call("GET", "/api/v1/cases", "", who.token);
    ASSERT_EQ(list.status, 200);
    const json::value listed = Json(list);
    for (const auto& item : listed.at("cases").as_array()) {
      EXPECT_EQ(item.as_object().contains("data"), full);
    }
    api::HttpResponse pv = Call("GET", "/api/v1/persons/" + person, "", who.token);
    ASSERT_EQ(pv.status, 200) << pv.body;
    const json::value viewed = Json(pv);
    for (const auto& item : viewed.at("cases").as_array()) EXPECT_EQ(item.as_object().contains("data"), full);
  };
  check(partner, false);
  check(meldpunt, true);
  check(coordinator, true);
}

TEST_F(MinimisationTest, ReporterContactOnlyForTheMeldpunt) {
  json::object body{{"source", "burger"},
                    {"category", "woonoverlast"},
                    {"description", "Harde muziek"},
                    {"location", {{"street", "Markt 1"}, {"wijk", "Centrum"}, {"municipality", "Kerkrade"}}},
                    {"reporter", {{"name", "Mevrouw Melder"}, {"phone", "0451112222"}}}};
  ASSERT_EQ(Call("POST", "/api/v1/reports", json::serialize(body), meldpunt.token).status, 201);
  api::HttpResponse for_meldpunt = Call("GET", "/api/v1/reports", "", meldpunt.token);
  api::HttpResponse for_coordinator = Call("GET", "/api/v1/reports", "", coordinator.token);
  ASSERT_EQ(for_meldpunt.status, 200);
  ASSERT_EQ(for_coordinator.status, 200);
  EXPECT_NE(for_meldpunt.body.find("Mevrouw Melder"), std::string::npos);
  EXPECT_EQ(for_coordinator.body.find("Mevrouw Melder"), std::string::npos);
  EXPECT_EQ(for_coordinator.body.find("0451112222"), std::string::npos);
  EXPECT_TRUE(Json(for_coordinator).at("reports").as_array()[0].at("reporter_known").as_bool());
  EXPECT_NE(Call("GET", "/api/v1/reports", "", partner.token).status, 200);
}

TEST_F(MinimisationTest, PublicFormStoresOnlyWhatItNeeds) {
  json::object body{{"category", "jeugdoverlast"},
                    {"description", "Groep jongeren"},
                    {"location", {{"wijk", "Holz"}, {"municipality", "Kerkrade"}}}};
  ASSERT_EQ(Call("POST", "/api/v1/public/reports", json::serialize(body)).status, 201);
  // No subject, no contact, and the client address only in the (erasable) audit content.
  EXPECT_EQ(Rows("SELECT count(*) FROM reports WHERE subject_person_id IS NULL AND reporter_name = '' AND "
                 "reporter_email = '' AND reporter_phone = '' AND street = '' AND incident_code = ''"),
            1);
  EXPECT_EQ(Rows("SELECT count(*) FROM reports WHERE (id || tracking_code || source || category || description || "
                 "wijk || municipality || status) LIKE '%192.0.2.10%'"),
            0);
  EXPECT_EQ(Rows("SELECT count(*) FROM persons"), 0);
}

TEST_F(MinimisationTest, BsnIsStoredOnlyWhereTheWorkflowNeedsIt) {
  ASSERT_TRUE(registry.Latest("wvggz")->subject_bsn);
  ASSERT_FALSE(registry.Latest("iaww")->subject_bsn);
  OpenWithBsn("wvggz", "Willem Wvggz", kBsn);
  OpenWithBsn("iaww", "Ida Iaww", kOtherBsn);
  EXPECT_EQ(Rows(std::string("SELECT count(*) FROM persons WHERE name = 'Willem Wvggz' AND bsn = '") + kBsn + "'"), 1);
  EXPECT_EQ(Rows("SELECT count(*) FROM persons WHERE name = 'Ida Iaww' AND bsn IS NULL"), 1);
  EXPECT_EQ(Rows(std::string("SELECT count(*) FROM persons WHERE bsn = '") + kOtherBsn + "'"), 0);
  // An invalid BSN is refused even where none is stored.
  json::object bad{{"type", "iaww"},
                   {"municipality", "Kerkrade"},
                   {"subject", {{"name", "X"}, {"bsn", "123456789"}}}};
  EXPECT_EQ(Call("POST", "/api/v1/cases", json::serialize(bad), meldpunt.token).status, 400);
}

// Handlers and services do not log; the server's one line per request
// carries ids only (tests/api_server logging_test). The audit rows are the
// log that could hold it, so they are searched here.
TEST_F(MinimisationTest, BsnNeverLeavesTheServerNorReachesAuditOrEvents) {
  json::object kase = OpenWithBsn("wvggz", "Willem Wvggz", kBsn);
  const std::string id(kase["id"].as_string());
  const std::string person(kase["subject"].at("id").as_string());
  ASSERT_EQ(Call("POST", "/api/v1/cases/" + id + "/notes", R"({"text":"Gesprek gevoerd"})", meldpunt.token).status, 201);
  std::vector<api::HttpResponse> answers = {
      Call("GET", "/api/v1/cases/" + id, "", meldpunt.token),
      Call("GET", "/api/v1/cases", "", meldpunt.token),
      Call("GET", "/api/v1/cases?type=wvggz", "", coordinator.token),
      Call("GET", "/api/v1/cases/" + id + "/events", "", meldpunt.token),
      Call("GET", "/api/v1/cases/" + id + "/notes", "", meldpunt.token),
      Call("GET", "/api/v1/persons/" + person, "", meldpunt.token),
      Call("GET", "/api/v1/reports", "", meldpunt.token),
      Call("GET", "/api/v1/dashboard", "", coordinator.token),
      Call("GET", "/api/v1/persons/" + person + "/export", "", fg.token),
      Call("GET", "/api/v1/persons/" + person + "/export?format=html", "", fg.token),
      Call("GET", "/api/v1/persons/" + person + "/access-log", "", fg.token),
      Call("GET", "/api/v1/audit?person_id=" + person, "", fg.token),
  };
  for (const auto& a : answers) {
    EXPECT_EQ(a.status, 200) << a.body.substr(0, 300);
    EXPECT_EQ(a.body.find(kBsn), std::string::npos) << a.body.substr(0, 300);
    EXPECT_EQ(a.body.find("\"bsn\""), std::string::npos);
  }
  EXPECT_NE(answers[8].body.find("\"bsn_recorded\":true"), std::string::npos);
  const std::string like = std::string(" LIKE '%") + kBsn + "%'";
  EXPECT_EQ(Rows("SELECT count(*) FROM audit_log WHERE (action || result || user_id || role || org_id || on_behalf_of "
                 "|| client || object_type || object_id || person_id || reason || detail)" + like),
            0);
  EXPECT_EQ(Rows("SELECT count(*) FROM case_events WHERE payload_json" + like), 0);
  EXPECT_EQ(Rows("SELECT count(*) FROM cases WHERE data_json" + like), 0);
  EXPECT_EQ(Rows("SELECT count(*) FROM persons WHERE bsn = '" + std::string(kBsn) + "'"), 1) << "but it is held";
}

}  // namespace
}  // namespace casus::privacy::testing

// Correction keeps the old value in the audit trail; objection is shown on
// the case and person views. Both with their unhappy paths.
#include <gtest/gtest.h>

#include "tests/privacy/privacy_fixture.h"

namespace casus::privacy::testing {
namespace {

namespace json = boost::json;

class CorrectionTest : public PrivacyTest {
 protected:
  void SetUp() override {
    PrivacyTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    heerlen = AddUser("meldpunt.heerlen", "meldpunt", "Gemeente Heerlen", "gemeente", "Heerlen");
    partner = AddUser("woonpunt", "partner", "Woonpunt", "woningcorporatie", "Kerkrade");
    fg = AddUser("fg.kerkrade", "privacy_officer", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    json::object kase = OpenIaww(meldpunt, "Jan Demo");
    case_id = std::string(kase["id"].as_string());
    person_id = std::string(kase["subject"].at("id").as_string());
  }
  api::HttpResponse Post(const std::string& path, const json::object& body, const Login& who) {
    return Call("POST", path, json::serialize(body), who.token);
  }
  Login meldpunt, heerlen, partner, fg;
  std::string case_id, person_id;
};

TEST_F(CorrectionTest, PersonCorrectionKeepsTheOldValueInTheAuditTrail) {
  const std::string path = "/api/v1/persons/" + person_id + "/corrections";
  api::HttpResponse r =
      Post(path, {{"name", "Jan de Mo"}, {"birth_date", "1980-01-02"}, {"reason", "verzoek betrokkene (art. 16)"}}, fg);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("name").as_string(), "Jan de Mo");
  EXPECT_EQ(Text("SELECT name || ' ' || birth_date FROM persons WHERE id = '" + person_id + "'"),
            "Jan de Mo 1980-01-02");
  const storage::AuditEntry e = Audit().back();
  EXPECT_EQ(e.action, "person.correct");
  EXPECT_EQ(e.person_id, person_id);
  EXPECT_EQ(e.reason, "verzoek betrokkene (art. 16)");
  json::value detail = json::parse(e.detail);
  EXPECT_EQ(detail.at("name").at("old").as_string(), "Jan Demo");
  EXPECT_EQ(detail.at("name").at("new").as_string(), "Jan de Mo");
  EXPECT_EQ(detail.at("birth_date").at("old").as_string(), "1980-01-01");
  EXPECT_EQ(detail.at("birth_date").at("new").as_string(), "1980-01-02");
  // The case page shows the corrected person; the chain holds.
  EXPECT_EQ(Json(Call("GET", "/api/v1/cases/" + case_id, "", meldpunt.token)).at("subject").at("name").as_string(),
            "Jan de Mo");
  EXPECT_TRUE(Verified());

  // Removing the birth date is a correction too.
  ASSERT_EQ(Post(path, {{"remove_birth_date", true}, {"reason", "onjuist"}}, fg).status, 200);
  EXPECT_EQ(Rows("SELECT count(*) FROM persons WHERE id = '" + person_id + "' AND birth_date IS NULL"), 1);
  EXPECT_EQ(json::parse(Audit().back().detail).at("birth_date").at("old").as_string(), "1980-01-02");
}

TEST_F(CorrectionTest, PersonCorrectionUnhappyPaths) {
  const std::string path = "/api/v1/persons/" + person_id + "/corrections";
  const std::size_t before = Audit().size();
  EXPECT_EQ(Post(path, {{"name", "X"}, {"reason", "r"}}, meldpunt).status, 403);
  EXPECT_EQ(Post(path, {{"name", "X"}}, fg).status, 422);  // no reason
  EXPECT_EQ(Post(path, {{"name", "Jan Demo"}, {"reason", "r"}}, fg).status, 422);  // nothing changes
  EXPECT_EQ(Post(path, {{"birth_date", "1980-02-30"}, {"reason", "r"}}, fg).status, 400);     // no such date
  EXPECT_EQ(Post(path, {{"birth_date", "1980-01-02"}, {"remove_birth_date", true}, {"reason", "r"}}, fg).status, 400);
  EXPECT_EQ(Post(path, {{"name", "X"}, {"reason", "r"}, {"bsn", "111222333"}}, fg).status, 400);  // unknown field
  EXPECT_EQ(Post("/api/v1/persons/person_none/corrections", {{"name", "X"}, {"reason", "r"}}, fg).status, 404);
  EXPECT_EQ(Text("SELECT name FROM persons WHERE id = '" + person_id + "'"), "Jan Demo");
  for (std::size_t i = before; i < Audit().size(); ++i) EXPECT_NE(Audit()[i].action, "person.correct");
}

TEST_F(CorrectionTest, ReportCorrectionByTheMeldpuntOfItsMunicipality) {
  json::object body{{"source", "burger"},
                    {"category", "drugsoverlast"},
                    {"description", "Handel bij de flat"},
                    {"location", {{"street", "Flatweg 3"}, {"wijk", "Holz"}, {"municipality", "Kerkrade"}}}};
  api::HttpResponse created = Call("POST", "/api/v1/reports", json::serialize(body), meldpunt.token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string report(Json(created).at("id").as_string());
  const std::string path = "/api/v1/reports/" + report + "/corrections";

  EXPECT_EQ(Post(path, {{"category", "woonoverlast"}, {"reason", "r"}}, partner).status, 403);
  EXPECT_EQ(Post(path, {{"category", "woonoverlast"}, {"reason", "r"}}, heerlen).status, 404);
  EXPECT_EQ(Post(path, {{"category", "onbekend"}, {"reason", "r"}}, meldpunt).status, 400);
  EXPECT_EQ(Post(path, {{"category", "drugsoverlast"}, {"reason", "r"}}, meldpunt).status, 422);

  api::HttpResponse r =
      Post(path, {{"category", "woonoverlast"}, {"street", ""}, {"reason", "verkeerd ingedeeld"}}, meldpunt);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("category").as_string(), "woonoverlast");
  const storage::AuditEntry e = Audit().back();
  EXPECT_EQ(e.action, "report.correct");
  EXPECT_EQ(e.object_id, report);
  json::value detail = json::parse(e.detail);
  EXPECT_EQ(detail.at("category").at("old").as_string(), "drugsoverlast");
  EXPECT_EQ(detail.at("street").at("old").as_string(), "Flatweg 3");
  EXPECT_EQ(detail.at("street").at("new").as_string(), "");
  EXPECT_FALSE(detail.as_object().contains("description"));
  EXPECT_TRUE(Verified());
}

TEST_F(CorrectionTest, ObjectionIsShownOnTheCaseAndPersonViews) {
  const std::string path = "/api/v1/persons/" + person_id + "/objection";
  EXPECT_EQ(Post(path, {{"objected", true}, {"reason", "r"}}, meldpunt).status, 403);
  EXPECT_EQ(Post(path, {{"objected", true}}, fg).status, 422);
  EXPECT_EQ(Post("/api/v1/persons/person_none/objection", {{"objected", true}, {"reason", "r"}}, fg).status, 404);
  json::object before = Json(Call("GET", "/api/v1/cases/" + case_id, "", meldpunt.token)).as_object();
  EXPECT_FALSE(before["subject"].at("objected").as_bool());

  api::HttpResponse r = Post(path, {{"objected", true}, {"reason", "bezwaar per brief van 1 maart"}}, fg);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Json(r).at("objected").as_bool());
  EXPECT_EQ(Audit().back().action, "person.objection");
  EXPECT_EQ(Audit().back().reason, "bezwaar per brief van 1 maart");

  json::object kase = Json(Call("GET", "/api/v1/cases/" + case_id, "", meldpunt.token)).as_object();
  EXPECT_TRUE(kase["subject"].at("objected").as_bool());
  EXPECT_EQ(kase["subject"].at("objected_at").as_string(), FormatRfc3339(clock.Now()));
  json::object view = Json(Call("GET", "/api/v1/persons/" + person_id, "", meldpunt.token)).as_object();
  EXPECT_TRUE(view["person"].at("objected").as_bool());
  json::object exported = Json(Call("GET", "/api/v1/persons/" + person_id + "/export", "", fg.token)).as_object();
  EXPECT_TRUE(exported["person"].at("objected").as_bool());

  ASSERT_EQ(Post(path, {{"objected", false}, {"reason", "ingetrokken"}}, fg).status, 200);
  EXPECT_EQ(Audit().back().action, "person.objection_withdrawn");
  kase = Json(Call("GET", "/api/v1/cases/" + case_id, "", meldpunt.token)).as_object();
  EXPECT_FALSE(kase["subject"].at("objected").as_bool());
  EXPECT_FALSE(kase["subject"].as_object().contains("objected_at"));
}

}  // namespace
}  // namespace casus::privacy::testing

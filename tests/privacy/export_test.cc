// The data-subject export: complete against the rows held, as JSON and as
// an escaped printable page, privacy officer only, and audited.
#include <gtest/gtest.h>

#include "tests/privacy/privacy_fixture.h"

namespace casus::privacy::testing {
namespace {

namespace json = boost::json;

class ExportTest : public PrivacyTest {
 protected:
  void SetUp() override {
    PrivacyTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    fg = AddUser("fg.kerkrade", "privacy_officer", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    json::object kase = OpenIaww(meldpunt, "Jan Demo");
    case_id = std::string(kase["id"].as_string());
    person_id = std::string(kase["subject"].at("id").as_string());
    const std::string base = "/api/v1/cases/" + case_id;
    EXPECT_EQ(Call("POST", base + "/notes", R"({"text":"<script>alert('x')</script> & \"meer\""})", meldpunt.token)
                  .status,
              201);
    EXPECT_EQ(Call("POST", base + "/actions",
                   json::serialize(json::object{{"description", "Huisbezoek"},
                                                {"owner_org", meldpunt.org_id},
                                                {"due_at", "2026-03-09T09:00:00Z"}}),
                   meldpunt.token)
                  .status,
              201);
    EXPECT_EQ(Call("GET", base, "", meldpunt.token).status, 200);
    // A report about the person that led to no case, with reporter contact.
    Status st = store->Write([&](storage::Transaction& tx) -> Status {
      storage::Report r;
      r.id = "report_los";
      r.tracking_code = "TC-LOS";
      r.source = "burger";
      r.category = "woonoverlast";
      r.description = "Eerdere melding";
      r.municipality = "Kerkrade";
      r.reporter_name = "Derde Melder";
      r.reporter_phone = "0612345678";
      r.subject_person_id = person_id;
      r.status = "afgesloten";
      r.received_at = r.updated_at = clock.Now();
      return tx.reports().Insert(r);
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  Login meldpunt, fg;
  std::string case_id, person_id;
};

TEST_F(ExportTest, JsonHoldsEveryRowAboutThePerson) {
  const std::int64_t access_entries = Rows("SELECT count(*) FROM audit_log WHERE person_id = '" + person_id + "'");
  api::HttpResponse r =
      Call("GET", "/api/v1/persons/" + person_id + "/export?reason=inzageverzoek%2042", "", fg.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  json::object doc = Json(r).as_object();

  EXPECT_EQ(doc["person"].at("name").as_string(), "Jan Demo");
  EXPECT_EQ(doc["person"].at("birth_date").as_string(), "1980-01-01");
  EXPECT_FALSE(doc["person"].at("bsn_recorded").as_bool());
  const auto& cases = doc["cases"].as_array();
  ASSERT_EQ(static_cast<std::int64_t>(cases.size()),
            Rows("SELECT count(*) FROM cases WHERE subject_person_id = '" + person_id + "'"));
  const auto& c = cases[0].as_object();
  const std::string where = " WHERE case_id = '" + case_id + "'";
  EXPECT_EQ(static_cast<std::int64_t>(c.at("events").as_array().size()), Rows("SELECT count(*) FROM case_events" + where));
  EXPECT_EQ(static_cast<std::int64_t>(c.at("notes").as_array().size()), Rows("SELECT count(*) FROM notes" + where));
  EXPECT_EQ(static_cast<std::int64_t>(c.at("actions").as_array().size()), Rows("SELECT count(*) FROM actions" + where));
  EXPECT_EQ(c.at("notes").as_array().size(), 1u);
  EXPECT_EQ(c.at("actions").as_array().size(), 1u);
  EXPECT_FALSE(c.at("data").as_object().empty()) << "the export shows the case data in full";
  EXPECT_FALSE(c.contains("allowed_transitions"));
  // Reports: the one naming the person; reporter contact is third-party data.
  const auto& reports = doc["reports"].as_array();
  ASSERT_EQ(static_cast<std::int64_t>(reports.size()),
            Rows("SELECT count(*) FROM reports WHERE subject_person_id = '" + person_id + "'"));
  EXPECT_EQ(reports[0].at("id").as_string(), "report_los");
  EXPECT_EQ(r.body.find("Derde Melder"), std::string::npos);
  EXPECT_EQ(r.body.find("0612345678"), std::string::npos);
  // The access overview: every audit entry about the person, with names.
  const auto& log = doc["access_log"].as_array();
  EXPECT_EQ(static_cast<std::int64_t>(log.size()), access_entries);
  bool saw_read = false;
  for (const auto& e : log)
    if (e.at("action").as_string() == "case.read") {
      saw_read = true;
      EXPECT_EQ(e.at("username").as_string(), "meldpunt");
      EXPECT_EQ(e.at("organisation").as_string(), "Gemeente Kerkrade");
      EXPECT_FALSE(e.at("at").as_string().empty());
    }
  EXPECT_TRUE(saw_read);

  // Audited, with the reason and the format.
  auto audit = Audit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "person.export");
  EXPECT_EQ(audit.back().user_id, fg.user_id);
  EXPECT_EQ(audit.back().reason, "inzageverzoek 42");
  EXPECT_EQ(audit.back().detail, "{\"format\":\"json\"}");
}

TEST_F(ExportTest, HtmlPageHoldsTheSameAndEscapesEverything) {
  api::HttpResponse r = Call("GET", "/api/v1/persons/" + person_id + "/export?format=html", "", fg.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.body.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(r.body.find("Jan Demo"), std::string::npos);
  EXPECT_NE(r.body.find("Huisbezoek"), std::string::npos);
  EXPECT_NE(r.body.find("Eerdere melding"), std::string::npos);
  EXPECT_NE(r.body.find("Inzage en gebruik (NEN 7513)"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;meer&quot;"), std::string::npos);
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
  EXPECT_EQ(r.body.find("Derde Melder"), std::string::npos);
  EXPECT_EQ(Audit().back().detail, "{\"format\":\"html\"}");

  // A browser's Accept header gets the page too; JSON stays the default.
  api::HttpResponse browser = Call("GET", "/api/v1/persons/" + person_id + "/export", "", fg.token,
                                   {{"accept", "text/html,application/xhtml+xml,*/*;q=0.8"}});
  EXPECT_EQ(browser.content_type, "text/html; charset=utf-8");
  api::HttpResponse plain = Call("GET", "/api/v1/persons/" + person_id + "/export", "", fg.token,
                                 {{"accept", "application/json, text/html"}});
  EXPECT_EQ(plain.content_type, "application/json");
}

TEST_F(ExportTest, OnlyThePrivacyOfficerAndOnlyKnownFormatsAndPersons) {
  const std::size_t before = Audit().size();
  EXPECT_EQ(Call("GET", "/api/v1/persons/" + person_id + "/export", "", meldpunt.token).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/persons/" + person_id + "/export?format=html", "", meldpunt.token).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/persons/" + person_id + "/export").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/persons/" + person_id + "/export?format=xml", "", fg.token).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/persons/person_unknown/export", "", fg.token).status, 404);
  for (std::size_t i = before; i < Audit().size(); ++i) EXPECT_NE(Audit()[i].action, "person.export");
}

TEST_F(ExportTest, AccessOverviewIsAuditedToo) {
  api::HttpResponse r = Call("GET", "/api/v1/persons/" + person_id + "/access-log", "", fg.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Json(r).at("entries").as_array().empty());
  EXPECT_EQ(Audit().back().action, "person.access_log");
  EXPECT_EQ(Call("GET", "/api/v1/persons/" + person_id + "/access-log", "", meldpunt.token).status, 403);
}

}  // namespace
}  // namespace casus::privacy::testing

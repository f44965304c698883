// Reporter feedback (DOMAIN.md §4, AVG): the tracking code shows the coarse
// status; for a report linked to a Wvggz case the outcome (the case's state
// label) only when the case records the melder as an essentiële naaste.
#include <gtest/gtest.h>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

class ReporterFeedbackTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("fb.meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  }

  // A staff report; returns {id, tracking_code}.
  std::pair<std::string, std::string> Report(const std::string& category) {
    boost::json::object body{{"source", "burger"},
                             {"category", category},
                             {"description", "Buurman gedraagt zich verward"},
                             {"location", {{"municipality", "Kerkrade"}, {"wijk", "Heilust"}}}};
    HttpResponse r = Call("POST", "/api/v1/reports", boost::json::serialize(body), meldpunt.token);
    EXPECT_EQ(r.status, 201) << r.body;
    auto j = Json(r);
    if (!j.is_object()) return {};
    return {std::string(j.at("id").as_string()), std::string(j.at("tracking_code").as_string())};
  }

  void OpenWvggz(const std::string& report_id, bool naaste) {
    boost::json::object body{{"type", "wvggz"},
                             {"municipality", "Kerkrade"},
                             {"report_id", report_id},
                             {"subject", {{"name", "Kees Demo"}, {"birth_date", "1975-05-05"}}},
                             {"data",
                              {{"melder_type", naaste ? "naaste" : "burger"},
                               {"melder_is_essentiele_naaste", naaste},
                               {"aanleiding", "Zorgen over verward gedrag"}}}};
    HttpResponse r = Call("POST", "/api/v1/cases", boost::json::serialize(body), meldpunt.token);
    ASSERT_EQ(r.status, 201) << r.body;
  }

  boost::json::object Public(const std::string& code) {
    HttpResponse r = Call("GET", "/api/v1/public/reports/" + code);
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = Json(r);
    return j.is_object() ? j.as_object() : boost::json::object{};
  }

  Login meldpunt;
};

TEST_F(ReporterFeedbackTest, CoarseStatusWithoutCase) {
  auto [id, code] = Report("verward_gedrag");
  auto j = Public(code);
  EXPECT_EQ(j.at("status").as_string(), "ontvangen");
  EXPECT_TRUE(j.contains("updated_at"));
  EXPECT_FALSE(j.contains("outcome"));
}

TEST_F(ReporterFeedbackTest, EssentieleNaasteIsToldTheOutcome) {
  auto [id, code] = Report("verward_gedrag");
  OpenWvggz(id, true);
  auto j = Public(code);
  EXPECT_EQ(j.at("status").as_string(), "in_behandeling");
  ASSERT_TRUE(j.contains("outcome")) << boost::json::serialize(j);
  EXPECT_EQ(j.at("outcome").as_string(), "Melding ontvangen");
  EXPECT_EQ(j.size(), 3u);  // status, updated_at, outcome: nothing else
}

TEST_F(ReporterFeedbackTest, OtherMelderGetsNoOutcome) {
  auto [id, code] = Report("verward_gedrag");
  OpenWvggz(id, false);
  auto j = Public(code);
  EXPECT_EQ(j.at("status").as_string(), "in_behandeling");
  EXPECT_FALSE(j.contains("outcome")) << boost::json::serialize(j);
}

TEST_F(ReporterFeedbackTest, NonWvggzCaseGetsNoOutcome) {
  auto [id, code] = Report("woonoverlast");
  boost::json::object body{{"type", "iaww"},
                           {"municipality", "Kerkrade"},
                           {"report_id", id},
                           {"subject", {{"name", "Jan Demo"}, {"birth_date", "1980-01-01"}}},
                           {"data",
                            {{"categorie", "woonoverlast"},
                             {"melder_type", "burger"},
                             {"wijk", "Bleijerheide"},
                             {"omschrijving", "Geluidsoverlast"}}}};
  ASSERT_EQ(Call("POST", "/api/v1/cases", boost::json::serialize(body), meldpunt.token).status, 201);
  auto j = Public(code);
  EXPECT_FALSE(j.contains("outcome"));
}

}  // namespace
}  // namespace casus::api::handlers::testing

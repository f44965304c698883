// Staff report JSON carries `handling`, and GET /api/v1/reports?late=true
// lists only the late ones, through the real handlers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

class ReportNormsApiTest : public ApiTest {
 protected:
  std::string Create(const Login& who, const std::string& category) {
    HttpResponse r = Call("POST", "/api/v1/reports",
                          R"({"source":"burger","category":")" + category +
                              R"(","description":"Overlast.","location":{"municipality":"Kerkrade"}})",
                          who.token);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return "";
    return std::string(Json(r).at("id").as_string());
  }
};

TEST_F(ReportNormsApiTest, HandlingInReportJsonAndLateFilter) {
  clock.Set(*ParseRfc3339("2026-04-02T08:00:00Z"));  // Thursday before Easter, 10:00 local
  Login mp = AddUser("meldpunt1", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");

  HttpResponse created = Call("POST", "/api/v1/reports",
                              R"({"source":"burger","category":"woonoverlast","description":"Geluid.",)"
                              R"("location":{"municipality":"Kerkrade"}})",
                              mp.token);
  ASSERT_EQ(created.status, 201) << created.body;
  auto j = Json(created).as_object();
  ASSERT_TRUE(j.contains("handling")) << created.body;
  const auto& h = j.at("handling").as_object();
  EXPECT_EQ(h.at("norm").as_string(), "5wd");
  EXPECT_EQ(h.at("due_at").as_string(), "2026-04-10T22:00:00Z");  // Good Friday counts, Easter Monday not
  EXPECT_FALSE(h.at("late").as_bool());
  EXPECT_FALSE(h.at("late3").as_bool());
  const std::string woon = std::string(j.at("id").as_string());

  const std::string traffic = Create(mp, "verkeersveiligheid");  // 20wd: not late by 11 April
  // Sessions expire when idle for days: a fresh login for each later moment.
  clock.Set(*ParseRfc3339("2026-04-06T08:00:00Z"));
  Login mp_monday = AddUser("meldpunt_monday", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  const std::string later = Create(mp_monday, "woonoverlast");  // due later

  // One second after the first woonoverlast's due moment.
  clock.Set(*ParseRfc3339("2026-04-10T22:00:01Z"));
  Login mp2 = AddUser("meldpunt2", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");

  HttpResponse all = Call("GET", "/api/v1/reports", "", mp2.token);
  ASSERT_EQ(all.status, 200) << all.body;
  const boost::json::value all_json = Json(all);
  std::set<std::string> late_in_all;
  for (const auto& r : all_json.at("reports").as_array()) {
    const auto& o = r.as_object();
    ASSERT_TRUE(o.contains("handling"));
    if (o.at("handling").at("late").as_bool()) late_in_all.insert(std::string(o.at("id").as_string()));
  }
  EXPECT_EQ(late_in_all, (std::set<std::string>{woon}));
  EXPECT_EQ(all_json.at("reports").as_array().size(), 3u);

  HttpResponse late = Call("GET", "/api/v1/reports?late=true", "", mp2.token);
  ASSERT_EQ(late.status, 200) << late.body;
  EXPECT_EQ(late.route, "GET /api/v1/reports");
  const boost::json::value late_json = Json(late);
  const auto& items = late_json.at("reports").as_array();
  ASSERT_EQ(items.size(), 1u) << late.body;
  EXPECT_EQ(items[0].at("id").as_string(), woon);
  EXPECT_TRUE(items[0].at("handling").at("late").as_bool());
  EXPECT_FALSE(items[0].at("handling").at("late3").as_bool());

  EXPECT_EQ(Json(Call("GET", "/api/v1/reports?late=false", "", mp2.token)).at("reports").as_array().size(), 3u);
  HttpResponse bad = Call("GET", "/api/v1/reports?late=yes", "", mp2.token);
  EXPECT_EQ(bad.status, 400) << bad.body;
  (void)traffic;
  (void)later;
}

}  // namespace
}  // namespace casus::api::handlers::testing

// GET /api/v1/stats over the demo data: the seed table (Kerkrade meldpunt
// 2018-2020, seed 000) is reproduced from the stored reports; totals equal
// the underlying rows; the CSV export is RFC 4180 and audited.
#include <gtest/gtest.h>

#include <map>

#include "app/demo_data.h"
#include "engine/calendar.h"
#include "tests/api_handlers/api_fixture.h"
#include "tests/dashboard/csv_reader.h"

namespace casus::api::handlers::testing {
namespace {

class StatsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto seeded = app::SeedDemoData(*store, *cases, *auth, registry, ids, clock);
    ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
    meldpunt = AddUser("stats.meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    ASSERT_FALSE(meldpunt.token.empty());
  }

  // The stored Kerkrade reports received on local dates [from, to].
  std::vector<storage::Report> StoredReports(const std::string& from, const std::string& to) {
    std::vector<storage::Report> all, out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       storage::ReportFilter f;
                       f.municipality = "Kerkrade";
                       f.limit = 10000;
                       ASSIGN_OR_RETURN(all, tx.reports().List(f));
                       return Status::Ok();
                     }).ok());
    for (auto& r : all) {
      Date d = calendar.LocalDate(r.received_at);
      if (d >= *ParseDate(from) && d <= *ParseDate(to)) out.push_back(std::move(r));
    }
    return out;
  }

  static std::map<std::string, std::int64_t> Groups(const boost::json::value& body) {
    std::map<std::string, std::int64_t> out;
    for (const auto& g : body.at("groups").as_array())
      out[std::string(g.at("key").as_string())] = g.at("count").to_number<std::int64_t>();
    return out;
  }

  int CountAudit(const std::string& action, const std::string& result) {
    int n = 0;
    for (const auto& e : Audit())
      if (e.action == action && e.result == result) ++n;
    return n;
  }

  Login meldpunt;
};

std::string Year(int y, const std::string& group_by, const std::string& subject = "reports") {
  const std::string ys = std::to_string(y);
  return "/api/v1/stats?from=" + ys + "-01-01&to=" + ys + "-12-31&group_by=" + group_by + "&subject=" + subject;
}

TEST_F(StatsTest, ReproducesTheSeedTablePerYear) {
  const std::map<int, std::int64_t> totals = {{2018, 205}, {2019, 263}, {2020, 239}};
  for (const auto& [year, expected_total] : totals) {
    std::map<std::string, std::int64_t> expected;
    for (const auto& row : app::KerkradeMeldpuntCounts())
      if (row.year == year) expected[row.category] = row.count;
    HttpResponse r = Call("GET", Year(year, "category"), "", meldpunt.token);
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = Json(r);
    EXPECT_EQ(Groups(body), expected) << year;
    EXPECT_EQ(body.at("total").to_number<std::int64_t>(), expected_total) << year;
    EXPECT_EQ(body.at("scope").as_string(), "Kerkrade");
  }
}

TEST_F(StatsTest, TotalsEqualTheUnderlyingRowsForEveryGrouping) {
  for (int year : {2018, 2019, 2020}) {
    const std::string ys = std::to_string(year);
    const auto rows = StoredReports(ys + "-01-01", ys + "-12-31");
    for (const char* g : {"category", "wijk", "type", "source", "month"}) {
      HttpResponse r = Call("GET", Year(year, g), "", meldpunt.token);
      ASSERT_EQ(r.status, 200) << r.body;
      auto body = Json(r);
      std::int64_t sum = 0;
      for (const auto& [key, n] : Groups(body)) sum += n;
      EXPECT_EQ(body.at("total").to_number<std::int64_t>(), static_cast<std::int64_t>(rows.size())) << g << year;
      EXPECT_EQ(sum, static_cast<std::int64_t>(rows.size())) << g << year;
    }
    // Per wijk and per source, each group equals its rows.
    std::map<std::string, std::int64_t> wijk, source;
    for (const auto& row : rows) {
      ++wijk[row.wijk.empty() ? "onbekend" : row.wijk];
      ++source[row.source];
    }
    EXPECT_EQ(Groups(Json(Call("GET", Year(year, "wijk"), "", meldpunt.token))), wijk);
    EXPECT_EQ(Groups(Json(Call("GET", Year(year, "source"), "", meldpunt.token))), source);
    auto months = Groups(Json(Call("GET", Year(year, "month"), "", meldpunt.token)));
    EXPECT_EQ(months.size(), 12u);
    EXPECT_EQ(months.begin()->first, ys + "-01");
  }
  // Historical reports are not linked to cases.
  auto types = Groups(Json(Call("GET", Year(2019, "type"), "", meldpunt.token)));
  EXPECT_EQ(types, (std::map<std::string, std::int64_t>{{"niet_gekoppeld", 263}}));
  // The whole seed period at once.
  HttpResponse all = Call("GET", "/api/v1/stats?from=2018-01-01&to=2020-12-31&group_by=category", "", meldpunt.token);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Json(all).at("total").to_number<std::int64_t>(), 205 + 263 + 239);
}

TEST_F(StatsTest, CasesAreCountedByTypeAndOpeningDate) {
  // The demo opens one case of each type "now" (2026-03-02), from a report.
  HttpResponse r = Call("GET", "/api/v1/stats?from=2026-01-01&to=2026-12-31&group_by=type&subject=cases", "",
                        meldpunt.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Json(r);
  auto groups = Groups(body);
  std::int64_t stored = 0;
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     storage::CaseFilter f;
                     f.municipality = "Kerkrade";
                     f.limit = 1000;
                     ASSIGN_OR_RETURN(auto all, tx.cases().List(f));
                     stored = static_cast<std::int64_t>(all.size());
                     return Status::Ok();
                   }).ok());
  EXPECT_GT(stored, 0);
  EXPECT_EQ(body.at("total").to_number<std::int64_t>(), stored);
  for (const char* type : {"iaww", "jpp", "topx", "wvggz"}) EXPECT_GE(groups[type], 1) << type;
  for (const char* g : {"category", "wijk", "source", "month"}) {
    HttpResponse byg = Call("GET", std::string("/api/v1/stats?from=2026-01-01&to=2026-12-31&subject=cases&group_by=") + g,
                            "", meldpunt.token);
    ASSERT_EQ(byg.status, 200) << byg.body;
    EXPECT_EQ(Json(byg).at("total").to_number<std::int64_t>(), stored) << g;
  }
  // Nothing was opened in 2019.
  EXPECT_EQ(Json(Call("GET", Year(2019, "type", "cases"), "", meldpunt.token)).at("total").to_number<std::int64_t>(), 0);
}

TEST_F(StatsTest, CsvExportParsesBackToTheSameNumbersAndIsAudited) {
  // Wijk names with a comma and a quote must survive the round trip.
  ASSERT_TRUE(store->Write([&](storage::Transaction& tx) -> Status {
                     int n = 0;
                     for (const char* wijk : {"Holz, Oost", "de \"Gracht\"", "Holz, Oost"}) {
                       storage::Report r;
                       r.id = "report_csv_" + std::to_string(n++);
                       r.tracking_code = "CSVT-ESTX-000" + std::to_string(n);
                       r.source = "burger";
                       r.category = "woonoverlast";
                       r.description = "CSV test";
                       r.wijk = wijk;
                       r.municipality = "Kerkrade";
                       r.received_at = r.updated_at = *ParseRfc3339("2019-06-01T10:00:00Z");
                       RETURN_IF_ERROR(tx.reports().Insert(r));
                     }
                     return Status::Ok();
                   }).ok());
  const int exports_before = CountAudit("stats.export", "success");
  for (const char* g : {"category", "wijk"}) {
    HttpResponse json = Call("GET", Year(2019, g), "", meldpunt.token);
    ASSERT_EQ(json.status, 200) << json.body;
    auto expected = Groups(Json(json));

    HttpResponse csv = Call("GET", Year(2019, g), "", meldpunt.token, {{"accept", "text/csv"}});
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
    EXPECT_NE(Header(csv, "Content-Disposition").find("attachment"), std::string::npos);
    std::vector<std::vector<std::string>> records;
    ASSERT_TRUE(casus::testing::ParseCsv(csv.body, records)) << csv.body;
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records[0], (std::vector<std::string>{g, "count"}));
    std::map<std::string, std::int64_t> parsed;
    std::int64_t sum = 0;
    for (std::size_t i = 1; i < records.size(); ++i) {
      ASSERT_EQ(records[i].size(), 2u);
      parsed[records[i][0]] = std::stoll(records[i][1]);
      sum += std::stoll(records[i][1]);
    }
    EXPECT_EQ(parsed, expected) << g;
    EXPECT_EQ(sum, 263 + 3) << g;
    EXPECT_EQ(Header(csv, "X-Total-Count"), std::to_string(263 + 3));
    if (std::string(g) == "wijk") {
      EXPECT_EQ(parsed["Holz, Oost"], 2);
      EXPECT_EQ(parsed["de \"Gracht\""], 1);
      EXPECT_NE(csv.body.find("\"Holz, Oost\",2\r\n"), std::string::npos) << csv.body;
      EXPECT_NE(csv.body.find("\"de \"\"Gracht\"\"\",1\r\n"), std::string::npos) << csv.body;
    }
  }
  EXPECT_EQ(CountAudit("stats.export", "success"), exports_before + 2);
  bool found = false;
  for (const auto& e : Audit())
    if (e.action == "stats.export") {
      found = true;
      EXPECT_EQ(e.user_id, meldpunt.user_id);
      EXPECT_EQ(e.reason, "export");
      EXPECT_EQ(e.object_type, "stats");
    }
  EXPECT_TRUE(found);
}

TEST_F(StatsTest, JsonReadsAreAuditedAsStatsRead) {
  const int before = CountAudit("stats.read", "success");
  ASSERT_EQ(Call("GET", Year(2018, "category"), "", meldpunt.token).status, 200);
  EXPECT_EQ(CountAudit("stats.read", "success"), before + 1);
  EXPECT_EQ(CountAudit("stats.export", "success"), 0);
}

TEST_F(StatsTest, RolesOutsideMeldpuntCoordinatorBurgemeesterAreRefused) {
  Login coordinator = AddUser("stats.coord", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  Login burgemeester = AddUser("stats.bgm", "burgemeester", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  EXPECT_EQ(Call("GET", Year(2018, "category"), "", coordinator.token).status, 200);
  EXPECT_EQ(Call("GET", Year(2018, "category"), "", burgemeester.token).status, 200);
  for (auto [name, role, org, type] :
       std::vector<std::tuple<const char*, const char*, const char*, const char*>>{
           {"stats.partner", "partner", "Politie Limburg", "politie"},
           {"stats.regisseur", "regisseur", "Gemeente Kerkrade", "gemeente"},
           {"stats.privacy", "privacy_officer", "Gemeente Kerkrade", "gemeente"},
           {"stats.admin", "admin", "Gemeente Kerkrade", "gemeente"}}) {
    Login who = AddUser(name, role, org, type, "Kerkrade");
    HttpResponse r = Call("GET", Year(2018, "category"), "", who.token);
    EXPECT_EQ(r.status, 403) << role << r.body;
    EXPECT_EQ(Call("GET", Year(2018, "category"), "", who.token, {{"accept", "text/csv"}}).status, 403) << role;
  }
  EXPECT_EQ(CountAudit("stats.read", "denied"), 4);
  EXPECT_EQ(CountAudit("stats.export", "denied"), 4);
  EXPECT_EQ(Call("GET", Year(2018, "category")).status, 401);
}

TEST_F(StatsTest, OtherMunicipalitiesSeeOnlyTheirOwnReports) {
  Login heerlen = AddUser("stats.heerlen", "meldpunt", "Gemeente Heerlen", "gemeente", "Heerlen");
  HttpResponse r = Call("GET", Year(2019, "category"), "", heerlen.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("total").to_number<std::int64_t>(), 0);
  // The ZVH coordinator sees the region.
  Login zvh = AddUser("stats.zvh", "coordinator", "Zorg- en Veiligheidshuis Parkstad", "zvh", "Kerkrade");
  HttpResponse z = Call("GET", Year(2019, "category"), "", zvh.token);
  ASSERT_EQ(z.status, 200) << z.body;
  EXPECT_EQ(Json(z).at("total").to_number<std::int64_t>(), 263);
  EXPECT_EQ(Json(z).at("scope").as_string(), "regio");
}

TEST_F(StatsTest, BadParametersAre400) {
  EXPECT_EQ(Call("GET", "/api/v1/stats?group_by=street", "", meldpunt.token).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/stats?subject=persons", "", meldpunt.token).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/stats?from=2019-02-30", "", meldpunt.token).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/stats?from=2020-01-01&to=2019-01-01", "", meldpunt.token).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/stats?bogus=1", "", meldpunt.token).status, 400);
  // Defaults: this year, by category, reports.
  HttpResponse r = Call("GET", "/api/v1/stats", "", meldpunt.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("from").as_string(), "2026-01-01");
  EXPECT_EQ(Json(r).at("group_by").as_string(), "category");
  EXPECT_EQ(Json(r).at("subject").as_string(), "reports");
}

}  // namespace
}  // namespace casus::api::handlers::testing

// ReportNorms over the real workflows (and a hand-made registry for the
// several-definitions rule), and ReportService's late filter.
#include "app/report_norms.h"

#include <gtest/gtest.h>

#include <memory>

#include "app/report_service.h"
#include "app/workflow_catalog.h"
#include "storage/sqlite_store.h"
#include "tests/support/temp_dir.h"
#include "tz/tzdb_civil_time.h"

namespace casus::app {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

TimePoint T(const char* text) {
  auto t = ParseRfc3339(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(TimePoint{});
}

// Thursday 2 April 2026, 10:00 Amsterdam (CEST): the Thursday before Easter
// (Easter Sunday 5 April). woonoverlast has 5wd in iaww.yaml.
constexpr const char* kThursdayBeforeEaster = "2026-04-02T08:00:00Z";
// Working days after Thu 2 Apr: Fri 3 (Goede Vrijdag is a working day),
// Mon 6 (Tweede Paasdag) skipped, Tue 7, Wed 8, Thu 9, Fri 10 -> the end of
// Friday 10 April, local (24:00 CEST = 22:00 UTC).
constexpr const char* kDue = "2026-04-10T22:00:00Z";
// Term = 10 Apr 22:00Z - 2 Apr 08:00Z = 206 h; 3x = 618 h after receipt.
constexpr const char* kDue3 = "2026-04-28T02:00:00Z";

class ReportNormsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::SqliteOptions options;
    options.path = dir.path() / "casus.db";
    auto opened = storage::OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store = std::move(opened).value();
    auto synced = SyncWorkflows(*store, CASUS_SOURCE_DIR "/workflows");
    ASSERT_TRUE(synced.ok()) << synced.status().ToString();
    registry = std::move(synced).value();
    config.municipalities["Kerkrade"];
    norms = std::make_unique<ReportNorms>(registry, engine::DutchCalendar(tz::Amsterdam(), config.calendar));
    service = std::make_unique<ReportService>(*store, config, clock, ids, norms.get());
  }
  void TearDown() override {
    service.reset();
    store.reset();
  }

  storage::Report Insert(const std::string& id, const std::string& category, TimePoint received,
                         const std::string& status = "ontvangen") {
    storage::Report r;
    r.id = id;
    r.tracking_code = "CODE-" + id;
    r.source = "professional";
    r.category = category;
    r.description = "test";
    r.municipality = "Kerkrade";
    r.status = status;
    r.received_at = received;
    r.updated_at = received;
    Status s = store->Write([&](storage::Transaction& tx) { return tx.reports().Insert(r); });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return r;
  }

  std::vector<std::string> LateIds(bool late = true, std::optional<std::string> status = std::nullopt) {
    ReportListQuery q;
    q.late = late;
    q.status = status;
    q.limit = 200;
    auto listed = service->List(q, meldpunt);
    EXPECT_TRUE(listed.ok()) << listed.status().ToString();
    std::vector<std::string> ids_out;
    if (listed.ok())
      for (const auto& r : *listed) ids_out.push_back(r.id);
    return ids_out;
  }

  casus::testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  engine::DefinitionRegistry registry;
  Config config;
  ManualClock clock{T(kThursdayBeforeEaster)};
  SequentialIdGenerator ids;
  std::unique_ptr<ReportNorms> norms;
  std::unique_ptr<ReportService> service;
  Caller meldpunt{{"u_mp", {"meldpunt"}, "org_gem", "gemeente", "Kerkrade"}, "127.0.0.1", "", ""};
};

TEST_F(ReportNormsTest, WoonoverlastDueAcrossGoodFridayAndEasterMonday) {
  auto h = norms->Evaluate("woonoverlast", T(kThursdayBeforeEaster), "ontvangen", T(kThursdayBeforeEaster));
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->norm.ToString(), "5wd");
  EXPECT_EQ(FormatRfc3339(h->due_at), kDue);
  EXPECT_FALSE(h->late);
  EXPECT_FALSE(h->late3);
}

TEST_F(ReportNormsTest, LateExactlyAfterDueNotAtIt) {
  const TimePoint received = T(kThursdayBeforeEaster);
  auto at = norms->Evaluate("woonoverlast", received, "ontvangen", T(kDue));
  ASSERT_TRUE(at.has_value());
  EXPECT_FALSE(at->late);
  auto after = norms->Evaluate("woonoverlast", received, "getrieerd", T(kDue) + seconds(1));
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->late);
  EXPECT_FALSE(after->late3);
}

TEST_F(ReportNormsTest, Late3AtThreeTimesTheTerm) {
  const TimePoint received = T(kThursdayBeforeEaster);
  EXPECT_EQ(received + 3 * (T(kDue) - received), T(kDue3));
  auto at = norms->Evaluate("woonoverlast", received, "ontvangen", T(kDue3));
  ASSERT_TRUE(at.has_value());
  EXPECT_TRUE(at->late);
  EXPECT_FALSE(at->late3);
  auto after = norms->Evaluate("woonoverlast", received, "ontvangen", T(kDue3) + seconds(1));
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->late);
  EXPECT_TRUE(after->late3);
}

TEST_F(ReportNormsTest, ClosedLinkedAndForwardedReportsAreNeverLate) {
  const TimePoint much_later = T(kDue3) + hours(24 * 365);
  for (const char* status : {"gekoppeld", "doorgestuurd", "afgesloten"}) {
    auto h = norms->Evaluate("woonoverlast", T(kThursdayBeforeEaster), status, much_later);
    ASSERT_TRUE(h.has_value()) << status;  // the norm and due moment are still shown
    EXPECT_EQ(FormatRfc3339(h->due_at), kDue);
    EXPECT_FALSE(h->late) << status;
    EXPECT_FALSE(h->late3) << status;
  }
  EXPECT_TRUE(ReportNorms::IsOpen("ontvangen"));
  EXPECT_TRUE(ReportNorms::IsOpen("getrieerd"));
  EXPECT_FALSE(ReportNorms::IsOpen("gekoppeld"));
}

TEST_F(ReportNormsTest, UnknownCategoryHasNoNorm) {
  EXPECT_TRUE(norms->NormsFor("onbekend").empty());
  EXPECT_FALSE(norms->Evaluate("onbekend", T(kThursdayBeforeEaster), "ontvangen", T(kDue3)).has_value());
}

TEST_F(ReportNormsTest, SeveralDefinitionsForOneCategoryTheEarliestDueApplies) {
  engine::DefinitionRegistry reg;
  engine::WorkflowDefinition a;
  a.id = "a";
  a.version = 1;
  a.handling_norms = {{"woonoverlast", *engine::ParseDuration("5wd")}};
  engine::WorkflowDefinition a2 = a;  // a newer version of `a` replaces the older one's norm
  a2.version = 2;
  a2.handling_norms = {{"woonoverlast", *engine::ParseDuration("10wd")}};
  engine::WorkflowDefinition b;
  b.id = "b";
  b.version = 1;
  b.handling_norms = {{"woonoverlast", *engine::ParseDuration("7d")}};
  ASSERT_TRUE(reg.Add(a).ok());
  ASSERT_TRUE(reg.Add(a2).ok());
  ASSERT_TRUE(reg.Add(b).ok());
  ReportNorms n(reg, engine::DutchCalendar{tz::Amsterdam()});
  EXPECT_EQ(n.NormsFor("woonoverlast").size(), 2u);
  // From Thu 2 Apr: 10wd ends Fri 17 Apr, 7d ends Thu 9 Apr -> 7d.
  auto h = n.Evaluate("woonoverlast", T(kThursdayBeforeEaster), "ontvangen", T(kThursdayBeforeEaster));
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->norm.ToString(), "7d");
  EXPECT_EQ(FormatRfc3339(h->due_at), "2026-04-09T22:00:00Z");
}

TEST_F(ReportNormsTest, LateFilterReturnsExactlyTheLateOnes) {
  const TimePoint received = T(kThursdayBeforeEaster);
  Insert("r_late", "woonoverlast", received);                              // 5wd: due 10 Apr
  Insert("r_late_triaged", "drugsoverlast", received + hours(1), "getrieerd");  // 5wd
  Insert("r_linked", "woonoverlast", received, "gekoppeld");               // handling ended
  Insert("r_closed", "woonoverlast", received, "afgesloten");
  Insert("r_not_yet", "verkeersveiligheid", received);                     // 20wd: not due yet
  Insert("r_fresh", "woonoverlast", T(kDue));                              // received later
  Insert("r_no_norm", "onbekend", received);                               // no norm: never late

  clock.Set(T(kDue));  // at the due moment nothing is late yet
  EXPECT_TRUE(LateIds().empty());

  clock.Set(T(kDue) + seconds(1));
  EXPECT_EQ(LateIds(), (std::vector<std::string>{"r_late_triaged", "r_late"}));  // newest first
  EXPECT_EQ(LateIds(true, "getrieerd"), (std::vector<std::string>{"r_late_triaged"}));
  EXPECT_TRUE(LateIds(true, "gekoppeld").empty());
  EXPECT_EQ(LateIds(false).size(), 7u);  // without the filter: everything

  // The limit applies after filtering.
  ReportListQuery q;
  q.late = true;
  q.limit = 1;
  auto one = service->List(q, meldpunt);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].id, "r_late_triaged");
}

TEST_F(ReportNormsTest, WithoutNormsNothingIsLate) {
  Insert("r1", "woonoverlast", T(kThursdayBeforeEaster));
  clock.Set(T(kDue3) + hours(1));
  ReportService plain(*store, config, clock, ids);
  ReportListQuery q;
  q.late = true;
  auto listed = plain.List(q, meldpunt);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

}  // namespace
}  // namespace casus::app

// Zaaknummers through the production path of opening: CaseService plans on
// a snapshot and the writer numbers the case as it inserts it. Two threads
// opening 1,000 cases between them get 1..1000, each once, and the number
// each caller was answered with is the one stored. Runs on SQLite and on
// PostgreSQL (tests/support/backends.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <set>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "storage/case_number.h"
#include "tests/support/backends.h"
#include "tests/support/sample_workflow.h"
#include "tests/support/temp_dir.h"
#include "tz/tzdb_civil_time.h"

namespace casus::app {
namespace {

class CaseNumberOpenTest : public ::testing::TestWithParam<casus::testing::Backend> {
 protected:
  void SetUp() override {
    std::string skip;
    store = casus::testing::OpenBackend(GetParam(), dir.path(), &skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(registry.Add(casus::testing::SampleWorkflow(3)).ok());
    config.municipalities["Kerkrade"].flags["apv"] = true;
    service = std::make_unique<CaseService>(*store, registry, config, calendar, clock, ids);
    ASSERT_TRUE(store
                    ->Write([&](storage::Transaction& tx) {
                      return tx.organisations().Insert({"org_gem", "Gemeente Kerkrade", "gemeente", "Kerkrade"});
                    })
                    .ok());
  }

  StatusOr<storage::CaseRecord> Open(const std::string& subject) {
    OpenCaseInput input{"iaww", "Kerkrade", {subject, ParseDate("1980-01-01")}, std::nullopt, 1,
                        {{"bron", std::string("burger")}}};
    return service->OpenCase(input, Caller{{"u_meld", {"meldpunt"}, "org_gem", "gemeente", "Kerkrade"}, "127.0.0.1", "", ""});
  }

  casus::testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  engine::DefinitionRegistry registry;
  Config config;
  engine::DutchCalendar calendar{tz::Amsterdam()};
  ManualClock clock{*ParseRfc3339("2026-03-02T09:00:00Z")};
  SequentialIdGenerator ids;
  std::unique_ptr<CaseService> service;
};

TEST_P(CaseNumberOpenTest, TheOpenedCaseComesBackWithItsZaaknummer) {
  auto first = Open("Persoon Een");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->case_number, "IAWW-2026-0001");
  auto second = Open("Persoon Twee");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->case_number, "IAWW-2026-0002");
  // A refused opening (unknown municipality) takes no number.
  OpenCaseInput elsewhere{"iaww", "Nergenshuizen", {"Persoon Drie", std::nullopt}, std::nullopt, 1,
                          {{"bron", std::string("burger")}}};
  EXPECT_FALSE(
      service->OpenCase(elsewhere, Caller{{"u_meld", {"meldpunt"}, "org_gem", "gemeente", "Kerkrade"}, "", "", ""})
          .ok());
  auto third = Open("Persoon Vier");
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->case_number, "IAWW-2026-0003");
}

TEST_P(CaseNumberOpenTest, TwoThreadsOpeningAThousandCasesGetOneToAThousandEachOnce) {
  constexpr int kPerThread = 500;
  auto opener = [&](const std::string& prefix) {
    std::vector<std::pair<std::string, std::string>> opened;  // (case id, zaaknummer answered)
    for (int i = 0; i < kPerThread; ++i) {
      auto rec = Open(prefix + " " + std::to_string(i));
      if (!rec.ok()) {
        ADD_FAILURE() << rec.status().ToString();
        break;
      }
      opened.emplace_back(rec->id, rec->case_number);
    }
    return opened;
  };
  auto one = std::async(std::launch::async, opener, "Links");
  auto two = std::async(std::launch::async, opener, "Rechts");
  auto opened = one.get();
  auto more = two.get();
  opened.insert(opened.end(), more.begin(), more.end());
  ASSERT_EQ(opened.size(), 2u * kPerThread);

  std::set<std::string> answered;
  for (const auto& [id, number] : opened) answered.insert(number);
  EXPECT_EQ(answered.size(), opened.size()) << "a zaaknummer was given twice";
  std::set<std::string> expected;
  for (int n = 1; n <= 2 * kPerThread; ++n) expected.insert(storage::FormatCaseNumber("iaww", 2026, n));
  EXPECT_EQ(answered, expected) << "not exactly 1..1000: a gap or a stray number";

  // Each caller was told the number that is stored with its case.
  ASSERT_TRUE(store
                  ->Read([&](storage::Transaction& tx) -> Status {
                    for (const auto& [id, number] : opened) {
                      ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(id));
                      EXPECT_EQ(rec.case_number, number) << id;
                    }
                    return Status::Ok();
                  })
                  .ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseNumberOpenTest,
                         ::testing::Values(casus::testing::Backend::kSqlite, casus::testing::Backend::kPostgres),
                         casus::testing::BackendName);

}  // namespace
}  // namespace casus::app

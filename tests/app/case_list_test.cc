// The case list over a real SQLite file, for callers who reach cases only
// through a team or a break-the-glass grant: pages in id order across the
// team query's own pages, every visible case exactly once, nothing of
// another organisation, and a grant merged at its place in the order.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "app/case_queries.h"
#include "storage/sqlite_store.h"
#include "tests/support/sample_workflow.h"
#include "tests/support/temp_dir.h"

namespace casus::app {
namespace {

class CaseListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::SqliteOptions options;
    options.path = dir.path() / "casus.db";
    auto opened = storage::OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store = std::move(opened).value();
    ASSERT_TRUE(registry.Add(casus::testing::SampleWorkflow(3)).ok());
    queries = std::make_unique<CaseQueries>(*store, registry, clock);
  }

  static std::string CaseId(int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "case_%04d", i);
    return buf;
  }

  // `count` cases in Kerkrade; each case i has the police organisation on
  // its team when team(i) holds, otherwise the GGZ.
  template <typename OnTeam>
  void AddCases(int count, OnTeam team) {
    ASSERT_TRUE(store
                    ->Write([&](storage::Transaction& tx) -> Status {
                      RETURN_IF_ERROR(tx.persons().Insert({"person_1", "Jan Demo", std::nullopt, std::nullopt, clock.Now()}));
                      for (int i = 0; i < count; ++i) {
                        storage::CaseRecord k;
                        k.id = CaseId(i);
                        k.type = "iaww";
                        k.definition_version = 3;
                        k.state = "nieuw";
                        k.level = "laag";
                        k.municipality = "Kerkrade";
                        k.subject_person_id = "person_1";
                        k.received_at = k.created_at = k.updated_at = clock.Now();
                        RETURN_IF_ERROR(tx.cases().Insert(k));
                        RETURN_IF_ERROR(
                            tx.team().Add({k.id, team(i) ? "org_pol" : "org_ggz", "", "lid", clock.Now()}));
                      }
                      return Status::Ok();
                    })
                    .ok());
  }

  std::vector<std::string> AllPages(const Caller& caller, int limit, int* pages) {
    std::vector<std::string> ids;
    CaseListQuery q;
    q.limit = limit;
    *pages = 0;
    while (true) {
      auto page = queries->List(q, caller);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      ++*pages;
      for (const auto& v : page->cases) ids.push_back(v.record.id);
      if (!page->next_cursor) break;
      EXPECT_EQ(*page->next_cursor, ids.back());
      q.cursor = page->next_cursor;
      if (*pages > 100) break;
    }
    return ids;
  }

  casus::testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  engine::DefinitionRegistry registry;
  ManualClock clock{*ParseRfc3339("2026-03-02T09:00:00Z")};
  std::unique_ptr<CaseQueries> queries;
  const Caller police{{"u_pol", {"partner"}, "org_pol", "politie", "Kerkrade"}, "127.0.0.1", "", ""};
};

TEST_F(CaseListTest, TeamCasesPageInIdOrderAcrossTheTeamQueryPages) {
  // 700 cases, two of every three on the police's team: 467 of them, more
  // than two of the team query's pages of 200.
  AddCases(700, [](int i) { return i % 3 != 2; });
  std::vector<std::string> expected;
  for (int i = 0; i < 700; ++i)
    if (i % 3 != 2) expected.push_back(CaseId(i));
  int pages = 0;
  EXPECT_EQ(AllPages(police, 100, &pages), expected);
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(AllPages(police, 7, &pages), expected);
  EXPECT_EQ(pages, 67);
}

TEST_F(CaseListTest, GrantedCasesAreMergedAtTheirPlaceInTheOrder) {
  // Police on the team of cases 0..249; grants on 120 (also on the team),
  // 260 and 599 (not on it), and an expired one on 300.
  AddCases(600, [](int i) { return i < 250; });
  ASSERT_TRUE(store
                  ->Write([&](storage::Transaction& tx) -> Status {
                    int n = 0;
                    for (auto [i, hours] : std::vector<std::pair<int, int>>{{120, 8}, {260, 8}, {599, 8}, {300, -1}}) {
                      storage::AccessGrant g{"grant_" + std::to_string(n++), CaseId(i), "u_pol", "acute dreiging",
                                             clock.Now() - std::chrono::hours(9), clock.Now() + std::chrono::hours(hours),
                                             std::nullopt, ""};
                      RETURN_IF_ERROR(tx.grants().Insert(g));
                    }
                    return Status::Ok();
                  })
                  .ok());
  std::vector<std::string> expected;
  for (int i = 0; i < 250; ++i) expected.push_back(CaseId(i));
  expected.push_back(CaseId(260));
  expected.push_back(CaseId(599));
  int pages = 0;
  EXPECT_EQ(AllPages(police, 100, &pages), expected);
  EXPECT_EQ(pages, 3);
  // Another police officer has no grants: the team's cases only.
  const Caller colleague{{"u_pol2", {"partner"}, "org_pol", "politie", "Kerkrade"}, "127.0.0.1", "", ""};
  expected.resize(250);
  EXPECT_EQ(AllPages(colleague, 100, &pages), expected);
  // The GGZ sees exactly the rest, none of the police's.
  const Caller ggz{{"u_ggz", {"partner"}, "org_ggz", "ggz", "Kerkrade"}, "127.0.0.1", "", ""};
  auto theirs = AllPages(ggz, 100, &pages);
  ASSERT_EQ(theirs.size(), 350u);
  EXPECT_EQ(theirs.front(), CaseId(250));
  EXPECT_EQ(theirs.back(), CaseId(599));
}

}  // namespace
}  // namespace casus::app

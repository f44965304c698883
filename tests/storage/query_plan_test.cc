// The list queries read in index order: for every combination of case list
// criteria (a zaaknummer among them), and for the team query, SQLite's plan searches an index and
// never sorts (no "TEMP B-TREE"), so a page costs its own rows and not a
// sort of every case in a municipality (bench/RESULTS.md, 1,000,000 cases).
// The OpenID lookups (user by identity, sessions by provider session id)
// search their partial indexes, whose condition each query repeats.
#include <gtest/gtest.h>

#include <string>

#include "storage/sqlite/repositories.h"
#include "storage/sqlite/transaction.h"
#include "tests/storage/test_db.h"

namespace casus::storage::testing {
namespace {

using QueryPlanTest = StorageTest;

std::string PlanOf(Store& store, const std::string& sql) {
  std::string plan;
  EXPECT_TRUE(store.Read([&](Transaction& tx) -> Status {
    auto& conn = dynamic_cast<sqlite::SqliteTransaction&>(tx).connection();
    ASSIGN_OR_RETURN(sqlite::StatementRef s, conn.Prepare("EXPLAIN QUERY PLAN " + sql));
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step("explain"));
      if (!row) break;
      plan += s->ColumnText(3) + "\n";
    }
    return Status::Ok();
  }).ok());
  return plan;
}

TEST_F(QueryPlanTest, EveryCaseListVariantReadsInIdOrderWithoutSorting) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  for (int mask = 0; mask < 128; ++mask) {
    CaseFilter f;
    if (mask & 1) f.type = "iaww";
    if (mask & 2) f.state = "nieuw";
    if (mask & 4) f.level = "laag";
    if (mask & 8) f.municipality = "Kerkrade";
    if (mask & 16) f.subject_person_id = "person_1";
    if (mask & 32) f.after_id = "case_1";
    if (mask & 64) f.case_number = "IAWW-2026-0042";
    const std::string sql = sqlite::CaseListSql(f);
    const std::string plan = PlanOf(*store, sql);
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql << "\n" << plan;
  }
  // The indexes the meldpunt's worklist and the person view depend on.
  CaseFilter worklist;
  worklist.municipality = "Kerkrade";
  worklist.type = "iaww";
  worklist.state = "nieuw";
  worklist.after_id = "case_1";
  EXPECT_NE(PlanOf(*store, sqlite::CaseListSql(worklist)).find("cases_by_municipality_type_state"), std::string::npos);
  CaseFilter person;
  person.subject_person_id = "person_1";
  EXPECT_NE(PlanOf(*store, sqlite::CaseListSql(person)).find("cases_by_subject"), std::string::npos);
  // A zaaknummer finds its one case by its unique index, whatever else is asked.
  CaseFilter by_number;
  by_number.case_number = "IAWW-2026-0042";
  by_number.municipality = "Kerkrade";
  by_number.subject_person_id = "person_1";
  EXPECT_NE(PlanOf(*store, sqlite::CaseListSql(by_number)).find("cases_by_case_number"), std::string::npos);
}

TEST_F(QueryPlanTest, TeamQueryMergesTwoIndexOrderedReads) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const std::string plan = PlanOf(*store, sqlite::kTeamCaseIdsSql);
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  EXPECT_NE(plan.find("MERGE"), std::string::npos) << plan;
  EXPECT_NE(plan.find("case_team_by_org"), std::string::npos) << plan;
  EXPECT_NE(plan.find("case_team_by_user"), std::string::npos) << plan;
}

TEST_F(QueryPlanTest, OpenIdLookupsSearchTheirPartialIndexes) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const std::string user_plan = PlanOf(*store, sqlite::UserByOidcSubjectSql());
  EXPECT_NE(user_plan.find("SEARCH users USING INDEX users_by_oidc_subject"), std::string::npos) << user_plan;
  const std::string session_plan = PlanOf(*store, sqlite::kRevokeSessionsByOidcSidSql);
  EXPECT_NE(session_plan.find("SEARCH sessions USING INDEX sessions_by_oidc_sid"), std::string::npos) << session_plan;
}

}  // namespace
}  // namespace casus::storage::testing

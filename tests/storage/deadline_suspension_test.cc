// Opschorting in storage: a deadline's term, the time its suspensions added
// and a running suspension come back from every read of a case (Get, List,
// ListAmong) after every write (Insert, Update, UpdateProgress); a deadline
// without them reads back empty; a stored term that does not parse is an
// error, never a dropped value. On both backends (backend_test.h).
#include <gtest/gtest.h>

#include "tests/storage/backend_test.h"

namespace casus::storage::testing {
namespace {

using engine::DurationSpec;

// MakeCase's deadlines with suspension data: the active one suspended since
// At(10, 14), after an earlier suspension that added 3 working days; the
// cleared one with its term only.
CaseRecord SuspendedCase(const std::string& id) {
  CaseRecord k = MakeCase(id, "person_1");
  k.deadlines.at(0).term = DurationSpec{DurationSpec::Unit::kWorkingDays, 10};
  k.deadlines.at(0).extended_by = 3;
  k.deadlines.at(0).suspended_at = At(10, 14);
  k.deadlines.at(0).suspension_reason = "Wachten op \"informatie\" van de huisarts, ✓ \\ é";
  k.deadlines.at(1).term = DurationSpec{DurationSpec::Unit::kHours, 24};
  return k;
}

class DeadlineSuspensionTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    MustWrite(*store_, [](Transaction& tx) { return tx.persons().Insert(MakePerson("person_1", "Piet de Vries")); });
  }

  void Insert(const CaseRecord& k) {
    MustWrite(*store_, [&](Transaction& tx) { return tx.cases().Insert(k); });
  }

  // The case's deadlines as Get, List and ListAmong each return them.
  struct Reads {
    std::vector<engine::DeadlineState> get, list, among;
  };
  Reads ReadDeadlines(const std::string& case_id) {
    Reads out;
    EXPECT_TRUE(store_->Read([&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(CaseRecord got, tx.cases().Get(case_id));
      out.get = got.deadlines;
      CaseFilter one;
      one.case_number = got.case_number;
      ASSIGN_OR_RETURN(std::vector<CaseRecord> listed, tx.cases().List(one));
      if (listed.size() == 1) out.list = listed[0].deadlines;
      ASSIGN_OR_RETURN(std::vector<CaseRecord> among, tx.cases().ListAmong({case_id}, CaseFilter{}));
      if (among.size() == 1) out.among = among[0].deadlines;
      return Status::Ok();
    }).ok());
    return out;
  }

  std::unique_ptr<Store> store_;
};

TEST_P(DeadlineSuspensionTest, EveryReadReturnsTermExtensionAndSuspensionAsWritten) {
  const CaseRecord want = SuspendedCase("case_1");
  Insert(want);
  const Reads got = ReadDeadlines("case_1");
  EXPECT_EQ(got.get, want.deadlines);
  EXPECT_EQ(got.list, want.deadlines);
  EXPECT_EQ(got.among, want.deadlines);
}

TEST_P(DeadlineSuspensionTest, ADeadlineWithoutTermOrSuspensionReadsBackEmptyAndIsStoredAsNull) {
  const CaseRecord want = MakeCase("case_1", "person_1");
  Insert(want);
  const Reads got = ReadDeadlines("case_1");
  ASSERT_EQ(got.get.size(), 2u);
  EXPECT_EQ(got.get[0].term, std::nullopt);
  EXPECT_EQ(got.get[0].extended_by, 0);
  EXPECT_EQ(got.get[0].suspended_at, std::nullopt);
  EXPECT_EQ(got.get[0].suspension_reason, "");
  EXPECT_EQ(got.get, want.deadlines);
  EXPECT_EQ(got.list, want.deadlines);
  EXPECT_EQ(got.among, want.deadlines);
  EXPECT_EQ(RawInt("SELECT count(*) FROM case_deadlines WHERE term IS NULL AND extended_by = 0 AND "
                   "suspended_at IS NULL AND suspension_reason IS NULL"),
            2);
}

TEST_P(DeadlineSuspensionTest, UpdateAndProgressReplaceTheSuspensionBothWays) {
  Insert(MakeCase("case_1", "person_1"));
  // Suspended by a full update.
  CaseRecord suspended = SuspendedCase("case_1");
  MustWrite(*store_, [&](Transaction& tx) { return tx.cases().Update(suspended, 1); });
  EXPECT_EQ(ReadDeadlines("case_1").get, suspended.deadlines);

  // Resumed by a transition's progress: the suspended time is added and the
  // end moves on; no suspension is left, and its reason is stored as NULL.
  std::vector<engine::DeadlineState> resumed = suspended.deadlines;
  resumed.at(0).extended_by = 5;
  resumed.at(0).due_at = At(19, 9);
  resumed.at(0).suspended_at = std::nullopt;
  resumed.at(0).suspension_reason.clear();
  CaseProgress p{"case_1", 2, suspended.state, suspended.level, suspended.history, suspended.data, At(12), resumed};
  MustWrite(*store_, [&](Transaction& tx) { return tx.cases().UpdateProgress(p); });
  const Reads got = ReadDeadlines("case_1");
  EXPECT_EQ(got.get, resumed);
  EXPECT_EQ(got.list, resumed);
  EXPECT_EQ(got.among, resumed);
  EXPECT_EQ(RawInt("SELECT count(*) FROM case_deadlines WHERE suspended_at IS NULL AND suspension_reason IS NULL"), 2);
}

TEST_P(DeadlineSuspensionTest, AnUnparsableStoredTermIsAnInternalErrorOnEveryRead) {
  Insert(SuspendedCase("case_1"));
  // The term is not dropped: without it the engine would resolve the
  // definition's current term, and a suspension would move the wrong end.
  RawSql("UPDATE case_deadlines SET term = '10 werkdagen' WHERE position = 0");
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    auto got = tx.cases().Get("case_1");
    EXPECT_EQ(got.status().code(), StatusCode::kInternal) << got.status().ToString();
    EXPECT_NE(got.status().message().find("10 werkdagen"), std::string::npos) << got.status().message();
    EXPECT_EQ(tx.cases().List(CaseFilter{}).status().code(), StatusCode::kInternal);
    EXPECT_EQ(tx.cases().ListAmong({"case_1"}, CaseFilter{}).status().code(), StatusCode::kInternal);
    return Status::Ok();
  }).ok());
  // An empty text is no term either (absent is NULL).
  RawSql("UPDATE case_deadlines SET term = '' WHERE position = 0");
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    EXPECT_EQ(tx.cases().Get("case_1").status().code(), StatusCode::kInternal);
    return Status::Ok();
  }).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, DeadlineSuspensionTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace casus::storage::testing

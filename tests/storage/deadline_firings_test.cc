// Deadline firings: recorded at most once per (case, deadline, run, kind),
// a refused duplicate changes nothing, and the scheduler's query sees only
// active, unsuspended deadlines due before the given time, across cases.
// On both backends (tests/storage/backend_test.h).
#include <gtest/gtest.h>

#include "tests/storage/backend_test.h"

namespace casus::storage::testing {
namespace {

class DeadlineFiringTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    MustWrite(*store_, [](Transaction& tx) { return tx.persons().Insert(MakePerson("person_1", "Piet de Vries")); });
    // MakeCase: verkennend_onderzoek active, due At(17, 9); eerste_contact cleared.
    for (const char* id : {"case_a", "case_b"})
      MustWrite(*store_, [&](Transaction& tx) { return tx.cases().Insert(MakeCase(id, "person_1")); });
  }

  bool Record(const DeadlineFiring& f) {
    bool recorded = false;
    MustWrite(*store_, [&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(recorded, tx.deadline_firings().TryRecord(f));
      return Status::Ok();
    });
    return recorded;
  }

  std::unique_ptr<Store> store_;
};

TEST_P(DeadlineFiringTest, SecondRecordOfTheSameFiringIsRefusedAndChangesNothing) {
  DeadlineFiring f{"case_a", "verkennend_onderzoek", At(3, 9), "overdue", At(17, 10)};
  EXPECT_TRUE(Record(f));
  DeadlineFiring again = f;
  again.fired_at = At(18, 10);
  EXPECT_FALSE(Record(again));
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto list, tx.deadline_firings().ListForCase("case_a"));
    EXPECT_EQ(list, std::vector<DeadlineFiring>{f});  // the first fired_at stays
    return Status::Ok();
  }).ok());
}

TEST_P(DeadlineFiringTest, KindRunAndCaseEachMakeADistinctFiring) {
  EXPECT_TRUE(Record({"case_a", "verkennend_onderzoek", At(3, 9), "due_soon", At(15, 0)}));
  EXPECT_TRUE(Record({"case_a", "verkennend_onderzoek", At(3, 9), "overdue", At(17, 10)}));
  EXPECT_TRUE(Record({"case_a", "verkennend_onderzoek", At(3, 9), "late3", At(20, 10)}));
  EXPECT_TRUE(Record({"case_a", "verkennend_onderzoek", At(4, 9), "overdue", At(18, 10)}));  // a later run
  EXPECT_TRUE(Record({"case_b", "verkennend_onderzoek", At(3, 9), "overdue", At(17, 10)}));
  EXPECT_EQ(RawInt("SELECT count(*) FROM deadline_firings"), 5);
}

TEST_P(DeadlineFiringTest, UnknownKindIsRefusedByTheSchema) {
  Status st = store_->Write([](Transaction& tx) -> Status {
    return tx.deadline_firings().TryRecord({"case_a", "x", At(3, 9), "sometime", At(3, 9)}).status();
  });
  EXPECT_FALSE(st.ok());
}

TEST_P(DeadlineFiringTest, ActiveDueBeforeListsOnlyActiveDeadlinesDueBeforeTheTime) {
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto none, tx.deadline_firings().ListActiveDueBefore(At(17, 9), 100));
    EXPECT_TRUE(none.empty());  // due exactly then: not before
    ASSIGN_OR_RETURN(auto both, tx.deadline_firings().ListActiveDueBefore(At(17, 10), 100));
    std::vector<ActiveDeadline> want = {{"case_a", "verkennend_onderzoek", At(3, 9), At(17, 9)},
                                        {"case_b", "verkennend_onderzoek", At(3, 9), At(17, 9)}};
    EXPECT_EQ(both, want);  // the cleared eerste_contact (due At(4, 9)) is not listed
    ASSIGN_OR_RETURN(auto limited, tx.deadline_firings().ListActiveDueBefore(At(30, 0), 1));
    EXPECT_EQ(limited.size(), 1u);
    return Status::Ok();
  }).ok());
}

TEST_P(DeadlineFiringTest, ASuspendedDeadlineIsNeitherDueSoonNorOverdue) {
  auto listed = [&](TimePoint before) {
    std::vector<ActiveDeadline> out;
    EXPECT_TRUE(store_->Read([&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(out, tx.deadline_firings().ListActiveDueBefore(before, 100));
      return Status::Ok();
    }).ok());
    return out;
  };
  auto set_deadline = [&](const engine::DeadlineState& d) {
    MustWrite(*store_, [&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(CaseRecord k, tx.cases().Get("case_a"));
      k.deadlines.at(0) = d;
      return tx.cases().Update(k, k.version);
    });
  };
  const ActiveDeadline overdue_b{"case_b", "verkennend_onderzoek", At(3, 9), At(17, 9)};
  // Overdue while it runs (due At(17, 9)).
  EXPECT_EQ(listed(At(20, 0)),
            (std::vector<ActiveDeadline>{{"case_a", "verkennend_onderzoek", At(3, 9), At(17, 9)}, overdue_b}));

  // Suspended: gone from the scan whatever its bound; case_b's is still there.
  engine::DeadlineState d = MakeCase("case_a", "person_1").deadlines.at(0);
  d.term = engine::DurationSpec{engine::DurationSpec::Unit::kWorkingDays, 10};
  d.suspended_at = At(16, 9);
  d.suspension_reason = "wacht op rapportage";
  set_deadline(d);
  EXPECT_EQ(listed(At(20, 0)), std::vector<ActiveDeadline>{overdue_b});
  EXPECT_EQ(listed(At(31, 23)), std::vector<ActiveDeadline>{overdue_b});

  // Resumed with its end moved on: listed again, by its new due time.
  d.suspended_at = std::nullopt;
  d.suspension_reason.clear();
  d.extended_by = 2;
  d.due_at = At(19, 9);
  set_deadline(d);
  EXPECT_EQ(listed(At(19, 9)), std::vector<ActiveDeadline>{overdue_b});
  EXPECT_EQ(listed(At(20, 0)),
            (std::vector<ActiveDeadline>{overdue_b, {"case_a", "verkennend_onderzoek", At(3, 9), At(19, 9)}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, DeadlineFiringTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace casus::storage::testing

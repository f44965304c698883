// Zaaknummers (storage/case_number.h) on both backends: numbered per type
// and year from 1, the year turning at midnight in Amsterdam, unique,
// assigned in the transaction that inserts the case (a write set that
// fails gives its number back, also among the jobs of one group), never
// reused (erasure keeps the number and the counter), searchable, and
// without duplicates or gaps when two threads open 1,000 cases through
// the writer.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "storage/case_number.h"
#include "storage/write_set.h"
#include "tests/storage/backend_test.h"

namespace casus::storage::testing {
namespace {

class CaseNumberTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    MustWrite(*store_, [](Transaction& tx) { return tx.persons().Insert(MakePerson("person_1", "Piet")); });
  }

  static CaseRecord NewCase(const std::string& id, const std::string& type, TimePoint created_at) {
    CaseRecord k = MakeCase(id, "person_1");
    k.type = type;
    k.created_at = k.received_at = k.updated_at = created_at;
    return k;
  }

  // Inserts through the writer as a command does (ApplyWriteSet) and
  // returns the number the write set was given ("" and a failure when not).
  std::string Open(const std::string& id, const std::string& type = "iaww", TimePoint created_at = At(3)) {
    WriteSet writes;
    writes.cases.push_back(NewCase(id, type, created_at));
    Status st = store_->Write([&](Transaction& tx) { return ApplyWriteSet(tx, writes); });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return writes.cases.front().case_number;
  }

  CaseRecord Stored(const std::string& id) {
    CaseRecord out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(out, tx.cases().Get(id));
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  std::vector<std::string> ListByNumber(const std::string& number, std::optional<std::string> type = std::nullopt) {
    std::vector<std::string> ids;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      CaseFilter filter;
      filter.case_number = number;
      filter.type = std::move(type);
      ASSIGN_OR_RETURN(auto found, tx.cases().List(filter));
      for (const auto& k : found) ids.push_back(k.id + " " + k.case_number);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return ids;
  }

  std::unique_ptr<Store> store_;
};

TimePoint Utc(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

TEST_P(CaseNumberTest, NumbersRunPerTypeAndYearFromOneAndAreReadBackEverywhere) {
  EXPECT_EQ(Open("case_a"), "IAWW-2026-0001");
  EXPECT_EQ(Open("case_b"), "IAWW-2026-0002");
  EXPECT_EQ(Open("case_c", "wvggz"), "WVGGZ-2026-0001");
  EXPECT_EQ(Open("case_d"), "IAWW-2026-0003");
  EXPECT_EQ(Stored("case_b").case_number, "IAWW-2026-0002");
  EXPECT_EQ(Stored("case_c").case_number, "WVGGZ-2026-0001");
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto all, tx.cases().List(CaseFilter{}));
    std::vector<std::string> numbers;
    for (const auto& k : all) numbers.push_back(k.case_number);
    EXPECT_EQ(numbers, (std::vector<std::string>{"IAWW-2026-0001", "IAWW-2026-0002", "WVGGZ-2026-0001",
                                                 "IAWW-2026-0003"}));
    ASSIGN_OR_RETURN(auto among, tx.cases().ListAmong({"case_d", "case_a"}, CaseFilter{}));
    EXPECT_EQ(among.size(), 2u);
    if (among.size() == 2) {
      EXPECT_EQ(among[0].case_number, "IAWW-2026-0001");
      EXPECT_EQ(among[1].case_number, "IAWW-2026-0003");
    }
    return Status::Ok();
  }).ok());
  // Insert returns the number too, and ignores one the record carries.
  CaseRecord preset = NewCase("case_e", "iaww", At(4));
  preset.case_number = "IAWW-2026-0001";
  std::string given;
  MustWrite(*store_, [&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(given, tx.cases().InsertNumbered(preset));
    return Status::Ok();
  });
  EXPECT_EQ(given, "IAWW-2026-0004");
  EXPECT_EQ(Stored("case_e").case_number, "IAWW-2026-0004");
}

TEST_P(CaseNumberTest, TheYearTurnsAtMidnightInAmsterdamAndEachYearStartsAtOne) {
  // 23:59:59 on 31 December in Amsterdam is 22:59:59 UTC (winter time).
  EXPECT_EQ(Open("case_1", "iaww", Utc("2026-12-31T22:59:59Z")), "IAWW-2026-0001");
  EXPECT_EQ(Open("case_2", "iaww", Utc("2026-12-31T23:00:00Z")), "IAWW-2027-0001");
  EXPECT_EQ(Open("case_3", "iaww", Utc("2027-06-30T22:30:00Z")), "IAWW-2027-0002");  // 1 July, summer time
  // A case dated in the earlier year (received late) continues that year's count.
  EXPECT_EQ(Open("case_4", "iaww", Utc("2026-12-31T12:00:00Z")), "IAWW-2026-0002");
  EXPECT_EQ(Open("case_5", "jpp", Utc("2027-01-01T00:00:00Z")), "JPP-2027-0001");
  EXPECT_EQ(CaseNumberYear(Utc("2026-12-31T22:59:59Z")), 2026);
  EXPECT_EQ(CaseNumberYear(Utc("2026-12-31T23:00:00Z")), 2027);
}

TEST_P(CaseNumberTest, TenThousandAndMoreGetMoreDigits) {
  Open("case_1");
  RawSql("UPDATE case_number_counters SET last_number = 9998 WHERE type = 'iaww' AND year = 2026");
  EXPECT_EQ(Open("case_2"), "IAWW-2026-9999");
  EXPECT_EQ(Open("case_3"), "IAWW-2026-10000");
  EXPECT_EQ(Stored("case_3").case_number, "IAWW-2026-10000");
}

TEST_P(CaseNumberTest, NumbersAreUniqueEvenWhenTheCounterIsSetBack) {
  Open("case_1");
  Open("case_2");
  // Someone with database rights sets the counter back: the unique
  // constraint refuses the number a second time instead of giving it out.
  RawSql("UPDATE case_number_counters SET last_number = 0");
  WriteSet writes;
  writes.cases.push_back(NewCase("case_3", "iaww", At(3)));
  Status st = store_->Write([&](Transaction& tx) { return ApplyWriteSet(tx, writes); });
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition) << st.ToString();
  EXPECT_EQ(RawInt("SELECT count(*) FROM cases WHERE id = 'case_3'"), 0);
  // And by hand, a duplicate is refused by the database itself.
  EXPECT_FALSE(db_->Exec("UPDATE cases SET case_number = 'IAWW-2026-0001' WHERE id = 'case_2'").ok());
  EXPECT_EQ(Stored("case_2").case_number, "IAWW-2026-0002");
}

TEST_P(CaseNumberTest, AFailedWriteSetGivesItsNumberBack) {
  EXPECT_EQ(Open("case_1"), "IAWW-2026-0001");
  // The case is inserted (and numbered), then the write set fails on the
  // report it links: the whole write set is rolled back, its number too.
  WriteSet failing;
  failing.cases.push_back(NewCase("case_2", "iaww", At(3)));
  failing.report_links.push_back({"report_missing", "case_2", "person_1", At(3)});
  Status st = store_->Write([&](Transaction& tx) { return ApplyWriteSet(tx, failing); });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(RawInt("SELECT count(*) FROM cases WHERE id = 'case_2'"), 0);
  EXPECT_EQ(RawInt("SELECT last_number FROM case_number_counters WHERE type = 'iaww' AND year = 2026"), 1);
  EXPECT_EQ(Open("case_3"), "IAWW-2026-0002");
}

TEST_P(CaseNumberTest, AFailedJobInAGroupGivesItsNumberBackAndItsNeighboursKeepTheirs) {
  // Three jobs in one group (one transaction, a savepoint each): the middle
  // one numbers a case and then fails.
  auto release = std::make_shared<std::promise<void>>();
  auto started = std::make_shared<std::promise<void>>();
  std::shared_future<void> gate = release->get_future().share();
  ASSERT_TRUE(store_
                  ->SubmitWrite(
                      [gate, started](Transaction&) {
                        started->set_value();
                        gate.wait();
                        return Status::Ok();
                      },
                      [](Status) {})
                  .ok());
  started->get_future().wait();
  WriteSet first, failing, last;
  first.cases.push_back(NewCase("case_1", "iaww", At(3)));
  failing.cases.push_back(NewCase("case_2", "iaww", At(3)));
  failing.cases.push_back(NewCase("case_1", "iaww", At(3)));  // a duplicate id: fails after numbering case_2
  last.cases.push_back(NewCase("case_3", "iaww", At(3)));
  std::promise<Status> a, b, c;
  auto answer = [](std::promise<Status>& p) { return [&p](Status st) { p.set_value(st); }; };
  ASSERT_TRUE(store_->SubmitWrite([&](Transaction& tx) { return ApplyWriteSet(tx, first); }, answer(a)).ok());
  ASSERT_TRUE(store_->SubmitWrite([&](Transaction& tx) { return ApplyWriteSet(tx, failing); }, answer(b)).ok());
  ASSERT_TRUE(store_->SubmitWrite([&](Transaction& tx) { return ApplyWriteSet(tx, last); }, answer(c)).ok());
  release->set_value();
  EXPECT_TRUE(a.get_future().get().ok());
  EXPECT_FALSE(b.get_future().get().ok());
  EXPECT_TRUE(c.get_future().get().ok());
  EXPECT_EQ(Stored("case_1").case_number, "IAWW-2026-0001");
  EXPECT_EQ(Stored("case_3").case_number, "IAWW-2026-0002");
  EXPECT_EQ(RawInt("SELECT count(*) FROM cases WHERE id = 'case_2'"), 0);
}

TEST_P(CaseNumberTest, AnInsertThatFailsInsideAJobLeavesNoGap) {
  // A job that inserts a case the database refuses (its subject does not
  // exist) and goes on. SQLite carries on in the transaction, so the
  // refused insert must give its number back itself; PostgreSQL fails the
  // rest of the job, whose savepoint takes the number back. Either way no
  // number is lost.
  Status job = store_->Write([&](Transaction& tx) -> Status {
    CaseRecord orphan = NewCase("case_orphan", "iaww", At(3));
    orphan.subject_person_id = "person_ghost";
    EXPECT_FALSE(tx.cases().Insert(orphan).ok());
    return tx.cases().Insert(NewCase("case_1", "iaww", At(3)));
  });
  if (!job.ok()) Open("case_1");
  EXPECT_EQ(Stored("case_1").case_number, "IAWW-2026-0001");
  EXPECT_EQ(Open("case_2"), "IAWW-2026-0002");
}

TEST_P(CaseNumberTest, ErasureKeepsTheNumberAndTheCounterNeverGoesDown) {
  Open("case_1");
  Open("case_2");
  MustWrite(*store_, [](Transaction& tx) { return tx.privacy().EraseCase("case_2", At(20)).status(); });
  EXPECT_EQ(Stored("case_2").case_number, "IAWW-2026-0002");
  EXPECT_EQ(Open("case_3"), "IAWW-2026-0003");
}

TEST_P(CaseNumberTest, TheListFindsACaseByItsNumberExactly) {
  Open("case_1");
  Open("case_2");
  Open("case_3", "wvggz");
  EXPECT_EQ(ListByNumber("IAWW-2026-0002"), std::vector<std::string>{"case_2 IAWW-2026-0002"});
  EXPECT_EQ(ListByNumber("WVGGZ-2026-0001"), std::vector<std::string>{"case_3 WVGGZ-2026-0001"});
  EXPECT_TRUE(ListByNumber("IAWW-2026-0009").empty());
  EXPECT_TRUE(ListByNumber("IAWW-2026-002").empty());  // exact: no prefix match
  EXPECT_TRUE(ListByNumber("IAWW-2026-0002", "wvggz").empty());  // the other criteria still hold
  EXPECT_EQ(ListByNumber("IAWW-2026-0002", "iaww").size(), 1u);
}

TEST_P(CaseNumberTest, TwoThreadsOpeningAThousandCasesLeaveNoDuplicatesAndNoGaps) {
  constexpr int kPerThread = 500;
  // Each thread opens cases of both types through the writer, one write set
  // per case, as CaseService commits an opening.
  auto opener = [&](int thread) {
    std::vector<std::string> numbers;
    for (int i = 0; i < kPerThread; ++i) {
      WriteSet writes;
      writes.cases.push_back(NewCase("case_" + std::to_string(thread) + "_" + std::to_string(i),
                                     i % 3 == 0 ? "wvggz" : "iaww", At(3)));
      Status st = store_->Write([&](Transaction& tx) { return ApplyWriteSet(tx, writes); });
      if (!st.ok()) {
        ADD_FAILURE() << st.ToString();
        return numbers;
      }
      numbers.push_back(writes.cases.front().case_number);
    }
    return numbers;
  };
  auto one = std::async(std::launch::async, opener, 1);
  auto two = std::async(std::launch::async, opener, 2);
  std::vector<std::string> answered = one.get();
  std::vector<std::string> other = two.get();
  answered.insert(answered.end(), other.begin(), other.end());
  ASSERT_EQ(answered.size(), 2u * kPerThread);

  // What the callers were told is what is stored, and it is 1..N per type.
  std::map<std::string, std::vector<std::string>> stored_by_type;
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    CaseFilter all;
    all.limit = 10000;
    ASSIGN_OR_RETURN(auto cases, tx.cases().List(all));
    for (const auto& k : cases) stored_by_type[k.type].push_back(k.case_number);
    return Status::Ok();
  }).ok());
  std::set<std::string> distinct(answered.begin(), answered.end());
  EXPECT_EQ(distinct.size(), answered.size()) << "a number was given twice";
  std::size_t stored = 0;
  for (auto& [type, numbers] : stored_by_type) {
    std::sort(numbers.begin(), numbers.end());
    std::vector<std::string> expected;
    for (std::size_t n = 1; n <= numbers.size(); ++n) expected.push_back(FormatCaseNumber(type, 2026, n));
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(numbers, expected) << type << ": not exactly 1..N";
    stored += numbers.size();
    for (const auto& number : numbers) EXPECT_TRUE(distinct.count(number)) << number << " was not answered";
  }
  EXPECT_EQ(stored, answered.size());
  EXPECT_EQ(stored_by_type["wvggz"].size(), 2u * ((kPerThread + 2) / 3));
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseNumberTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace casus::storage::testing

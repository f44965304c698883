// The writer thread: group commit, savepoint isolation between jobs, the
// bounded queue, flush and shutdown, optimistic concurrency under threads.
// The group writer (storage/group_writer.h) is shared, so these are the
// same tests on both backends (tests/storage/backend_test.h).
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <future>
#include <set>
#include <thread>

#include "storage/postgres/transaction.h"
#include "storage/sqlite/transaction.h"
#include "tests/storage/backend_test.h"

namespace casus::storage::testing {
namespace {

class WriterTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    MustWrite(*store_, [](Transaction& tx) { return tx.persons().Insert(MakePerson("person_1", "Piet")); });
  }

  // Occupies the writer thread until the returned promise is set, so that
  // what is submitted meanwhile queues up and forms the next group.
  std::shared_ptr<std::promise<void>> BlockWriter() {
    auto release = std::make_shared<std::promise<void>>();
    auto started = std::make_shared<std::promise<void>>();
    std::shared_future<void> gate = release->get_future().share();
    std::future<void> running = started->get_future();
    Status st = store_->SubmitWrite(
        [gate, started](Transaction&) {
          started->set_value();
          gate.wait();
          return Status::Ok();
        },
        [](Status) {});
    EXPECT_TRUE(st.ok()) << st.ToString();
    running.wait();
    return release;
  }

  // Closes the store and opens another on the same database, as a restart.
  void Reopen(const StoreLimits& limits = {}) {
    store_.reset();
    store_ = OpenStore(limits);
    ASSERT_NE(store_, nullptr);
  }

  // Lets DeferForeignKeyChecks (below) work on this database. PostgreSQL
  // defers only DEFERRABLE constraints, and the schema's are not: make the
  // one it needs so, behind the store's back. SQLite can defer any.
  void AllowDeferredForeignKeys() {
    if (GetParam() == Backend::kPostgres)
      RawSql("ALTER TABLE cases ALTER CONSTRAINT cases_subject_person_id_fkey DEFERRABLE");
  }

  // Inside a job: its foreign keys are checked only at COMMIT, the way to
  // make a group's COMMIT itself fail.
  static Status DeferForeignKeyChecks(Transaction& tx) {
    if (auto* lite = dynamic_cast<sqlite::SqliteTransaction*>(&tx))
      return lite->connection().Exec("PRAGMA defer_foreign_keys = ON");
    return dynamic_cast<postgres::PgTransaction&>(tx).connection().Exec("SET CONSTRAINTS ALL DEFERRED");
  }

  std::int64_t CountCases() {
    std::int64_t n = -1;
    EXPECT_TRUE(store_->Read([&](Transaction& tx) -> Status {
      CaseFilter all;
      all.limit = 10000;
      ASSIGN_OR_RETURN(auto cases, tx.cases().List(all));
      n = static_cast<std::int64_t>(cases.size());
      return Status::Ok();
    }).ok());
    return n;
  }

  std::unique_ptr<Store> store_;
};

TEST_P(WriterTest, OptimisticConcurrencyLetsExactlyOneOfTwoWritersWin) {
  MustWrite(*store_, [](Transaction& tx) { return tx.cases().Insert(MakeCase("case_1", "person_1")); });
  MustWrite(*store_, [](Transaction& tx) {  // version 1 -> 2, so N is not the initial value
    return tx.cases().Update(MakeCase("case_1", "person_1"), 1);
  });
  std::barrier both_read(2);
  auto contender = [&](const std::string& new_state) {
    CaseRecord seen;
    Status read = store_->Read([&](Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(seen, tx.cases().Get("case_1"));
      return Status::Ok();
    });
    EXPECT_TRUE(read.ok());
    both_read.arrive_and_wait();  // both now hold version N
    CaseRecord changed = seen;
    changed.state = new_state;
    return store_->Write([changed, expected = seen.version](Transaction& tx) {
      return tx.cases().Update(changed, expected);
    });
  };
  auto a = std::async(std::launch::async, contender, "verrijking");
  auto b = std::async(std::launch::async, contender, "besluit");
  Status sa = a.get();
  Status sb = b.get();
  EXPECT_NE(sa.ok(), sb.ok()) << sa.ToString() << " / " << sb.ToString();
  const Status& loser = sa.ok() ? sb : sa;
  EXPECT_EQ(loser.code(), StatusCode::kAborted);
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto k = tx.cases().Get("case_1");
    EXPECT_EQ(k->version, 3);  // N + 1
    EXPECT_EQ(k->state, sa.ok() ? "verrijking" : "besluit");
    return Status::Ok();
  }).ok());
}

TEST_P(WriterTest, FailingJobLeavesNothingWhileItsGroupCommits) {
  auto release = BlockWriter();
  std::atomic<std::int64_t> committed_seen_by_last_job{-1};
  std::promise<Status> first, failing, last;
  auto answer = [](std::promise<Status>& p) { return [&p](Status st) { p.set_value(st); }; };
  ASSERT_TRUE(store_->SubmitWrite(
      [](Transaction& tx) { return tx.cases().Insert(MakeCase("case_ok_1", "person_1")); }, answer(first)).ok());
  ASSERT_TRUE(store_->SubmitWrite(
      [](Transaction& tx) -> Status {
        RETURN_IF_ERROR(tx.cases().Insert(MakeCase("case_bad", "person_1")));
        RETURN_IF_ERROR(tx.events().Append(CaseEvent{0, "case_bad", "case.opened", At(1), "u", "{}"}).status());
        RETURN_IF_ERROR(tx.audit().Append(MakeAuditEntry(1)).status());
        return Status::FailedPrecondition("guard failed halfway");
      },
      answer(failing)).ok());
  ASSERT_TRUE(store_->SubmitWrite(
      [this, &committed_seen_by_last_job](Transaction& tx) -> Status {
        // A reader sees only committed data: if case_ok_1 were already
        // committed, this job would not share its group.
        committed_seen_by_last_job = CountCases();
        return tx.cases().Insert(MakeCase("case_ok_2", "person_1"));
      },
      answer(last)).ok());
  release->set_value();

  EXPECT_TRUE(first.get_future().get().ok());
  Status bad = failing.get_future().get();
  EXPECT_EQ(bad.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(bad.message(), "guard failed halfway");
  EXPECT_TRUE(last.get_future().get().ok());
  EXPECT_EQ(committed_seen_by_last_job.load(), 0);  // same group as case_ok_1

  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    EXPECT_TRUE(tx.cases().Get("case_ok_1").ok());
    EXPECT_TRUE(tx.cases().Get("case_ok_2").ok());
    EXPECT_EQ(tx.cases().Get("case_bad").status().code(), StatusCode::kNotFound);
    EXPECT_TRUE(tx.events().ListForCase("case_bad")->empty());
    EXPECT_TRUE(tx.events().ListAfter(0, 100)->empty());
    EXPECT_TRUE(tx.audit().List(0, 100)->empty());
    return Status::Ok();
  }).ok());
  // The audit head was rolled back with the entry: the next append is seq 1.
  MustWrite(*store_, [](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(AuditEntry e, tx.audit().Append(MakeAuditEntry(2)));
    EXPECT_EQ(e.seq, 1);
    EXPECT_EQ(e.prev_hash, "");
    return Status::Ok();
  });
  auto v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_EQ(v->entries, 1);
}

TEST_P(WriterTest, FailedCommitFailsEveryJobOfTheGroupAndCommitsNothing) {
  ASSERT_NO_FATAL_FAILURE(AllowDeferredForeignKeys());
  auto release = BlockWriter();
  std::promise<Status> a, b, c;
  auto answer = [](std::promise<Status>& p) { return [&p](Status st) { p.set_value(st); }; };
  ASSERT_TRUE(store_->SubmitWrite(
      [](Transaction& tx) { return tx.cases().Insert(MakeCase("case_a", "person_1")); }, answer(a)).ok());
  ASSERT_TRUE(store_->SubmitWrite(
      [](Transaction& tx) -> Status {
        RETURN_IF_ERROR(DeferForeignKeyChecks(tx));
        return tx.cases().Insert(MakeCase("case_b", "person_ghost"));
      },
      answer(b)).ok());
  ASSERT_TRUE(store_->SubmitWrite([](Transaction&) { return Status::InvalidArgument("own reason"); }, answer(c)).ok());
  release->set_value();

  Status sa = a.get_future().get();
  Status sb = b.get_future().get();
  Status sc = c.get_future().get();
  EXPECT_EQ(sa.code(), StatusCode::kFailedPrecondition) << sa.ToString();
  EXPECT_EQ(sb.code(), StatusCode::kFailedPrecondition) << sb.ToString();
  EXPECT_EQ(sa.message(), sb.message());
  EXPECT_EQ(sc.code(), StatusCode::kInvalidArgument);  // keeps its own reason
  EXPECT_EQ(CountCases(), 0);
  // The writer rolled back and goes on.
  MustWrite(*store_, [](Transaction& tx) { return tx.cases().Insert(MakeCase("case_after", "person_1")); });
  EXPECT_EQ(CountCases(), 1);
}

TEST_P(WriterTest, ThrowingJobLeavesNothingAndBecomesInternal) {
  Status st = store_->Write([](Transaction& tx) -> Status {
    Status inserted = tx.cases().Insert(MakeCase("case_throw", "person_1"));
    if (inserted.ok()) throw std::runtime_error("handler bug");
    return inserted;
  });
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_NE(st.message().find("handler bug"), std::string::npos) << st.message();
  Status odd = store_->Write([](Transaction&) -> Status { throw 42; });
  EXPECT_EQ(odd.code(), StatusCode::kInternal);
  EXPECT_EQ(CountCases(), 0);
  // The writer survived and keeps committing.
  MustWrite(*store_, [](Transaction& tx) { return tx.cases().Insert(MakeCase("case_after", "person_1")); });
  EXPECT_EQ(CountCases(), 1);
}

TEST_P(WriterTest, FullQueueRefusesAtOnceWithUnavailable) {
  ASSERT_NO_FATAL_FAILURE(Reopen({.max_queue = 2}));
  auto release = BlockWriter();  // taken off the queue: the queue is empty again
  EXPECT_EQ(store_->WriteQueueDepth(), 0u);
  std::atomic<int> answered{0};
  auto count = [&answered](Status st) {
    EXPECT_TRUE(st.ok());
    ++answered;
  };
  auto noop = [](Transaction&) { return Status::Ok(); };
  ASSERT_TRUE(store_->SubmitWrite(noop, count).ok());
  ASSERT_TRUE(store_->SubmitWrite(noop, count).ok());
  EXPECT_EQ(store_->WriteQueueDepth(), 2u);
  bool refused_done_called = false;
  Status full = store_->SubmitWrite(noop, [&](Status) { refused_done_called = true; });
  EXPECT_EQ(full.code(), StatusCode::kUnavailable);
  Status full_sync = store_->Write(noop);
  EXPECT_EQ(full_sync.code(), StatusCode::kUnavailable);
  release->set_value();
  store_->Flush();
  EXPECT_EQ(answered.load(), 2);
  EXPECT_FALSE(refused_done_called);
  EXPECT_EQ(store_->WriteQueueDepth(), 0u);
  EXPECT_TRUE(store_->Write(noop).ok());  // room again
}

TEST_P(WriterTest, ConcurrentSubmittersAreAllAnsweredAndAllPresent) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = "case_" + std::to_string(t) + "_" + std::to_string(i);
        Status st = store_->Write([id](Transaction& tx) -> Status {
          RETURN_IF_ERROR(tx.cases().Insert(MakeCase(id, "person_1")));
          RETURN_IF_ERROR(tx.events().Append(CaseEvent{0, id, "case.opened", At(1), "u", "{}"}).status());
          return tx.audit().Append(MakeAuditEntry(1)).status();
        });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountCases(), kThreads * kPerThread);
  auto v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->first_bad_seq << " " << v->problem;
  EXPECT_EQ(v->entries, kThreads * kPerThread);
}

TEST_P(WriterTest, QueuedJobsCommitTogetherInGroupsOfAtMostMaxGroup) {
  ASSERT_NO_FATAL_FAILURE(Reopen({.max_group = 10}));
  constexpr int kJobs = 35;
  auto release = BlockWriter();
  // Each job notes how many cases were committed when it ran; jobs of one
  // group all see the same number, because their group has not committed.
  std::vector<std::int64_t> seen(kJobs, -1);
  std::atomic<int> ok{0};
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_TRUE(store_->SubmitWrite(
        [this, i, &seen](Transaction& tx) {
          seen[static_cast<std::size_t>(i)] = CountCases();
          return tx.cases().Insert(MakeCase("case_" + std::to_string(i), "person_1"));
        },
        [&ok](Status st) { ok += st.ok() ? 1 : 0; }).ok());
  }
  EXPECT_EQ(store_->WriteQueueDepth(), static_cast<std::size_t>(kJobs));
  release->set_value();
  store_->Flush();
  EXPECT_EQ(ok.load(), kJobs);
  std::vector<std::int64_t> want;
  for (int i = 0; i < kJobs; ++i) want.push_back(i / 10 * 10);  // 0 x10, 10 x10, 20 x10, 30 x5
  EXPECT_EQ(seen, want);
  EXPECT_EQ(CountCases(), kJobs);
}

TEST_P(WriterTest, DestructionAnswersEverythingQueuedAndReopenFindsIt) {
  std::atomic<int> answered{0};
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(store_->SubmitWrite(
        [i](Transaction& tx) -> Status {
          std::string id = "case_" + std::to_string(i);
          RETURN_IF_ERROR(tx.cases().Insert(MakeCase(id, "person_1")));
          RETURN_IF_ERROR(tx.events().Append(CaseEvent{0, id, "case.opened", At(1), "u", "{\"n\":1}"}).status());
          return tx.audit().Append(MakeAuditEntry(i)).status();
        },
        [&answered](Status st) {
          EXPECT_TRUE(st.ok()) << st.ToString();
          ++answered;
        }).ok());
  }
  store_.reset();  // no Flush: the destructor drains
  EXPECT_EQ(answered.load(), 50);

  ASSERT_NO_FATAL_FAILURE(Reopen());  // PostgreSQL: a new store on the same database
  EXPECT_EQ(CountCases(), 50);
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    EXPECT_EQ(tx.cases().Get("case_49")->deadlines.size(), 2u);
    auto events = tx.events().ListAfter(0, 1000);
    EXPECT_EQ(events->size(), 50u);
    EXPECT_EQ(events->back().payload_json, "{\"n\":1}");
    EXPECT_EQ(tx.audit().List(0, 1000)->size(), 50u);
    return Status::Ok();
  }).ok());
  auto v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->entries, 50);
  // Appending after reopen continues the chain.
  MustWrite(*store_, [](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(AuditEntry e, tx.audit().Append(MakeAuditEntry(99)));
    EXPECT_EQ(e.seq, 51);
    return Status::Ok();
  });
  EXPECT_TRUE(store_->VerifyAudit()->intact);
}

TEST_P(WriterTest, FlushWaitsForAsyncWritesAndDoneRunsOnceWithTheFinalStatus) {
  std::atomic<int> ok{0}, refused{0};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store_->SubmitWrite(
        [i](Transaction& tx) -> Status {
          if (i % 4 == 0) return Status::InvalidArgument("bad input");
          return tx.cases().Insert(MakeCase("case_" + std::to_string(i), "person_1"));
        },
        [&](Status st) {
          if (st.ok()) {
            ++ok;
          } else if (st.code() == StatusCode::kInvalidArgument) {
            ++refused;
          }
        }).ok());
  }
  store_->Flush();
  EXPECT_EQ(ok.load(), 15);
  EXPECT_EQ(refused.load(), 5);
  EXPECT_EQ(CountCases(), 15);
  store_->Flush();  // nothing pending: returns at once
}

TEST_P(WriterTest, ThrowingDoneCallbackDoesNotStopTheWriter) {
  ASSERT_TRUE(store_->SubmitWrite([](Transaction&) { return Status::Ok(); },
                                  [](Status) { throw std::runtime_error("callback bug"); }).ok());
  store_->Flush();
  EXPECT_TRUE(store_->Write([](Transaction& tx) { return tx.cases().Insert(MakeCase("case_1", "person_1")); }).ok());
}

TEST_P(WriterTest, RefusedStatementDoesNotSpoilTheRestOfTheJob) {
  // Only the refused statement is undone; whether the job as a whole
  // fails is the job's decision.
  MustWrite(*store_, [](Transaction& tx) -> Status {
    RETURN_IF_ERROR(tx.cases().Insert(MakeCase("case_1", "person_1")));
    RETURN_IF_ERROR(tx.team().Add(TeamMember{"case_1", "org_1", "", "lid", At(1)}));
    Status dup = tx.team().Add(TeamMember{"case_1", "org_1", "", "lid", At(1)});
    EXPECT_EQ(dup.code(), StatusCode::kFailedPrecondition);
    return Status::Ok();  // a refused statement does not spoil the job
  });
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    EXPECT_EQ(tx.team().ListForCase("case_1")->size(), 1u);
    return Status::Ok();
  }).ok());
}

// The audit entries of reads: appended after the group's commands in one
// chained pass, each read answered once its entries are committed; a
// failing command does not take the reads' entries with it.
TEST_P(WriterTest, ReadAuditEntriesOfAGroupAreChainedAfterItsCommands) {
  auto release = BlockWriter();
  std::promise<Status> read_a, command, failing, read_b;
  auto answer = [](std::promise<Status>& p) { return [&p](Status st) { p.set_value(st); }; };
  ASSERT_TRUE(store_->SubmitAudit({MakeAuditEntry(1), MakeAuditEntry(2)}, answer(read_a)).ok());
  ASSERT_TRUE(store_->SubmitWrite(
      [](Transaction& tx) -> Status {
        RETURN_IF_ERROR(tx.cases().Insert(MakeCase("case_1", "person_1")));
        return tx.audit().Append(MakeAuditEntry(3)).status();
      },
      answer(command)).ok());
  ASSERT_TRUE(store_->SubmitWrite(
      [](Transaction& tx) -> Status {
        RETURN_IF_ERROR(tx.audit().Append(MakeAuditEntry(4)).status());
        return Status::FailedPrecondition("refused halfway");
      },
      answer(failing)).ok());
  ASSERT_TRUE(store_->SubmitAudit({MakeAuditEntry(5)}, answer(read_b)).ok());
  release->set_value();
  EXPECT_TRUE(read_a.get_future().get().ok());
  EXPECT_TRUE(command.get_future().get().ok());
  EXPECT_EQ(failing.get_future().get().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(read_b.get_future().get().ok());

  std::vector<AuditEntry> entries;
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(entries, tx.audit().List(0, 100));
    return Status::Ok();
  }).ok());
  // The command's entry first (it ran in the group), then both reads' in
  // submission order; the failed command's entry is gone.
  ASSERT_EQ(entries.size(), 4u);
  const std::vector<std::string> expected = {MakeAuditEntry(3).object_id, MakeAuditEntry(1).object_id,
                                             MakeAuditEntry(2).object_id, MakeAuditEntry(5).object_id};
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(entries[i].object_id, expected[i]) << i;
    if (i > 0) {
      EXPECT_EQ(entries[i].prev_hash, entries[i - 1].hash);
    }
  }
  auto v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_EQ(v->entries, 4);
  EXPECT_EQ(store_->SubmitAudit({}, [](Status) {}).code(), StatusCode::kInvalidArgument);
}

TEST_P(WriterTest, ConcurrentReadsAndCommandsLeaveOneIntactChainWithEveryEntry) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int n = t * kPerThread + i;
        if (n % 4 == 0) {
          EXPECT_TRUE(store_->Write([n](Transaction& tx) { return tx.audit().Append(MakeAuditEntry(n)).status(); }).ok());
        } else {
          EXPECT_TRUE(store_->AppendAudit({MakeAuditEntry(n)}).ok());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<AuditEntry> entries;
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(entries, tx.audit().List(0, 1000));
    return Status::Ok();
  }).ok());
  std::set<std::string> ids;
  for (const auto& e : entries) ids.insert(e.object_id);
  EXPECT_EQ(entries.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kPerThread));
  auto v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->problem;
}

INSTANTIATE_TEST_SUITE_P(Backends, WriterTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace casus::storage::testing

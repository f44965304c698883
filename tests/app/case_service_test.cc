// CaseService over a real SQLite file: a command is one transaction with
// its events and audit entry; refusals are audited and change nothing; of
// two writers holding the same version exactly one wins, also when both
// write sets meet in one group; the answer comes from the command's own
// snapshot; the dispatcher delivers events once, in commit order; cases
// keep the definition version they were opened under. Every test runs on
// SQLite and on PostgreSQL (tests/support/backends.h).
#include "app/case_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "app/event_dispatcher.h"
#include "storage/sqlite_store.h"
#include "tests/support/backends.h"
#include "tests/support/sample_workflow.h"
#include "tests/support/temp_dir.h"
#include "tz/tzdb_civil_time.h"

namespace casus::app {
namespace {

using namespace std::chrono_literals;

class CaseServiceTest : public ::testing::TestWithParam<casus::testing::Backend> {
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
                    ->Write([&](storage::Transaction& tx) -> Status {
                      RETURN_IF_ERROR(tx.organisations().Insert({"org_gem", "Gemeente Kerkrade", "gemeente", "Kerkrade"}));
                      return tx.organisations().Insert({"org_pol", "Politie Limburg", "politie", "Kerkrade"});
                    })
                    .ok());
  }

  Caller As(const std::string& user, const std::string& role, const std::string& org = "org_gem",
            const std::string& org_type = "gemeente") {
    return Caller{{user, {role}, org, org_type, "Kerkrade"}, "127.0.0.1", "", ""};
  }

  storage::CaseRecord OpenOne(const std::string& name = "Jan Demo") {
    OpenCaseInput input{"iaww", "Kerkrade", {name, ParseDate("1980-01-01")}, std::nullopt, 1,
                        {{"bron", std::string("burger")}}};
    auto rec = service->OpenCase(input, As("u_meld", "meldpunt"));
    EXPECT_TRUE(rec.ok()) << rec.status().ToString();
    return rec.ok() ? *rec : storage::CaseRecord{};
  }

  std::vector<storage::AuditEntry> Audit() {
    std::vector<storage::AuditEntry> out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, tx.audit().List(0, 1000));
                       return Status::Ok();
                     }).ok());
    return out;
  }

  std::vector<storage::CaseEvent> Events(const std::string& case_id) {
    std::vector<storage::CaseEvent> out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, tx.events().ListForCase(case_id));
                       return Status::Ok();
                     }).ok());
    return out;
  }

  storage::CaseRecord Stored(const std::string& case_id) {
    storage::CaseRecord out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, tx.cases().Get(case_id));
                       return Status::Ok();
                     }).ok());
    return out;
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

TEST_P(CaseServiceTest, OpenStoresCaseSubjectTeamEventsAndAudit) {
  auto rec = OpenOne();
  EXPECT_EQ(rec.state, "nieuw");
  EXPECT_EQ(rec.level, "laag");
  EXPECT_EQ(rec.version, 1);
  EXPECT_EQ(rec.definition_version, 3);
  auto stored = Stored(rec.id);
  EXPECT_EQ(stored.state, "nieuw");
  ASSERT_EQ(stored.deadlines.size(), 1u);
  EXPECT_EQ(FormatRfc3339(stored.deadlines[0].due_at), "2026-03-16T23:00:00Z");
  auto events = Events(rec.id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "case.created");
  EXPECT_EQ(events[1].type, "deadline.started");
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "case.create");
  EXPECT_EQ(audit[0].result, "success");
  EXPECT_EQ(audit[0].object_id, rec.id);
  EXPECT_EQ(audit[0].person_id, rec.subject_person_id);
  EXPECT_EQ(audit[0].user_id, "u_meld");
  EXPECT_EQ(audit[0].client, "127.0.0.1");
}

// The rules of opening that are not the workflow's: the BSN's form (the
// elfproef) and the caller's confidentiality ceiling. Refused before
// anything is written.
TEST_P(CaseServiceTest, OpeningChecksTheBsnsFormAndTheCallersCeiling) {
  auto open = [&](const std::string& bsn, int confidentiality, const Caller& caller) {
    OpenCaseInput input{"iaww", "Kerkrade", {"Jan Demo", ParseDate("1980-01-01")}, std::nullopt, confidentiality,
                        {{"bron", std::string("burger")}}};
    input.subject.bsn = bsn;
    return service->OpenCase(input, caller);
  };
  const Caller meldpunt = As("u_meld", "meldpunt");  // may read up to vertrouwelijk (2)
  for (const char* bad : {"123456789", "12345678", "1234567890", "11111111a", "000000001"}) {
    auto refused = open(bad, 1, meldpunt);
    ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << bad;
    ASSERT_NE(refused.status().detail(), nullptr);
    ASSERT_EQ(refused.status().detail()->field_errors.size(), 1u);
    EXPECT_EQ(refused.status().detail()->field_errors[0].field, "subject.bsn");
  }
  auto too_secret = open("", 3, meldpunt);
  EXPECT_EQ(too_secret.status().code(), StatusCode::kInvalidArgument);
  ASSERT_NE(too_secret.status().detail(), nullptr);
  EXPECT_EQ(too_secret.status().detail()->field_errors[0].field, "confidentiality");
  for (const char* role : {"privacy_officer", "admin"}) {
    auto refused = open("", 1, As("u_" + std::string(role), role));
    EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied) << role;
    ASSERT_NE(refused.status().detail(), nullptr);
    EXPECT_EQ(refused.status().detail()->reason, Refusal::kRoleRefused);
  }
  EXPECT_TRUE(Audit().empty());  // refused before anything was written
  // 111222333 passes the elfproef (9+8+7+12+10+8+9+6 - 3 = 66 = 6 x 11).
  EXPECT_TRUE(open("111222333", 2, meldpunt).ok());
}

TEST_P(CaseServiceTest, KnownPersonIsLinkedNotDuplicated) {
  auto first = OpenOne("Jan Demo");
  auto second = OpenOne("jan demo");
  EXPECT_EQ(first.subject_person_id, second.subject_person_id);
  auto other = OpenOne("Piet Anders");
  EXPECT_NE(first.subject_person_id, other.subject_person_id);
}

TEST_P(CaseServiceTest, OpenedFromReportStartsClockAtReceiptAndLinksReport) {
  storage::Report report;
  report.id = "report_1";
  report.tracking_code = "T1";
  report.source = "burger";
  report.category = "woonoverlast";
  report.description = "Geluidsoverlast";
  report.municipality = "Kerkrade";
  report.received_at = report.updated_at = *ParseRfc3339("2026-02-27T10:00:00Z");
  ASSERT_TRUE(store->Write([&](storage::Transaction& tx) { return tx.reports().Insert(report); }).ok());
  OpenCaseInput input{"iaww", "Kerkrade", {"Jan Demo", std::nullopt}, "report_1", 1, {{"bron", std::string("burger")}}};
  auto rec = service->OpenCase(input, As("u_meld", "meldpunt"));
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(FormatRfc3339(rec->deadlines[0].due_at), "2026-03-13T23:00:00Z");
  storage::Report linked;
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     ASSIGN_OR_RETURN(linked, tx.reports().Get("report_1"));
                     return Status::Ok();
                   }).ok());
  EXPECT_EQ(linked.status, "gekoppeld");
  EXPECT_EQ(linked.case_id, rec->id);
  auto again = service->OpenCase(input, As("u_meld", "meldpunt"));
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
}

// Opening is a write set too: planned on a snapshot. What the writer
// re-checks: the persons matching the subject and the report's link. Each
// test lets a competing write commit between the plan and the commit.
class OpenRaceTest : public CaseServiceTest {
 protected:
  // Runs `open` while the writer is held; `meanwhile` commits in the same
  // group just before the opening's write set.
  StatusOr<storage::CaseRecord> OpenWhile(const std::function<Status(storage::Transaction&)>& meanwhile,
                                          const OpenCaseInput& input) {
    std::promise<void> holding, release;
    std::shared_future<void> released = release.get_future().share();
    EXPECT_TRUE(store
                    ->SubmitWrite(
                        [&](storage::Transaction& tx) {
                          holding.set_value();
                          released.wait();
                          return meanwhile(tx);
                        },
                        nullptr)
                    .ok());
    holding.get_future().wait();
    auto opened = std::async(std::launch::async, [&] { return service->OpenCase(input, As("u_meld", "meldpunt")); });
    while (store->WriteQueueDepth() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    release.set_value();
    return opened.get();
  }

  std::vector<storage::Person> PersonsNamed(const std::string& name) {
    std::vector<storage::Person> out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, tx.persons().FindByName(name, std::nullopt));
                       return Status::Ok();
                     }).ok());
    return out;
  }
};

TEST_P(OpenRaceTest, APersonAddedMeanwhileIsLinkedNotDuplicated) {
  OpenCaseInput input{"iaww", "Kerkrade", {"Piet Gelijk", ParseDate("1975-05-05")}, std::nullopt, 1,
                      {{"bron", std::string("burger")}}};
  auto opened = OpenWhile(
      [&](storage::Transaction& tx) {
        return tx.persons().Insert({"person_meanwhile", "Piet Gelijk", ParseDate("1975-05-05"), std::nullopt, clock.Now()});
      },
      input);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->subject_person_id, "person_meanwhile");
  EXPECT_EQ(PersonsNamed("Piet Gelijk").size(), 1u);
  EXPECT_EQ(Stored(opened->id).subject_person_id, "person_meanwhile");
}

TEST_P(OpenRaceTest, AReportLinkedMeanwhileRefusesTheOpeningAndNothingIsWritten) {
  storage::Report report;
  report.id = "report_1";
  report.tracking_code = "T1";
  report.source = "burger";
  report.category = "woonoverlast";
  report.description = "Geluidsoverlast";
  report.municipality = "Kerkrade";
  report.status = "nieuw";
  report.received_at = report.updated_at = *ParseRfc3339("2026-02-27T10:00:00Z");
  ASSERT_TRUE(store->Write([&](storage::Transaction& tx) { return tx.reports().Insert(report); }).ok());
  const std::size_t audited_before = Audit().size();
  OpenCaseInput input{"iaww", "Kerkrade", {"Klaas Nieuw", std::nullopt}, "report_1", 1, {{"bron", std::string("burger")}}};
  auto opened = OpenWhile(
      [&](storage::Transaction& tx) {
        storage::Report linked = report;
        linked.case_id = "case_elsewhere";
        linked.status = "gekoppeld";
        return tx.reports().Update(linked);
      },
      input);
  EXPECT_EQ(opened.status().code(), StatusCode::kFailedPrecondition) << opened.status().ToString();
  EXPECT_TRUE(PersonsNamed("Klaas Nieuw").empty());  // the first plan's new person was not written
  EXPECT_EQ(Audit().size(), audited_before);
  std::vector<storage::CaseRecord> cases;
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     storage::CaseFilter all;
                     ASSIGN_OR_RETURN(cases, tx.cases().List(all));
                     return Status::Ok();
                   }).ok());
  EXPECT_TRUE(cases.empty());
}

TEST_P(CaseServiceTest, OpenRefusedIsAuditedAndCreatesNothing) {
  OpenCaseInput input{"iaww", "Kerkrade", {"Jan Demo", std::nullopt}, std::nullopt, 1, {{"bron", std::string("burger")}}};
  auto refused = service->OpenCase(input, As("u_pol", "meldpunt", "org_pol", "politie"));
  ASSERT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalName(refused.status().detail()->reason), "org_refused");
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].result, "denied");
  std::vector<storage::CaseRecord> cases;
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     ASSIGN_OR_RETURN(cases, tx.cases().List({}));
                     return Status::Ok();
                   }).ok());
  EXPECT_TRUE(cases.empty());
  EXPECT_EQ(service->OpenCase({"onbekend", "Kerkrade", {"X", std::nullopt}, std::nullopt, 1, {}}, As("u", "meldpunt"))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST_P(CaseServiceTest, TransitionBumpsVersionAppendsEventsAndAudit) {
  auto rec = OpenOne();
  clock.Advance(1h);
  auto next = service->Transition(rec.id, "start", 1, {{"plan", std::string("huisbezoek")}}, As("u_reg", "regisseur"));
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->state, "bezig");
  EXPECT_EQ(next->version, 2);
  EXPECT_EQ(next->history, std::vector<std::string>{"start"});
  auto stored = Stored(rec.id);
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.state, "bezig");
  EXPECT_EQ(std::get<std::string>(stored.data.at("plan")), "huisbezoek");
  auto events = Events(rec.id);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[2].type, "case.transitioned");
  EXPECT_EQ(events[2].payload_json, R"({"from":"nieuw","to":"bezig","transition":"start"})");
  EXPECT_EQ(events[3].type, "deadline.started");
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, "case.transition");
  EXPECT_EQ(audit[1].result, "success");
}

TEST_P(CaseServiceTest, StaleVersionIsAbortedWithAllowedTransitionsAndChangesNothing) {
  auto rec = OpenOne();
  ASSERT_TRUE(service->Transition(rec.id, "start", 1, {{"plan", std::string("a")}}, As("u_reg", "regisseur")).ok());
  auto stale = service->Transition(rec.id, "opschalen", 1, {}, As("u_coord", "coordinator"));
  ASSERT_EQ(stale.status().code(), StatusCode::kAborted);
  EXPECT_EQ(RefusalName(stale.status().detail()->reason), "stale_version");
  EXPECT_EQ(stale.status().detail()->allowed_transitions, (std::vector<std::string>{"opschalen", "afschalen"}));
  auto stored = Stored(rec.id);
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.level, "laag");
  EXPECT_EQ(Audit().back().result, "denied");
  EXPECT_EQ(Events(rec.id).size(), 4u);
}

TEST_P(CaseServiceTest, RefusedTransitionIsAuditedAndChangesNothing) {
  auto rec = OpenOne();
  auto refused = service->Transition(rec.id, "start", 1, {{"plan", std::string("a")}}, As("u_meld", "meldpunt"));
  ASSERT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  auto stored = Stored(rec.id);
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.state, "nieuw");
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, "case.transition");
  EXPECT_EQ(audit[1].result, "denied");
  EXPECT_EQ(service->Transition("case_nope", "start", 1, {}, As("u_reg", "regisseur")).status().code(),
            StatusCode::kNotFound);
}

TEST_P(CaseServiceTest, OfTwoWritersWithTheSameVersionExactlyOneWins) {
  for (int round = 0; round < 20; ++round) {
    auto rec = OpenOne("Persoon " + std::to_string(round));
    std::atomic<int> wins{0}, conflicts{0};
    std::atomic<bool> go{false};
    auto writer = [&](const std::string& plan) {
      while (!go) std::this_thread::yield();
      auto r = service->Transition(rec.id, "start", 1, {{"plan", plan}}, As("u_reg", "regisseur"));
      if (r.ok()) ++wins;
      else if (r.status().code() == StatusCode::kAborted) ++conflicts;
    };
    std::thread a(writer, "plan A"), b(writer, "plan B");
    go = true;
    a.join();
    b.join();
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(conflicts.load(), 1);
    auto stored = Stored(rec.id);
    EXPECT_EQ(stored.version, 2);
    EXPECT_EQ(Events(rec.id).size(), 4u);  // opened, deadline, transitioned, deadline: once
  }
}

TEST_P(CaseServiceTest, OfTwoWriteSetsWithTheSameVersionInOneGroupOneWinsTheOtherIsRefusedAsStale) {
  auto rec = OpenOne();
  const std::size_t audited_before = Audit().size();
  // Hold the writer, so that both write sets, planned from the same
  // snapshot (version 1), wait in its queue and are committed in one group.
  std::promise<void> holding, release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(store
                  ->SubmitWrite(
                      [&](storage::Transaction&) {
                        holding.set_value();
                        released.wait();
                        return Status::Ok();
                      },
                      nullptr)
                  .ok());
  holding.get_future().wait();
  auto take = [&](const std::string& plan) {
    return std::async(std::launch::async, [this, &rec, plan] {
      return service->Transition(rec.id, "start", 1, {{"plan", plan}}, As("u_reg", "regisseur"));
    });
  };
  auto a = take("plan A");
  auto b = take("plan B");
  while (store->WriteQueueDepth() < 2) std::this_thread::sleep_for(1ms);
  release.set_value();
  auto first = a.get();
  auto second = b.get();

  ASSERT_NE(first.ok(), second.ok());
  const auto& won = first.ok() ? first : second;
  const auto& lost = first.ok() ? second : first;
  EXPECT_EQ(lost.status().code(), StatusCode::kAborted);
  ASSERT_NE(lost.status().detail(), nullptr);
  EXPECT_EQ(RefusalName(lost.status().detail()->reason), "stale_version");
  EXPECT_EQ(lost.status().detail()->allowed_transitions, std::vector<std::string>{"afronden"});
  auto stored = Stored(rec.id);
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.history, std::vector<std::string>{"start"});
  EXPECT_EQ(std::get<std::string>(stored.data.at("plan")), std::get<std::string>(won->data.at("plan")));
  EXPECT_EQ(Events(rec.id).size(), 4u);  // the loser's events were not written
  auto audit = Audit();
  ASSERT_EQ(audit.size(), audited_before + 2);
  std::multiset<std::string> results{audit[audited_before].result, audit[audited_before + 1].result};
  EXPECT_EQ(results, (std::multiset<std::string>{"denied", "success"}));
}

TEST_P(CaseServiceTest, RefusalsByTheEngineAreAuditedAndNameWhatTheCallerMayDoInstead) {
  auto rec = OpenOne();
  auto unknown = service->Transition(rec.id, "bestaat_niet", 1, {}, As("u_reg", "regisseur"));
  ASSERT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(RefusalName(unknown.status().detail()->reason), "unknown_transition");
  EXPECT_EQ(unknown.status().detail()->allowed_transitions, std::vector<std::string>{"start"});
  auto wrong_state = service->Transition(rec.id, "afronden", 1, {}, As("u_reg", "regisseur"));
  ASSERT_EQ(wrong_state.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(wrong_state.status().detail()->allowed_transitions, std::vector<std::string>{"start"});
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 3u);
  for (std::size_t i = 1; i < audit.size(); ++i) {
    EXPECT_EQ(audit[i].action, "case.transition");
    EXPECT_EQ(audit[i].result, "denied");
    EXPECT_EQ(audit[i].object_id, rec.id);
  }
  EXPECT_EQ(Stored(rec.id).version, 1);
  EXPECT_EQ(Events(rec.id).size(), 2u);
}

TEST_P(CaseServiceTest, TheAnswerIsBuiltFromTheSnapshotAsTheCommitLeavesTheCase) {
  auto rec = OpenOne();
  std::optional<storage::CaseRecord> answered;
  bool refused = true;
  std::size_t team = 0;
  auto next = service->Transition(rec.id, "start", 1, {{"plan", std::string("a")}}, As("u_reg", "regisseur"),
                                  [&](const AnswerContext& c) {
                                    answered = c.after;
                                    refused = c.refused;
                                    team = c.team.size();
                                    return Status::Ok();
                                  });
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  ASSERT_TRUE(answered.has_value());
  EXPECT_FALSE(refused);
  EXPECT_EQ(team, 1u);
  EXPECT_EQ(answered->version, 2);
  EXPECT_EQ(answered->state, "bezig");
  auto stored = Stored(rec.id);
  EXPECT_EQ(answered->deadlines, stored.deadlines);
  EXPECT_EQ(answered->history, stored.history);

  auto stale = service->Transition(rec.id, "afronden", 1, {}, As("u_reg", "regisseur"), [&](const AnswerContext& c) {
    answered = c.after;
    refused = c.refused;
    return Status::Ok();
  });
  EXPECT_EQ(stale.status().code(), StatusCode::kAborted);
  EXPECT_TRUE(refused);
  EXPECT_EQ(answered->version, 2);  // unchanged
}

TEST_P(CaseServiceTest, TheDispatcherDeliversEveryCommittedEventOnceInCommitOrderUnderConcurrentWriters) {
  EventBus bus;
  std::mutex mu;
  std::vector<std::int64_t> ids_seen;
  std::vector<std::shared_ptr<const std::string>> first_messages, second_messages;
  bus.Subscribe([&](const std::vector<PublishedEvent>& events) {
    std::lock_guard lock(mu);
    for (const auto& e : events) {
      ids_seen.push_back(e.id);
      first_messages.push_back(e.message);
    }
  });
  bus.Subscribe([&](const std::vector<PublishedEvent>& events) {
    std::lock_guard lock(mu);
    for (const auto& e : events) second_messages.push_back(e.message);
  });
  EventDispatcher dispatcher(bus, [](const PublishedEvent& e) { return "event " + std::to_string(e.id); });
  service->SetEventPublisher(&dispatcher);

  constexpr int kWriters = 4;
  std::vector<std::string> case_ids;
  for (int i = 0; i < kWriters; ++i) case_ids.push_back(OpenOne("Persoon " + std::to_string(i)).id);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      const std::string& id = case_ids[static_cast<std::size_t>(i)];
      EXPECT_TRUE(service->Transition(id, "start", 1, {{"plan", std::string("p")}}, As("u_reg", "regisseur")).ok());
      for (int n = 0; n < 10; ++n) EXPECT_TRUE(service->AddNote(id, "notitie", As("u_reg", "regisseur")).ok());
    });
  }
  for (auto& t : writers) t.join();
  dispatcher.WaitDelivered();
  service->SetEventPublisher(nullptr);

  std::vector<storage::CaseEvent> stored;
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     ASSIGN_OR_RETURN(stored, tx.events().ListAfter(0, 10000));
                     return Status::Ok();
                   }).ok());
  std::lock_guard lock(mu);
  // Every committed event, each once, in id order, which is commit order.
  std::vector<std::int64_t> stored_ids;
  for (const auto& e : stored) stored_ids.push_back(e.id);
  EXPECT_EQ(stored_ids.size(), static_cast<std::size_t>(kWriters * (2 + 2 + 10)));
  EXPECT_EQ(ids_seen, stored_ids);
  ASSERT_EQ(second_messages.size(), first_messages.size());
  for (std::size_t i = 0; i < ids_seen.size(); ++i) {
    ASSERT_NE(first_messages[i], nullptr);
    EXPECT_EQ(*first_messages[i], "event " + std::to_string(ids_seen[i]));
    EXPECT_EQ(first_messages[i], second_messages[i]);  // one buffer for every subscriber
  }
}

TEST_P(CaseServiceTest, CasesKeepTheDefinitionVersionTheyWereOpenedUnder) {
  auto old_case = OpenOne();
  auto v4 = casus::testing::SampleWorkflow(4);
  v4.transitions[0].roles = {"coordinator"};  // in v4 only a coordinator may start
  ASSERT_TRUE(registry.Add(v4).ok());
  auto new_case = OpenOne("Piet Nieuw");
  EXPECT_EQ(new_case.definition_version, 4);
  EXPECT_TRUE(service->Transition(old_case.id, "start", 1, {{"plan", std::string("a")}}, As("u_reg", "regisseur")).ok());
  EXPECT_EQ(service->Transition(new_case.id, "start", 1, {{"plan", std::string("a")}}, As("u_reg", "regisseur"))
                .status()
                .code(),
            StatusCode::kPermissionDenied);
}

TEST_P(CaseServiceTest, PrivacyOfficerAndAdminDoNotWriteCaseContent) {
  auto rec = OpenOne();
  EXPECT_EQ(service->AddNote(rec.id, "x", As("u_po", "privacy_officer")).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service->AddNote(rec.id, "x", As("u_adm", "admin")).status().code(), StatusCode::kPermissionDenied);
  auto note = service->AddNote(rec.id, "Gesprek gevoerd", As("u_reg", "regisseur"));
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(Events(rec.id).back().type, "note.added");
  EXPECT_EQ(service->AddNote(rec.id, "", As("u_reg", "regisseur")).status().code(), StatusCode::kInvalidArgument);
}

// Additions are write sets too: planned on a snapshot, guarded by the
// case's version at commit. A case that moved on in between (here a
// transition committed in the same group, just before) is planned again
// and the addition commits once, with no stale answer to the caller.
TEST_P(CaseServiceTest, AnAdditionWhoseCaseMovedOnIsPlannedAgainAndCommitsOnce) {
  auto rec = OpenOne();
  const std::size_t events_before = Events(rec.id).size();
  const std::size_t audited_before = Audit().size();
  std::promise<void> holding, release;
  std::shared_future<void> released = release.get_future().share();
  storage::CaseRecord moved = rec;
  moved.state = "bezig";
  ASSERT_TRUE(store
                  ->SubmitWrite(
                      [&](storage::Transaction& tx) {
                        holding.set_value();
                        released.wait();
                        return tx.cases().Update(moved, 1);  // version 1 -> 2 under the note's plan
                      },
                      nullptr)
                  .ok());
  holding.get_future().wait();
  auto note = std::async(std::launch::async,
                         [&] { return service->AddNote(rec.id, "Gesprek met buurman", As("u_reg", "regisseur")); });
  while (store->WriteQueueDepth() < 1) std::this_thread::sleep_for(1ms);  // planned at version 1, queued
  release.set_value();
  auto added = note.get();
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto events = Events(rec.id);
  ASSERT_EQ(events.size(), events_before + 1);
  EXPECT_EQ(events.back().type, "note.added");
  auto audit = Audit();
  ASSERT_EQ(audit.size(), audited_before + 1);
  EXPECT_EQ(audit.back().action, "note.create");
  EXPECT_EQ(audit.back().result, "success");
  std::vector<storage::Note> notes;
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     ASSIGN_OR_RETURN(notes, tx.notes().ListForCase(rec.id));
                     return Status::Ok();
                   }).ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].id, added->id);
  EXPECT_EQ(Stored(rec.id).version, 2);  // an addition leaves the case's version alone
}

TEST_P(CaseServiceTest, ActionsAndTeamMembersAreRecordedWithEvents) {
  auto rec = OpenOne();
  storage::Action action;
  action.case_id = rec.id;
  action.description = "Huisbezoek";
  action.owner_org_id = "org_pol";
  action.due_at = clock.Now() + 72h;
  ASSERT_TRUE(service->AddAction(action, As("u_reg", "regisseur")).ok());
  action.owner_org_id = "org_missing";
  auto unknown_owner = service->AddAction(action, As("u_reg", "regisseur"));
  EXPECT_EQ(unknown_owner.status().code(), StatusCode::kInvalidArgument);
  ASSERT_NE(unknown_owner.status().detail(), nullptr);
  EXPECT_EQ(unknown_owner.status().detail()->field_errors[0].field, "owner_org");
  // Partners work within the team they are given: they do not change it.
  EXPECT_EQ(service->AddTeamMember({rec.id, "org_pol", "", "lid", {}}, As("u_pol", "partner", "org_pol", "politie")).code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(service->AddTeamMember({rec.id, "org_pol", "", "lid", {}}, As("u_reg", "regisseur")).ok());
  EXPECT_FALSE(service->AddTeamMember({rec.id, "org_pol", "", "lid", {}}, As("u_reg", "regisseur")).ok());
  auto events = Events(rec.id);
  EXPECT_EQ(events[events.size() - 2].type, "action.added");
  EXPECT_EQ(events.back().type, "team.added");
}

}  // namespace
}  // namespace casus::app

namespace casus::app {
namespace {

TEST_P(CaseServiceTest, CommittedEventsArePublishedWithTheirIdsAndAccessFacts) {
  EventBus bus;
  std::vector<PublishedEvent> seen;
  bus.Subscribe([&](const std::vector<PublishedEvent>& events) { seen.insert(seen.end(), events.begin(), events.end()); });
  service->SetEventPublisher(&bus);
  auto rec = OpenOne();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].type, "case.created");
  EXPECT_EQ(seen[0].case_id, rec.id);
  EXPECT_EQ(seen[0].facts.municipality, "Kerkrade");
  ASSERT_EQ(seen[0].facts.team.size(), 1u);
  EXPECT_EQ(seen[0].facts.team[0].org_id, "org_gem");
  auto stored = Events(rec.id);
  EXPECT_EQ(seen[0].id, stored[0].id);
  EXPECT_EQ(seen[1].id, stored[1].id);

  seen.clear();
  auto refused = service->Transition(rec.id, "start", 1, {{"plan", std::string("a")}}, As("u_meld", "meldpunt"));
  EXPECT_FALSE(refused.ok());
  EXPECT_TRUE(seen.empty());  // nothing committed, nothing published

  ASSERT_TRUE(service->AddTeamMember({rec.id, "org_pol", "", "lid", {}}, As("u_reg", "regisseur")).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].type, "team.added");
  EXPECT_EQ(seen[0].facts.team.size(), 2u);  // the new member already sees its own addition
}

}  // namespace
}  // namespace casus::app

namespace casus::app {
namespace {

TEST_P(CaseServiceTest, NeedToKnowIsCheckedInsideTheWriteAndRefusalsAreAudited) {
  auto rec = OpenOne();
  Caller police = As("u_pol", "partner", "org_pol", "politie");
  Caller police_regisseur = As("u_polreg", "regisseur", "org_pol", "politie");
  size_t audit_before = Audit().size();
  auto note = service->AddNote(rec.id, "x", police);
  ASSERT_EQ(note.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalName(note.status().detail()->reason), "access_denied");
  storage::Action action;
  action.case_id = rec.id;
  action.description = "Huisbezoek";
  action.owner_org_id = "org_pol";
  action.due_at = clock.Now() + 24h;
  EXPECT_EQ(service->AddAction(action, police).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service->AddTeamMember({rec.id, "org_pol", "", "lid", {}}, police_regisseur).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service->Transition(rec.id, "start", 1, {{"plan", std::string("a")}}, police_regisseur).status().code(),
            StatusCode::kPermissionDenied);
  auto audit = Audit();
  ASSERT_EQ(audit.size(), audit_before + 4);
  for (size_t i = audit_before; i < audit.size(); ++i) EXPECT_EQ(audit[i].result, "denied") << audit[i].action;
  EXPECT_EQ(Stored(rec.id).version, 1);

  // Once the police are on the team, the same calls succeed.
  ASSERT_TRUE(service->AddTeamMember({rec.id, "org_pol", "", "lid", {}}, As("u_reg", "regisseur")).ok());
  EXPECT_TRUE(service->AddNote(rec.id, "x", police).ok());
  EXPECT_TRUE(service->Transition(rec.id, "start", 1, {{"plan", std::string("a")}}, police_regisseur).ok());
}

TEST_P(CaseServiceTest, TheCallersReasonIsRecordedInTheAuditEntry) {
  auto rec = OpenOne();
  Caller reg = As("u_reg", "regisseur");
  reg.reason = "besproken in het IAWW-overleg";
  ASSERT_TRUE(service->Transition(rec.id, "start", 1, {{"plan", std::string("a")}}, reg).ok());
  EXPECT_EQ(Audit().back().reason, "besproken in het IAWW-overleg");
}

}  // namespace
}  // namespace casus::app

namespace casus::app {
namespace {

TEST_P(CaseServiceTest, CasesOnlyForKnownMunicipalitiesAndGemeenteStaffOnlyForTheirOwn) {
  OpenCaseInput atlantis{"iaww", "Atlantis", {"Jan", std::nullopt}, std::nullopt, 1, {{"bron", std::string("burger")}}};
  auto unknown = service->OpenCase(atlantis, As("u_meld", "meldpunt"));
  ASSERT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().detail()->field_errors[0].field, "municipality");

  config.municipalities["Heerlen"];
  OpenCaseInput heerlen{"iaww", "Heerlen", {"Jan", std::nullopt}, std::nullopt, 1, {{"bron", std::string("burger")}}};
  auto other = service->OpenCase(heerlen, As("u_meld", "meldpunt"));  // a Kerkrade meldpunt
  ASSERT_EQ(other.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalName(other.status().detail()->reason), "other_municipality");
  EXPECT_EQ(Audit().back().result, "denied");
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseServiceTest,
                         ::testing::Values(casus::testing::Backend::kSqlite, casus::testing::Backend::kPostgres),
                         casus::testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, OpenRaceTest,
                         ::testing::Values(casus::testing::Backend::kSqlite, casus::testing::Backend::kPostgres),
                         casus::testing::BackendName);

}  // namespace
}  // namespace casus::app

// The deadline service against real workflows, a real store (SQLite and
// PostgreSQL) and a ManualClock: firings come exactly at their moment
// (weekends, Easter and DST included), exactly once — also across a
// restart — and the declared consequences run once, as the system, audited.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <future>
#include <thread>

#include "engine/access_policy.h"
#include "tests/deadlines/deadline_fixture.h"

namespace casus::app::testing {
namespace {

using ::testing::ElementsAre;

int CountOf(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<int>(std::ranges::count(v, s));
}

std::vector<std::string> Actions(const std::vector<storage::AuditEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.action + "/" + e.result);
  return out;
}

TEST_P(DeadlineFixture, DueSoonAcrossWeekendAndEasterMondayThenOverdueAtTheDueMoment) {
  // 4 working days before the end of Friday 2 April 2027: Thursday, Wednesday,
  // Tuesday, (Easter Monday and the weekend skipped) Friday 26 March.
  config.deadlines.due_soon = {engine::DurationSpec::Unit::kWorkingDays, 4};
  const auto rec = OpenWvggz();
  const auto& d = Deadline(rec, "wvggz_beslissing");
  ASSERT_EQ(FormatRfc3339(d.due_at), "2027-04-02T22:00:00Z");  // 24:00 CEST, 14 days after receipt

  EXPECT_EQ(TickAt(T("2027-03-19T09:00:00Z")), 0);
  EXPECT_EQ(TickAt(T("2027-03-26T22:59:59Z")), 0);  // 23:59:59 CET on Friday 26 March: not yet
  EXPECT_EQ(TickAt(T("2027-03-26T23:00:00Z")), 1);  // 24:00 CET: due soon
  EXPECT_EQ(TickAt(T("2027-03-26T23:00:00Z")), 0);  // ticking again fires nothing new
  EXPECT_EQ(TickAt(T("2027-03-31T12:00:00Z")), 0);
  EXPECT_EQ(TickAt(T("2027-04-02T21:59:59Z")), 0);  // one second before due
  EXPECT_EQ(TickAt(T("2027-04-02T22:00:00Z")), 1);  // overdue at the due moment
  EXPECT_EQ(TickAt(T("2027-04-02T22:01:00Z")), 0);

  EXPECT_THAT(EventTypes(rec.id), ElementsAre("case.created", "deadline.started", "deadline.due_soon",
                                              "deadline.overdue", "deadline.coordinator_notified"));
  const auto events = Events(rec.id);
  EXPECT_EQ(events[2].payload_json, R"({"deadline":"wvggz_beslissing","due_at":"2027-04-02T22:00:00Z"})");
  EXPECT_EQ(FormatRfc3339(events[2].at), "2027-03-26T23:00:00Z");
  EXPECT_EQ(events[3].actor_user_id, "system");
  EXPECT_EQ(FormatRfc3339(events[3].at), "2027-04-02T22:00:00Z");
  EXPECT_THAT(Actions(SystemAudit()),
              ElementsAre("deadline.fire/success", "deadline.fire/success", "deadline.notify/success"));
}

TEST_P(DeadlineFixture, DefaultLeadOfTwoWorkingDays) {
  const auto rec = OpenWvggz();
  EXPECT_EQ(TickAt(T("2027-03-31T21:59:59Z")), 0);
  EXPECT_EQ(TickAt(T("2027-03-31T22:00:00Z")), 1);  // end of Wednesday 31 March: Thursday and Friday remain
  EXPECT_EQ(CountOf(EventTypes(rec.id), "deadline.due_soon"), 1);
}

TEST_P(DeadlineFixture, OverdueWhileDownFiresOnceAfterRestartAndLate3Later) {
  const auto rec = OpenWvggz();
  const auto& d = Deadline(rec, "wvggz_beslissing");
  Restart();
  // Down from before the warning until well after due: overdue fires, the
  // stale warning does not.
  EXPECT_EQ(TickAt(T("2027-04-10T08:00:00Z")), 1);
  EXPECT_EQ(TickAt(T("2027-04-10T08:01:00Z")), 0);
  Restart();
  EXPECT_EQ(TickAt(T("2027-04-12T08:00:00Z")), 0);  // nothing twice after another restart

  // 3x late: three term lengths after the start (Signalen).
  const TimePoint late3 = d.started_at + 3 * (d.due_at - d.started_at);
  ASSERT_EQ(FormatRfc3339(late3), "2027-05-02T00:00:00Z");
  EXPECT_EQ(TickAt(late3 - std::chrono::seconds(1)), 0);
  Restart();
  EXPECT_EQ(TickAt(late3), 1);
  EXPECT_EQ(TickAt(late3 + std::chrono::hours(1)), 0);
  const auto types = EventTypes(rec.id);
  EXPECT_EQ(CountOf(types, "deadline.due_soon"), 0);
  EXPECT_EQ(CountOf(types, "deadline.overdue"), 1);
  EXPECT_EQ(CountOf(types, "deadline.coordinator_notified"), 1);
  EXPECT_EQ(CountOf(types, "deadline.late3"), 1);
}

TEST_P(DeadlineFixture, CrisismaatregelLapsesAutomaticallyExactlyOnce) {
  const auto rec = TakeCrisismaatregel(OpenWvggz());
  ASSERT_EQ(rec.state, "crisismaatregel_genomen");
  const auto& verval = Deadline(rec, "crisismaatregel_verval");
  ASSERT_EQ(FormatRfc3339(verval.due_at), "2027-03-22T23:00:00Z");  // end of the third day

  TickAt(verval.due_at - std::chrono::seconds(1));
  EXPECT_EQ(Stored(rec.id).state, "crisismaatregel_genomen");
  TickAt(verval.due_at);
  auto after = Stored(rec.id);
  EXPECT_EQ(after.state, "maatregel_vervallen");
  EXPECT_EQ(after.level, "regulier");
  EXPECT_EQ(after.history.back(), "crisismaatregel_vervallen");
  const auto version = after.version;

  EXPECT_EQ(TickAt(verval.due_at + std::chrono::hours(1)), 0);
  Restart();
  EXPECT_EQ(TickAt(verval.due_at + std::chrono::hours(48)), 0);
  EXPECT_EQ(Stored(rec.id).version, version);

  const auto audit = SystemAudit();
  const auto lapses = std::ranges::count_if(audit, [](const storage::AuditEntry& e) {
    return e.action == "case.transition" && e.result == "success" && e.reason.find("crisismaatregel_vervallen") != std::string::npos;
  });
  EXPECT_EQ(lapses, 1);
  for (const auto& e : audit) {
    EXPECT_EQ(e.user_id, "system");
    EXPECT_EQ(e.role, "system");
    EXPECT_EQ(e.object_id, rec.id);
  }
  const auto types = EventTypes(rec.id);
  EXPECT_EQ(CountOf(types, "case.transitioned"), 2);  // the burgemeester's and the lapse
}

TEST_P(DeadlineFixture, VerzoekTotVoortzettingPreventsTheLapse) {
  auto rec = TakeCrisismaatregel(OpenWvggz());
  const TimePoint due = Deadline(rec, "crisismaatregel_verval").due_at;
  ASSERT_TRUE(cases->AddTeamMember({rec.id, "org_om", "", "lid", {}}, As("u_meld", "meldpunt")).ok());
  rec = Stored(rec.id);
  rec = Take(rec, "tenuitvoerlegging_vastleggen", {{"tijdstip_tenuitvoerlegging", std::string("2027-03-19T15:00:00Z")}},
             As("u_meld", "meldpunt"));
  rec = Take(rec, "verlenging_aangevraagd", {{"datum_verzoekschrift", std::string("2027-03-20")}},
             As("u_ovj", "partner", "org_om", "om"));
  ASSERT_EQ(rec.state, "verzoek_voortzetting_ingediend");

  TickAt(due + std::chrono::hours(1));
  EXPECT_EQ(Stored(rec.id).state, "verzoek_voortzetting_ingediend");
  for (const auto& e : SystemAudit()) EXPECT_NE(e.action, "case.transition");
  EXPECT_EQ(CountOf(EventTypes(rec.id), "deadline.overdue"), 0);  // the term was cleared
}

TEST_P(DeadlineFixture, FiringsArePublishedForTheTeamAndTheMunicipalitysCoordinators) {
  std::mutex mu;
  std::vector<PublishedEvent> seen;
  bus.Subscribe([&](const std::vector<PublishedEvent>& events) {
    std::lock_guard lock(mu);
    seen.insert(seen.end(), events.begin(), events.end());
  });
  const auto rec = OpenWvggz();
  {
    std::lock_guard lock(mu);
    seen.clear();
  }
  TickAt(T("2027-04-03T08:00:00Z"));
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].type, "deadline.overdue");
  EXPECT_EQ(seen[1].type, "deadline.coordinator_notified");
  EXPECT_EQ(seen[0].case_id, rec.id);
  EXPECT_EQ(seen[0].payload_json, R"({"deadline":"wvggz_beslissing","due_at":"2027-04-02T22:00:00Z"})");
  const engine::Actor coordinator{"u_coord", {"coordinator"}, "org_gem", "gemeente", "Kerkrade"};
  const engine::Actor other_coordinator{"u_coord2", {"coordinator"}, "org_hrl", "gemeente", "Heerlen"};
  EXPECT_TRUE(engine::DecideCaseRead(coordinator, seen[1].facts).allowed);
  EXPECT_FALSE(engine::DecideCaseRead(other_coordinator, seen[1].facts).allowed);
}

}  // namespace
}  // namespace casus::app::testing

namespace casus::app::testing {
namespace {

// A consequence the engine refuses (here: a guard on a setting that is off)
// is audited as denied, changes nothing, and is not tried again.
TEST_P(DeadlineFixture, RefusedConsequenceIsAuditedAsDeniedAndNotRetried) {
  std::ifstream in(std::string(CASUS_SOURCE_DIR) + "/workflows/wvggz.yaml");
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // Whatever version the shipped file has: this one is 99.
  const auto version_at = text.find("\nversion: ") + 1;
  text.replace(version_at, text.find('\n', version_at) - version_at, "version: 99");
  const std::string guard = "      - {name: deadline_passed, deadline: crisismaatregel_verval}\n";
  text.replace(text.find(guard), guard.size(), guard + "      - {name: config_enabled, key: automatisch_vervallen}\n");
  auto loaded = engine::LoadWorkflowText(text, "wvggz.yaml");
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(registry.Add(loaded.definitions.at(0)).ok());

  const auto rec = TakeCrisismaatregel(OpenWvggz());
  ASSERT_EQ(rec.definition_version, 99);
  const TimePoint due = Deadline(rec, "crisismaatregel_verval").due_at;
  TickAt(due);
  TickAt(due + std::chrono::hours(1));
  Restart();
  TickAt(due + std::chrono::hours(2));

  EXPECT_EQ(Stored(rec.id).state, "crisismaatregel_genomen");
  const auto audit = SystemAudit();
  const auto denied = std::ranges::count_if(audit, [](const storage::AuditEntry& e) {
    return e.action == "case.transition" && e.result == "denied";
  });
  EXPECT_EQ(denied, 1);
  EXPECT_EQ(std::ranges::count_if(audit, [](const storage::AuditEntry& e) { return e.result == "success" &&
                                                                                 e.action == "case.transition"; }),
            0);
}

// A firing is a write set: planned on a snapshot, claimed by the writer.
// Each test commits a competing write between the plan and the commit, as
// a second tick (or a second node) would.
class DeadlineRaceTest : public DeadlineFixture {
 protected:
  StatusOr<int> FireWhile(const std::function<Status(storage::Transaction&)>& meanwhile, const std::string& case_id,
                          TimePoint at) {
    clock.Set(at);
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
    auto fired = std::async(std::launch::async, [&] { return cases->FireDeadlines(case_id, at); });
    while (store->WriteQueueDepth() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    release.set_value();
    return fired.get();
  }

  std::vector<storage::DeadlineFiring> Firings(const std::string& case_id) {
    return ReadOne<std::vector<storage::DeadlineFiring>>(
        [&](storage::Transaction& tx) { return tx.deadline_firings().ListForCase(case_id); });
  }
};

TEST_P(DeadlineRaceTest, AFiringClaimedMeanwhileIsNotRepeatedNorItsConsequence) {
  const auto rec = TakeCrisismaatregel(OpenWvggz());
  const auto& verval = Deadline(rec, "crisismaatregel_verval");
  const std::size_t events_before = Events(rec.id).size();
  auto fired = FireWhile(
      [&](storage::Transaction& tx) -> Status {
        ASSIGN_OR_RETURN(bool fresh, tx.deadline_firings().TryRecord(
                                         {rec.id, verval.id, verval.started_at, "overdue", verval.due_at}));
        return fresh ? Status::Ok() : Status::Internal("already recorded");
      },
      rec.id, verval.due_at);
  ASSERT_TRUE(fired.ok()) << fired.status().ToString();
  // The lapse belongs to whoever claimed the overdue firing: not taken here.
  EXPECT_EQ(Stored(rec.id).state, "crisismaatregel_genomen");
  EXPECT_EQ(Stored(rec.id).version, rec.version);
  for (const auto& e : Events(rec.id))  // other deadlines may fire; this one's overdue is not repeated
    EXPECT_FALSE(e.type == "deadline.overdue" && e.payload_json.find(verval.id) != std::string::npos) << e.payload_json;
  EXPECT_GE(Events(rec.id).size(), events_before);
  int overdue_claims = 0;
  for (const auto& f : Firings(rec.id)) overdue_claims += f.deadline_id == verval.id && f.kind == "overdue";
  EXPECT_EQ(overdue_claims, 1);
  EXPECT_EQ(std::ranges::count_if(SystemAudit(), [](const storage::AuditEntry& e) { return e.action == "case.transition"; }),
            0);
  EXPECT_EQ(TickAt(verval.due_at + std::chrono::minutes(1)), 0);  // and nothing is left to fire
}

TEST_P(DeadlineRaceTest, ACaseThatMovedMeanwhileIsPlannedAgainOnWhatWasCommitted) {
  const auto rec = TakeCrisismaatregel(OpenWvggz());
  const auto& verval = Deadline(rec, "crisismaatregel_verval");
  const std::size_t events_before = Events(rec.id).size();
  // Meanwhile the case's terms end (as a decision would end them).
  auto fired = FireWhile(
      [&](storage::Transaction& tx) {
        return tx.cases().UpdateProgress({rec.id, rec.version, rec.state, rec.level, rec.history, rec.data, verval.due_at,
                                          std::vector<engine::DeadlineState>{}});
      },
      rec.id, verval.due_at);
  ASSERT_TRUE(fired.ok()) << fired.status().ToString();
  EXPECT_EQ(*fired, 0);
  EXPECT_EQ(Events(rec.id).size(), events_before);
  EXPECT_TRUE(Firings(rec.id).empty());
  EXPECT_TRUE(SystemAudit().empty());
  EXPECT_EQ(Stored(rec.id).state, "crisismaatregel_genomen");
}

INSTANTIATE_TEST_SUITE_P(Backends, DeadlineFixture,
                         ::testing::Values(casus::testing::Backend::kSqlite, casus::testing::Backend::kPostgres),
                         casus::testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, DeadlineRaceTest,
                         ::testing::Values(casus::testing::Backend::kSqlite, casus::testing::Backend::kPostgres),
                         casus::testing::BackendName);

}  // namespace
}  // namespace casus::app::testing

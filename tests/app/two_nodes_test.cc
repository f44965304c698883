// Two Casus nodes on one PostgreSQL database, each with its own store,
// writer, case service and deadline service: only one leads the
// background jobs, the lead passes on when that node stops, a deadline
// due on both nodes at once fires exactly once, with its consequence, and
// what either node commits reaches the live-event subscribers of both, in
// one commit order.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <future>
#include <memory>

#include "app/case_service.h"
#include "app/deadline_service.h"
#include "app/event_replay.h"
#include "app/shared_event_feed.h"
#include "loader/workflow_loader.h"
#include "storage/postgres_store.h"
#include "tests/support/postgres_server.h"
#include "tz/tzdb_civil_time.h"

namespace casus::app {
namespace {

TimePoint T(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

// What one `casus serve` holds: its own store (writer, readers, lead) and services.
struct Node {
  Node(const std::string& url, const engine::DefinitionRegistry& registry, const Config& config,
       const engine::DutchCalendar& calendar, const Clock& clock) {
    storage::PostgresOptions options;
    options.url = url;
    options.reader_connections = 2;
    auto opened = storage::OpenPostgresStore(options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) return;
    store = std::move(opened).value();
    cases = std::make_unique<CaseService>(*store, registry, config, calendar, clock, ids);
    deadlines = std::make_unique<DeadlineService>(*store, *cases, registry, config, calendar, clock);
  }
  RandomIdGenerator ids;  // as in production: two nodes never make the same id
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<CaseService> cases;
  std::unique_ptr<DeadlineService> deadlines;
};

class TwoNodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    auto* server = casus::testing::SharedPostgres(&reason);
    if (!server) GTEST_SKIP() << "PostgreSQL unavailable: " << reason;
    static int counter = 0;
    auto created = server->CreateDatabase("casus_two_nodes_" + std::to_string(++counter));
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    const auto loaded = engine::LoadWorkflowDirectory(std::filesystem::path(CASUS_SOURCE_DIR) / "workflows");
    ASSERT_TRUE(loaded.ok());
    for (const auto& def : loaded.definitions) ASSERT_TRUE(registry.Add(def).ok());
    config.municipalities["Kerkrade"];
    a = std::make_unique<Node>(*created, registry, config, calendar, clock);
    b = std::make_unique<Node>(*created, registry, config, calendar, clock);
    ASSERT_TRUE(a->store && b->store);
    ASSERT_TRUE(a->store->Write([](storage::Transaction& tx) {
                  return tx.organisations().Insert({"org_gem", "Gemeente Kerkrade", "gemeente", "Kerkrade"});
                }).ok());
  }

  static Caller As(const std::string& user, const std::string& role) {
    return Caller{{user, {role}, "org_gem", "gemeente", "Kerkrade"}, "127.0.0.1", "", ""};
  }

  // A Wvggz case with a crisismaatregel taken on node A: its 3-day term
  // lapses automatically (a transition by the system) when overdue.
  storage::CaseRecord CrisismaatregelOnA() {
    OpenCaseInput input{"wvggz", "Kerkrade", {"Jan Demo", ParseDate("1980-01-01")}, std::nullopt, 1,
                        {{"melder_type", std::string("burger")},
                         {"melder_is_essentiele_naaste", false},
                         {"aanleiding", std::string("verward gedrag in de buurt")}}};
    auto rec = a->cases->OpenCase(input, As("u_meld", "meldpunt"));
    EXPECT_TRUE(rec.ok()) << rec.status().ToString();
    if (!rec.ok()) return {};
    engine::FieldMap data = {{"onmiddellijk_dreigend_ernstig_nadeel", true},
                             {"ernstig_vermoeden_psychische_stoornis", true},
                             {"maatregel_kan_nadeel_wegnemen", true},
                             {"te_urgent_voor_zorgmachtiging", true},
                             {"betrokkene_verzet_zich_tegen_zorg", true},
                             {"medische_verklaring_kenmerk", std::string("MV-2027-001")},
                             {"medische_verklaring_datum", std::string("2027-03-19")},
                             {"toegestane_zorgvormen", std::string("opname")}};
    auto taken = a->cases->Transition(rec->id, "crisismaatregel_nemen", rec->version, data, As("u_bm", "burgemeester"));
    EXPECT_TRUE(taken.ok()) << taken.status().ToString();
    return taken.ok() ? *taken : *rec;
  }

  std::vector<storage::CaseEvent> EventsOnB(const std::string& case_id) {
    std::vector<storage::CaseEvent> out;
    EXPECT_TRUE(b->store->Read([&](storage::Transaction& tx) -> Status {
                  ASSIGN_OR_RETURN(out, tx.events().ListForCase(case_id));
                  return Status::Ok();
                }).ok());
    return out;
  }

  engine::DefinitionRegistry registry;
  Config config;
  engine::DutchCalendar calendar{tz::Amsterdam()};
  ManualClock clock{T("2027-03-19T09:00:00Z")};
  std::unique_ptr<Node> a, b;
};

TEST_F(TwoNodesTest, OneNodeLeadsTheBackgroundJobsAndTheLeadPassesOnWhenItStops) {
  EXPECT_TRUE(a->store->TryLead());
  EXPECT_TRUE(a->store->TryLead());   // still leading
  EXPECT_FALSE(b->store->TryLead());  // led elsewhere
  clock.Set(T("2027-03-20T09:00:00Z"));
  auto ticked = b->deadlines->Tick();
  ASSERT_TRUE(ticked.ok()) << ticked.status().ToString();
  EXPECT_TRUE(ticked->led_elsewhere);
  a.reset();  // node A stops
  // The server frees A's lock when A's backend has ended, a moment after A
  // disconnected: B takes the lead at one of its next tries.
  bool b_leads = false;
  for (int i = 0; i < 100 && !b_leads; ++i) {
    b_leads = b->store->TryLead();
    if (!b_leads) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(b_leads);
}

TEST_F(TwoNodesTest, ADeadlineDueOnBothNodesAtOnceFiresOnceWithItsConsequence) {
  const storage::CaseRecord rec = CrisismaatregelOnA();
  ASSERT_EQ(rec.state, "crisismaatregel_genomen");
  TimePoint due{};
  for (const auto& d : rec.deadlines)
    if (d.id == "crisismaatregel_verval") due = d.due_at;
  ASSERT_NE(due, TimePoint{});
  clock.Set(due);
  // Both nodes fire at the same moment, past the lead (as during a change
  // of lead): the claims keep every firing and the lapse to one.
  for (int round = 0; round < 3; ++round) {
    auto on_a = std::async(std::launch::async, [&] { return a->cases->FireDeadlines(rec.id, due); });
    auto on_b = std::async(std::launch::async, [&] { return b->cases->FireDeadlines(rec.id, due); });
    auto fa = on_a.get(), fb = on_b.get();
    ASSERT_TRUE(fa.ok()) << fa.status().ToString();
    ASSERT_TRUE(fb.ok()) << fb.status().ToString();
    if (round > 0) {
      EXPECT_EQ(*fa + *fb, 0);  // nothing left to fire
    }
  }
  const auto events = EventsOnB(rec.id);
  auto count = [&](const std::string& type) {
    return std::count_if(events.begin(), events.end(), [&](const storage::CaseEvent& e) {
      return e.type == type && (type != "deadline.overdue" || e.payload_json.find("crisismaatregel_verval") != std::string::npos);
    });
  };
  EXPECT_EQ(count("deadline.overdue"), 1);
  EXPECT_EQ(count("case.transitioned"), 2);  // the burgemeester's and the one lapse
  // Event ids follow commit order: strictly increasing in the timeline.
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LT(events[i - 1].id, events[i].id);
  auto chain = b->store->VerifyAudit();
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  EXPECT_TRUE(chain->intact) << chain->problem;
}

// A live-event subscriber on one node: collects what its bus delivers.
class Subscriber {
 public:
  explicit Subscriber(EventBus& bus) {
    bus.Subscribe([this](const std::vector<PublishedEvent>& events) {
      std::lock_guard lock(mu_);
      for (const auto& e : events) got_.push_back(e);
      arrived_.notify_all();
    });
  }
  // Waits (bounded) until `n` events arrived; returns what did.
  std::vector<PublishedEvent> WaitFor(std::size_t n) {
    std::unique_lock lock(mu_);
    arrived_.wait_for(lock, std::chrono::seconds(10), [&] { return got_.size() >= n; });
    return got_;
  }

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  std::vector<PublishedEvent> got_;
};

TEST_F(TwoNodesTest, WhatEitherNodeCommitsReachesTheSubscribersOfBothInOneCommitOrder) {
  EventBus bus_a, bus_b;
  EventReplay replay_a(*a->store, clock), replay_b(*b->store, clock);
  auto feed_a = SharedEventFeed::Start(*a->store, replay_a, bus_a);
  auto feed_b = SharedEventFeed::Start(*b->store, replay_b, bus_b);
  ASSERT_TRUE(feed_a.ok() && feed_b.ok());
  Subscriber on_a(bus_a), on_b(bus_b);

  // Both nodes open cases and take transitions at the same time.
  auto work = [&](Node& node, const std::string& who) {
    for (int i = 0; i < 5; ++i) {
      OpenCaseInput input{"wvggz", "Kerkrade", {who + " " + std::to_string(i), ParseDate("1980-01-01")}, std::nullopt, 1,
                          {{"melder_type", std::string("burger")},
                           {"melder_is_essentiele_naaste", false},
                           {"aanleiding", std::string("verward gedrag")}}};
      auto opened = node.cases->OpenCase(input, As("u_" + who, "meldpunt"));
      EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    }
  };
  auto on_node_a = std::async(std::launch::async, [&] { work(*a, "a"); });
  auto on_node_b = std::async(std::launch::async, [&] { work(*b, "b"); });
  on_node_a.get();
  on_node_b.get();

  std::int64_t committed = 0;
  ASSERT_TRUE(a->store->Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto all, tx.events().ListAfter(0, 1000));
    committed = static_cast<std::int64_t>(all.size());
    return Status::Ok();
  }).ok());
  ASSERT_GE(committed, 10);
  const auto got_a = on_a.WaitFor(static_cast<std::size_t>(committed));
  const auto got_b = on_b.WaitFor(static_cast<std::size_t>(committed));
  ASSERT_EQ(got_a.size(), static_cast<std::size_t>(committed));
  ASSERT_EQ(got_b.size(), static_cast<std::size_t>(committed));
  for (std::size_t i = 0; i < got_a.size(); ++i) {
    EXPECT_EQ(got_a[i].id, got_b[i].id);  // the same events in the same order on both nodes
    if (i > 0) {
      EXPECT_LT(got_a[i - 1].id, got_a[i].id);
    }
    EXPECT_EQ(got_b[i].facts.municipality, "Kerkrade");  // need-to-know facts come with each
  }
}

}  // namespace
}  // namespace casus::app

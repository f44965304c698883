// Two Casus nodes on one PostgreSQL database, each with its own store,
// writer, case service and deadline service: only one leads the
// background jobs, the lead passes on when that node stops, and a deadline
// due on both nodes at once fires exactly once, with its consequence.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <memory>

#include "app/case_service.h"
#include "app/deadline_service.h"
#include "loader/workflow_loader.h"
#include "storage/postgres_store.h"
#include "tests/support/postgres_server.h"

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
  engine::DutchCalendar calendar;
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
  EXPECT_TRUE(b->store->TryLead());
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

}  // namespace
}  // namespace casus::app

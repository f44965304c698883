// A server's worth of deadline machinery over a real store and the real
// workflows/*.yaml, with a ManualClock. Every test runs on SQLite (a temp
// file) and on PostgreSQL (a fresh database on the binary's throwaway
// server). Restart() closes the store and builds everything anew on the
// same file or database, as a server restart would.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/deadline_service.h"
#include "app/event_bus.h"
#include "loader/workflow_loader.h"
#include "tests/support/backends.h"
#include "tests/support/temp_dir.h"
#include "tz/tzdb_civil_time.h"

namespace casus::app::testing {

inline TimePoint T(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

class DeadlineFixture : public ::testing::TestWithParam<casus::testing::Backend> {
 protected:
  void SetUp() override {
    const auto loaded = engine::LoadWorkflowDirectory(std::filesystem::path(CASUS_SOURCE_DIR) / "workflows");
    ASSERT_TRUE(loaded.ok());
    for (const auto& def : loaded.definitions) ASSERT_TRUE(registry.Add(def).ok());
    config.municipalities["Kerkrade"];
    std::string skip;
    database = casus::testing::BackendDatabase::Create(GetParam(), dir.path(), &skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_TRUE(database.has_value());
    Boot();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store
                    ->Write([&](storage::Transaction& tx) -> Status {
                      RETURN_IF_ERROR(tx.organisations().Insert({"org_gem", "Gemeente Kerkrade", "gemeente", "Kerkrade"}));
                      return tx.organisations().Insert({"org_om", "OM Limburg", "om", "Kerkrade"});
                    })
                    .ok());
  }

  void Boot() {
    // The same file or database every time: Restart() is a server restart.
    store = database->Open();
    ASSERT_TRUE(store);
    cases = std::make_unique<CaseService>(*store, registry, config, calendar, clock, ids);
    cases->SetEventPublisher(&bus);
    deadlines = std::make_unique<DeadlineService>(*store, *cases, registry, config, calendar, clock);
  }

  void Restart() {
    deadlines.reset();
    cases.reset();
    store.reset();
    Boot();
  }

  static Caller As(const std::string& user, const std::string& role, const std::string& org = "org_gem",
                   const std::string& org_type = "gemeente") {
    return Caller{{user, {role}, org, org_type, "Kerkrade"}, "127.0.0.1", "", ""};
  }

  storage::CaseRecord OpenWvggz() {
    OpenCaseInput input{"wvggz", "Kerkrade", {"Jan Demo", ParseDate("1980-01-01")}, std::nullopt, 1,
                        {{"melder_type", std::string("burger")},
                         {"melder_is_essentiele_naaste", false},
                         {"aanleiding", std::string("verward gedrag in de buurt")}}};
    auto rec = cases->OpenCase(input, As("u_meld", "meldpunt"));
    EXPECT_TRUE(rec.ok()) << rec.status().ToString();
    return rec.ok() ? *rec : storage::CaseRecord{};
  }

  storage::CaseRecord Take(const storage::CaseRecord& rec, const std::string& transition, engine::FieldMap data,
                           const Caller& caller) {
    auto next = cases->Transition(rec.id, transition, rec.version, data, caller);
    EXPECT_TRUE(next.ok()) << transition << ": " << next.status().ToString();
    return next.ok() ? *next : rec;
  }

  storage::CaseRecord TakeCrisismaatregel(const storage::CaseRecord& rec) {
    engine::FieldMap data = {{"onmiddellijk_dreigend_ernstig_nadeel", true},
                             {"ernstig_vermoeden_psychische_stoornis", true},
                             {"maatregel_kan_nadeel_wegnemen", true},
                             {"te_urgent_voor_zorgmachtiging", true},
                             {"betrokkene_verzet_zich_tegen_zorg", true},
                             {"medische_verklaring_kenmerk", std::string("MV-2027-001")},
                             {"medische_verklaring_datum", std::string("2027-03-19")},
                             {"toegestane_zorgvormen", std::string("opname")}};
    return Take(rec, "crisismaatregel_nemen", data, As("u_bm", "burgemeester"));
  }

  // Ticks at `at`; returns the firings recorded (fails the test on error).
  int TickAt(TimePoint at) {
    clock.Set(at);
    auto r = deadlines->Tick();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->firings : -1;
  }

  template <typename T, typename Fn>
  T ReadOne(Fn fn) {
    T out{};
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, fn(tx));
                       return Status::Ok();
                     }).ok());
    return out;
  }

  std::vector<storage::CaseEvent> Events(const std::string& case_id) {
    return ReadOne<std::vector<storage::CaseEvent>>([&](storage::Transaction& tx) { return tx.events().ListForCase(case_id); });
  }
  std::vector<std::string> EventTypes(const std::string& case_id) {
    std::vector<std::string> out;
    for (const auto& e : Events(case_id)) out.push_back(e.type);
    return out;
  }
  storage::CaseRecord Stored(const std::string& case_id) {
    return ReadOne<storage::CaseRecord>([&](storage::Transaction& tx) { return tx.cases().Get(case_id); });
  }
  std::vector<storage::AuditEntry> SystemAudit() {
    storage::AuditFilter filter;
    filter.user_id = "system";
    filter.limit = 1000;
    return ReadOne<std::vector<storage::AuditEntry>>([&](storage::Transaction& tx) { return tx.audit().Search(filter); });
  }
  const engine::DeadlineState& Deadline(const storage::CaseRecord& rec, const std::string& id) {
    for (const auto& d : rec.deadlines)
      if (d.id == id) return d;
    ADD_FAILURE() << "no deadline " << id;
    static engine::DeadlineState none;
    return none;
  }

  casus::testing::TempDir dir;
  std::optional<casus::testing::BackendDatabase> database;  // kept across restarts
  engine::DefinitionRegistry registry;
  Config config;
  engine::DutchCalendar calendar{tz::Amsterdam()};
  // Friday 19 March 2027, 10:00 in Kerkrade: the Friday before the Easter week.
  ManualClock clock{T("2027-03-19T09:00:00Z")};
  SequentialIdGenerator ids;  // survives restarts: ids must not repeat
  EventBus bus;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<CaseService> cases;
  std::unique_ptr<DeadlineService> deadlines;
};

}  // namespace casus::app::testing

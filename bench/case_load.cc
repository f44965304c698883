#include "bench/case_load.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "app/workflow_catalog.h"
#include "bench/bench_common.h"
#include "storage/audit_hash.h"

namespace casus::bench {
namespace {

app::OpenCaseInput IawwCase(int n) {
  return app::OpenCaseInput{"iaww", "Kerkrade", {"Bench Persoon " + std::to_string(n), ParseDate("1980-01-01")},
                            std::nullopt, 1,
                            {{"categorie", std::string("woonoverlast")}, {"melder_type", std::string("burger")},
                             {"wijk", std::string("Bleijerheide")}, {"omschrijving", std::string("geluidsoverlast")}}};
}

// The five transitions of one case: into verrijking, then partner
// information four times (it stays in verrijking and may recur).
struct Step {
  const char* transition;
  bool with_information;
};
constexpr Step kSteps[kTransitionsPerCase] = {{"verrijking_starten", false},
                                              {"partnerinformatie_toevoegen", true},
                                              {"partnerinformatie_toevoegen", true},
                                              {"partnerinformatie_toevoegen", true},
                                              {"partnerinformatie_toevoegen", true}};

}  // namespace

void Die(const std::string& what) {
  std::cerr << "bench: " << what << "\n";
  std::exit(1);
}

void Check(const Status& st, const std::string& what) {
  if (!st.ok()) Die(what + ": " + st.ToString());
}

app::Caller Meldpunt(const std::string& user_id, const std::string& org_id) {
  return app::Caller{{user_id, {"meldpunt"}, org_id, "gemeente", "Kerkrade"}, "127.0.0.1", "", ""};
}

Stack::Stack(std::unique_ptr<storage::Store> opened) : store(std::move(opened)) {
  auto loaded = app::LoadConfig(std::nullopt);
  Check(loaded.status(), "config");
  config = *loaded;
  auto synced = app::SyncWorkflows(*store, config.workflows_dir);
  Check(synced.status(), "workflows");
  registry = std::move(synced).value();
  services = std::make_unique<app::Services>(app::ServiceParts{*store, registry, config, clock, ids});
  cases = &services->cases;
}

void AddBenchOrganisation(storage::Store& store) {
  Check(store.Write([](storage::Transaction& tx) {
    return tx.organisations().Insert({"org_gem", "Gemeente Kerkrade", "gemeente", "Kerkrade"});
  }),
        "organisation");
}

double OpenCases(app::CaseService& service, const app::Caller& caller, int count, int threads,
                 std::vector<std::string>* ids_out) {
  std::atomic<int> next{0};
  std::mutex mu;
  auto start = SteadyClock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        auto rec = service.OpenCase(IawwCase(i), caller);
        Check(rec.status(), "open case");
        if (ids_out) {
          std::lock_guard lock(mu);
          ids_out->push_back(rec->id);
        }
      }
    });
  for (auto& t : pool) t.join();
  return SecondsSince(start);
}

TransitionRun RunTransitions(app::CaseService& service, const app::Caller& caller, const std::vector<std::string>& ids,
                             int submitters, double seconds_limit) {
  const int cases = static_cast<int>(ids.size());
  std::atomic<int> next{0};
  std::atomic<long> done{0}, failed{0};
  std::mutex mu;
  TransitionRun run;
  auto start = SteadyClock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < submitters; ++t)
    pool.emplace_back([&] {
      std::vector<double> mine;
      for (int i = next++; i < cases && SecondsSince(start) < seconds_limit; i = next++) {
        for (int s = 0; s < kTransitionsPerCase; ++s) {
          engine::FieldMap data;
          if (kSteps[s].with_information) data["informatie"] = std::string("wijkagent meldt een incident");
          auto t0 = SteadyClock::now();
          auto rec = service.Transition(ids[static_cast<std::size_t>(i)], kSteps[s].transition, s + 1, data, caller);
          mine.push_back(SecondsSince(t0) * 1000);
          if (rec.ok()) {
            ++done;
          } else {
            if (failed++ == 0) std::cerr << "transition failed: " << rec.status().ToString() << "\n";
            break;
          }
        }
      }
      std::lock_guard lock(mu);
      run.latencies_ms.insert(run.latencies_ms.end(), mine.begin(), mine.end());
    });
  for (auto& t : pool) t.join();
  run.seconds = SecondsSince(start);
  run.done = done;
  run.failed = failed;
  return run;
}

ThreadTimes BusiestThread() {
  ThreadTimes best;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream in(task.path() / "schedstat");
    double run_ns = 0, wait_ns = 0;
    if (in >> run_ns >> wait_ns && run_ns / 1e9 > best.on_cpu) best = {run_ns / 1e9, wait_ns / 1e9};
  }
  return best;
}

std::string RawAuditHash(const std::string& prev_hash, std::int64_t seq, std::int64_t at, const std::string& case_id,
                         const std::string& person_id) {
  return storage::Sha256Hex(prev_hash + "|" + std::to_string(seq) + "|" + std::to_string(at) +
                            "|case.transition|success|u_bench|" + case_id + "|" + person_id);
}

RawStep RawOrder(long done, long rows) {
  constexpr long kBlock = 64 * kTransitionsPerCase;
  const long block = done / kBlock, within = done % kBlock;
  const long block_cases = std::min<long>(64, rows / kTransitionsPerCase - block * 64);
  return {block * 64 + within % block_cases, within / block_cases};
}

int WriteApiCases(Stack& stack, int count, const std::filesystem::path& out_file) {
  std::optional<storage::User> user;
  Check(stack.store->Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(user, tx.users().FindByUsername("meldpunt.kerkrade"));
    return Status::Ok();
  }),
        "find meldpunt.kerkrade");
  if (!user) Die("no demo account meldpunt.kerkrade (casus init --demo first)");
  const app::Caller caller = Meldpunt(user->id, user->org_id);
  std::vector<std::string> ids;
  double seconds = OpenCases(*stack.cases, caller, count, 64, &ids);
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < 64; ++t)
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < ids.size(); i = next++)
        Check(stack.cases->Transition(ids[i], "verrijking_starten", 1, {}, caller).status(), "verrijking_starten");
    });
  for (auto& t : pool) t.join();
  std::ofstream out(out_file);
  for (const auto& id : ids) out << id << "\n";
  std::cout << JsonLine().Str("bench", "api_cases").Num("cases", count).Num("open_seconds", seconds).Done() << std::endl;
  return 0;
}

}  // namespace casus::bench

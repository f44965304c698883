// Durable transitions on PostgreSQL: CaseService over the real PostgreSQL
// store (case update, timeline event and chained audit entry per
// transition, one transaction per group under the append lock), run as one
// node or as several processes on one database, against the same rows
// written through libpq in a tight loop (with and without pipeline mode).
// Each mode prints one JSON line. URL is a postgresql:// URL; run_bench.py
// makes each run's database a copy of the template database.
//
//   pg_transitions_bench template URL CASES      IAWW cases in aangemeld, opened through CaseService
//   pg_transitions_bench service URL SUBMITTERS CASES SECONDS NODE NODES START_AT
//       this process is node NODE (0-based) of NODES: it takes every NODES-th
//       case and starts at the Unix time START_AT, so that the nodes run together
//   pg_transitions_bench raw URL BATCH CASES SECONDS PIPELINE(0|1)
//   pg_transitions_bench api-cases URL CASES OUT_FILE  cases for the HTTPS POST benchmark
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string_view>
#include <thread>

#include "bench/bench_common.h"
#include "bench/case_load.h"
#include "storage/postgres_store.h"

namespace casus::bench {
namespace {

std::unique_ptr<storage::Store> OpenPostgres(const std::string& url) {
  storage::PostgresOptions options;
  options.url = url;
  auto opened = storage::OpenPostgresStore(options);
  Check(opened.status(), "open store");
  return std::move(opened).value();
}

// A plain libpq connection: the raw reference, and reading case ids.
class Conn {
 public:
  explicit Conn(const std::string& url) : c_(PQconnectdb(url.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) Die(std::string("connect: ") + PQerrorMessage(c_));
  }
  ~Conn() { PQfinish(c_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  PGconn* get() const { return c_; }

  // Runs `sql`; dies unless it succeeded. Returns the rows, if any.
  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    PGresult* r = PQexec(c_, sql.c_str());
    const ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) Die(sql + ": " + PQresultErrorMessage(r));
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < PQntuples(r); ++i) {
      rows.emplace_back();
      for (int j = 0; j < PQnfields(r); ++j) rows.back().emplace_back(PQgetvalue(r, i, j));
    }
    PQclear(r);
    return rows;
  }

  void Prepare(const char* name, const std::string& sql) {
    PGresult* r = PQprepare(c_, name, sql.c_str(), 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(sql + ": " + PQresultErrorMessage(r));
    PQclear(r);
  }

 private:
  PGconn* c_;
};

std::vector<std::string> CaseIds(const std::string& url) {
  Conn c(url);
  std::vector<std::string> ids;
  for (auto& row : c.Query("SELECT id FROM cases ORDER BY created_at, id")) ids.push_back(row[0]);
  return ids;
}

int Template(const std::string& url, int count) {
  double seconds = 0;
  {
    Stack stack(OpenPostgres(url));
    AddBenchOrganisation(*stack.store);
    seconds = OpenCases(*stack.cases, Meldpunt("u_bench", "org_gem"), count, 64, nullptr);
  }
  std::cout << JsonLine().Str("bench", "pg_open_cases").Num("cases", count).Num("seconds", seconds)
                   .Num("per_s", count / seconds).Done()
            << std::endl;
  return 0;
}

void SleepUntilUnixTime(double at) {
  const auto target = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(at)));
  std::this_thread::sleep_until(target);
}

int Service(const std::string& url, int submitters, int max_cases, double seconds_limit, int node, int nodes,
            double start_at) {
  std::vector<std::string> all = CaseIds(url);
  all.resize(std::min<std::size_t>(all.size(), static_cast<std::size_t>(max_cases)));
  std::vector<std::string> mine;
  for (std::size_t i = static_cast<std::size_t>(node); i < all.size(); i += static_cast<std::size_t>(nodes))
    mine.push_back(all[i]);
  Stack stack(OpenPostgres(url));
  SleepUntilUnixTime(start_at);
  TransitionRun run = RunTransitions(*stack.cases, Meldpunt("u_bench", "org_gem"), mine, submitters, seconds_limit);
  stack.store->Flush();
  const ThreadTimes writer = BusiestThread();
  std::cout << JsonLine().Str("bench", "pg_service").Num("node", node).Num("nodes", nodes)
                   .Num("submitters", submitters).Num("transitions", static_cast<double>(run.done))
                   .Num("failed", static_cast<double>(run.failed)).Num("writer_cpu_s", writer.on_cpu)
                   .Num("writer_runqueue_s", writer.waiting_for_cpu).Num("seconds", run.seconds)
                   .Num("per_s", static_cast<double>(run.done) / run.seconds)
                   .Num("p50_ms", Percentile(run.latencies_ms, 0.5)).Num("p99_ms", Percentile(run.latencies_ms, 0.99))
                   .Done()
            << std::endl;
  return 0;
}

// Raw libpq: the four writes per transition that CaseService makes on
// PostgreSQL (case row update with the optimistic version check, timeline
// event, audit entry with its SHA-256 chain hash, chain head), as prepared
// statements, BATCH transitions per transaction. Being the only writer, it
// numbers events and audit entries itself instead of taking the append
// lock and reading the current maximum as Casus's nodes must.
class RawWriter {
 public:
  RawWriter(const std::string& url, bool pipeline) : conn_(url), pipeline_(pipeline) {
    conn_.Prepare("update_case",
                  "UPDATE cases SET state = $1, version = version + 1, updated_at = $2::bigint, history_json = $3, "
                  "data_json = $4 WHERE id = $5 AND version = $6::bigint");
    conn_.Prepare("insert_event",
                  "INSERT INTO case_events (id, case_id, type, at, actor_user_id, payload_json) "
                  "VALUES ($1::bigint, $2, 'case.transitioned', $3::bigint, 'u_bench', $4)");
    conn_.Prepare("insert_audit",
                  "INSERT INTO audit_log (seq, at, action, result, user_id, role, org_id, on_behalf_of, client, "
                  "object_type, object_id, person_id, reason, prev_hash, hash) VALUES ($1::bigint, $2::bigint, "
                  "'case.transition', 'success', 'u_bench', 'meldpunt', 'org_gem', '', '127.0.0.1', 'case', $3, $4, "
                  "'', $5, $6)");
    conn_.Prepare("update_head", "UPDATE audit_head SET last_seq = $1::bigint, last_hash = $2 WHERE id = 1");
    auto head = conn_.Query("SELECT last_seq, last_hash FROM audit_head WHERE id = 1");
    seq_ = std::stoll(head.at(0).at(0));
    hash_ = head.at(0).at(1);
    event_id_ = std::stoll(conn_.Query("SELECT COALESCE(max(id), 0) FROM case_events").at(0).at(0));
    auto sample = conn_.Query("SELECT history_json, data_json, subject_person_id FROM cases LIMIT 1");
    history_ = sample.at(0).at(0);
    data_ = sample.at(0).at(1);
    person_ = sample.at(0).at(2);
    if (pipeline_ && PQenterPipelineMode(conn_.get()) != 1) Die("cannot enter pipeline mode");
  }

  // One transaction of `steps` transitions: (case id, version it is at).
  void Commit(const std::vector<std::pair<std::string, std::int64_t>>& steps, std::int64_t now) {
    expected_.clear();
    Send("BEGIN", {}, false);
    for (const auto& [case_id, version] : steps) {
      const std::string at = std::to_string(now), seq = std::to_string(seq_ + 1);
      const std::string hash = RawAuditHash(hash_, seq_ + 1, now, case_id, person_);
      Send("update_case", {"verrijking", at, history_, data_, case_id, std::to_string(version)}, true);
      Send("insert_event", {std::to_string(++event_id_), case_id, at, kPayload}, true);
      Send("insert_audit", {seq, at, case_id, person_, hash_, hash}, true);
      Send("update_head", {seq, hash}, true);
      ++seq_;
      hash_ = hash;
    }
    Send("COMMIT", {}, false);
    if (!pipeline_) return;
    if (PQpipelineSync(conn_.get()) != 1) Die("pipeline sync");
    for (bool checks_rows : expected_) {
      PGresult* r = PQgetResult(conn_.get());
      CheckResult(r, checks_rows);
      PQclear(r);
      if (PQgetResult(conn_.get()) != nullptr) Die("pipeline: more than one result per query");
    }
    PGresult* sync = PQgetResult(conn_.get());
    if (PQresultStatus(sync) != PGRES_PIPELINE_SYNC) Die("pipeline: no sync");
    PQclear(sync);
  }

 private:
  static constexpr const char* kPayload =
      R"({"transition":"partnerinformatie_toevoegen","from":"verrijking","to":"verrijking"})";

  // Runs (or, in pipeline mode, queues) a prepared statement or a plain
  // command; an UPDATE must have changed exactly one row.
  void Send(const char* what, const std::vector<std::string>& params, bool prepared) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    const int n = static_cast<int>(values.size());
    const bool checks_rows = prepared && std::string_view(what).starts_with("update");
    if (pipeline_) {
      const int sent = prepared ? PQsendQueryPrepared(conn_.get(), what, n, values.data(), nullptr, nullptr, 0)
                                : PQsendQueryParams(conn_.get(), what, 0, nullptr, nullptr, nullptr, nullptr, 0);
      if (sent != 1) Die(std::string("pipeline send: ") + PQerrorMessage(conn_.get()));
      expected_.push_back(checks_rows);
      return;
    }
    PGresult* r = prepared ? PQexecPrepared(conn_.get(), what, n, values.data(), nullptr, nullptr, 0)
                           : PQexec(conn_.get(), what);
    CheckResult(r, checks_rows);
    PQclear(r);
  }

  static void CheckResult(PGresult* r, bool checks_rows) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(std::string("raw write: ") + PQresultErrorMessage(r));
    if (checks_rows && std::string(PQcmdTuples(r)) != "1") Die("raw update found no row at the expected version");
  }

  Conn conn_;
  bool pipeline_;
  std::vector<bool> expected_;  // pipeline mode: per queued query, whether it must change one row
  std::int64_t seq_ = 0, event_id_ = 0;
  std::string hash_, history_, data_, person_;
};

int Raw(const std::string& url, int batch, int max_cases, double seconds_limit, bool pipeline) {
  std::vector<std::string> ids = CaseIds(url);
  const long rows =
      static_cast<long>(std::min<std::size_t>(static_cast<std::size_t>(max_cases), ids.size())) * kTransitionsPerCase;
  RawWriter writer(url, pipeline);
  auto start = SteadyClock::now();
  long done = 0;
  std::vector<std::pair<std::string, std::int64_t>> steps;
  while (done < rows && SecondsSince(start) < seconds_limit) {
    steps.clear();
    for (int b = 0; b < batch && done < rows; ++b, ++done) {
      const RawStep next = RawOrder(done, rows);
      steps.emplace_back(ids[static_cast<std::size_t>(next.case_index)], 1 + next.step);
    }
    writer.Commit(steps, 1700000000 + done);
  }
  const double seconds = SecondsSince(start);
  const ThreadTimes thread = BusiestThread();
  std::cout << JsonLine().Str("bench", "pg_raw").Num("batch", batch).Num("pipeline", pipeline ? 1 : 0)
                   .Num("transitions", static_cast<double>(done)).Num("seconds", seconds)
                   .Num("writer_cpu_s", thread.on_cpu).Num("per_s", static_cast<double>(done) / seconds).Done()
            << std::endl;
  return 0;
}

int ApiCases(const std::string& url, int count, const std::string& out_file) {
  Stack stack(OpenPostgres(url));
  return WriteApiCases(stack, count, out_file);
}

}  // namespace
}  // namespace casus::bench

int main(int argc, char** argv) {
  using namespace casus::bench;
  std::vector<std::string> a(argv + 1, argv + argc);
  auto need = [&](std::size_t n) {
    if (a.size() != n) Die("wrong arguments; see the comment at the top of pg_transitions_bench.cc");
  };
  if (a.empty()) need(1);
  if (a[0] == "template") return need(3), Template(a[1], std::stoi(a[2]));
  if (a[0] == "service")
    return need(8), Service(a[1], std::stoi(a[2]), std::stoi(a[3]), std::stod(a[4]), std::stoi(a[5]),
                            std::stoi(a[6]), std::stod(a[7]));
  if (a[0] == "raw") return need(6), Raw(a[1], std::stoi(a[2]), std::stoi(a[3]), std::stod(a[4]), a[5] == "1");
  if (a[0] == "api-cases") return need(4), ApiCases(a[1], std::stoi(a[2]), a[3]);
  need(0);
  return 1;
}

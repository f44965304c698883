// Durable transitions: CaseService over the real SQLite store (case update,
// timeline event and chained audit entry per transition, group commit on
// the writer thread) against raw SQLite writing the same rows in a tight
// loop, and the disk's fsync rate. Each mode prints one JSON line.
//
//   transitions_bench template DIR CASES          IAWW cases in aangemeld, opened through CaseService
//   transitions_bench service TEMPLATE DIR SYNC SUBMITTERS CASES SECONDS
//   transitions_bench raw TEMPLATE DIR SYNC BATCH CASES SECONDS
//   transitions_bench fsync DIR SECONDS
//   transitions_bench api-cases DATA_DIR CASES OUT_FILE   cases for the HTTPS POST benchmark
//
// Every run is bounded by SECONDS as well as by CASES: a slow configuration
// (one submitter, FULL) reports what it did in the time it had.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "bench/bench_common.h"
#include "bench/case_load.h"
#include "storage/sqlite_store.h"

namespace casus::bench {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<storage::Store> OpenSqlite(const fs::path& db, const std::string& synchronous) {
  storage::SqliteOptions options;
  options.path = db;
  options.synchronous = synchronous;
  auto opened = storage::OpenSqliteStore(options);
  Check(opened.status(), "open store");
  return std::move(opened).value();
}

// Bytes this process handed to write(2)/pwrite(2) so far: WAL frames,
// checkpoints and all. Per transition it shows SQLite's write amplification.
double WrittenBytes() {
  std::ifstream io("/proc/self/io");
  std::string key;
  double value = 0;
  while (io >> key >> value)
    if (key == "wchar:") return value;
  return 0;
}

std::vector<std::string> CaseIds(const fs::path& db) {
  sqlite3* conn = nullptr;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) Die("open " + db.string());
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(conn, "SELECT id FROM cases ORDER BY rowid", -1, &st, nullptr);
  std::vector<std::string> ids;
  while (sqlite3_step(st) == SQLITE_ROW) ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(conn);
  return ids;
}

int Template(const fs::path& dir, int count) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  double seconds = 0;
  {
    Stack stack(OpenSqlite(dir / "casus.db", "NORMAL"));
    AddBenchOrganisation(*stack.store);
    seconds = OpenCases(*stack.cases, Meldpunt("u_bench", "org_gem"), count, 64, nullptr);
  }  // closing checkpoints the WAL into the file, which is what gets copied
  std::cout << JsonLine().Str("bench", "open_cases").Num("cases", count).Num("seconds", seconds)
                   .Num("per_s", count / seconds).Done()
            << std::endl;
  return 0;
}

fs::path FreshCopy(const fs::path& templ, const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(templ, dir / "casus.db");
  fs::path wal = templ.string() + "-wal";
  if (fs::exists(wal)) fs::copy_file(wal, dir / "casus.db-wal");
  return dir / "casus.db";
}

int Service(const fs::path& templ, const fs::path& dir, const std::string& sync, int submitters, int max_cases,
            double seconds_limit) {
  fs::path db = FreshCopy(templ, dir);
  std::vector<std::string> ids = CaseIds(db);
  const int cases = std::min<int>(max_cases, static_cast<int>(ids.size()));
  ids.resize(static_cast<std::size_t>(cases));
  Stack stack(OpenSqlite(db, sync));
  const double written_before = WrittenBytes();
  TransitionRun run = RunTransitions(*stack.cases, Meldpunt("u_bench", "org_gem"), ids, submitters, seconds_limit);
  const long done = run.done;
  stack.store->Flush();
  const double written = WrittenBytes() - written_before;
  const ThreadTimes writer = BusiestThread();
  std::cout << JsonLine().Str("bench", "service").Str("sync", sync).Num("submitters", submitters)
                   .Num("transitions", static_cast<double>(done)).Num("failed", static_cast<double>(run.failed))
                   .Num("bytes_written_per_transition", done ? written / static_cast<double>(done) : 0)
                   .Num("writer_cpu_s", writer.on_cpu).Num("writer_runqueue_s", writer.waiting_for_cpu)
                   .Num("seconds", run.seconds).Num("per_s", static_cast<double>(done) / run.seconds)
                   .Num("p50_ms", Percentile(run.latencies_ms, 0.5)).Num("p99_ms", Percentile(run.latencies_ms, 0.99))
                   .Done()
            << std::endl;
  return 0;
}

// Raw SQLite: the same four writes per transition that CaseService makes
// (case row update with the optimistic version check, timeline event,
// audit entry with its SHA-256 chain hash, chain head), nothing else.
class RawWriter {
 public:
  RawWriter(const fs::path& db, const std::string& sync) {
    if (sqlite3_open(db.c_str(), &db_) != SQLITE_OK) Die("open raw");
    Exec("PRAGMA journal_mode = WAL");
    Exec("PRAGMA synchronous = " + sync);
    Exec("PRAGMA foreign_keys = ON");
    update_case_ = Prepare(
        "UPDATE cases SET state = ?1, version = version + 1, updated_at = ?2, history_json = ?3, data_json = ?4 "
        "WHERE id = ?5 AND version = ?6");
    insert_event_ = Prepare(
        "INSERT INTO case_events (case_id, type, at, actor_user_id, payload_json) VALUES (?1, ?2, ?3, ?4, ?5)");
    insert_audit_ = Prepare(
        "INSERT INTO audit_log (seq, at, action, result, user_id, role, org_id, on_behalf_of, client, object_type, "
        "object_id, person_id, reason, prev_hash, hash) VALUES (?1, ?2, 'case.transition', 'success', 'u_bench', "
        "'meldpunt', 'org_gem', '', '127.0.0.1', 'case', ?3, ?4, '', ?5, ?6)");
    update_head_ = Prepare("UPDATE audit_head SET last_seq = ?1, last_hash = ?2 WHERE id = 1");
    sqlite3_stmt* head = Prepare("SELECT last_seq, last_hash FROM audit_head WHERE id = 1");
    if (sqlite3_step(head) != SQLITE_ROW) Die("audit head");
    seq_ = sqlite3_column_int64(head, 0);
    hash_ = reinterpret_cast<const char*>(sqlite3_column_text(head, 1));
    sqlite3_finalize(head);
    sqlite3_stmt* sample = Prepare("SELECT history_json, data_json, subject_person_id FROM cases LIMIT 1");
    if (sqlite3_step(sample) != SQLITE_ROW) Die("sample case");
    history_ = reinterpret_cast<const char*>(sqlite3_column_text(sample, 0));
    data_ = reinterpret_cast<const char*>(sqlite3_column_text(sample, 1));
    person_ = reinterpret_cast<const char*>(sqlite3_column_text(sample, 2));
    sqlite3_finalize(sample);
    payload_ = R"({"transition":"partnerinformatie_toevoegen","from":"verrijking","to":"verrijking"})";
  }
  ~RawWriter() {
    for (sqlite3_stmt* st : {update_case_, insert_event_, insert_audit_, update_head_}) sqlite3_finalize(st);
    sqlite3_close(db_);
  }

  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) Die(sql + ": " + (err ? err : "?"));
  }

  void Transition(const std::string& case_id, std::int64_t version, std::int64_t now) {
    Bind(update_case_, {"verrijking", "", history_, data_, case_id, ""});
    sqlite3_bind_int64(update_case_, 2, now);
    sqlite3_bind_int64(update_case_, 6, version);
    Step(update_case_);
    if (sqlite3_changes(db_) != 1) Die("raw update found no row at version " + std::to_string(version));
    Bind(insert_event_, {case_id, "case.transitioned", "", "u_bench", payload_});
    sqlite3_bind_int64(insert_event_, 3, now);
    Step(insert_event_);
    const std::int64_t seq = seq_ + 1;
    const std::string hash = RawAuditHash(hash_, seq, now, case_id, person_);
    sqlite3_bind_int64(insert_audit_, 1, seq);
    sqlite3_bind_int64(insert_audit_, 2, now);
    Bind(insert_audit_, {"", "", case_id, person_, hash_, hash});
    Step(insert_audit_);
    sqlite3_bind_int64(update_head_, 1, seq);
    sqlite3_bind_text(update_head_, 2, hash.c_str(), -1, SQLITE_TRANSIENT);
    Step(update_head_);
    seq_ = seq;
    hash_ = hash;
  }

 private:
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) Die(sql + ": " + sqlite3_errmsg(db_));
    return st;
  }
  // Binds the non-empty strings to their 1-based positions.
  static void Bind(sqlite3_stmt* st, std::initializer_list<std::string> values) {
    int i = 1;
    for (const auto& v : values) {
      if (!v.empty()) sqlite3_bind_text(st, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
      ++i;
    }
  }
  void Step(sqlite3_stmt* st) {
    if (sqlite3_step(st) != SQLITE_DONE) Die(std::string("raw step: ") + sqlite3_errmsg(db_));
    sqlite3_reset(st);
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt *update_case_, *insert_event_, *insert_audit_, *update_head_;
  std::int64_t seq_ = 0;
  std::string hash_, history_, data_, person_, payload_;
};

int Raw(const fs::path& templ, const fs::path& dir, const std::string& sync, int batch, int max_cases,
        double seconds_limit) {
  fs::path db = FreshCopy(templ, dir);
  std::vector<std::string> ids = CaseIds(db);
  const long rows = static_cast<long>(std::min<std::size_t>(static_cast<std::size_t>(max_cases), ids.size())) *
                    kTransitionsPerCase;
  RawWriter writer(db, sync);
  const double written_before = WrittenBytes();
  auto start = SteadyClock::now();
  long done = 0;
  while (done < rows && SecondsSince(start) < seconds_limit) {
    writer.Exec("BEGIN IMMEDIATE");
    for (int b = 0; b < batch && done < rows; ++b, ++done) {
      const RawStep next = RawOrder(done, rows);
      writer.Transition(ids[static_cast<std::size_t>(next.case_index)], 1 + next.step, 1700000000 + done);
    }
    writer.Exec("COMMIT");
  }
  const double seconds = SecondsSince(start);
  const double written = WrittenBytes() - written_before;
  const ThreadTimes thread = BusiestThread();
  std::cout << JsonLine().Str("bench", "raw").Str("sync", sync).Num("batch", batch)
                   .Num("transitions", static_cast<double>(done)).Num("seconds", seconds)
                   .Num("bytes_written_per_transition", done ? written / static_cast<double>(done) : 0)
                   .Num("writer_cpu_s", thread.on_cpu).Num("writer_runqueue_s", thread.waiting_for_cpu)
                   .Num("per_s", static_cast<double>(done) / seconds).Done()
            << std::endl;
  return 0;
}

// Overwrites one 4 KiB block and fdatasyncs it, as a WAL commit does.
int Fsync(const fs::path& dir, double seconds_limit) {
  fs::create_directories(dir);
  fs::path file = dir / "fsync.probe";
  int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) Die("open fsync probe");
  std::string block(4096, 'x');
  long count = 0;
  auto start = SteadyClock::now();
  while (SecondsSince(start) < seconds_limit) {
    if (::pwrite(fd, block.data(), block.size(), static_cast<off_t>((count % 16) * 4096)) < 0) Die("pwrite");
    if (::fdatasync(fd) != 0) Die("fdatasync");
    ++count;
  }
  const double seconds = SecondsSince(start);
  ::close(fd);
  fs::remove(file);
  std::cout << JsonLine().Str("bench", "fsync").Num("fsyncs", static_cast<double>(count)).Num("seconds", seconds)
                   .Num("per_s", static_cast<double>(count) / seconds).Done()
            << std::endl;
  return 0;
}

int ApiCases(const fs::path& data_dir, int count, const fs::path& out_file) {
  Stack stack(OpenSqlite(data_dir / "casus.db", "NORMAL"));
  return WriteApiCases(stack, count, out_file);
}

}  // namespace
}  // namespace casus::bench

int main(int argc, char** argv) {
  using namespace casus::bench;
  std::vector<std::string> a(argv + 1, argv + argc);
  auto need = [&](std::size_t n) {
    if (a.size() != n) Die("wrong arguments; see the comment at the top of transitions_bench.cc");
  };
  if (a.empty()) need(1);
  if (a[0] == "template") return need(3), Template(a[1], std::stoi(a[2]));
  if (a[0] == "service") return need(7), Service(a[1], a[2], a[3], std::stoi(a[4]), std::stoi(a[5]), std::stod(a[6]));
  if (a[0] == "raw") return need(7), Raw(a[1], a[2], a[3], std::stoi(a[4]), std::stoi(a[5]), std::stod(a[6]));
  if (a[0] == "fsync") return need(3), Fsync(a[1], std::stod(a[2]));
  if (a[0] == "api-cases") return need(4), ApiCases(a[1], std::stoi(a[2]), a[3]);
  need(0);
  return 1;
}

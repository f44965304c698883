// What both transition benchmarks (SQLite: transitions_bench.cc, PostgreSQL:
// pg_transitions_bench.cc) drive the same way: the services over an opened
// store, IAWW cases opened by concurrent callers, and submitters taking the
// same five transitions per case, with latencies and the busiest thread's
// CPU time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/services.h"
#include "common/status.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::bench {

constexpr int kTransitionsPerCase = 5;

[[noreturn]] void Die(const std::string& what);
void Check(const Status& st, const std::string& what);

// The demo meldpunt of Gemeente Kerkrade that opens and moves the cases.
app::Caller Meldpunt(const std::string& user_id, const std::string& org_id);

// The store, workflows and services of one benchmark database, built as
// `casus serve` builds them.
struct Stack {
  explicit Stack(std::unique_ptr<storage::Store> opened);

  std::unique_ptr<storage::Store> store;
  engine::DefinitionRegistry registry;
  app::Config config;
  SystemClock clock;
  RandomIdGenerator ids;
  std::unique_ptr<app::Services> services;
  app::CaseService* cases = nullptr;  // in `services`
};

// Adds Gemeente Kerkrade (org_gem), whose meldpunt u_bench opens the cases.
void AddBenchOrganisation(storage::Store& store);

// Opens `count` IAWW cases with `threads` concurrent callers; returns
// seconds. Their ids go to `ids_out` when given.
double OpenCases(app::CaseService& service, const app::Caller& caller, int count, int threads,
                 std::vector<std::string>* ids_out);

// Moves each case in `ids` (version 1, aangemeld) through the five steps
// with `submitters` threads, until all are done or `seconds_limit` passed.
struct TransitionRun {
  long done = 0, failed = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
};
TransitionRun RunTransitions(app::CaseService& service, const app::Caller& caller, const std::vector<std::string>& ids,
                             int submitters, double seconds_limit);

// Per thread of this process: seconds on a CPU and seconds runnable but
// waiting for one (/proc/self/task/*/schedstat). The busiest thread of a
// service run is the store's writer; the rest of its wall time it was
// blocked (in fsync or on the database, or waiting for work).
struct ThreadTimes {
  double on_cpu = 0, waiting_for_cpu = 0;
};
ThreadTimes BusiestThread();

}  // namespace casus::bench

namespace casus::bench {

// The raw references' order of `rows` transitions: the order 64 submitters
// produce, blocks of 64 cases, each block taking its first transition on
// every case, then its second, and so on, so that a transaction touches as
// many different cases as a service group does. Row `done` is step `step`
// (0-based; the case is then at version step + 1) of case `case_index`.
struct RawStep {
  long case_index = 0, step = 0;
};
RawStep RawOrder(long done, long rows);

// The raw references' audit hash: SHA-256 over the previous hash and the
// entry's fields, as much hashing as Casus's own chain does per entry.
std::string RawAuditHash(const std::string& prev_hash, std::int64_t seq, std::int64_t at, const std::string& case_id,
                         const std::string& person_id);

// Cases for `POST .../transitions` over HTTPS: opened by the demo's
// meldpunt account (meldpunt.kerkrade) and moved to verrijking (version 2),
// where partner information may be added again and again. Writes one id
// per line to `out_file` and a JSON line to stdout; returns the exit code.
int WriteApiCases(Stack& stack, int count, const std::filesystem::path& out_file);

}  // namespace casus::bench

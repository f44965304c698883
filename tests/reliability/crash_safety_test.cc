// SIGKILL during write traffic, again and again: whatever the server
// acknowledged (2xx) is there after the restart, nothing unacknowledged is
// half there (versions, history, events and audit entries agree), the
// audit chain verifies, and the restart time to /readyz is measured.
// CASUS_CRASH_KILLS sets the number of kills (default 20).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "tests/reliability/case_traffic.h"
#include "tests/reliability/casus_process.h"
#include "tests/reliability/database_check.h"
#include "tests/support/temp_dir.h"

namespace casus::reliability {
namespace {

constexpr int kWriters = 4;

TEST(CrashSafety, SigkillDuringTransitionsLosesNoAcknowledgedWriteAndHalfWritesNothing) {
  const int kills = std::max(20, EnvInt("CASUS_CRASH_KILLS", 20));
  testing::TempDir root;
  const std::string data = (root.path() / "data").string();
  const std::string log = (root.path() / "server.log").string();
  const std::string db = data + "/casus.db";
  ASSERT_EQ(RunCasus({"init", "--data-dir", data}).exit_code, 0);
  Account meldpunt;
  ASSERT_EQ(AddAccount(data, "crash_meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade", meldpunt), "");

  ServerProcess server;
  ASSERT_EQ(server.Start(data, log), "");
  {
    HttpsClient client(server.port());
    ASSERT_EQ(Login(client, meldpunt).status, 200);
  }

  Acknowledged acks;
  TrafficCounts counts;
  std::vector<double> ready_ms;
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> kill_after_ms(80, 600);
  for (int round = 0; round < kills; ++round) {
    if (!server.running()) {
      ASSERT_EQ(server.Start(data, log), "") << "restart " << round;
      ready_ms.push_back(server.ms_to_ready());
      // Verified beside the running server: a `casus audit verify` on the
      // stopped files would, on closing, checkpoint the WAL that the
      // restart is meant to recover.
      const CommandResult verify = RunCasus({"audit", "verify", "--data-dir", data});
      ASSERT_EQ(verify.exit_code, 0) << "round " << round << ": " << verify.out << verify.err;
    }
    std::atomic<int> port{server.port()};
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w)
      writers.emplace_back([&] { RunCaseWriter(port, meldpunt.token, stop, acks, counts); });
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms(random)));
    server.Kill();
    stop = true;
    for (auto& t : writers) t.join();

    // The dead server's files, as the restart will find them.
    const DatabaseFacts facts = ReadDatabaseFacts(db);
    ASSERT_EQ(facts.error, "") << "round " << round;
    ASSERT_EQ(facts.integrity, "ok") << "round " << round;
    const auto disagreements = Disagreements(facts);
    ASSERT_TRUE(disagreements.empty()) << "round " << round << ": half-written case " << disagreements.front();
    for (const auto& [id, version] : acks.Snapshot()) {
      auto it = facts.cases.find(id);
      ASSERT_NE(it, facts.cases.end()) << "round " << round << ": acknowledged case " << id << " is gone";
      ASSERT_GE(it->second.version, version) << "round " << round << ": acknowledged version of " << id << " lost";
    }
  }
  EXPECT_EQ(counts.refused.load(), 0) << "answers other than 2xx while running: "
                                      << (counts.refusals.empty() ? "" : counts.refusals.front());

  // The last restart serves every acknowledged case at (at least) its
  // acknowledged version, over the API.
  ASSERT_EQ(server.Start(data, log), "");
  ready_ms.push_back(server.ms_to_ready());
  const CommandResult verify = RunCasus({"audit", "verify", "--data-dir", data});
  ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  HttpsClient client(server.port());
  const auto acknowledged = acks.Snapshot();
  for (const auto& [id, version] : acknowledged) {
    const HttpResult r = client.Request("GET", "/api/v1/cases/" + id, "", {{"Authorization", "Bearer " + meldpunt.token}});
    ASSERT_EQ(r.status, 200) << id << ": " << r.Describe();
    const auto* v = r.obj().if_contains("version");
    ASSERT_TRUE(v && v->is_int64()) << r.Describe();
    EXPECT_GE(v->get_int64(), version) << id;
  }
  EXPECT_EQ(server.Stop(), 0);

  std::sort(ready_ms.begin(), ready_ms.end());
  const auto facts = ReadDatabaseFacts(db);
  std::printf(
      "[crash] %d SIGKILLs under %d writers: %d writes acknowledged, %d unanswered (killed in flight), %zu cases "
      "(all consistent); restart to /readyz: median %.0f ms, max %.0f ms\n",
      kills, kWriters, counts.acknowledged.load(), counts.unanswered.load(), facts.cases.size(),
      ready_ms[ready_ms.size() / 2], ready_ms.back());
  EXPECT_GT(counts.acknowledged.load(), kills) << "too little traffic to prove anything";
}

}  // namespace
}  // namespace casus::reliability

// A bounded soak of mixed traffic on loopback: case writers, readers,
// logins and logouts, and WebSocket subscribers that reconnect now and
// then. Every answer must be the expected one, and the server's resident
// memory and open file descriptors must stay within stated bounds of what
// they were after the warm-up. CASUS_SOAK_SECONDS sets the measured
// duration (default 45; e.g. 600 for a local run).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <iterator>
#include <mutex>
#include <thread>

#include "tests/reliability/case_traffic.h"
#include "tests/reliability/casus_process.h"
#include "tests/support/temp_dir.h"

namespace casus::reliability {
namespace {

using Clock = std::chrono::steady_clock;

// Each login hashes with Argon2id at 64 MiB (app/auth/password.h): resident
// memory jumps by that much while a login runs and falls back after. So
// growth is measured between the lowest samples of the first and of the
// last few seconds, and may be at most this much (SQLite page caches of
// the growing database, allocator arenas) ...
constexpr long kRssGrowthBoundKb = 32 * 1024;
// ... and the peak may exceed the first low by one Argon2id hash plus that.
constexpr long kRssPeakBoundKb = 64 * 1024 + kRssGrowthBoundKb;
// Once every client has gone, descriptors must be back within this many of
// the count under load after the warm-up (sockets still closing).
constexpr int kFdSlack = 8;

// Under AddressSanitizer (scripts/test-sanitizers.sh builds this test and
// the server with the same flags) resident memory measures the sanitizer,
// not Casus: freed blocks sit in its quarantine (256 MiB by default) and
// every allocation has shadow memory. The memory bounds are then not
// asserted; LeakSanitizer checks the server for leaks when it exits, and
// the normal build asserts the bounds.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMemoryBoundsMeaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kMemoryBoundsMeaningful = false;
#else
constexpr bool kMemoryBoundsMeaningful = true;
#endif
#else
constexpr bool kMemoryBoundsMeaningful = true;
#endif

struct Errors {
  std::atomic<int> count{0};
  std::mutex mu;
  std::string first;
  void Add(const std::string& what) {
    if (count++ == 0) {
      std::lock_guard lock(mu);
      first = what;
    }
  }
};

TEST(Soak, MixedTrafficWithoutErrorsOrGrowthInMemoryAndDescriptors) {
  const int seconds = std::max(5, EnvInt("CASUS_SOAK_SECONDS", 45));
  const int warmup_seconds = std::min(10, std::max(3, seconds / 5));
  testing::TempDir root;
  const std::string data = (root.path() / "data").string();
  ASSERT_EQ(RunCasus({"init", "--data-dir", data}).exit_code, 0);
  Account writer, reader;
  std::vector<Account> logins(4);
  ASSERT_EQ(AddAccount(data, "soak_writer", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade", writer), "");
  ASSERT_EQ(AddAccount(data, "soak_reader", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade", reader), "");
  for (std::size_t i = 0; i < logins.size(); ++i)
    ASSERT_EQ(AddAccount(data, "soak_login" + std::to_string(i), "meldpunt", "Gemeente Kerkrade", "gemeente",
                         "Kerkrade", logins[i]),
              "");
  ServerProcess server;
  ASSERT_EQ(server.Start(data, (root.path() / "server.log").string()), "");
  {
    HttpsClient client(server.port());
    ASSERT_EQ(Login(client, writer).status, 200);
    ASSERT_EQ(Login(client, reader).status, 200);
  }

  std::atomic<int> port{server.port()};
  std::atomic<bool> stop{false};
  Acknowledged acks;
  TrafficCounts writes;
  Errors errors;
  std::atomic<int> reads{0}, login_cycles{0}, ws_messages{0}, ws_connections{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&] { RunCaseWriter(port, writer.token, stop, acks, writes); });
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&] {
      HttpsClient client(port.load());
      const Headers auth = {{"Authorization", "Bearer " + reader.token}};
      while (!stop.load()) {
        const auto known = acks.Snapshot();
        std::vector<std::string> targets = {"/api/v1/cases?limit=20", "/api/v1/me", "/api/v1/dashboard"};
        if (!known.empty()) {
          auto it = known.begin();
          std::advance(it, static_cast<long>(reads.load() % known.size()));
          targets.push_back("/api/v1/cases/" + it->first);
          targets.push_back("/api/v1/cases/" + it->first + "/events");
        }
        for (const auto& target : targets) {
          const HttpResult r = client.Request("GET", target, "", auth);
          if (r.status != 200) errors.Add("GET " + target + ": " + r.Describe());
          ++reads;
        }
      }
    });
  threads.emplace_back([&] {
    // A login (Argon2id and a TOTP step), a request with the new session,
    // a logout, and the logged-out token refused: round robin over accounts.
    for (std::size_t i = 0; !stop.load(); ++i) {
      Account& account = logins[i % logins.size()];
      HttpsClient client(port.load());
      const HttpResult in = Login(client, account);
      if (stop.load()) break;
      if (in.status != 200) {
        errors.Add("login: " + in.Describe());
        continue;
      }
      const Headers auth = {{"Authorization", "Bearer " + account.token}};
      if (const HttpResult me = client.Request("GET", "/api/v1/me", "", auth); me.status != 200)
        errors.Add("me: " + me.Describe());
      if (const HttpResult out = client.Request("POST", "/api/v1/auth/logout", "", auth); out.status != 204)
        errors.Add("logout: " + out.Describe());
      if (const HttpResult gone = client.Request("GET", "/api/v1/me", "", auth); gone.status != 401)
        errors.Add("after logout: " + gone.Describe());
      ++login_cycles;
    }
  });
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      // Subscribers reconnect every few seconds so that connection set-up
      // and teardown are soaked too, not only one long-lived socket.
      while (!stop.load()) {
        apitest::WsClient ws(port.load());
        int status = 0;
        const std::string opened = ws.Open("/api/v1/events", {{"Authorization", "Bearer " + reader.token}}, &status);
        if (!opened.empty()) {
          errors.Add("websocket open: " + std::to_string(status) + " " + opened);
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
          continue;
        }
        ++ws_connections;
        const auto until = Clock::now() + std::chrono::seconds(3 + i);
        bool alive = true;
        while (!stop.load() && Clock::now() < until) {
          std::string message;
          // A timed-out read ends the client (see WsClient::Read): then reconnect.
          const std::string read = ws.Read(&message, std::chrono::seconds(2));
          if (read.empty()) {
            ++ws_messages;
            continue;
          }
          alive = false;
          if (read != "timeout") errors.Add("websocket read: " + read);
          break;
        }
        if (alive) {
          if (const std::string closed = ws.Close(); !closed.empty()) errors.Add("websocket close: " + closed);
        }
      }
    });

  std::this_thread::sleep_for(std::chrono::seconds(warmup_seconds));
  const ProcessFootprint baseline = FootprintOf(server.pid());
  std::vector<ProcessFootprint> samples;
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    samples.push_back(FootprintOf(server.pid()));
  }
  stop = true;
  for (auto& t : threads) t.join();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the server closes its ends
  const ProcessFootprint idle = FootprintOf(server.pid());
  EXPECT_EQ(server.Stop(), 0);

  // The lowest RSS of the first and of the last few samples (between logins).
  const std::size_t window = std::max<std::size_t>(1, std::min<std::size_t>(5, samples.size() / 3));
  long first_low = samples.front().rss_kb, last_low = samples.back().rss_kb, peak_rss = 0;
  int peak_fds = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (i < window) first_low = std::min(first_low, samples[i].rss_kb);
    if (i + window >= samples.size()) last_low = std::min(last_low, samples[i].rss_kb);
    peak_rss = std::max(peak_rss, samples[i].rss_kb);
    peak_fds = std::max(peak_fds, samples[i].fds);
  }
  std::printf(
      "[soak] %d s after %d s warm-up: %d writes, %d reads, %d login/logout cycles, %d websocket connections with %d "
      "messages; %d errors. RSS low %ld kB at the start, %ld kB at the end, peak %ld kB; fds %d after warm-up, "
      "peak %d, %d with no clients\n",
      seconds, warmup_seconds, writes.acknowledged.load(), reads.load(), login_cycles.load(), ws_connections.load(),
      ws_messages.load(), errors.count.load() + writes.refused.load(), first_low, last_low, peak_rss, baseline.fds,
      peak_fds, idle.fds);
  EXPECT_EQ(errors.count.load(), 0) << errors.first;
  EXPECT_EQ(writes.refused.load(), 0) << (writes.refusals.empty() ? "" : writes.refusals.front());
  EXPECT_EQ(writes.unanswered.load(), 0);
  EXPECT_GT(writes.acknowledged.load(), 0);
  EXPECT_GT(login_cycles.load(), 0);
  EXPECT_GT(ws_messages.load(), 0) << "the subscribers saw none of the writes";
  if (kMemoryBoundsMeaningful) {
    EXPECT_LE(last_low - first_low, kRssGrowthBoundKb) << "resident memory grew under steady load";
    EXPECT_LE(peak_rss - first_low, kRssPeakBoundKb) << "a resident memory peak beyond one login's hash";
  } else {
    std::printf("[soak] built with AddressSanitizer: memory bounds not asserted (see kMemoryBoundsMeaningful)\n");
  }
  EXPECT_LE(idle.fds, baseline.fds + kFdSlack) << "descriptors leaked";
}

}  // namespace
}  // namespace casus::reliability

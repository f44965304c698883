// Slowloris: clients that trickle their headers or never finish their body
// hold a connection only until the read timeout (one absolute deadline for
// the whole request), and other clients are served meanwhile.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/server_fixture.h"
#include "tests/hostile/hostile_server.h"
#include "tests/hostile/raw_tls.h"

namespace casus::hostile {
namespace {

using apitest::Api;
using apitest::ApiServer;
using Clock = std::chrono::steady_clock;

struct SlowClient {
  std::unique_ptr<RawTls> tls = std::make_unique<RawTls>();
  bool trickles_headers = false;  // else: headers complete, body never finished
  bool cut = false;
  std::string answer;  // what the server sent before closing
  Clock::duration cut_after{};
};

TEST(Slowloris, TrickledHeadersAndUnfinishedBodiesAreCutWhileOthersAreServed) {
  const int port = ApiServer::Get().port();
  constexpr int kSlowClients = 24;
  const auto started = Clock::now();
  std::vector<SlowClient> slow(kSlowClients);
  for (int i = 0; i < kSlowClients; ++i) {
    SlowClient& c = slow[i];
    ASSERT_EQ(c.tls->Connect(port), "") << "slow client " << i;
    c.trickles_headers = i % 2 == 0;
    if (c.trickles_headers) {
      ASSERT_TRUE(c.tls->Write("POST /api/v1/cases HTTP/1.1\r\nHost: localhost\r\n"));
    } else {
      ASSERT_TRUE(c.tls->Write("POST /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                               "Content-Length: 5000\r\n\r\n{\"type\":\"iaww\","));
    }
  }

  Api meldpunt("kr_meldpunt");
  std::vector<double> latencies_ms;
  // Keep trickling (one header line, or one body byte, per client per
  // round) and keep serving a normal client, until every slow client is
  // cut or far past the read timeout.
  const auto give_up = started + 5 * kReadTimeout;
  int round = 0;
  while (Clock::now() < give_up &&
         std::any_of(slow.begin(), slow.end(), [](const SlowClient& c) { return !c.cut; })) {
    for (SlowClient& c : slow) {
      if (c.cut) continue;
      const bool written = c.trickles_headers ? c.tls->Write("X-Slow-" + std::to_string(round) + ": a\r\n")
                                              : c.tls->Write("\"");
      c.answer += c.tls->Read(std::chrono::milliseconds(1));
      if (!written || c.tls->closed()) {
        c.cut = true;
        c.cut_after = Clock::now() - started;
      }
    }
    const auto before = Clock::now();
    apitest::HttpResult me = meldpunt.Get("/api/v1/me");
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - before).count());
    EXPECT_EQ(me.status, 200) << "round " << round << ": " << me.Describe();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ++round;
  }

  double slowest_cut_s = 0;
  for (int i = 0; i < kSlowClients; ++i) {
    const SlowClient& c = slow[i];
    EXPECT_TRUE(c.cut) << "slow client " << i << " still connected after " << 5 * kReadTimeout.count() << " s";
    // Cut without a success: at most a 4xx answer, never a created case.
    const int status = StatusOf(c.answer);
    EXPECT_TRUE(status == 0 || (status >= 400 && status < 500)) << "slow client " << i << ": " << c.answer;
    slowest_cut_s = std::max(slowest_cut_s, std::chrono::duration<double>(c.cut_after).count());
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  ASSERT_FALSE(latencies_ms.empty());
  std::printf("[ measure ] %d slow clients, read timeout %lld s: last cut after %.1f s; %zu requests of another "
              "client meanwhile, median %.1f ms, max %.1f ms\n",
              kSlowClients, static_cast<long long>(kReadTimeout.count()), slowest_cut_s, latencies_ms.size(),
              latencies_ms[latencies_ms.size() / 2], latencies_ms.back());
  // And the server still answers afterwards.
  EXPECT_EQ(meldpunt.Get("/api/v1/me").status, 200);
}

TEST(Slowloris, ConnectionThatNeverSendsAnythingIsCut) {
  // Only the TLS handshake, then silence: the read timeout applies from the
  // first request on, so a silent connection is cut as well.
  RawTls silent;
  ASSERT_EQ(silent.Connect(ApiServer::Get().port()), "");
  const auto started = Clock::now();
  const std::string got = silent.Read(5 * kReadTimeout);
  EXPECT_TRUE(silent.closed()) << "a silent connection stays open past " << 5 * kReadTimeout.count() << " s";
  EXPECT_EQ(got, "");
  std::printf("[ measure ] silent connection cut after %.1f s\n",
              std::chrono::duration<double>(Clock::now() - started).count());
}

}  // namespace
}  // namespace casus::hostile

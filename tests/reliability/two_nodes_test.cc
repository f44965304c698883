// Two `casus serve` processes on one PostgreSQL database, over real TLS,
// behave as one system: a session made on node A works on node B and a
// logout on B ends it on A; a case opened on A reaches a WebSocket
// subscriber on B; with writers on both nodes, node A is SIGKILLed and B
// carries on, no acknowledged write is lost, and `casus audit verify`
// accepts the chain both nodes wrote.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "storage/postgres/connection.h"
#include "tests/reliability/case_traffic.h"
#include "tests/reliability/casus_process.h"
#include "tests/support/postgres_server.h"
#include "tests/support/temp_dir.h"

namespace casus::reliability {
namespace {

using apitest::WsClient;

Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// Whether a `type` event of `case_id` arrives on `ws` within `timeout`.
bool Receives(WsClient& ws, const std::string& type, const std::string& case_id, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string message;
    if (!ws.Read(&message, std::chrono::milliseconds(500)).empty()) continue;
    boost::system::error_code ec;
    auto v = boost::json::parse(message, ec);
    if (ec || !v.is_object()) continue;
    const auto& o = v.as_object();
    auto text = [&](const char* key) {
      auto it = o.find(key);
      return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
    };
    if (text("type") == type && text("case_id") == case_id) return true;
  }
  return false;
}

TEST(TwoNodes, OneDatabaseTwoServersBehaveAsOneSystem) {
  std::string reason;
  auto* postgres = testing::SharedPostgres(&reason);
  if (!postgres) GTEST_SKIP() << "PostgreSQL unavailable: " << reason;
  auto url = postgres->CreateDatabase("casus_two_nodes");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  // Every casus child of this test uses the one database.
  ::setenv("CASUS_DATABASE_URL", url->c_str(), 1);

  testing::TempDir root;
  const std::string data_a = (root.path() / "a").string(), data_b = (root.path() / "b").string();
  ASSERT_EQ(RunCasus({"init", "--data-dir", data_a}).exit_code, 0);
  Account meldpunt;
  ASSERT_EQ(AddAccount(data_a, "twee_meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade", meldpunt), "");
  ServerProcess a, b;
  ASSERT_EQ(a.Start(data_a, (root.path() / "a.log").string()), "");
  ASSERT_EQ(b.Start(data_b, (root.path() / "b.log").string()), "");
  HttpsClient on_a(a.port()), on_b(b.port());

  // A session made on A works on B; a logout on B ends it on A.
  ASSERT_EQ(Login(on_a, meldpunt).status, 200);
  const std::string first = meldpunt.token;
  EXPECT_EQ(on_b.Request("GET", "/api/v1/cases", "", Bearer(first)).status, 200);
  EXPECT_EQ(on_b.Request("POST", "/api/v1/auth/logout", "", Bearer(first)).status, 204);
  EXPECT_EQ(on_a.Request("GET", "/api/v1/cases", "", Bearer(first)).status, 401);

  // A case opened on A reaches a subscriber on B.
  ASSERT_EQ(Login(on_a, meldpunt).status, 200);
  WsClient subscriber(b.port());
  ASSERT_EQ(subscriber.Open("/api/v1/events", Bearer(meldpunt.token)), "");
  boost::json::object body{{"type", "iaww"},
                           {"municipality", "Kerkrade"},
                           {"subject", {{"name", UniqueName("Twee Knopen")}, {"birth_date", "1980-01-01"}}},
                           {"data", {{"categorie", "woonoverlast"}, {"melder_type", "burger"}, {"wijk", "Bleijerheide"},
                                     {"omschrijving", "Overlast"}}}};
  HttpResult opened = on_a.Request("POST", "/api/v1/cases", boost::json::serialize(body), Bearer(meldpunt.token));
  ASSERT_EQ(opened.status, 201) << opened.Describe();
  EXPECT_TRUE(Receives(subscriber, "case.created", opened.Str("id"), std::chrono::seconds(10)));

  // Writers on both nodes; A is killed; B carries on.
  Acknowledged acks;
  TrafficCounts on_a_counts, on_b_counts;
  std::atomic<int> port_a{a.port()}, port_b{b.port()};
  std::atomic<bool> stop_a{false}, stop_b{false};
  std::vector<std::thread> writers;
  for (int i = 0; i < 2; ++i) {
    writers.emplace_back([&] { RunCaseWriter(port_a, meldpunt.token, stop_a, acks, on_a_counts); });
    writers.emplace_back([&] { RunCaseWriter(port_b, meldpunt.token, stop_b, acks, on_b_counts); });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  a.Kill();
  stop_a = true;
  const int acknowledged_on_b_before = on_b_counts.acknowledged.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop_b = true;
  for (auto& t : writers) t.join();
  EXPECT_GT(on_b_counts.acknowledged.load(), acknowledged_on_b_before) << "B stopped when A died";
  EXPECT_EQ(on_b_counts.refused.load(), 0) << (on_b_counts.refusals.empty() ? "" : on_b_counts.refusals.front());
  EXPECT_EQ(on_b_counts.unanswered.load(), 0);

  // Nothing acknowledged by either node is lost.
  auto db = storage::postgres::Connection::Open(*url);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const auto acknowledged = acks.Snapshot();
  ASSERT_FALSE(acknowledged.empty());
  for (const auto& [id, version] : acknowledged) {
    auto stored = (*db)->QueryInt("SELECT version FROM cases WHERE id = $1", {id});
    ASSERT_TRUE(stored.ok()) << "acknowledged case " << id << " is gone";
    EXPECT_GE(*stored, version) << "acknowledged version of " << id << " lost";
  }

  // One chain, written by both nodes, verifies (B still running).
  const CommandResult verify = RunCasus({"audit", "verify", "--data-dir", data_b});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("audit chain intact"), std::string::npos) << verify.out;
  EXPECT_EQ(b.Stop(), 0);
  ::unsetenv("CASUS_DATABASE_URL");
}

}  // namespace
}  // namespace casus::reliability

// Two `casus serve` processes on one PostgreSQL database, over real TLS,
// behave as one system: a session made on node A works on node B and a
// logout on B ends it on A; a case opened on A reaches a WebSocket
// subscriber on B; with writers on both nodes, node A is SIGKILLed and B
// carries on, no acknowledged write is lost, and `casus audit verify`
// accepts the chain both nodes wrote. With both nodes' deadline jobs
// ticking, an overdue deadline fires once; when the leading node is
// SIGKILLed, the survivor takes the job over and fires the next one, once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <cstdio>
#include <sstream>
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
// Each read waits for the time that is left: a read that times out ends
// the client (WsClient::Read), so a short read timeout would turn an event
// that takes a tick to come into a miss.
bool Receives(WsClient& ws, const std::string& type, const std::string& case_id, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string message;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (!ws.Read(&message, std::max(left, std::chrono::milliseconds(1))).empty()) return false;
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

  // A subscriber that went away from B picks up on A with ?after= what it
  // missed meanwhile: a note added on B.
  ASSERT_EQ(subscriber.Close(), "");
  const std::string case_id = opened.Str("id");
  HttpResult timeline = on_b.Request("GET", "/api/v1/cases/" + case_id + "/events", "", Bearer(meldpunt.token));
  ASSERT_EQ(timeline.status, 200) << timeline.Describe();
  const auto& seen = timeline.obj().at("events").as_array();
  ASSERT_FALSE(seen.empty());
  const std::int64_t last_seen = seen.back().as_object().at("id").as_int64();
  ASSERT_EQ(on_b.Request("POST", "/api/v1/cases/" + case_id + "/notes",
                         boost::json::serialize(boost::json::object{{"text", "gemist op B"}}), Bearer(meldpunt.token))
                .status,
            201);
  WsClient resumed(a.port());
  ASSERT_EQ(resumed.Open("/api/v1/events?after=" + std::to_string(last_seen), Bearer(meldpunt.token)), "");
  EXPECT_TRUE(Receives(resumed, "note.added", case_id, std::chrono::seconds(10)));
  (void)resumed.Close();

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

// What a node wrote to its log so far.
std::string LogOf(const std::string& log_path) {
  std::ifstream in(log_path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Opens, through `node`, a JPP case from a report received 20 days ago:
// its bespreking_jpp term (14 calendar days from receipt, a JPP working
// agreement) has run out when the case opens, so the deadline is overdue at once
// and only "overdue" is due (late3 comes at three terms, ~42 days; due_soon
// is not sent for a term already overdue). Staff intake stamps receipt with
// the current time and `serve` has no clock to set, so the test moves the
// receipt back in the database before the case is opened from the report.
// "" or what went wrong; the case's id in `case_id`.
std::string OpenOverdueJppCase(HttpsClient& node, const std::string& token, storage::postgres::Connection& db,
                               std::string* case_id) {
  boost::json::object report{{"source", "professional"},
                             {"category", "jeugdoverlast"},
                             {"description", "Groep jongeren, al weken overlast bij de speeltuin"},
                             {"location", {{"municipality", "Kerkrade"}, {"wijk", "Bleijerheide"}}}};
  HttpResult made = node.Request("POST", "/api/v1/reports", boost::json::serialize(report), Bearer(token));
  if (made.status != 201) return "POST /api/v1/reports: " + made.Describe();
  const std::string report_id = made.Str("id");
  constexpr std::int64_t kTwentyDays = 20 * 24 * 3600;
  auto moved = db.Query("UPDATE reports SET received_at = received_at - $1::bigint, updated_at = updated_at - "
                        "$1::bigint WHERE id = $2",
                        {std::to_string(kTwentyDays), report_id});
  if (!moved.ok()) return "backdating the report: " + moved.status().ToString();
  boost::json::object body{{"type", "jpp"},
                           {"municipality", "Kerkrade"},
                           {"report_id", report_id},
                           {"subject", {{"name", UniqueName("Termijn Jongere")}, {"birth_date", "2012-05-01"}}},
                           {"data", {{"aanmelder", "politie"}, {"reden_aanmelding", "Zorgen over schoolverzuim"}}}};
  HttpResult opened = node.Request("POST", "/api/v1/cases", boost::json::serialize(body), Bearer(token));
  if (opened.status != 201) return "POST /api/v1/cases: " + opened.Describe();
  *case_id = opened.Str("id");
  const boost::json::value* deadlines = opened.obj().if_contains("deadlines");
  const bool overdue_at_once = deadlines && deadlines->is_array() && deadlines->as_array().size() == 1 &&
                               deadlines->as_array()[0].is_object() &&
                               deadlines->as_array()[0].as_object().at("name").as_string() == "bespreking_jpp" &&
                               deadlines->as_array()[0].as_object().at("overdue").as_bool();
  if (!overdue_at_once)
    return "expected one overdue bespreking_jpp deadline: " + opened.Describe();
  return "";
}

// What one firing of a case's overdue deadline leaves in the database.
struct Firings {
  std::int64_t recorded = -1;         // deadline_firings rows (any kind)
  std::int64_t overdue_events = -1;   // deadline.overdue timeline events
  std::int64_t fire_audits = -1;      // deadline.fire audit entries
};

Firings FiringsOf(storage::postgres::Connection& db, const std::string& case_id) {
  auto count = [&](const std::string& sql) {
    auto n = db.QueryInt(sql, {case_id});
    return n.ok() ? *n : std::int64_t{-1};
  };
  Firings f;
  f.recorded = count("SELECT count(*) FROM deadline_firings WHERE case_id = $1");
  f.overdue_events = count("SELECT count(*) FROM case_events WHERE case_id = $1 AND type = 'deadline.overdue'");
  f.fire_audits = count("SELECT count(*) FROM audit_log WHERE object_id = $1 AND action = 'deadline.fire'");
  return f;
}

void ExpectFiredOnce(storage::postgres::Connection& db, const std::string& case_id) {
  const Firings f = FiringsOf(db, case_id);
  EXPECT_EQ(f.recorded, 1) << case_id;
  EXPECT_EQ(f.overdue_events, 1) << case_id;
  EXPECT_EQ(f.fire_audits, 1) << case_id;
}

// How many `type` events the case's timeline shows through `node`'s API.
int TimelineCount(HttpsClient& node, const std::string& token, const std::string& case_id, const std::string& type) {
  HttpResult r = node.Request("GET", "/api/v1/cases/" + case_id + "/events", "", Bearer(token));
  if (r.status != 200) {
    ADD_FAILURE() << r.Describe();
    return -1;
  }
  int n = 0;
  for (const auto& e : r.obj().at("events").as_array())
    if (e.as_object().at("type").as_string() == type) ++n;
  return n;
}

TEST(TwoNodes, ADeadlineFiresOnceAndTheSurvivorTakesOverTheDeadlineJob) {
  std::string reason;
  auto* postgres = testing::SharedPostgres(&reason);
  if (!postgres) GTEST_SKIP() << "PostgreSQL unavailable: " << reason;
  auto url = postgres->CreateDatabase("casus_two_nodes_deadlines");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  ::setenv("CASUS_DATABASE_URL", url->c_str(), 1);

  testing::TempDir root;
  const std::string data_a = (root.path() / "a").string(), data_b = (root.path() / "b").string();
  const std::string config = (root.path() / "casus.yaml").string();
  std::ofstream(config) << "deadlines:\n  tick_seconds: 1\n";
  ASSERT_EQ(RunCasus({"init", "--data-dir", data_a}).exit_code, 0);
  Account meldpunt;
  ASSERT_EQ(AddAccount(data_a, "termijn_meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade", meldpunt),
            "");
  auto db = storage::postgres::Connection::Open(*url);
  ASSERT_TRUE(db.ok()) << db.status().ToString();

  // A starts first and its first tick (before it listens) takes the lead
  // of the background jobs; B's finds it taken. Both keep ticking.
  // The job ticks every second (the configuration), not every minute.
  ServerProcess a, b;
  const std::string log_a = (root.path() / "a.log").string(), log_b = (root.path() / "b.log").string();
  ASSERT_EQ(a.Start(data_a, log_a, {"--config", config}), "");
  ASSERT_EQ(b.Start(data_b, log_b, {"--config", config}), "");
  ASSERT_NE(LogOf(log_b).find("another node leads the background jobs"), std::string::npos) << LogOf(log_b);
  ASSERT_EQ(LogOf(log_a).find("another node leads the background jobs"), std::string::npos) << LogOf(log_a);

  // The case is opened on B, the follower; its deadline is fired by A's
  // job and reaches B's subscriber through the database.
  HttpsClient on_b(b.port());
  ASSERT_EQ(Login(on_b, meldpunt).status, 200);
  WsClient subscriber(b.port());
  ASSERT_EQ(subscriber.Open("/api/v1/events", Bearer(meldpunt.token)), "");
  std::string first;
  ASSERT_EQ(OpenOverdueJppCase(on_b, meldpunt.token, **db, &first), "");
  const auto opened_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(Receives(subscriber, "deadline.overdue", first, std::chrono::seconds(20)))
      << "firings recorded: " << FiringsOf(**db, first).recorded << "\nA:\n" << LogOf(log_a) << "\nB:\n" << LogOf(log_b);
  const double fired_after_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - opened_at).count();
  // Several more ticks of both nodes: nothing fires twice.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  ExpectFiredOnce(**db, first);
  EXPECT_EQ(TimelineCount(on_b, meldpunt.token, first, "deadline.overdue"), 1);

  // The leader dies; B takes the job over at its next tick: a second
  // overdue deadline fires, once, with only B running, and the first is
  // not fired again by the new leader.
  a.Kill();
  std::string second;
  ASSERT_EQ(OpenOverdueJppCase(on_b, meldpunt.token, **db, &second), "");
  const auto second_opened_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(Receives(subscriber, "deadline.overdue", second, std::chrono::seconds(20)))
      << "firings recorded: " << FiringsOf(**db, second).recorded << "\nB:\n" << LogOf(log_b);
  const double taken_over_after_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - second_opened_at).count();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  ExpectFiredOnce(**db, second);
  ExpectFiredOnce(**db, first);
  EXPECT_EQ(TimelineCount(on_b, meldpunt.token, second, "deadline.overdue"), 1);
  EXPECT_EQ(TimelineCount(on_b, meldpunt.token, first, "deadline.overdue"), 1);
  auto all_firings = (*db)->QueryInt("SELECT count(*) FROM deadline_firings");
  ASSERT_TRUE(all_firings.ok()) << all_firings.status().ToString();
  EXPECT_EQ(*all_firings, 2);
  std::printf("overdue fired %.0f ms after opening (leader A); %.0f ms after opening once A was killed (B)\n",
              fired_after_ms, taken_over_after_ms);

  const CommandResult verify = RunCasus({"audit", "verify", "--data-dir", data_b});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("audit chain intact"), std::string::npos) << verify.out;
  EXPECT_EQ(b.Stop(), 0);
  ::unsetenv("CASUS_DATABASE_URL");
}

}  // namespace
}  // namespace casus::reliability

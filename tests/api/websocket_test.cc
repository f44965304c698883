// The live event stream over a real WebSocket-over-TLS connection:
// authentication, need-to-know filtering per user, replay after a
// reconnect, and the closing of a slow consumer.
#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <set>
#include <thread>

#include "tests/api/server_fixture.h"

namespace casus::apitest {
namespace {

struct Event {
  std::string id, type, case_id, at;
  std::string raw;
};

Event Parse(const std::string& message) {
  Event e;
  e.raw = message;
  boost::system::error_code ec;
  json::value v = json::parse(message, ec);
  if (ec || !v.is_object()) return e;
  const auto& o = v.as_object();
  auto str = [&](const char* key) -> std::string {
    const auto* x = o.if_contains(key);
    if (!x) return "";
    if (x->is_string()) return std::string(x->get_string());
    if (x->is_int64()) return std::to_string(x->get_int64());
    return json::serialize(*x);
  };
  e.id = str("id");
  e.type = str("type");
  e.case_id = str("case_id");
  e.at = str("at");
  return e;
}

Headers Bearer(const std::string& key) { return {{"Authorization", "Bearer " + ApiServer::Get().User(key).token}}; }

// The highest event id the server has handed out so far (events of every
// case: the overseer's view of the newest case's timeline is enough as
// tests run one after another, but take the max over a fresh case).
std::int64_t CurrentEventId() {
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Cursor"));
  EXPECT_EQ(c.status, 201) << c.Describe();
  return LastEventId(c.Str("id"));
}

std::string After(std::int64_t id) { return "/api/v1/events?after=" + std::to_string(id); }

// A case of its own whose note marks "everything before has been sent":
// published after every earlier write has returned, it carries the
// highest id, so a reader can stop when it sees it instead of waiting for
// a timeout.
class Sentinel {
 public:
  Sentinel() {
    Api meldpunt("kr_meldpunt");
    HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Sentinel"));
    EXPECT_EQ(c.status, 201) << c.Describe();
    id_ = c.Str("id");
  }
  void Raise() {
    Api meldpunt("kr_meldpunt");
    EXPECT_EQ(meldpunt.Post("/api/v1/cases/" + id_ + "/notes", json::object{{"text", "einde"}}).status, 201);
  }
  // The raised note (not the opening events of the sentinel's case).
  bool Is(const Event& e) const { return e.case_id == id_ && e.type == "note.added"; }

 private:
  std::string id_;
};

// Reads until an event of `type` for `case_id` arrives (or `timeout`).
std::vector<Event> ReadUntil(WsClient& ws, const std::string& type, const std::string& case_id,
                             std::chrono::milliseconds timeout, bool* found) {
  std::vector<Event> got;
  *found = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string m;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (!ws.Read(&m, std::max(left, std::chrono::milliseconds(1))).empty()) break;
    got.push_back(Parse(m));
    if (got.back().type == type && got.back().case_id == case_id) {
      *found = true;
      break;
    }
  }
  return got;
}

TEST(LiveEvents, UpgradeNeedsAValidSessionAndAWellFormedCursor) {
  const int port = ApiServer::Get().port();
  {
    WsClient ws(port);
    int status = 0;
    EXPECT_NE(ws.Open("/api/v1/events", {}, &status), "");
    EXPECT_EQ(status, 401);
  }
  {
    WsClient ws(port);
    int status = 0;
    EXPECT_NE(ws.Open("/api/v1/events", {{"Authorization", "Bearer " + std::string(43, 'Q')}}, &status), "");
    EXPECT_EQ(status, 401);
  }
  {
    WsClient ws(port);
    int status = 0;
    EXPECT_NE(ws.Open("/api/v1/events?after=abc", Bearer("kr_meldpunt"), &status), "");
    EXPECT_EQ(status, 400);
  }
  const std::string cookie = "casus_session=" + ApiServer::Get().User("kr_meldpunt").token;
  {
    // The session cookie works as well as the Bearer token, from this
    // server's own pages (the client sends Host: localhost).
    WsClient ws(port);
    int status = 0;
    EXPECT_EQ(ws.Open(After(CurrentEventId()), {{"Cookie", cookie}, {"Origin", "https://localhost"}}, &status), "");
    EXPECT_EQ(status, 101);
    ws.Close();
  }
  for (const std::string origin : {"", "https://elders.example", "http://localhost"}) {
    // Cross-site WebSocket hijacking: the cookie without our own Origin.
    WsClient ws(port);
    int status = 0;
    Headers headers = {{"Cookie", cookie}};
    if (!origin.empty()) headers.push_back({"Origin", origin});
    EXPECT_NE(ws.Open(After(CurrentEventId()), headers, &status), "") << origin;
    EXPECT_EQ(status, 403) << origin;
  }
}

TEST(LiveEvents, OnlyUsersWhoMaySeeTheCaseReceiveItsEvents) {
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Live"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  const std::int64_t cursor = LastEventId(id);
  ASSERT_GT(cursor, 0);
  const int port = ApiServer::Get().port();

  // On the team (own organisation), and three who may not see the case:
  // another organisation, another municipality, the privacy officer.
  WsClient team(port), outsider(port), other_muni(port), privacy(port);
  ASSERT_EQ(team.Open(After(cursor), Bearer("kr_regisseur")), "");
  ASSERT_EQ(outsider.Open(After(cursor), Bearer("ggz_partner")), "");
  ASSERT_EQ(other_muni.Open(After(cursor), Bearer("hl_coordinator")), "");
  ASSERT_EQ(privacy.Open(After(cursor), Bearer("kr_privacy")), "");

  HttpResult t = Transition(meldpunt, id, "verrijking_starten", 1);
  ASSERT_EQ(t.status, 200) << t.Describe();

  bool found = false;
  auto got = ReadUntil(team, "case.transitioned", id, std::chrono::seconds(5), &found);
  ASSERT_TRUE(found) << "the team member did not receive case.transitioned; got " << got.size() << " messages";
  const Event& e = got.back();
  EXPECT_FALSE(e.id.empty());
  EXPECT_GT(std::atoll(e.id.c_str()), cursor);
  EXPECT_EQ(e.at.back(), 'Z') << e.raw;
  EXPECT_NE(e.raw.find("verrijking_starten"), std::string::npos) << e.raw;

  // The three listen at once; nothing may arrive within 700 ms (the team
  // member had its event at once).
  std::vector<std::vector<std::string>> leaked(3);
  std::vector<std::thread> listeners;
  WsClient* others[] = {&outsider, &other_muni, &privacy};
  for (int i = 0; i < 3; ++i)
    listeners.emplace_back([&, i] { leaked[i] = others[i]->Drain(std::chrono::milliseconds(700)); });
  for (auto& l : listeners) l.join();
  const char* who[] = {"ggz_partner (not on team)", "hl_coordinator (other municipality)", "kr_privacy"};
  for (int i = 0; i < 3; ++i) {
    for (const auto& m : leaked[i]) EXPECT_EQ(m.find(id), std::string::npos) << who[i] << " received: " << m;
    EXPECT_TRUE(leaked[i].empty()) << who[i] << ": " << leaked[i].size() << " unexpected messages, first: "
                                   << leaked[i].front();
  }
}

TEST(LiveEvents, ReconnectWithAfterReceivesExactlyWhatWasMissed) {
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Replay"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  const std::string notes = "/api/v1/cases/" + id + "/notes";
  const int port = ApiServer::Get().port();

  std::string last_id;
  {
    WsClient ws(port);
    ASSERT_EQ(ws.Open(After(LastEventId(id)), Bearer("kr_coordinator")), "");
    ASSERT_EQ(meldpunt.Post(notes, json::object{{"text", "voor de onderbreking"}}).status, 201);
    bool found = false;
    auto got = ReadUntil(ws, "note.added", id, std::chrono::seconds(5), &found);
    ASSERT_TRUE(found);
    last_id = got.back().id;
    ws.Close();
  }
  // While the client is away: a transition and two notes.
  ASSERT_EQ(Transition(meldpunt, id, "verrijking_starten", 1).status, 200);
  ASSERT_EQ(meldpunt.Post(notes, json::object{{"text", "gemist 1"}}).status, 201);
  ASSERT_EQ(meldpunt.Post(notes, json::object{{"text", "gemist 2"}}).status, 201);

  // What was missed, per the timeline.
  std::vector<std::string> expected;
  HttpResult timeline = meldpunt.Get("/api/v1/cases/" + id + "/events");
  for (const auto& e : timeline.obj().at("events").as_array()) {
    const std::int64_t eid = e.as_object().at("id").as_int64();
    if (eid > std::atoll(last_id.c_str())) expected.push_back(std::to_string(eid));
  }
  ASSERT_GE(expected.size(), 3u) << timeline.body;

  WsClient again(port);
  ASSERT_EQ(again.Open("/api/v1/events?after=" + last_id, Bearer("kr_coordinator")), "");
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    std::string m;
    std::string err = again.Read(&m, std::chrono::seconds(5));
    if (!err.empty()) {
      ADD_FAILURE() << "replay ended after " << ids.size() << " of " << expected.size() << ": " << err;
      break;
    }
    Event e = Parse(m);
    EXPECT_EQ(e.case_id, id) << m;
    ids.push_back(e.id);
  }
  EXPECT_EQ(ids, expected) << "replay after " << last_id;
  // And nothing more (no duplicates of what it had already seen).
  auto extra = again.Drain(std::chrono::milliseconds(300));
  EXPECT_TRUE(extra.empty()) << "unexpected: " << extra.front();
}

// Posts notes on `case_id` from `threads` connections until `stop` (or
// `cap` notes); returns how many were created. Failures are counted.
struct NoteFlood {
  std::atomic<int> reserved{0};
  std::atomic<int> produced{0};
  std::atomic<int> failures{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;

  void Start(const std::string& case_id, int n_threads, int cap, std::size_t text_bytes) {
    for (int t = 0; t < n_threads; ++t)
      threads.emplace_back([this, case_id, cap, text_bytes] {
        Api api("kr_meldpunt");
        const std::string text(text_bytes, 'n');
        while (!stop.load() && failures.load() <= 10 && reserved.fetch_add(1) < cap) {
          HttpResult r = api.Post("/api/v1/cases/" + case_id + "/notes", json::object{{"text", text}});
          if (r.status == 201) ++produced;
          else ++failures;
        }
      });
  }
  void Join() {
    for (auto& t : threads) t.join();
    threads.clear();
  }
  ~NoteFlood() {
    stop = true;
    Join();
  }
};

TEST(LiveEvents, SlowConsumerIsClosedAndOthersAreStillServed) {
  ApiServer& server = ApiServer::Get();
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Flood"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  const std::int64_t cursor = LastEventId(id);
  const int port = server.port();
  const auto marker_count = [&] {
    const std::string log = server.ServerLog();
    std::size_t n = 0;
    for (auto at = log.find("slow consumer"); at != std::string::npos; at = log.find("slow consumer", at + 1)) ++n;
    return n;
  };
  const std::size_t closed_before = marker_count();
  Sentinel sentinel;

  // The slow consumer never reads. A small receive buffer and a small
  // announced MSS keep the kernel buffers between it and the server small,
  // so the server's queue (256 messages) fills after hundreds of events,
  // not tens of thousands.
  WsClient slow(port, 4096, 536);
  ASSERT_EQ(slow.Open(After(cursor), Bearer("kr_coordinator")), "");
  // A consumer that keeps reading, on its own thread, must not be affected.
  WsClient fast(port);
  ASSERT_EQ(fast.Open(After(cursor), Bearer("kr_regisseur")), "");
  std::atomic<int> fast_notes{0};
  std::string fast_error;
  std::thread reader([&] {
    for (;;) {
      std::string m;
      std::string err = fast.Read(&m, std::chrono::seconds(30));
      if (!err.empty()) {
        fast_error = err;
        return;
      }
      Event e = Parse(m);
      if (sentinel.Is(e)) return;
      if (e.type == "note.added" && e.case_id == id) ++fast_notes;
    }
  });

  // Many events (notes with large-ish texts), until the server reports
  // the slow consumer closed, or a cap. One producer, so that events are
  // published in id order (see ConcurrentWritersLoseNoLiveEvents).
  NoteFlood flood;
  flood.Start(id, 1, 20000, 2000);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (marker_count() == closed_before && std::chrono::steady_clock::now() < deadline && flood.failures.load() == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const int at_close = flood.produced.load();
  // Some more after the close: the server carries on.
  while (flood.produced.load() < at_close + 50 && flood.failures.load() == 0 &&
         std::chrono::steady_clock::now() < deadline + std::chrono::seconds(5))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  flood.stop = true;
  flood.Join();
  const int produced = flood.produced.load();
  EXPECT_EQ(flood.failures.load(), 0) << "note posts failed during the flood";
  sentinel.Raise();
  reader.join();
  ASSERT_GT(marker_count(), closed_before) << "the server never closed the slow consumer after " << produced
                                           << " events";

  // The slow consumer's connection ends: whatever it had buffered, then the close.
  std::string error;
  auto buffered = slow.Drain(std::chrono::seconds(10), &error);
  EXPECT_NE(error, "timeout") << "the slow consumer's connection was not closed (it read " << buffered.size() << ")";
  EXPECT_LT(static_cast<int>(buffered.size()), produced) << "a closed slow consumer cannot have received all";
  if (slow.close_code() != 0) {
    EXPECT_EQ(slow.close_code(), 1008) << "policy violation: slow consumer";
  }

  // The reading consumer received every event and is still connected.
  EXPECT_EQ(fast_notes.load(), produced) << "the reading consumer lost events; its error: " << fast_error;
  EXPECT_EQ(marker_count(), closed_before + 1) << "only the slow consumer is closed";

  // The server still serves: HTTP, and a new live connection gets new events.
  Api anon;
  EXPECT_EQ(anon.Get("/healthz").status, 200);
  WsClient fresh(port);
  ASSERT_EQ(fresh.Open(After(LastEventId(id)), Bearer("kr_coordinator")), "");
  ASSERT_EQ(meldpunt.Post("/api/v1/cases/" + id + "/notes", json::object{{"text", "na de vloed"}}).status, 201);
  bool found = false;
  ReadUntil(fresh, "note.added", id, std::chrono::seconds(5), &found);
  EXPECT_TRUE(found);
  std::printf("[ slow consumer ] closed after %d events; %zu reached it; %d produced\n", at_close, buffered.size(),
              produced);
}

// Two writers at once on one case: a subscriber that reads must receive
// every event — live, and if not live then at least by reconnecting with
// ?after= (no event may be lost for good).
TEST(LiveEvents, ConcurrentWritersLoseNoLiveEvents) {
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Gelijktijdig"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  Sentinel sentinel;
  const std::int64_t cursor = LastEventId(id);
  WsClient ws(ApiServer::Get().port());
  ASSERT_EQ(ws.Open(After(cursor), Bearer("kr_coordinator")), "");
  std::vector<std::string> live;
  std::thread reader([&] {
    for (;;) {
      std::string m;
      if (!ws.Read(&m, std::chrono::seconds(30)).empty()) return;
      Event e = Parse(m);
      if (sentinel.Is(e)) return;
      if (e.case_id == id) live.push_back(e.id);
    }
  });
  {
    NoteFlood flood;
    flood.Start(id, 4, 400, 100);
    flood.Join();
    ASSERT_EQ(flood.failures.load(), 0);
  }
  sentinel.Raise();
  reader.join();

  std::vector<std::string> expected;
  HttpResult timeline = meldpunt.Get("/api/v1/cases/" + id + "/events");
  for (const auto& e : timeline.obj().at("events").as_array())
    if (e.as_object().at("id").as_int64() > cursor) expected.push_back(std::to_string(e.as_object().at("id").as_int64()));
  std::set<std::string> got(live.begin(), live.end());
  std::vector<std::string> missing;
  for (const auto& e : expected)
    if (!got.count(e)) missing.push_back(e);
  EXPECT_TRUE(missing.empty()) << missing.size() << " of " << expected.size()
                               << " events never reached the live subscriber, e.g. id " << missing.front();
  // Reconnecting after the last id received cannot bring them back either
  // when they are older than it.
  if (!missing.empty() && !live.empty()) {
    WsClient again(ApiServer::Get().port());
    ASSERT_EQ(again.Open("/api/v1/events?after=" + live.back(), Bearer("kr_coordinator")), "");
    auto replayed = again.Drain(std::chrono::milliseconds(1000));
    std::size_t recovered = 0;
    for (const auto& m : replayed) recovered += std::count(missing.begin(), missing.end(), Parse(m).id);
    EXPECT_EQ(recovered, missing.size()) << "lost for good: a reconnect with ?after=" << live.back()
                                         << " does not replay them";
  }
}

// API.md: "A client that reconnects with ?after=<last id> receives what it
// missed" — also when it missed more than the live queue holds (256), as
// long as it reads. The replay must not get a reading client closed as a
// slow consumer.
TEST(LiveEvents, ReplayOfManyMissedEventsReachesAReadingClient) {
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Veel gemist"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  const std::int64_t cursor = LastEventId(id);
  constexpr int kMissed = 600;
  {
    NoteFlood flood;
    flood.Start(id, 2, kMissed, 100);
    flood.Join();
    ASSERT_EQ(flood.failures.load(), 0);
    ASSERT_EQ(flood.produced.load(), kMissed);
  }
  WsClient ws(ApiServer::Get().port());
  ASSERT_EQ(ws.Open(After(cursor), Bearer("kr_coordinator")), "");
  std::string error;
  auto replayed = ws.Drain(std::chrono::seconds(2), &error);
  int notes = 0;
  for (const auto& m : replayed) notes += Parse(m).type == "note.added";
  EXPECT_EQ(notes, kMissed) << "replayed " << replayed.size() << " messages, then: " << error
                            << (ws.close_code() ? " (close code " + std::to_string(ws.close_code()) + ")" : "");
  EXPECT_EQ(error, "timeout") << "the connection should stay open after the replay";
}

}  // namespace
}  // namespace casus::apitest

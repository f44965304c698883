// The live event stream without a socket: who may subscribe, what each
// user receives (need-to-know), replay after reconnect, no duplicates, and
// slow consumers cut off.
#include "api/events/live_events.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "app/auth/totp.h"
#include "app/case_service.h"
#include "storage/sqlite_store.h"
#include "tests/support/sample_workflow.h"
#include "tests/support/password_cost.h"
#include "tests/support/temp_dir.h"
#include "tz/tzdb_civil_time.h"

namespace casus::api {
namespace {

using namespace std::chrono_literals;

class RecordingSink final : public EventSink {
 public:
  explicit RecordingSink(size_t capacity = 1000) : capacity_(capacity) {}
  bool Send(std::shared_ptr<const std::string> message) override {
    std::lock_guard lock(mu_);
    if (closed_ || messages_.size() >= capacity_) return false;
    messages_.push_back(*message);
    return true;
  }
  void Close() override {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  std::size_t Backlog() const override { return 0; }  // delivered at once
  std::size_t Capacity() const override { return capacity_; }
  std::vector<std::string> messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }

 private:
  mutable std::mutex mu_;
  size_t capacity_;
  bool closed_ = false;
  std::vector<std::string> messages_;
};

class LiveEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::SqliteOptions options;
    options.path = dir.path() / "casus.db";
    store = std::move(storage::OpenSqliteStore(options)).value();
    ASSERT_TRUE(registry.Add(casus::testing::SampleWorkflow(3)).ok());
    config.municipalities["Kerkrade"];
    cases = std::make_unique<app::CaseService>(*store, registry, config, calendar, clock, ids);
    cases->SetEventPublisher(&bus);
    app::AuthOptions cheap;
    cheap.password_cost = ::casus::testing::kCheapPasswordCost;
    auth = std::make_unique<app::AuthService>(*store, clock, ids, cheap);
    replay = std::make_unique<app::EventReplay>(*store, clock);
    stream = std::make_unique<LiveEventStream>(*auth, bus, *replay, clock);
    meldpunt = AddUser("meldpunt.k", "meldpunt", "Gemeente Kerkrade", "gemeente");
    politie = AddUser("agent.p", "partner", "Politie Limburg", "politie");
    ggz = AddUser("ggz.m", "partner", "Mondriaan GGZ", "ggz");
  }

  app::CreatedUser AddUser(const std::string& name, const std::string& role, const std::string& org,
                           const std::string& type) {
    auto created = auth->AddUser({name, "correct horse battery staple", {role}, org, type, "Kerkrade"});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }

  std::string Login(const app::CreatedUser& user) {
    clock.Advance(31s);  // a fresh TOTP step for every login
    // The secret is handed out once, in the otpauth URI (the record keeps it blank).
    auto start = user.otpauth_uri.find("secret=") + 7;
    std::string secret = user.otpauth_uri.substr(start, user.otpauth_uri.find('&', start) - start);
    auto code = app::auth::TotpCodeAt(secret, app::auth::TotpStep(clock.Now()));
    auto result = auth->Login(user.user.username, "correct horse battery staple", *code, "127.0.0.1");
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? result->token : "";
  }

  app::Caller As(const app::CreatedUser& u, const std::string& org_type) {
    return app::Caller{{u.user.id, u.user.roles, u.user.org_id, org_type, "Kerkrade"}, "test", "", ""};
  }

  storage::CaseRecord Open(const std::string& name) {
    app::OpenCaseInput in{"iaww", "Kerkrade", {name, std::nullopt}, std::nullopt, 1, {{"bron", std::string("burger")}}};
    return std::move(cases->OpenCase(in, As(meldpunt, "gemeente"))).value();
  }

  HttpRequest Upgrade(const std::string& token, const std::string& query = "") {
    HttpRequest r;
    r.method = "GET";
    r.path = "/api/v1/events";
    r.query = query;
    if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
    return r;
  }

  static std::vector<std::string> CaseIds(const std::vector<std::string>& messages) {
    std::vector<std::string> out;
    for (const auto& m : messages) {
      auto pos = m.find("\"case_id\":\"");
      out.push_back(pos == std::string::npos ? "" : m.substr(pos + 11, m.find('"', pos + 11) - pos - 11));
    }
    return out;
  }

  casus::testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  engine::DefinitionRegistry registry;
  app::Config config;
  engine::DutchCalendar calendar{tz::Amsterdam()};
  ManualClock clock{*ParseRfc3339("2026-03-02T09:00:00Z")};
  RandomIdGenerator ids;
  app::EventBus bus;
  std::unique_ptr<app::CaseService> cases;
  std::unique_ptr<app::AuthService> auth;
  std::unique_ptr<app::EventReplay> replay;
  std::unique_ptr<LiveEventStream> stream;
  app::CreatedUser meldpunt, politie, ggz;
};

TEST_F(LiveEventsTest, UnauthenticatedOrMalformedUpgradesAreRefused) {
  auto none = stream->Accept(Upgrade(""));
  ASSERT_TRUE(none.refusal);
  EXPECT_EQ(none.refusal->status, 401);
  EXPECT_EQ(none.subscription, nullptr);
  auto forged = stream->Accept(Upgrade("forged-token"));
  ASSERT_TRUE(forged.refusal);
  EXPECT_EQ(forged.refusal->status, 401);
  std::string token = Login(politie);
  for (const char* bad : {"after=abc", "after=", "after=-1", "after=1&x=2", "since=3"}) {
    auto r = stream->Accept(Upgrade(token, bad));
    ASSERT_TRUE(r.refusal) << bad;
    EXPECT_EQ(r.refusal->status, 400) << bad;
  }
  EXPECT_FALSE(stream->Accept(Upgrade(token, "after=12")).refusal);
}

TEST_F(LiveEventsTest, EachUserReceivesOnlyEventsOfCasesTheyMaySee) {
  auto shared = Open("Gedeeld");
  auto other = Open("Niet gedeeld");
  ASSERT_TRUE(cases->AddTeamMember({shared.id, politie.user.org_id, "", "lid", {}}, As(meldpunt, "gemeente")).ok());

  auto police_sink = std::make_shared<RecordingSink>();
  auto ggz_sink = std::make_shared<RecordingSink>();
  auto police = stream->Accept(Upgrade(Login(politie), "after=0"));
  auto mental = stream->Accept(Upgrade(Login(ggz), "after=0"));
  police.subscription->Start(police_sink);
  mental.subscription->Start(ggz_sink);

  // Replayed from the start: only the shared case's events.
  auto replayed = CaseIds(police_sink->messages());
  ASSERT_FALSE(replayed.empty());
  for (const auto& id : replayed) EXPECT_EQ(id, shared.id);
  EXPECT_TRUE(ggz_sink->messages().empty());

  // Live: a note on each case; the police see only theirs.
  size_t before = police_sink->messages().size();
  ASSERT_TRUE(cases->AddNote(other.id, "geheim", As(meldpunt, "gemeente")).ok());
  ASSERT_TRUE(cases->AddNote(shared.id, "gedeeld", As(meldpunt, "gemeente")).ok());
  auto after = police_sink->messages();
  ASSERT_EQ(after.size(), before + 1);
  EXPECT_NE(after.back().find("\"type\":\"note.added\""), std::string::npos);
  EXPECT_NE(after.back().find(shared.id), std::string::npos);
  EXPECT_TRUE(ggz_sink->messages().empty());
  police.subscription->Stop();
  mental.subscription->Stop();
}

TEST_F(LiveEventsTest, ReconnectWithAfterReplaysExactlyWhatWasMissed) {
  auto kase = Open("Jan");
  ASSERT_TRUE(cases->AddTeamMember({kase.id, politie.user.org_id, "", "lid", {}}, As(meldpunt, "gemeente")).ok());
  std::string token = Login(politie);
  auto first_sink = std::make_shared<RecordingSink>();
  auto first = stream->Accept(Upgrade(token, "after=0"));
  first.subscription->Start(first_sink);
  auto seen = first_sink->messages();
  ASSERT_FALSE(seen.empty());
  first.subscription->Stop();  // disconnected

  ASSERT_TRUE(cases->AddNote(kase.id, "gemist 1", As(meldpunt, "gemeente")).ok());
  ASSERT_TRUE(cases->AddNote(kase.id, "gemist 2", As(meldpunt, "gemeente")).ok());
  EXPECT_EQ(first_sink->messages().size(), seen.size());  // nothing after Stop

  std::string last = seen.back();
  std::string last_id = last.substr(7, last.find('"', 7) - 7);  // {"id":"N",...
  auto second_sink = std::make_shared<RecordingSink>();
  auto second = stream->Accept(Upgrade(token, "after=" + last_id));
  second.subscription->Start(second_sink);
  auto missed = second_sink->messages();
  ASSERT_EQ(missed.size(), 2u);
  EXPECT_NE(missed[0].find("note.added"), std::string::npos);
  EXPECT_NE(missed[1].find("note.added"), std::string::npos);
  EXPECT_LT(std::stoll(missed[0].substr(7)), std::stoll(missed[1].substr(7)));

  // An event the client already has (id not above its cursor) is not sent again.
  app::PublishedEvent old{std::stoll(last_id), kase.id, "note.added", clock.Now(), "u", "{}", {"Kerkrade", 1, {{politie.user.org_id, "", "lid"}}, false}};
  bus.Publish({old});
  EXPECT_EQ(second_sink->messages().size(), 2u);
  second.subscription->Stop();
}

TEST_F(LiveEventsTest, SlowConsumerIsCutOffAndOthersContinue) {
  auto kase = Open("Jan");
  ASSERT_TRUE(cases->AddTeamMember({kase.id, politie.user.org_id, "", "lid", {}}, As(meldpunt, "gemeente")).ok());
  auto slow_sink = std::make_shared<RecordingSink>(1);
  auto fast_sink = std::make_shared<RecordingSink>();
  auto slow = stream->Accept(Upgrade(Login(politie), "after=0"));
  auto fast = stream->Accept(Upgrade(Login(politie), "after=0"));
  slow.subscription->Start(slow_sink);
  fast.subscription->Start(fast_sink);
  size_t fast_before = fast_sink->messages().size();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(cases->AddNote(kase.id, "n" + std::to_string(i), As(meldpunt, "gemeente")).ok());
  EXPECT_EQ(slow_sink->messages().size(), 1u);
  EXPECT_EQ(fast_sink->messages().size(), fast_before + 5);
  slow.subscription->Stop();
  fast.subscription->Stop();
}

TEST_F(LiveEventsTest, BreakTheGlassGrantOpensTheStreamForThatCase) {
  auto kase = Open("Jan");
  std::string token = Login(ggz);
  ASSERT_TRUE(store
                  ->Write([&](storage::Transaction& tx) {
                    return tx.grants().Insert({"grant_1", kase.id, ggz.user.id, "acute crisis, behandelaar nodig",
                                               clock.Now(), clock.Now() + 4h, std::nullopt, ""});
                  })
                  .ok());
  auto sink = std::make_shared<RecordingSink>();
  auto sub = stream->Accept(Upgrade(token, "after=0"));
  sub.subscription->Start(sink);
  EXPECT_FALSE(sink->messages().empty());
  sub.subscription->Stop();
}

TEST_F(LiveEventsTest, WithoutAfterOnlyWhatHappensFromNowOn) {
  auto kase = Open("Jan");
  ASSERT_TRUE(cases->AddTeamMember({kase.id, politie.user.org_id, "", "lid", {}}, As(meldpunt, "gemeente")).ok());
  auto sink = std::make_shared<RecordingSink>();
  auto sub = stream->Accept(Upgrade(Login(politie)));
  sub.subscription->Start(sink);
  EXPECT_TRUE(sink->messages().empty());
  ASSERT_TRUE(cases->AddNote(kase.id, "nu", As(meldpunt, "gemeente")).ok());
  ASSERT_EQ(sink->messages().size(), 1u);
  EXPECT_NE(sink->messages()[0].find("note.added"), std::string::npos);
  sub.subscription->Stop();
}

TEST_F(LiveEventsTest, ConcurrentWritersLoseNoLiveEvents) {
  auto kase = Open("Jan");
  ASSERT_TRUE(cases->AddTeamMember({kase.id, politie.user.org_id, "", "lid", {}}, As(meldpunt, "gemeente")).ok());
  auto sink = std::make_shared<RecordingSink>(100000);
  auto sub = stream->Accept(Upgrade(Login(politie)));
  sub.subscription->Start(sink);
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < 50; ++i)
        EXPECT_TRUE(cases->AddNote(kase.id, "n" + std::to_string(w) + "-" + std::to_string(i), As(meldpunt, "gemeente")).ok());
    });
  for (auto& t : writers) t.join();
  auto messages = sink->messages();
  ASSERT_EQ(messages.size(), 200u);
  std::int64_t previous = 0;
  for (const auto& m : messages) {
    std::int64_t id = std::stoll(m.substr(7));
    EXPECT_GT(id, previous);  // delivered in commit order
    previous = id;
  }
  sub.subscription->Stop();
}

TEST_F(LiveEventsTest, TheTokenComesAsBearerOrAsTheSessionCookie) {
  std::string token = Login(politie);
  HttpRequest cookie = Upgrade("");
  cookie.headers = {{"cookie", "a=b; casus_session=" + token + "; c=d"},
                    {"host", "casus.example:8443"},
                    {"origin", "https://Casus.example:8443"}};
  EXPECT_FALSE(stream->Accept(cookie).refusal);
  EXPECT_FALSE(stream->Accept(Upgrade(token)).refusal);
  HttpRequest basic = Upgrade("");
  basic.headers = {{"authorization", "Basic " + token}};
  auto refused = stream->Accept(basic);
  ASSERT_TRUE(refused.refusal);
  EXPECT_EQ(refused.refusal->status, 401);
}

TEST_F(LiveEventsTest, ACookieAuthenticatedStreamMustComeFromThisServersPages) {
  // Cross-site WebSocket hijacking: another page opens the socket and the
  // browser adds the user's cookie. Only an Origin of exactly this server
  // is accepted; a Bearer token (no ambient credential) needs no Origin.
  std::string token = Login(politie);
  const std::vector<std::pair<std::string, std::string>> refused_origins = {
      {"", "casus.example:8443"},                                 // no Origin at all
      {"https://evil.example", "casus.example:8443"},             // another site
      {"https://casus.example.evil.example:8443", "casus.example:8443"},
      {"https://casus.example", "casus.example:8443"},            // another port
      {"http://casus.example:8443", "casus.example:8443"},        // not over TLS
      {"https://casus.example:8443/", "casus.example:8443"},      // not an origin
      {"null", "casus.example:8443"},                             // sandboxed frame, file:
      {"https://casus.example:8443", ""},                         // no Host
  };
  for (const auto& [origin, host] : refused_origins) {
    HttpRequest cookie = Upgrade("");
    cookie.headers = {{"cookie", "casus_session=" + token}};
    if (!origin.empty()) cookie.headers.push_back({"origin", origin});
    if (!host.empty()) cookie.headers.push_back({"host", host});
    auto refused = stream->Accept(cookie);
    ASSERT_TRUE(refused.refusal) << "origin '" << origin << "' host '" << host << "'";
    EXPECT_EQ(refused.refusal->status, 403);
    EXPECT_NE(refused.refusal->body.find("origin_mismatch"), std::string::npos) << refused.refusal->body;
  }
  HttpRequest bearer = Upgrade(token);
  bearer.headers.push_back({"origin", "https://evil.example"});
  EXPECT_FALSE(stream->Accept(bearer).refusal);
}

}  // namespace
}  // namespace casus::api

// AuthService over a real SQLite file: logins with Argon2id + TOTP, one
// message for every failure, throttling, session expiry, logout, audit
// entries without secrets, and account creation.
#include "app/auth_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "app/auth/tokens.h"
#include "app/auth/totp.h"
#include "storage/sqlite_store.h"
#include "tests/support/password_cost.h"
#include "tests/support/temp_dir.h"

namespace casus::app {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassword = "correct horse battery staple";
constexpr const char* kLoginFailed = "invalid username, password or code";
constexpr const char* kThrottled = "too many attempts, try again later";
// The start of a TOTP step, so that skew offsets are whole steps.
const TimePoint kStart = TimePoint(std::chrono::seconds(1780000020));

std::string SecretFromUri(const std::string& uri) {
  const auto from = uri.find("secret=");
  if (from == std::string::npos) return "";
  const auto to = uri.find('&', from);
  return uri.substr(from + 7, to - from - 7);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::SqliteOptions options;
    options.path = dir.path() / "casus.db";
    auto opened = storage::OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store = std::move(opened).value();
    Restart();
    alice_secret = Add("alice", kPassword);
    ASSERT_FALSE(alice_secret.empty());
  }

  // A new service (fresh throttle state) with `options`.
  void Restart(AuthOptions o = {}) {
    o.password_cost = ::casus::testing::kCheapPasswordCost;  // the suite measures logic, not Argon2
    options = o;
    auth = std::make_unique<AuthService>(*store, clock, ids, o);
  }

  // Creates a user; returns its TOTP secret.
  std::string Add(const std::string& username, const std::string& password, const std::string& role = "regisseur") {
    auto created = auth->AddUser({username, password, {role}, "Gemeente Heerlen", "gemeente", "Heerlen"});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? SecretFromUri(created->otpauth_uri) : "";
  }

  std::string Code(const std::string& secret, int offset_steps = 0) {
    return auth::TotpCodeAt(secret, auth::TotpStep(clock.Now()) + offset_steps).value_or("");
  }

  StatusOr<LoginResult> LoginAlice(int offset_steps = 0, const std::string& client = "192.0.2.1") {
    return auth->Login("alice", kPassword, Code(alice_secret, offset_steps), client);
  }

  std::optional<storage::Session> SessionFor(const std::string& token) {
    std::optional<storage::Session> out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, tx.sessions().FindByTokenHash(auth::Sha256Hex(token)));
                       return Status::Ok();
                     }).ok());
    return out;
  }

  storage::User GetUser(const std::string& username) {
    std::optional<storage::User> out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, tx.users().FindByUsername(username));
                       return Status::Ok();
                     }).ok());
    return out.value_or(storage::User{});
  }

  void SetDisabled(const std::string& username) {
    storage::User u = GetUser(username);
    u.disabled = true;
    ASSERT_TRUE(store->Write([&](storage::Transaction& tx) { return tx.users().Update(u); }).ok());
  }

  std::vector<storage::AuditEntry> Audit(const std::string& action = "") {
    std::vector<storage::AuditEntry> all;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(all, tx.audit().List(0, 10000));
                       return Status::Ok();
                     }).ok());
    if (action.empty()) return all;
    std::vector<storage::AuditEntry> out;
    for (auto& e : all)
      if (e.action == action) out.push_back(e);
    return out;
  }

  static void ExpectLoginFailed(const StatusOr<LoginResult>& r, const std::string& what) {
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated) << what;
    EXPECT_EQ(r.status().message(), kLoginFailed) << what;
    EXPECT_EQ(r.status().detail(), nullptr) << what;
  }

  static void ExpectThrottled(const StatusOr<LoginResult>& r, const std::string& what) {
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << what;
    EXPECT_EQ(r.status().message(), kThrottled) << what;
  }

  casus::testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  ManualClock clock{kStart};
  SequentialIdGenerator ids;
  AuthOptions options;
  std::unique_ptr<AuthService> auth;
  std::string alice_secret;
};

TEST_F(AuthServiceTest, LoginGivesTokenAndCsrfAndStoresOnlyTheirHashes) {
  auto r = LoginAlice();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->token.size(), 43u);
  EXPECT_EQ(r->csrf_token.size(), 43u);
  EXPECT_NE(r->token, r->csrf_token);
  EXPECT_EQ(r->expires_at, kStart + 12h);
  const Principal& p = r->principal;
  EXPECT_EQ(p.user.username, "alice");
  EXPECT_EQ(p.actor.user_id, p.user.id);
  EXPECT_EQ(p.actor.roles, std::vector<std::string>{"regisseur"});
  EXPECT_EQ(p.actor.org_id, p.org.id);
  EXPECT_EQ(p.actor.org_type, "gemeente");
  EXPECT_EQ(p.actor.municipality, "Heerlen");
  EXPECT_EQ(p.org.name, "Gemeente Heerlen");
  // Credentials do not travel with the principal.
  EXPECT_TRUE(p.user.password_hash.empty());
  EXPECT_TRUE(p.user.totp_secret.empty());

  auto session = SessionFor(r->token);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->id, p.session_id);
  EXPECT_EQ(session->token_hash, auth::Sha256Hex(r->token));
  EXPECT_EQ(session->csrf_hash, auth::Sha256Hex(r->csrf_token));
  EXPECT_EQ(session->user_id, p.user.id);
  EXPECT_EQ(session->client, "192.0.2.1");
  EXPECT_EQ(session->created_at, kStart);
  EXPECT_EQ(session->last_seen_at, kStart);
  EXPECT_EQ(session->expires_at, kStart + 12h);
  EXPECT_FALSE(session->revoked_at);
  EXPECT_EQ(GetUser("alice").totp_last_step, auth::TotpStep(kStart));

  // Everything SQLite wrote (main file and WAL) holds the hashes, never the
  // tokens or the password.
  store->Flush();
  std::string bytes;
  for (const char* suffix : {"", "-wal", "-journal"}) {
    auto path = dir.path() / ("casus.db" + std::string(suffix));
    if (std::filesystem::exists(path)) bytes += ReadFile(path);
  }
  ASSERT_FALSE(bytes.empty());
  EXPECT_NE(bytes.find(session->token_hash), std::string::npos) << "the scan must see the session row";
  EXPECT_EQ(bytes.find(r->token), std::string::npos);
  EXPECT_EQ(bytes.find(r->csrf_token), std::string::npos);
  EXPECT_EQ(bytes.find(kPassword), std::string::npos);
}

TEST_F(AuthServiceTest, AuthenticateAndCsrf) {
  auto r = LoginAlice();
  ASSERT_TRUE(r.ok());
  auto p = auth->Authenticate(r->token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->user.id, r->principal.user.id);
  EXPECT_EQ(p->session_id, r->principal.session_id);
  EXPECT_EQ(p->actor.org_type, "gemeente");
  EXPECT_TRUE(p->user.password_hash.empty());

  auto csrf_ok = [&](const Principal& principal, const std::string& csrf) {
    auto checked = auth->CheckCsrf(principal, csrf);
    EXPECT_TRUE(checked.ok()) << checked.status().ToString();
    return checked.ok() && *checked;
  };
  EXPECT_TRUE(csrf_ok(*p, r->csrf_token));
  EXPECT_FALSE(csrf_ok(*p, r->token));
  EXPECT_FALSE(csrf_ok(*p, ""));
  EXPECT_FALSE(csrf_ok(Principal{}, r->csrf_token));  // a principal without a session

  for (const std::string& bad : {std::string(), std::string("x"), r->token + "x", r->csrf_token,
                                 std::string(10000, 'a')}) {
    auto refused = auth->Authenticate(bad);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST_F(AuthServiceTest, EveryLoginFailureGivesTheSameMessage) {
  Add("carol", kPassword);
  // A demo-style account without credentials.
  ASSERT_TRUE(store
                  ->Write([&](storage::Transaction& tx) {
                    storage::User u;
                    u.id = "user_nocreds";
                    u.username = "nocreds";
                    u.org_id = GetUser("alice").org_id;
                    u.roles = {"meldpunt"};
                    u.created_at = kStart;
                    return tx.users().Insert(u);
                  })
                  .ok());

  ExpectLoginFailed(auth->Login("alice", "wrong password!!", Code(alice_secret), "192.0.2.1"), "wrong password");
  ExpectLoginFailed(auth->Login("nobody", kPassword, Code(alice_secret), "192.0.2.1"), "unknown user");
  ExpectLoginFailed(auth->Login("alice", kPassword, "000000", "192.0.2.1"), "wrong code");
  ExpectLoginFailed(auth->Login("alice", kPassword, "", "192.0.2.1"), "no code");
  ExpectLoginFailed(auth->Login("nocreds", "", "", "192.0.2.1"), "no credentials set");
  ExpectLoginFailed(auth->Login("alice", std::string(5000, 'x'), Code(alice_secret), "192.0.2.1"), "huge password");
  ExpectLoginFailed(auth->Login("Alice!", kPassword, Code(alice_secret), "192.0.2.1"), "malformed username");

  const std::string code = Code(alice_secret);
  ASSERT_TRUE(auth->Login("alice", kPassword, code, "192.0.2.1").ok());
  ExpectLoginFailed(auth->Login("alice", kPassword, code, "192.0.2.1"), "reused code");

  SetDisabled("carol");
  auto carol = GetUser("carol");
  ExpectLoginFailed(auth->Login("carol", kPassword, auth::TotpCodeAt(carol.totp_secret, auth::TotpStep(kStart)).value(),
                                "192.0.2.1"),
                    "disabled user");
}

TEST_F(AuthServiceTest, CodesWithinOneStepOfSkewWorkOnceAndNeverGoBackwards) {
  ExpectLoginFailed(LoginAlice(-2), "two steps behind");
  ExpectLoginFailed(LoginAlice(+2), "two steps ahead");
  ASSERT_TRUE(LoginAlice(-1).ok());
  ExpectLoginFailed(LoginAlice(-1), "reused");
  ASSERT_TRUE(LoginAlice(0).ok());
  ExpectLoginFailed(LoginAlice(-1), "older than the last accepted");
  ASSERT_TRUE(LoginAlice(+1).ok());
  ExpectLoginFailed(LoginAlice(0), "older than the last accepted");
  EXPECT_EQ(GetUser("alice").totp_last_step, auth::TotpStep(kStart) + 1);
}

TEST_F(AuthServiceTest, AccountIsThrottledAfterFiveFailuresEvenWithTheRightPassword) {
  for (int i = 0; i < 5; ++i)
    ExpectLoginFailed(auth->Login("alice", "wrong password!!", Code(alice_secret), "192.0.2." + std::to_string(i)),
                      "failure " + std::to_string(i));
  ExpectThrottled(LoginAlice(0, "198.51.100.7"), "right credentials, locked account");
  ExpectThrottled(LoginAlice(0, "198.51.100.8"), "still locked");
  auto denied = Audit("login.failed");
  ASSERT_EQ(denied.size(), 7u);
  EXPECT_EQ(denied.back().result, "denied");
  EXPECT_EQ(denied.back().user_id, GetUser("alice").id);
  EXPECT_EQ(GetUser("alice").totp_last_step, 0);  // the code was never consulted

  clock.Advance(options.failure_window - 1s);
  ExpectThrottled(LoginAlice(), "one second before the window ends");
  clock.Advance(1s);
  auto r = LoginAlice();
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(AuthServiceTest, ASuccessfulLoginClearsTheAccountsFailures) {
  for (int i = 0; i < 4; ++i) ExpectLoginFailed(auth->Login("alice", "wrong password!!", "", "192.0.2.1"), "failure");
  ASSERT_TRUE(LoginAlice().ok());
  clock.Advance(30s);
  for (int i = 0; i < 4; ++i) ExpectLoginFailed(auth->Login("alice", "wrong password!!", "", "192.0.2.1"), "failure");
  EXPECT_TRUE(LoginAlice().ok());
}

TEST_F(AuthServiceTest, AddressIsThrottledAfterTwentyFailures) {
  for (int i = 0; i < 20; ++i)
    ExpectLoginFailed(auth->Login("guess" + std::to_string(i), kPassword, "123456", "203.0.113.5"), "spray");
  ExpectThrottled(LoginAlice(0, "203.0.113.5"), "right credentials from the locked address");
  auto r = LoginAlice(0, "192.0.2.1");
  ASSERT_TRUE(r.ok()) << "another address is unaffected: " << r.status().ToString();
  clock.Advance(options.failure_window);
  r = LoginAlice(0, "203.0.113.5");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(AuthServiceTest, AParallelBurstCannotOutrunTheAccountLimit) {
  std::atomic<int> checked{0}, throttled{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i)
    threads.emplace_back([&, i] {
      auto r = auth->Login("alice", "wrong password " + std::to_string(i), "123456", "192.0.2." + std::to_string(i));
      if (r.status().code() == StatusCode::kUnauthenticated) ++checked;
      if (r.status().code() == StatusCode::kResourceExhausted) ++throttled;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(checked.load(), 5);
  EXPECT_EQ(throttled.load(), 15);
}

TEST_F(AuthServiceTest, OfConcurrentLoginsWithOneCodeExactlyOneWins) {
  AuthOptions generous;  // not designated: -Wmissing-field-initializers as AuthOptions grows
  generous.max_failures_per_account = 100;
  Restart(generous);
  const std::string code = Code(alice_secret);
  std::atomic<int> won{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      auto r = auth->Login("alice", kPassword, code, "192.0.2.1");
      if (r.ok()) ++won;
      if (r.status().code() == StatusCode::kUnauthenticated) ++refused;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(Audit("login.success").size(), 1u);
}

TEST_F(AuthServiceTest, SessionEndsAfterIdleTimeout) {
  auto r = LoginAlice();
  ASSERT_TRUE(r.ok());
  clock.Advance(30s);
  ASSERT_TRUE(auth->Authenticate(r->token).ok());
  EXPECT_EQ(SessionFor(r->token)->last_seen_at, kStart) << "touched at most once a minute";
  clock.Advance(29min);
  ASSERT_TRUE(auth->Authenticate(r->token).ok());
  EXPECT_EQ(SessionFor(r->token)->last_seen_at, kStart + 29min + 30s);
  clock.Advance(29min);
  ASSERT_TRUE(auth->Authenticate(r->token).ok()) << "use extends the idle window";
  clock.Advance(30min);
  auto expired = auth->Authenticate(r->token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, SessionEndsAtTheAbsoluteTimeoutHoweverBusy) {
  auto r = LoginAlice();
  ASSERT_TRUE(r.ok());
  for (int minutes = 20; minutes < 12 * 60; minutes += 20) {
    clock.Set(kStart + std::chrono::minutes(minutes));
    ASSERT_TRUE(auth->Authenticate(r->token).ok()) << minutes;
  }
  clock.Set(kStart + 12h - 1s);
  ASSERT_TRUE(auth->Authenticate(r->token).ok());
  clock.Set(kStart + 12h);
  auto expired = auth->Authenticate(r->token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, LogoutRevokesTheSession) {
  auto r = LoginAlice();
  ASSERT_TRUE(r.ok());
  auto other = LoginAlice(1);  // a second session of the same user survives
  ASSERT_TRUE(other.ok());
  auto p = auth->Authenticate(r->token);
  ASSERT_TRUE(p.ok());
  clock.Advance(5s);
  ASSERT_TRUE(auth->Logout(*p, "192.0.2.1").ok());
  auto after = auth->Authenticate(r->token);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(SessionFor(r->token)->revoked_at, kStart + 5s);
  EXPECT_TRUE(auth->Authenticate(other->token).ok());

  auto logouts = Audit("logout");
  ASSERT_EQ(logouts.size(), 1u);
  EXPECT_EQ(logouts[0].user_id, p->user.id);
  EXPECT_EQ(logouts[0].object_id, p->session_id);
  EXPECT_EQ(logouts[0].client, "192.0.2.1");
}

TEST_F(AuthServiceTest, DisablingAUserEndsItsSessions) {
  auto r = LoginAlice();
  ASSERT_TRUE(r.ok());
  SetDisabled("alice");
  EXPECT_EQ(auth->Authenticate(r->token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, AuditEntriesRecordLoginsButNoSecret) {
  const std::string wrong = "my-wrong-password-123";
  const std::string typed_into_username = "hunter2hunter2";  // a password typed into the name field
  const std::string used_code = Code(alice_secret);
  auto r = auth->Login("alice", kPassword, used_code, "192.0.2.1");
  ASSERT_TRUE(r.ok());
  ExpectLoginFailed(auth->Login("alice", wrong, "000000", "192.0.2.2"), "wrong");
  ExpectLoginFailed(auth->Login(typed_into_username, kPassword, used_code, "192.0.2.3"), "unknown");
  ASSERT_TRUE(auth->Logout(r->principal, "192.0.2.1").ok());

  const std::string alice_id = GetUser("alice").id;
  auto success = Audit("login.success");
  ASSERT_EQ(success.size(), 1u);
  EXPECT_EQ(success[0].result, "success");
  EXPECT_EQ(success[0].user_id, alice_id);
  EXPECT_EQ(success[0].role, "regisseur");
  EXPECT_EQ(success[0].org_id, r->principal.org.id);
  EXPECT_EQ(success[0].client, "192.0.2.1");
  EXPECT_EQ(success[0].object_id, r->principal.session_id);
  auto failed = Audit("login.failed");
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0].result, "failed");
  EXPECT_EQ(failed[0].user_id, alice_id);
  EXPECT_EQ(failed[0].client, "192.0.2.2");
  EXPECT_EQ(failed[1].user_id, "");  // unknown user
  EXPECT_EQ(failed[1].client, "192.0.2.3");
  for (const auto& e : failed) EXPECT_EQ(e.reason, "");
  ASSERT_EQ(Audit("logout").size(), 1u);

  const std::vector<std::string> secrets = {kPassword,    wrong, typed_into_username, r->token, r->csrf_token,
                                            alice_secret, auth::Sha256Hex(r->token)};
  for (const auto& e : Audit()) {
    const std::vector<std::string> fields = {e.action,      e.result,    e.user_id,   e.role,      e.org_id,
                                             e.on_behalf_of, e.client,   e.object_type, e.object_id, e.person_id,
                                             e.reason,      e.prev_hash, e.hash};
    for (const auto& field : fields) {
      for (const auto& secret : secrets) EXPECT_EQ(field.find(secret), std::string::npos) << e.action << ": " << field;
      // Hex hashes may contain digit runs by chance; the code must not be anywhere else.
      if (&field != &fields[11] && &field != &fields[12]) {
        EXPECT_EQ(field.find(used_code), std::string::npos) << e.action << ": " << field;
      }
    }
  }
  auto chain = store->VerifyAudit();
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->intact) << chain->problem;
}

TEST_F(AuthServiceTest, AddUserNamesTheFieldOfEveryError) {
  struct Case {
    NewUser input;
    std::string field;
  };
  const NewUser ok{"bob", kPassword, {"partner"}, "Politie Limburg", "politie", ""};
  auto with = [&](auto change) {
    NewUser n = ok;
    change(n);
    return n;
  };
  const std::vector<Case> cases = {
      {with([](NewUser& n) { n.username = "Bob"; }), "username"},
      {with([](NewUser& n) { n.username = "bo"; }), "username"},
      {with([](NewUser& n) { n.username = std::string(65, 'b'); }), "username"},
      {with([](NewUser& n) { n.password = "short-pw-11"; }), "password"},
      {with([](NewUser& n) { n.password = std::string(1025, 'p'); }), "password"},
      {with([](NewUser& n) { n.roles = {}; }), "roles"},
      {with([](NewUser& n) { n.roles = {"wizard"}; }), "roles[0]"},
      {with([](NewUser& n) { n.roles = {"partner", "system"}; }), "roles[1]"},
      {with([](NewUser& n) { n.roles = {"partner", "partner"}; }), "roles[1]"},
      {with([](NewUser& n) { n.org_name = ""; }), "org_name"},
      {with([](NewUser& n) { n.org_name = "Evil\nOrg"; }), "org_name"},
      {with([](NewUser& n) { n.org_type = "bakery"; }), "org_type"},
      {with([](NewUser& n) { n.org_type = "gemeente"; n.org_name = "Gemeente Kerkrade"; }), "municipality"},
  };
  for (const auto& c : cases) {
    auto r = auth->AddUser(c.input);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_NE(r.status().message().find(c.field + ": "), std::string::npos) << r.status().message();
    ASSERT_NE(r.status().detail(), nullptr);
    ASSERT_FALSE(r.status().detail()->field_errors.empty());
    EXPECT_EQ(r.status().detail()->field_errors[0].field, c.field);
    EXPECT_EQ(r.status().message().find(c.input.password), std::string::npos) << "the password is never echoed";
  }
  // Twelve characters, counted as characters rather than bytes.
  EXPECT_TRUE(auth->AddUser(with([](NewUser& n) { n.password = "éééééééééééé"; })).ok());
  EXPECT_TRUE(GetUser("alice").id != GetUser("bob").id);
}

TEST_F(AuthServiceTest, AddUserRefusesDuplicatesAndConflictingOrganisations) {
  auto dup = auth->AddUser({"alice", kPassword, {"partner"}, "Politie Limburg", "politie", ""});
  EXPECT_EQ(dup.status().code(), StatusCode::kFailedPrecondition);

  auto clash = auth->AddUser({"bob", kPassword, {"partner"}, "Gemeente Heerlen", "politie", ""});
  EXPECT_EQ(clash.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(clash.status().message().find("org_type: "), std::string::npos) << clash.status().message();
  auto elsewhere = auth->AddUser({"bob", kPassword, {"partner"}, "Gemeente Heerlen", "gemeente", "Kerkrade"});
  EXPECT_EQ(elsewhere.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(GetUser("bob").id, "") << "nothing was created";

  auto same_org = auth->AddUser({"bob", kPassword, {"coordinator", "regisseur"}, "Gemeente Heerlen", "gemeente", "Heerlen"});
  ASSERT_TRUE(same_org.ok()) << same_org.status().ToString();
  EXPECT_EQ(same_org->user.org_id, GetUser("alice").org_id);
  EXPECT_EQ(same_org->user.roles, (std::vector<std::string>{"coordinator", "regisseur"}));
  EXPECT_TRUE(same_org->user.password_hash.empty()) << "the result carries no credential";
  EXPECT_EQ(same_org->otpauth_uri.rfind("otpauth://totp/Casus:bob?secret=", 0), 0u) << same_org->otpauth_uri;
  EXPECT_NE(same_org->otpauth_uri.find("&issuer=Casus&algorithm=SHA1&digits=6&period=30"), std::string::npos);

  const storage::User stored = GetUser("bob");
  EXPECT_EQ(stored.password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(stored.totp_secret, SecretFromUri(same_org->otpauth_uri));
  EXPECT_EQ(stored.totp_last_step, 0);
  EXPECT_FALSE(stored.disabled);

  auto creates = Audit("user.create");
  ASSERT_EQ(creates.size(), 2u);
  EXPECT_EQ(creates[1].user_id, "system");
  EXPECT_EQ(creates[1].object_type, "user");
  EXPECT_EQ(creates[1].object_id, stored.id);
  EXPECT_EQ(Audit("organisation.create").size(), 1u);
}

}  // namespace
}  // namespace casus::app

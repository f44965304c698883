// UserAdmin over a real SQLite file with the real AuthService: blocking ends
// a user's sessions at once and refuses their logins until unblocked; only
// admins may, never on themselves, with a bounded reason; every change is
// audited; the operator's (CLI) path acts as the system.
#include "app/user_admin.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/auth/tokens.h"
#include "app/auth/totp.h"
#include "app/auth_service.h"
#include "engine/vocabulary.h"
#include "storage/sqlite_store.h"
#include "tests/support/password_cost.h"
#include "tests/support/temp_dir.h"

namespace casus::app {
namespace {

using namespace std::chrono_literals;

constexpr const char* kAdminTestPassword = "correct horse battery staple";
constexpr const char* kBlockReason = "left the organisation on 2026-05-31";
// The start of a TOTP step, so that each Advance(30s) gives a fresh code.
const TimePoint kAdminTestStart = TimePoint(std::chrono::seconds(1780000020));

AuthOptions UserAdminTestAuthOptions() {
  AuthOptions o;
  o.password_cost = ::casus::testing::kCheapPasswordCost;  // the suite tests blocking, not Argon2
  return o;
}

class UserAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::SqliteOptions options;
    options.path = dir.path() / "casus.db";
    auto opened = storage::OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store = std::move(opened).value();
    auth = std::make_unique<AuthService>(*store, clock, ids, UserAdminTestAuthOptions());
    admin_users = std::make_unique<UserAdmin>(*store, clock);
    alice_id = Add("alice", "regisseur");
    beheer_id = Add("beheer", "admin");
    ASSERT_FALSE(alice_id.empty());
    ASSERT_FALSE(beheer_id.empty());
  }

  // Creates a user of Gemeente Heerlen; returns its id and keeps its secret.
  std::string Add(const std::string& username, const std::string& role) {
    auto created = auth->AddUser({username, kAdminTestPassword, {role}, "Gemeente Heerlen", "gemeente", "Heerlen"});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    if (!created.ok()) return "";
    const std::string& uri = created->otpauth_uri;
    const auto from = uri.find("secret=") + 7;
    secrets[username] = uri.substr(from, uri.find('&', from) - from);
    return created->user.id;
  }

  // A login with the current step's code. Each code works once: callers
  // advance the clock between logins of one user.
  StatusOr<LoginResult> Login(const std::string& username) {
    const std::string code = auth::TotpCodeAt(secrets[username], auth::TotpStep(clock.Now())).value_or("");
    return auth->Login(username, kAdminTestPassword, code, "192.0.2.1");
  }

  engine::Actor ActorOf(const std::string& username) {
    auto login = Login(username);
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    return login.ok() ? login->principal.actor : engine::Actor{};
  }

  std::optional<storage::Session> SessionFor(const std::string& token) {
    std::optional<storage::Session> out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, tx.sessions().FindByTokenHash(auth::Sha256Hex(token)));
                       return Status::Ok();
                     }).ok());
    return out;
  }

  storage::User GetUser(const std::string& id) {
    storage::User out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(out, tx.users().Get(id));
                       return Status::Ok();
                     }).ok());
    return out;
  }

  std::vector<storage::AuditEntry> Audit(const std::string& action) {
    std::vector<storage::AuditEntry> all, out;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(all, tx.audit().List(0, 10000));
                       return Status::Ok();
                     }).ok());
    for (auto& e : all)
      if (e.action == action) out.push_back(e);
    return out;
  }

  static void ExpectReasonRefused(const Status& st, const std::string& what) {
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << what << ": " << st.ToString();
    ASSERT_NE(st.detail(), nullptr) << what;
    EXPECT_EQ(st.detail()->reason, Refusal::kInvalidField) << what;
    ASSERT_EQ(st.detail()->field_errors.size(), 1u) << what;
    EXPECT_EQ(st.detail()->field_errors[0].field, "reason") << what;
  }

  casus::testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  ManualClock clock{kAdminTestStart};
  SequentialIdGenerator ids;
  std::unique_ptr<AuthService> auth;
  std::unique_ptr<UserAdmin> admin_users;
  std::map<std::string, std::string> secrets;
  std::string alice_id, beheer_id;
};

TEST_F(UserAdminTest, BlockEndsEveryExistingSessionAtOnce) {
  auto first = Login("alice");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  clock.Advance(30s);
  auto second = Login("alice");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE(auth->Authenticate(first->token).ok());
  auto admin_login = Login("beheer");  // the admin's own session must survive
  ASSERT_TRUE(admin_login.ok()) << admin_login.status().ToString();
  const engine::Actor admin = admin_login->principal.actor;
  clock.Advance(1s);

  ASSERT_TRUE(admin_users->Block(admin, alice_id, kBlockReason, "192.0.2.9").ok());

  // No further clock movement: the very next request of either session fails.
  for (const std::string& token : {first->token, second->token}) {
    auto p = auth->Authenticate(token);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated);
  }
  EXPECT_TRUE(GetUser(alice_id).disabled);
  // Revoked in storage as well, not only refused because of the flag.
  for (const std::string& token : {first->token, second->token}) {
    auto session = SessionFor(token);
    ASSERT_TRUE(session);
    ASSERT_TRUE(session->revoked_at);
    EXPECT_EQ(*session->revoked_at, clock.Now());
  }
  auto admin_session = SessionFor(admin_login->token);
  ASSERT_TRUE(admin_session);
  EXPECT_FALSE(admin_session->revoked_at);
  EXPECT_TRUE(auth->Authenticate(admin_login->token).ok());
}

TEST_F(UserAdminTest, LoginRefusedWhileBlockedAndAllowedAgainAfterUnblock) {
  auto before = Login("alice");
  ASSERT_TRUE(before.ok());
  const engine::Actor admin = ActorOf("beheer");
  ASSERT_TRUE(admin_users->Block(admin, alice_id, kBlockReason, "192.0.2.9").ok());

  clock.Advance(30s);
  auto refused = Login("alice");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(refused.status().message(), "invalid username, password or code") << "nothing tells it is blocked";

  ASSERT_TRUE(admin_users->Unblock(admin, alice_id, "", "192.0.2.9").ok());
  EXPECT_FALSE(GetUser(alice_id).disabled);
  clock.Advance(30s);
  auto again = Login("alice");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(auth->Authenticate(again->token).ok());
  // The sessions the block ended stay ended.
  EXPECT_FALSE(auth->Authenticate(before->token).ok());
}

TEST_F(UserAdminTest, EveryNonAdminRoleIsRefused) {
  auto alice_login = Login("alice");
  ASSERT_TRUE(alice_login.ok());
  std::vector<engine::Actor> actors;
  for (std::string_view role : engine::kRoles) {
    if (role == "admin") continue;
    if (role == "system") {
      // Not a person's role, and no way in through Block: the operator's
      // path is BlockAsOperator.
      actors.push_back(engine::Actor{"system", {"system"}, "", "", ""});
      continue;
    }
    const std::string username = "u-" + std::string(role);
    ASSERT_FALSE(Add(username, std::string(role)).empty());
    actors.push_back(ActorOf(username));
  }
  actors.push_back(engine::Actor{"user_nobody", {}, "", "", ""});  // no role at all
  ASSERT_EQ(actors.size(), std::size(engine::kRoles));

  for (const auto& actor : actors) {
    const std::string who = actor.roles.empty() ? "(no role)" : actor.roles[0];
    for (const Status& st : {admin_users->Block(actor, alice_id, kBlockReason, "192.0.2.9"),
                             admin_users->Unblock(actor, alice_id, kBlockReason, "192.0.2.9"),
                             UserAdmin::MayBlock(actor)}) {
      EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << who << ": " << st.ToString();
      ASSERT_NE(st.detail(), nullptr) << who;
      EXPECT_EQ(st.detail()->reason, Refusal::kRoleRefused) << who;
    }
    // Refused before anything else: an unknown user or a bad reason do not
    // change the answer.
    EXPECT_EQ(admin_users->Block(actor, "user_unknown", "", "").code(), StatusCode::kPermissionDenied) << who;
  }
  EXPECT_FALSE(GetUser(alice_id).disabled);
  EXPECT_TRUE(auth->Authenticate(alice_login->token).ok());
  EXPECT_TRUE(Audit("user.block").empty());
  EXPECT_TRUE(Audit("user.unblock").empty());
  EXPECT_TRUE(UserAdmin::MayBlock(ActorOf("beheer")).ok());
}

TEST_F(UserAdminTest, AnAdminCannotBlockThemself) {
  const engine::Actor admin = ActorOf("beheer");
  Status st = admin_users->Block(admin, beheer_id, kBlockReason, "192.0.2.9");
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition) << st.ToString();
  EXPECT_FALSE(GetUser(beheer_id).disabled);
  EXPECT_TRUE(Audit("user.block").empty());
  // Another admin may.
  ASSERT_FALSE(Add("beheer2", "admin").empty());
  clock.Advance(30s);
  EXPECT_TRUE(admin_users->Block(ActorOf("beheer2"), beheer_id, kBlockReason, "192.0.2.9").ok());
  EXPECT_TRUE(GetUser(beheer_id).disabled);
}

TEST_F(UserAdminTest, AnUnknownUserIsNotFound) {
  const engine::Actor admin = ActorOf("beheer");
  EXPECT_EQ(admin_users->Block(admin, "user_unknown", kBlockReason, "").code(), StatusCode::kNotFound);
  EXPECT_EQ(admin_users->Unblock(admin, "user_unknown", "", "").code(), StatusCode::kNotFound);
  EXPECT_EQ(admin_users->BlockAsOperator("nobody", kBlockReason).code(), StatusCode::kNotFound);
  EXPECT_EQ(admin_users->UnblockAsOperator("nobody", "").code(), StatusCode::kNotFound);
  // A user id is not a username, nor the other way round.
  EXPECT_EQ(admin_users->Block(admin, "alice", kBlockReason, "").code(), StatusCode::kNotFound);
  EXPECT_EQ(admin_users->BlockAsOperator(alice_id, kBlockReason).code(), StatusCode::kNotFound);
  EXPECT_TRUE(Audit("user.block").empty());
  EXPECT_TRUE(Audit("user.unblock").empty());
}

TEST_F(UserAdminTest, TheReasonIsRequiredForBlockingAndBounded) {
  auto alice_login = Login("alice");
  ASSERT_TRUE(alice_login.ok());
  const engine::Actor admin = ActorOf("beheer");
  const std::string too_long(kMaxBlockReasonBytes + 1, 'x');
  // 250 two-byte characters: 500 bytes, the most there may be.
  std::string longest;
  for (int i = 0; i < 250; ++i) longest += "\xC3\xA9";
  std::string multibyte_too_long = longest + "x";

  for (const std::string& reason : {std::string(), std::string("   "), std::string("\n\t"), too_long,
                                    multibyte_too_long, std::string("left\x01"), std::string("nul\0x", 5)}) {
    ExpectReasonRefused(admin_users->Block(admin, alice_id, reason, "192.0.2.9"), "block: " + reason);
    ExpectReasonRefused(admin_users->BlockAsOperator("alice", reason), "operator block: " + reason);
  }
  for (const std::string& reason : {too_long, multibyte_too_long, std::string("left\x1b[2J")}) {
    ExpectReasonRefused(admin_users->Unblock(admin, alice_id, reason, "192.0.2.9"), "unblock: " + reason);
    ExpectReasonRefused(admin_users->UnblockAsOperator("alice", reason), "operator unblock: " + reason);
  }
  EXPECT_FALSE(GetUser(alice_id).disabled);
  EXPECT_TRUE(auth->Authenticate(alice_login->token).ok());
  EXPECT_TRUE(Audit("user.block").empty());
  EXPECT_TRUE(Audit("user.unblock").empty());

  // At the bound, and with tab and newline, it is taken as given.
  EXPECT_TRUE(admin_users->Block(admin, alice_id, longest, "192.0.2.9").ok());
  EXPECT_TRUE(admin_users->Block(admin, alice_id, "left.\n\tTicket 4711", "192.0.2.9").ok());
  auto entries = Audit("user.block");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].reason, longest);
  EXPECT_EQ(entries[1].reason, "left.\n\tTicket 4711");
}

TEST_F(UserAdminTest, BlockAndUnblockAreAudited) {
  const engine::Actor admin = ActorOf("beheer");
  const storage::User beheer = GetUser(beheer_id);
  ASSERT_TRUE(admin_users->Block(admin, alice_id, kBlockReason, "192.0.2.9").ok());
  clock.Advance(5s);
  ASSERT_TRUE(admin_users->Unblock(admin, alice_id, "back after review", "192.0.2.9").ok());

  auto blocks = Audit("user.block");
  ASSERT_EQ(blocks.size(), 1u);
  const storage::AuditEntry& b = blocks[0];
  EXPECT_EQ(b.at, kAdminTestStart);
  EXPECT_EQ(b.result, "success");
  EXPECT_EQ(b.user_id, beheer_id);
  EXPECT_EQ(b.role, "admin");
  EXPECT_EQ(b.org_id, beheer.org_id);
  EXPECT_EQ(b.client, "192.0.2.9");
  EXPECT_EQ(b.object_type, "user");
  EXPECT_EQ(b.object_id, alice_id);
  EXPECT_EQ(b.reason, kBlockReason);
  EXPECT_EQ(b.detail, "");

  auto unblocks = Audit("user.unblock");
  ASSERT_EQ(unblocks.size(), 1u);
  EXPECT_EQ(unblocks[0].at, kAdminTestStart + 5s);
  EXPECT_EQ(unblocks[0].user_id, beheer_id);
  EXPECT_EQ(unblocks[0].object_type, "user");
  EXPECT_EQ(unblocks[0].object_id, alice_id);
  EXPECT_EQ(unblocks[0].reason, "back after review");

  // Nothing secret in any entry: not alice's TOTP secret, not a password.
  for (const auto& e : {b, unblocks[0]})
    for (const std::string& field : {e.action, e.user_id, e.role, e.client, e.object_id, e.reason, e.detail}) {
      EXPECT_EQ(field.find(secrets["alice"]), std::string::npos);
      EXPECT_EQ(field.find(kAdminTestPassword), std::string::npos);
    }
}

TEST_F(UserAdminTest, RepeatingABlockOrUnblockChangesNothingButIsAudited) {
  const engine::Actor admin = ActorOf("beheer");
  ASSERT_TRUE(admin_users->Block(admin, alice_id, kBlockReason, "192.0.2.9").ok());
  ASSERT_TRUE(admin_users->Block(admin, alice_id, "again, to be sure", "192.0.2.9").ok());
  EXPECT_TRUE(GetUser(alice_id).disabled);
  auto blocks = Audit("user.block");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].detail, "");
  EXPECT_EQ(blocks[1].detail, R"({"changed":false})");
  EXPECT_EQ(blocks[1].reason, "again, to be sure");

  ASSERT_TRUE(admin_users->Unblock(admin, alice_id, "", "192.0.2.9").ok());
  ASSERT_TRUE(admin_users->Unblock(admin, alice_id, "", "192.0.2.9").ok());
  EXPECT_FALSE(GetUser(alice_id).disabled);
  auto unblocks = Audit("user.unblock");
  ASSERT_EQ(unblocks.size(), 2u);
  EXPECT_EQ(unblocks[0].detail, "");
  EXPECT_EQ(unblocks[1].detail, R"({"changed":false})");
}

TEST_F(UserAdminTest, TheOperatorPathActsAsTheSystem) {
  auto alice_login = Login("alice");
  ASSERT_TRUE(alice_login.ok());
  ASSERT_TRUE(admin_users->BlockAsOperator("alice", kBlockReason).ok());
  EXPECT_FALSE(auth->Authenticate(alice_login->token).ok());
  EXPECT_TRUE(GetUser(alice_id).disabled);
  // The operator may block any account, an admin's too.
  ASSERT_TRUE(admin_users->BlockAsOperator("beheer", kBlockReason).ok());
  ASSERT_TRUE(admin_users->UnblockAsOperator("alice", "").ok());
  EXPECT_FALSE(GetUser(alice_id).disabled);

  auto blocks = Audit("user.block");
  ASSERT_EQ(blocks.size(), 2u);
  for (const auto& e : blocks) {
    EXPECT_EQ(e.user_id, "system");
    EXPECT_EQ(e.role, "system");
    EXPECT_EQ(e.org_id, "");
    EXPECT_EQ(e.client, "cli");
    EXPECT_EQ(e.object_type, "user");
    EXPECT_EQ(e.reason, kBlockReason);
  }
  EXPECT_EQ(blocks[0].object_id, alice_id);
  EXPECT_EQ(blocks[1].object_id, beheer_id);
  auto unblocks = Audit("user.unblock");
  ASSERT_EQ(unblocks.size(), 1u);
  EXPECT_EQ(unblocks[0].user_id, "system");
  EXPECT_EQ(unblocks[0].object_id, alice_id);
}

}  // namespace
}  // namespace casus::app

namespace casus::app {
namespace {

TEST_F(UserAdminTest, AnAdminReplacesRolesAndTheNextSessionHasThem) {
  const engine::Actor admin = ActorOf("beheer");
  ASSERT_TRUE(admin_users->SetRoles(admin, alice_id, {"meldpunt", "partner"}, "192.0.2.9").ok());
  EXPECT_EQ(GetUser(alice_id).roles, (std::vector<std::string>{"meldpunt", "partner"}));
  clock.Advance(30s);
  EXPECT_EQ(ActorOf("alice").roles, (std::vector<std::string>{"meldpunt", "partner"}));
  auto entries = Audit("user.roles");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].user_id, beheer_id);
  EXPECT_EQ(entries[0].object_id, alice_id);
  EXPECT_EQ(entries[0].detail, R"({"old":["regisseur"],"new":["meldpunt","partner"]})");

  // No roles: the account keeps existing without any access.
  ASSERT_TRUE(admin_users->SetRoles(admin, alice_id, {}, "192.0.2.9").ok());
  EXPECT_TRUE(GetUser(alice_id).roles.empty());
}

TEST_F(UserAdminTest, RolesAreRefusedForNonAdminsBadRolesAndAnAdminsOwnAdminRole) {
  const engine::Actor admin = ActorOf("beheer");
  clock.Advance(30s);
  const engine::Actor alice = ActorOf("alice");
  EXPECT_EQ(admin_users->SetRoles(alice, beheer_id, {"regisseur"}, "x").code(), StatusCode::kPermissionDenied);
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"superuser"}, {"system"}, {"regisseur", "regisseur"}, {""}}) {
    Status st = admin_users->SetRoles(admin, alice_id, bad, "x");
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
    ASSERT_NE(st.detail(), nullptr);
    EXPECT_EQ(st.detail()->reason, Refusal::kInvalidField);
  }
  EXPECT_EQ(admin_users->SetRoles(admin, beheer_id, {"regisseur"}, "x").code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(admin_users->SetRoles(admin, beheer_id, {"admin", "privacy_officer"}, "x").ok());
  EXPECT_EQ(admin_users->SetRoles(admin, "user_unknown", {"regisseur"}, "x").code(), StatusCode::kNotFound);
  EXPECT_EQ(GetUser(alice_id).roles, std::vector<std::string>{"regisseur"});  // untouched by the refusals
  EXPECT_EQ(Audit("user.roles").size(), 1u);
}

TEST_F(UserAdminTest, TheOperatorSetsRolesByUsernameAsTheSystem) {
  ASSERT_TRUE(admin_users->SetRolesAsOperator("alice", {"coordinator"}).ok());
  EXPECT_EQ(GetUser(alice_id).roles, std::vector<std::string>{"coordinator"});
  auto entries = Audit("user.roles");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].user_id, "system");
  EXPECT_EQ(admin_users->SetRolesAsOperator("nobody", {"coordinator"}).code(), StatusCode::kNotFound);
  EXPECT_EQ(admin_users->SetRolesAsOperator("alice", {"system"}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace casus::app

// `casus user block|unblock` as an operator runs it on the server: the
// account's session ends, its logins are refused until unblocked, and the
// audit log names the system as the actor.
#include <gtest/gtest.h>

#include <string>

#include "app/auth/tokens.h"
#include "app/auth/totp.h"
#include "app/auth_service.h"
#include "storage/sqlite_store.h"
#include "tests/cli/run_shell.h"
#include "tests/support/password_cost.h"
#include "tests/support/temp_dir.h"

namespace casus::app {
namespace {

constexpr const char* kBlockPassword = "correct horse battery staple";

AuthOptions BlockCommandAuthOptions() {
  AuthOptions o;
  o.password_cost = ::casus::testing::kCheapPasswordCost;
  return o;
}

class UserBlockCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Open();
    ASSERT_TRUE(store);
    AuthService auth(*store, clock, ids, BlockCommandAuthOptions());
    auto created = auth.AddUser({"alice", kBlockPassword, {"regisseur"}, "Gemeente Heerlen", "gemeente", "Heerlen"});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    alice_id = created->user.id;
    const std::string& uri = created->otpauth_uri;
    const auto from = uri.find("secret=") + 7;
    secret = uri.substr(from, uri.find('&', from) - from);
  }

  std::unique_ptr<storage::Store> Open() {
    storage::SqliteOptions options;
    options.path = dir.path() / "data" / "casus.db";
    std::filesystem::create_directories(options.path.parent_path());
    auto store = storage::OpenSqliteStore(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // From the repository root, where config/ is found. Arguments are the
  // test's own, never user input: the shell may see them.
  casus::testing::RunResult Casus(const std::string& args) {
    return casus::testing::RunShell("cd " CASUS_SOURCE_DIR " && " + std::string(CASUS_BINARY) + " user " + args +
                                    " --data-dir " + (dir.path() / "data").string() + " 2>&1");
  }

  // Logs alice in on a fresh step (each code works once).
  StatusOr<LoginResult> LoginAlice(AuthService& auth) {
    clock.Advance(std::chrono::seconds(30));
    return auth.Login("alice", kBlockPassword, auth::TotpCodeAt(secret, auth::TotpStep(clock.Now())).value_or(""),
                      "192.0.2.1");
  }

  std::vector<storage::AuditEntry> Audit(storage::Store& store, const std::string& action) {
    std::vector<storage::AuditEntry> all, out;
    EXPECT_TRUE(store.Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(all, tx.audit().List(0, 10000));
                       return Status::Ok();
                     }).ok());
    for (auto& e : all)
      if (e.action == action) out.push_back(e);
    return out;
  }

  casus::testing::TempDir dir;
  // The test's logins near the real time (the binary revokes at the real
  // time), moved on a step per login so that each has a fresh code.
  ManualClock clock{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  SequentialIdGenerator ids;
  std::string alice_id, secret;
};

TEST_F(UserBlockCommand, BlockEndsTheSessionAndUnblockAllowsLoginAgain) {
  std::string token;
  {
    auto store = Open();
    AuthService auth(*store, clock, ids, BlockCommandAuthOptions());
    auto login = auth.Login("alice", kBlockPassword,
                            auth::TotpCodeAt(secret, auth::TotpStep(clock.Now())).value_or(""), "192.0.2.1");
    ASSERT_TRUE(login.ok()) << login.status().ToString();
    token = login->token;
  }  // closed: the binary has the database to itself

  auto blocked = Casus("block alice --reason 'left the organisation'");
  ASSERT_EQ(blocked.exit_code, 0) << blocked.output;
  EXPECT_NE(blocked.output.find("alice blocked"), std::string::npos) << blocked.output;

  {
    auto store = Open();
    AuthService auth(*store, clock, ids, BlockCommandAuthOptions());
    EXPECT_EQ(auth.Authenticate(token).status().code(), StatusCode::kUnauthenticated);
    std::optional<storage::Session> session;
    ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(session, tx.sessions().FindByTokenHash(auth::Sha256Hex(token)));
                       return Status::Ok();
                     }).ok());
    ASSERT_TRUE(session);
    EXPECT_TRUE(session->revoked_at) << "revoked, not only refused";
    EXPECT_EQ(LoginAlice(auth).status().code(), StatusCode::kUnauthenticated);
    auto entries = Audit(*store, "user.block");
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].user_id, "system");
    EXPECT_EQ(entries[0].role, "system");
    EXPECT_EQ(entries[0].client, "cli");
    EXPECT_EQ(entries[0].object_type, "user");
    EXPECT_EQ(entries[0].object_id, alice_id);
    EXPECT_EQ(entries[0].reason, "left the organisation");
  }

  auto unblocked = Casus("unblock alice");
  ASSERT_EQ(unblocked.exit_code, 0) << unblocked.output;
  EXPECT_NE(unblocked.output.find("alice unblocked"), std::string::npos) << unblocked.output;
  {
    auto store = Open();
    AuthService auth(*store, clock, ids, BlockCommandAuthOptions());
    auto login = LoginAlice(auth);
    ASSERT_TRUE(login.ok()) << login.status().ToString();
    EXPECT_TRUE(auth.Authenticate(login->token).ok());
    EXPECT_FALSE(auth.Authenticate(token).ok()) << "the ended session stays ended";
    auto entries = Audit(*store, "user.unblock");
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].user_id, "system");
    EXPECT_EQ(entries[0].object_id, alice_id);
  }
}

TEST_F(UserBlockCommand, RefusesUnknownUsersAndBadReasons) {
  auto unknown = Casus("block nobody --reason 'left'");
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  EXPECT_NE(unknown.output.find("not found"), std::string::npos) << unknown.output;
  auto unknown_unblock = Casus("unblock nobody");
  EXPECT_EQ(unknown_unblock.exit_code, 1) << unknown_unblock.output;

  auto blank = Casus("block alice --reason '   '");
  EXPECT_EQ(blank.exit_code, 1) << blank.output;
  EXPECT_NE(blank.output.find("reason: "), std::string::npos) << blank.output;
  auto too_long = Casus("block alice --reason " + std::string(501, 'x'));
  EXPECT_EQ(too_long.exit_code, 1) << too_long.output;
  EXPECT_NE(too_long.output.find("at most 500 bytes"), std::string::npos) << too_long.output;

  auto store = Open();
  std::optional<storage::User> alice;
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     ASSIGN_OR_RETURN(alice, tx.users().FindByUsername("alice"));
                     return Status::Ok();
                   }).ok());
  ASSERT_TRUE(alice);
  EXPECT_FALSE(alice->disabled);
  EXPECT_TRUE(Audit(*store, "user.block").empty());
}

TEST_F(UserBlockCommand, MissingReasonOrUsernameIsAUsageError) {
  auto no_reason = Casus("block alice");
  EXPECT_NE(no_reason.exit_code, 0) << no_reason.output;
  EXPECT_NE(no_reason.output.find("--reason"), std::string::npos) << no_reason.output;
  auto no_user = Casus("block --reason 'left'");
  EXPECT_NE(no_user.exit_code, 0) << no_user.output;
  EXPECT_NE(no_user.output.find("USERNAME"), std::string::npos) << no_user.output;
}

TEST_F(UserBlockCommand, NoDatabaseIsNotCreated) {
  auto r = casus::testing::RunShell("cd " CASUS_SOURCE_DIR " && " + std::string(CASUS_BINARY) +
                                    " user block alice --reason left --data-dir " + (dir.path() / "empty").string() +
                                    " 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "empty" / "casus.db"));
}

}  // namespace
}  // namespace casus::app

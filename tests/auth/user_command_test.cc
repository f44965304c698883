// `casus user add` as an administrator runs it: the password on standard
// input, the TOTP secret printed once as an otpauth:// URI, and the new
// account able to log in.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

#include "app/auth/totp.h"
#include "app/auth_service.h"
#include "storage/sqlite_store.h"
#include "tests/support/password_cost.h"
#include "tests/support/temp_dir.h"

namespace casus::app {
namespace {

struct RunResult {
  int exit_code;
  std::string output;  // stdout and stderr
};

// Runs casus from the repository root (where config/ is found) with `input`
// on standard input. The input is passed through printf's %s so that the
// shell never interprets it.
RunResult RunCasus(const std::string& args, const std::string& input) {
  std::string command = "cd " CASUS_SOURCE_DIR " && printf '%s' '" + input + "' | " + std::string(CASUS_BINARY) +
                        " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string output;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

constexpr const char* kNewUserPassword = "Tr0ub4dour-and-more";

// Not designated: -Wmissing-field-initializers as AuthOptions grows.
AuthOptions UserAddAuthOptions() {
  AuthOptions o;
  o.password_cost = ::casus::testing::kCheapPasswordCost;
  return o;
}

class UserAddCommand : public ::testing::Test {
 protected:
  std::string Args(const std::string& username, const std::string& extra = "") {
    return "user add --data-dir " + (dir.path() / "data").string() + " --username " + username +
           " --role regisseur --role coordinator --org 'Gemeente Heerlen' --org-type gemeente --municipality Heerlen" +
           extra;
  }
  casus::testing::TempDir dir;
};

TEST_F(UserAddCommand, CreatesTheDatabaseAndAnAccountThatCanLogIn) {
  auto r = RunCasus(Args("alice"), std::string(kNewUserPassword) + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto uri_at = r.output.find("otpauth://totp/Casus:alice?secret=");
  ASSERT_NE(uri_at, std::string::npos) << r.output;
  const std::string uri = r.output.substr(uri_at, r.output.find('\n', uri_at) - uri_at);
  EXPECT_NE(uri.find("&issuer=Casus&algorithm=SHA1&digits=6&period=30"), std::string::npos) << uri;
  EXPECT_NE(r.output.find("user_"), std::string::npos) << "the user id is printed: " << r.output;
  EXPECT_EQ(r.output.find(kNewUserPassword), std::string::npos);
  const auto secret_at = uri.find("secret=") + 7;
  const std::string secret = uri.substr(secret_at, uri.find('&', secret_at) - secret_at);
  ASSERT_EQ(secret.size(), 32u) << uri;

  storage::SqliteOptions options;
  options.path = dir.path() / "data" / "casus.db";
  auto store = storage::OpenSqliteStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::optional<storage::User> user;
  ASSERT_TRUE((*store)->Read([&](storage::Transaction& tx) -> Status {
                        ASSIGN_OR_RETURN(user, tx.users().FindByUsername("alice"));
                        return Status::Ok();
                      }).ok());
  ASSERT_TRUE(user);
  EXPECT_NE(r.output.find(user->id), std::string::npos) << r.output;
  EXPECT_EQ(user->roles, (std::vector<std::string>{"regisseur", "coordinator"}));
  EXPECT_EQ(user->password_hash.rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << "the production cost";
  EXPECT_EQ(user->totp_secret, secret);

  SystemClock clock;
  SequentialIdGenerator ids;
  AuthService auth(**store, clock, ids, UserAddAuthOptions());
  auto login = auth.Login("alice", kNewUserPassword, auth::TotpCodeAt(secret, auth::TotpStep(clock.Now())).value(), "cli");
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->principal.org.name, "Gemeente Heerlen");
  EXPECT_EQ(login->principal.actor.municipality, "Heerlen");
}

TEST_F(UserAddCommand, RefusesEmptyPasswordBadInputAndDuplicates) {
  auto empty = RunCasus(Args("alice"), "");
  EXPECT_EQ(empty.exit_code, 1) << empty.output;
  EXPECT_NE(empty.output.find("password"), std::string::npos) << empty.output;
  auto blank_line = RunCasus(Args("alice"), "\n");
  EXPECT_EQ(blank_line.exit_code, 1) << blank_line.output;

  auto bad_role = RunCasus(Args("alice", " --role system"), std::string(kNewUserPassword) + "\n");
  EXPECT_EQ(bad_role.exit_code, 1) << bad_role.output;
  EXPECT_NE(bad_role.output.find("roles[2]: "), std::string::npos) << bad_role.output;
  EXPECT_EQ(bad_role.output.find(kNewUserPassword), std::string::npos);

  auto short_password = RunCasus(Args("alice"), "short\n");
  EXPECT_EQ(short_password.exit_code, 1) << short_password.output;
  EXPECT_NE(short_password.output.find("password: "), std::string::npos) << short_password.output;

  ASSERT_EQ(RunCasus(Args("alice"), std::string(kNewUserPassword) + "\n").exit_code, 0);
  auto again = RunCasus(Args("alice"), std::string(kNewUserPassword) + "\n");
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_NE(again.output.find("already exists"), std::string::npos) << again.output;
}

TEST_F(UserAddCommand, MissingRequiredOptionsAreAUsageError) {
  auto r = RunCasus("user add --data-dir " + (dir.path() / "data").string() + " --username alice", "x\n");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("--role"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace casus::app

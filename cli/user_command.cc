#include "cli/user_command.h"

#include <unistd.h>

#include <iostream>
#include <string>

#include "app/auth_service.h"
#include "cli/store_access.h"
#include "common/ids.h"
#include "common/time.h"

namespace casus::cli {
namespace {

// The first line of standard input without its line ending; nullopt when
// there is none.
std::optional<std::string> ReadPasswordLine() {
  // Scripts pipe the password in; a person at a terminal gets a prompt on
  // stderr so that stdout stays the URI and the id.
  if (isatty(STDIN_FILENO)) std::cerr << "password for the new account: " << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int UserAdd(const CommonOptions& options, const UserAddArgs& args) {
  auto password = ReadPasswordLine();
  if (!password || password->empty()) {
    std::cerr << "user add: no password on standard input (give it as the first line)\n";
    return 1;
  }
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  // Like `casus init`: a missing database is created and migrated, so that
  // the first administrator can be added to a fresh installation.
  auto store = OpenStoreOrReport(*config, /*create=*/true);
  if (!store) return 2;

  SystemClock clock;
  RandomIdGenerator ids;
  app::AuthService auth(*store, clock, ids);
  app::NewUser input{args.username, *password, args.roles, args.org, args.org_type, args.municipality};
  auto created = auth.AddUser(input);
  // The copy of the password is no longer needed.
  password->assign(password->size(), '\0');
  input.password.assign(input.password.size(), '\0');
  if (!created.ok()) {
    // Messages name fields, never the password.
    std::cerr << "user add: " << created.status().message() << "\n";
    const bool refused = created.status().code() == StatusCode::kInvalidArgument ||
                         created.status().code() == StatusCode::kFailedPrecondition;
    return refused ? 1 : 2;
  }
  std::cout << "user " << created->user.username << " created with id " << created->user.id << "\n";
  std::cout << "TOTP secret for the authenticator app (shown once):\n";
  std::cout << created->otpauth_uri << "\n";
  return 0;
}

}  // namespace casus::cli

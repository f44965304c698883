// `casus user add`: creates an account with an Argon2id password hash and a
// fresh TOTP secret, printed once as an otpauth:// URI for an authenticator
// app. Exit codes as in commands.h: 0 created, 1 refused (bad input,
// existing username), 2 could not run.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"

namespace casus::cli {

struct UserAddArgs {
  std::string username;
  std::vector<std::string> roles;
  std::string org;
  std::string org_type;
  std::string municipality;
};

// Reads the password from the first line of standard input (never from the
// command line, where `ps` and shell history would show it).
int UserAdd(const CommonOptions& options, const UserAddArgs& args);

}  // namespace casus::cli

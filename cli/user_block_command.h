// `casus user block USERNAME --reason TEXT` and `casus user unblock
// USERNAME [--reason TEXT]`: the operator's way to end an account's access
// at once (its sessions are revoked in the same commit), e.g. when no admin
// can log in. Audited with "system" as the actor. Exit codes as in
// commands.h: 0 done, 1 refused (unknown user, bad reason), 2 could not run.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"

namespace casus::cli {

int UserBlock(const CommonOptions& options, const std::string& username, const std::string& reason);
int UserUnblock(const CommonOptions& options, const std::string& username, const std::string& reason);

// `casus user roles USERNAME [--role R …]`: replaces the account's roles
// (an account a provider provisioned without roles gets them here; no
// --role leaves it without access). Audited with "system" as the actor.
int UserRoles(const CommonOptions& options, const std::string& username, const std::vector<std::string>& roles);

}  // namespace casus::cli

// `casus user block USERNAME --reason TEXT` and `casus user unblock
// USERNAME [--reason TEXT]`: the operator's way to end an account's access
// at once (its sessions are revoked in the same commit), e.g. when no admin
// can log in. Audited with "system" as the actor. Exit codes as in
// commands.h: 0 done, 1 refused (unknown user, bad reason), 2 could not run.
#pragma once

#include <string>

#include "cli/commands.h"

namespace casus::cli {

int UserBlock(const CommonOptions& options, const std::string& username, const std::string& reason);
int UserUnblock(const CommonOptions& options, const std::string& username, const std::string& reason);

}  // namespace casus::cli

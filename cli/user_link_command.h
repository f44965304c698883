// `casus user link USERNAME --provider ID --subject SUB`: links an account
// to the person's identity at a configured OpenID provider (docs/login.md).
// Exit codes as in commands.h: 0 done, 1 refused, 2 could not run.
#pragma once

#include <string>

#include "cli/commands.h"

namespace casus::cli {

int UserLink(const CommonOptions& options, const std::string& username, const std::string& provider,
             const std::string& subject);

}  // namespace casus::cli

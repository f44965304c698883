// `casus demo totp --username U`: the current TOTP code of a demo account,
// so that the demo can be tried without an authenticator app. Refuses every
// account whose password is not the demo password: real accounts cannot be
// read out this way.
#pragma once

#include <string>

#include "cli/commands.h"

namespace casus::cli {

int DemoTotp(const CommonOptions& options, const std::string& username);

}  // namespace casus::cli

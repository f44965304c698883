// The Argon2id cost of tests that exercise something other than password
// hashing: the cheapest libargon2 accepts. The production cost
// (kDefaultPasswordCost) is tested in tests/auth and used by every test of
// the real binary.
#pragma once

#include "app/auth/password.h"

namespace casus::testing {

inline constexpr app::auth::PasswordCost kCheapPasswordCost{1, 64, 1};

}  // namespace casus::testing

// Password hashing with Argon2id (RFC 9106) through libargon2. The stored
// form is the PHC-encoded string ($argon2id$v=19$m=...,t=...,p=...$salt$hash),
// so verification uses the cost a hash was made with and the cost can be
// raised later without invalidating existing hashes. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace casus::app::auth {

struct PasswordCost {
  std::uint32_t time_cost = 2;          // passes over memory
  std::uint32_t memory_kib = 64 * 1024;  // 64 MiB: above OWASP's 19 MiB minimum, ~90 ms on the target host
  std::uint32_t parallelism = 1;        // one lane: a login occupies one worker thread, not all of them
};

// The production cost. Tests pass a cheaper one; never lower it in production.
inline constexpr PasswordCost kDefaultPasswordCost{};

// A fresh Argon2id hash with a random 16-byte salt. InvalidArgument when the
// cost is outside what libargon2 accepts; Internal when randomness fails.
StatusOr<std::string> HashPassword(std::string_view password, const PasswordCost& cost = kDefaultPasswordCost);

// Whether `password` matches `encoded` (constant-time comparison inside
// libargon2). False, never an error, for a malformed or non-Argon2id hash.
bool VerifyPassword(std::string_view password, const std::string& encoded);

}  // namespace casus::app::auth

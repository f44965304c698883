// Random values for the authorization code flow and the PKCE code challenge
// (RFC 7636). Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace casus::oidc {

// `bytes` bytes from OpenSSL's CSPRNG (RAND_bytes), base64url without
// padding: for `state`, `nonce` and the code verifier (32 bytes give the 43
// characters RFC 7636 §4.1 asks as a minimum). InvalidArgument for 0 or more
// than 96 bytes (a verifier may have at most 128 characters); Internal when
// the CSPRNG fails.
StatusOr<std::string> NewRandomUrlToken(std::size_t bytes = 32);

// RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))), without padding.
std::string CodeChallengeS256(std::string_view verifier);

}  // namespace casus::oidc

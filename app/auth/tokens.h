// Random secrets and their storage form: session and CSRF tokens are 32
// bytes from OpenSSL's CSPRNG, handed out base64url-encoded; only their
// SHA-256 (hex) is stored, so a copy of the database yields no sessions.
// Thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace casus::app::auth {

inline constexpr std::size_t kTokenBytes = 32;

// Fills `out` from RAND_bytes; Internal when the CSPRNG fails.
Status RandomBytes(std::span<unsigned char> out);

// A new token: kTokenBytes random bytes, base64url without padding (43 characters).
StatusOr<std::string> NewToken();

// RFC 4648 §5 base64url without padding.
std::string Base64UrlEncode(std::span<const unsigned char> bytes);

// Lowercase hex SHA-256 of `data`: the stored form of a token.
std::string Sha256Hex(std::string_view data);

// Equality whose time depends only on the lengths (CRYPTO_memcmp). Lengths
// are not secret here: every token and hash has a fixed length.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace casus::app::auth

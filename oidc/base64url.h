// Base64url without padding (RFC 4648 §5), the form every JOSE segment and
// PKCE value takes (RFC 7515 §2, RFC 7636 §3). The coding itself is cjose's;
// this adds the strict input check that cjose's decoder leaves out (it stops
// at '=' and asserts on a dangling character). Thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace casus::oidc {

// True when `text` uses only A-Z a-z 0-9 '-' '_' and has a length that whole
// bytes encode to (not 1 modulo 4). The empty string qualifies.
bool IsBase64UrlUnpadded(std::string_view text);

// The decoded bytes; nullopt when `text` fails IsBase64UrlUnpadded.
std::optional<std::string> DecodeBase64Url(std::string_view text);

// Unpadded base64url of `bytes`. Throws std::bad_alloc when memory runs out,
// as a std::string would.
std::string EncodeBase64Url(std::span<const unsigned char> bytes);

}  // namespace casus::oidc

// The first step of checking any token from a provider: a compact JWS
// (RFC 7515 §7.1) with an allowed algorithm, whose signature one of the
// provider's keys verifies through cjose. Claims are not looked at here.
// Thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include <boost/json/object.hpp>

#include "oidc/key_set.h"
#include "oidc/token_refusal.h"

namespace casus::oidc {

inline constexpr std::size_t kMaxTokenBytes = 16 * 1024;

struct VerifiedJws {
  boost::json::object header;
  boost::json::object payload;
};

// Refuses, in this order: kTooLarge (over kMaxTokenBytes); kMalformed (not
// three base64url segments, so a five-part JWE too; a header that is not a
// JSON object with a string "alg"; "crit"; an empty kid);
// kAlgorithmNotAllowed (alg outside RS/PS/ES 256/384/512, decided before any
// key is looked at); kUnknownKey (no key with the header's kid; without kid,
// not exactly one key that fits the alg); kAlgorithmNotAllowed (keys with
// that kid exist but none fits the alg: an RSA key never verifies ES*, nor a
// P-256 key ES384); kBadSignature (no fitting key verifies it); kMalformed
// (a payload that is not a JSON object).
Verdict<VerifiedJws> VerifyCompactJws(std::string_view jwt, const KeySet& keys);

}  // namespace casus::oidc

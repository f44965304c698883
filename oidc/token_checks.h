// Checking the tokens an OpenID Provider sends: ID tokens from the
// authorization code flow (OIDC Core 3.1.3.7) and back-channel logout tokens
// (OpenID Connect Back-Channel Logout 1.0 §2.6). Pure: no network, no clock
// (the time comes in `TokenExpectations::now`). Thread-safe.
//
// A refusal is a reason id for the log (RefusalName); it never carries token
// contents, and the user sees one generic message whatever the reason.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/time.h"
#include "oidc/key_set.h"
#include "oidc/token_refusal.h"

namespace casus::oidc {

struct TokenExpectations {
  std::string issuer;      // exact match of `iss`; an empty one matches nothing
  std::string client_id;   // must be in `aud`; `azp` rules of OIDC Core 3.1.3.7; an empty one matches nothing
  TimePoint now{};
  std::chrono::seconds clock_skew{60};
  std::chrono::seconds max_age{10 * 60};  // iat no older than this (plus skew)
};

// Bounds on the identifiers Casus stores and matches on.
inline constexpr std::size_t kMaxIdentifierBytes = 255;

struct IdTokenClaims {
  std::string subject;                 // sub (1..255 bytes)
  std::string session_id;              // sid, may be empty
  std::string acr;                     // may be empty
  std::vector<std::string> amr;        // may be empty
  TimePoint issued_at{}, expires_at{};
  boost::json::object claims;          // the whole payload, for a configured roles/groups claim
};
struct LogoutTokenClaims { std::string subject, session_id, jti; TimePoint issued_at{}; };

// OIDC Core 3.1.3.7 for the authorization code flow: compact JWS only (JWE refused as malformed),
// alg in {RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512} and matching the key's kty (an RSA key
// never verifies an ES token and vice versa; `none` and HS* are kAlgorithmNotAllowed before any key is touched),
// key chosen by `kid` (absent kid: the only signing key of the right type, else kUnknownKey), signature verified
// by cjose, then iss, aud (string or array), azp (required and == client_id when aud has several entries; when
// present always == client_id), exp (> now - skew), iat (<= now + skew, >= now - max_age - skew), nonce
// (constant-time equal to `expected_nonce`, which must be non-empty), sub present. Input bounded to 16 KiB.
//
// Details (signed_token.h has the signature step's): a claim of the wrong
// type, sub/sid over 255 bytes, or a NumericDate outside 1970..9999 is
// kMalformed; an absent iss, aud, exp, iat or sub (or an empty sub) is
// kMissingClaim; an absent nonce is kNonceMismatch; an `nbf` beyond now + skew
// is kIssuedInFuture.
Verdict<IdTokenClaims> VerifyIdToken(std::string_view jwt, const KeySet& keys, const TokenExpectations& expect,
                                     std::string_view expected_nonce);

// OpenID Connect Back-Channel Logout 1.0 §2.6: same signature/alg/iss/aud/iat rules (exp checked when present),
// `events` object with member "http://schemas.openid.net/event/backchannel-logout", sub or sid present,
// `nonce` absent (else kNotALogoutToken), jti present; header `typ`, when present, must be "logout+jwt".
//
// Details: `typ` is compared without case and may carry the "application/"
// prefix (RFC 7515 §4.1.9); another typ, a missing or wrong `events` member
// (its value must be an object) is kNotALogoutToken; neither sub nor sid, or
// no jti, is kMissingClaim. `azp` is not required here. Replay (a jti seen
// before) is the caller's to detect.
Verdict<LogoutTokenClaims> VerifyLogoutToken(std::string_view jwt, const KeySet& keys, const TokenExpectations& expect);

}  // namespace casus::oidc

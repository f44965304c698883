// Why a token was refused, as a stable id for the log, and the verdict that
// carries either the checked claims or that reason. A refusal never carries
// token contents: the caller logs the id and shows the user one generic message.
#pragma once

#include <optional>
#include <string_view>

namespace casus::oidc {

enum class TokenRefusal {
  kNone,
  kMalformed,             // not a compact JWS, bad base64url/JSON, a claim of the wrong type
  kTooLarge,              // over the size bound
  kAlgorithmNotAllowed,   // none, HS*, or an algorithm the chosen key does not fit
  kUnknownKey,            // no key with the token's kid (or, without kid, no single fitting key)
  kBadSignature,          // no fitting key verifies the signature
  kWrongIssuer,
  kWrongAudience,
  kWrongAuthorizedParty,
  kExpired,
  kIssuedInFuture,        // iat (or nbf) beyond now + skew
  kIssuedTooLongAgo,
  kNonceMismatch,
  kMissingClaim,
  kNotALogoutToken,
};

// "malformed", "too_large", "alg_not_allowed", "unknown_kid", ... ("none" for kNone).
std::string_view RefusalName(TokenRefusal refusal);

template <class Claims>
struct Verdict {
  std::optional<Claims> claims;
  TokenRefusal refusal = TokenRefusal::kNone;
  bool ok() const { return claims.has_value(); }
};

}  // namespace casus::oidc

#include "oidc/token_refusal.h"

namespace casus::oidc {

std::string_view RefusalName(TokenRefusal refusal) {
  switch (refusal) {
    case TokenRefusal::kNone: return "none";
    case TokenRefusal::kMalformed: return "malformed";
    case TokenRefusal::kTooLarge: return "too_large";
    case TokenRefusal::kAlgorithmNotAllowed: return "alg_not_allowed";
    case TokenRefusal::kUnknownKey: return "unknown_kid";
    case TokenRefusal::kBadSignature: return "bad_signature";
    case TokenRefusal::kWrongIssuer: return "wrong_iss";
    case TokenRefusal::kWrongAudience: return "wrong_aud";
    case TokenRefusal::kWrongAuthorizedParty: return "wrong_azp";
    case TokenRefusal::kExpired: return "expired";
    case TokenRefusal::kIssuedInFuture: return "iat_in_future";
    case TokenRefusal::kIssuedTooLongAgo: return "iat_too_old";
    case TokenRefusal::kNonceMismatch: return "nonce_mismatch";
    case TokenRefusal::kMissingClaim: return "missing_claim";
    case TokenRefusal::kNotALogoutToken: return "not_a_logout_token";
  }
  return "unknown";
}

}  // namespace casus::oidc

#include "oidc/token_checks.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "oidc/claim_reading.h"
#include "oidc/signed_token.h"

namespace casus::oidc {
namespace {

namespace json = boost::json;

constexpr std::string_view kTokenChecksLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

// iss and aud, the same for both kinds of token. `audience_count` tells the
// caller whether azp becomes mandatory.
TokenRefusal TokenChecksIssuerAndAudience(const json::object& claims, const TokenExpectations& expect,
                                          std::size_t& audience_count) {
  std::optional<std::string> iss;
  if (const TokenRefusal r = ReadStringClaim(claims, "iss", kMaxTokenBytes, iss); r != TokenRefusal::kNone) return r;
  if (!iss) return TokenRefusal::kMissingClaim;
  if (expect.issuer.empty() || *iss != expect.issuer) return TokenRefusal::kWrongIssuer;

  std::optional<std::vector<std::string>> aud;
  if (const TokenRefusal r = ReadAudienceClaim(claims, aud); r != TokenRefusal::kNone) return r;
  if (!aud) return TokenRefusal::kMissingClaim;
  if (expect.client_id.empty() || std::find(aud->begin(), aud->end(), expect.client_id) == aud->end()) {
    return TokenRefusal::kWrongAudience;
  }
  audience_count = aud->size();
  return TokenRefusal::kNone;
}

struct TokenChecksTimes {
  TimePoint issued_at{};
  std::optional<TimePoint> expires_at;
};

// exp, iat and nbf against `now`, each allowing the clock skew both ways.
TokenRefusal TokenChecksTimeClaims(const json::object& claims, const TokenExpectations& expect, bool exp_required,
                                   TokenChecksTimes& out) {
  std::optional<TimePoint> exp, iat, nbf;
  if (const TokenRefusal r = ReadNumericDateClaim(claims, "exp", exp); r != TokenRefusal::kNone) return r;
  if (const TokenRefusal r = ReadNumericDateClaim(claims, "iat", iat); r != TokenRefusal::kNone) return r;
  if (const TokenRefusal r = ReadNumericDateClaim(claims, "nbf", nbf); r != TokenRefusal::kNone) return r;
  if (!exp && exp_required) return TokenRefusal::kMissingClaim;
  if (exp && *exp <= expect.now - expect.clock_skew) return TokenRefusal::kExpired;
  if (!iat) return TokenRefusal::kMissingClaim;
  if (*iat > expect.now + expect.clock_skew) return TokenRefusal::kIssuedInFuture;
  if (*iat < expect.now - expect.max_age - expect.clock_skew) return TokenRefusal::kIssuedTooLongAgo;
  if (nbf && *nbf > expect.now + expect.clock_skew) return TokenRefusal::kIssuedInFuture;
  out.issued_at = *iat;
  out.expires_at = exp;
  return TokenRefusal::kNone;
}

// The nonce binds the token to this browser's login attempt, whose expected
// value is secret until then: compare in constant time (lengths are not secret).
TokenRefusal TokenChecksNonce(const json::object& claims, std::string_view expected_nonce) {
  std::optional<std::string> nonce;
  if (const TokenRefusal r = ReadStringClaim(claims, "nonce", kMaxTokenBytes, nonce); r != TokenRefusal::kNone) {
    return r;
  }
  if (expected_nonce.empty() || !nonce || nonce->size() != expected_nonce.size()) {
    return TokenRefusal::kNonceMismatch;
  }
  if (CRYPTO_memcmp(nonce->data(), expected_nonce.data(), expected_nonce.size()) != 0) {
    return TokenRefusal::kNonceMismatch;
  }
  return TokenRefusal::kNone;
}

// RFC 7515 §4.1.9: media type names compare without case, and the
// "application/" prefix may be left out.
bool TokenChecksIsLogoutType(std::string_view typ) {
  std::string lower(typ);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "logout+jwt" || lower == "application/logout+jwt";
}

bool TokenChecksHasLogoutEvent(const json::object& claims) {
  const json::value* events = claims.if_contains("events");
  if (events == nullptr || !events->is_object()) return false;
  const json::value* event = events->get_object().if_contains(kTokenChecksLogoutEvent);
  return event != nullptr && event->is_object();
}

}  // namespace

Verdict<IdTokenClaims> VerifyIdToken(std::string_view jwt, const KeySet& keys, const TokenExpectations& expect,
                                     std::string_view expected_nonce) {
  const auto refuse = [](TokenRefusal r) { return Verdict<IdTokenClaims>{std::nullopt, r}; };
  Verdict<VerifiedJws> jws = VerifyCompactJws(jwt, keys);
  if (!jws.ok()) return refuse(jws.refusal);
  const json::object& claims = jws.claims->payload;

  std::size_t audience_count = 0;
  if (const TokenRefusal r = TokenChecksIssuerAndAudience(claims, expect, audience_count); r != TokenRefusal::kNone) {
    return refuse(r);
  }
  std::optional<std::string> azp;
  if (const TokenRefusal r = ReadStringClaim(claims, "azp", kMaxTokenBytes, azp); r != TokenRefusal::kNone) {
    return refuse(r);
  }
  if ((audience_count > 1 && !azp) || (azp && *azp != expect.client_id)) {
    return refuse(TokenRefusal::kWrongAuthorizedParty);
  }
  TokenChecksTimes times;
  if (const TokenRefusal r = TokenChecksTimeClaims(claims, expect, /*exp_required=*/true, times);
      r != TokenRefusal::kNone) {
    return refuse(r);
  }
  if (const TokenRefusal r = TokenChecksNonce(claims, expected_nonce); r != TokenRefusal::kNone) {
    return refuse(r);
  }

  std::optional<std::string> sub, sid, acr;
  std::optional<std::vector<std::string>> amr;
  for (const TokenRefusal r : {ReadStringClaim(claims, "sub", kMaxIdentifierBytes, sub),
                               ReadStringClaim(claims, "sid", kMaxIdentifierBytes, sid),
                               ReadStringClaim(claims, "acr", kMaxTokenBytes, acr),
                               ReadStringListClaim(claims, "amr", amr)}) {
    if (r != TokenRefusal::kNone) return refuse(r);
  }
  if (!sub || sub->empty()) return refuse(TokenRefusal::kMissingClaim);

  IdTokenClaims out;
  out.subject = std::move(*sub);
  out.session_id = std::move(sid).value_or("");
  out.acr = std::move(acr).value_or("");
  out.amr = std::move(amr).value_or(std::vector<std::string>{});
  out.issued_at = times.issued_at;
  out.expires_at = *times.expires_at;
  out.claims = std::move(jws.claims->payload);
  return {std::move(out), TokenRefusal::kNone};
}

Verdict<LogoutTokenClaims> VerifyLogoutToken(std::string_view jwt, const KeySet& keys,
                                             const TokenExpectations& expect) {
  const auto refuse = [](TokenRefusal r) { return Verdict<LogoutTokenClaims>{std::nullopt, r}; };
  Verdict<VerifiedJws> jws = VerifyCompactJws(jwt, keys);
  if (!jws.ok()) return refuse(jws.refusal);
  const json::object& header = jws.claims->header;
  const json::object& claims = jws.claims->payload;

  // Explicit typing (§2.4) keeps other JWTs of the same issuer, such as an
  // ID token, from passing as a logout token.
  if (const json::value* typ = header.if_contains("typ")) {
    const json::string* s = typ->if_string();
    if (s == nullptr || !TokenChecksIsLogoutType(*s)) return refuse(TokenRefusal::kNotALogoutToken);
  }
  std::size_t audience_count = 0;
  if (const TokenRefusal r = TokenChecksIssuerAndAudience(claims, expect, audience_count); r != TokenRefusal::kNone) {
    return refuse(r);
  }
  TokenChecksTimes times;
  if (const TokenRefusal r = TokenChecksTimeClaims(claims, expect, /*exp_required=*/false, times);
      r != TokenRefusal::kNone) {
    return refuse(r);
  }
  if (!TokenChecksHasLogoutEvent(claims) || claims.contains("nonce")) {
    return refuse(TokenRefusal::kNotALogoutToken);
  }

  std::optional<std::string> sub, sid, jti;
  for (const TokenRefusal r : {ReadStringClaim(claims, "sub", kMaxIdentifierBytes, sub),
                               ReadStringClaim(claims, "sid", kMaxIdentifierBytes, sid),
                               ReadStringClaim(claims, "jti", kMaxIdentifierBytes, jti)}) {
    if (r != TokenRefusal::kNone) return refuse(r);
  }
  const bool has_sub = sub && !sub->empty();
  const bool has_sid = sid && !sid->empty();
  if ((!has_sub && !has_sid) || !jti || jti->empty()) return refuse(TokenRefusal::kMissingClaim);

  LogoutTokenClaims out;
  out.subject = std::move(sub).value_or("");
  out.session_id = std::move(sid).value_or("");
  out.jti = std::move(*jti);
  out.issued_at = times.issued_at;
  return {std::move(out), TokenRefusal::kNone};
}

}  // namespace casus::oidc

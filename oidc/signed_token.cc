#include "oidc/signed_token.h"

#include <cjose/header.h>
#include <cjose/jws.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>

#include "oidc/base64url.h"

namespace casus::oidc {
namespace {

namespace json = boost::json;

// Asymmetric algorithms only: `none` proves nothing, and HS* with a public
// key as the HMAC secret is the classic algorithm-confusion forgery.
constexpr std::array<std::string_view, 9> kSignedTokenAllowedAlgorithms = {
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"};

struct SignedTokenJwsRelease {
  void operator()(cjose_jws_t* jws) const { cjose_jws_release(jws); }
};

Verdict<VerifiedJws> SignedTokenRefuse(TokenRefusal refusal) { return {std::nullopt, refusal}; }

std::optional<json::object> SignedTokenParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

// RFC 7518 §3.4: an ECDSA signature is R || S, each as long as the curve's order.
std::size_t SignedTokenEcSignatureBytes(std::string_view alg) {
  if (alg == "ES256") return 64;
  if (alg == "ES384") return 96;
  if (alg == "ES512") return 132;
  return 0;
}

}  // namespace

Verdict<VerifiedJws> VerifyCompactJws(std::string_view jwt, const KeySet& keys) {
  if (jwt.size() > kMaxTokenBytes) return SignedTokenRefuse(TokenRefusal::kTooLarge);
  // Three segments; a JWE has five (RFC 7516 §7.1) and is refused here too.
  if (std::count(jwt.begin(), jwt.end(), '.') != 2) return SignedTokenRefuse(TokenRefusal::kMalformed);
  const std::size_t first_dot = jwt.find('.');
  const std::size_t second_dot = jwt.find('.', first_dot + 1);
  const std::string_view header_b64 = jwt.substr(0, first_dot);
  const std::string_view payload_b64 = jwt.substr(first_dot + 1, second_dot - first_dot - 1);
  const std::string_view signature_b64 = jwt.substr(second_dot + 1);

  const std::optional<std::string> header_text = DecodeBase64Url(header_b64);
  if (!header_text) return SignedTokenRefuse(TokenRefusal::kMalformed);
  std::optional<json::object> header = SignedTokenParseObject(*header_text);
  if (!header) return SignedTokenRefuse(TokenRefusal::kMalformed);
  const json::value* alg_value = header->if_contains("alg");
  if (alg_value == nullptr || !alg_value->is_string()) return SignedTokenRefuse(TokenRefusal::kMalformed);
  const std::string_view alg = alg_value->get_string();
  if (std::find(kSignedTokenAllowedAlgorithms.begin(), kSignedTokenAllowedAlgorithms.end(), alg) ==
      kSignedTokenAllowedAlgorithms.end()) {
    return SignedTokenRefuse(TokenRefusal::kAlgorithmNotAllowed);
  }
  // RFC 7515 §4.1.11: extensions listed in "crit" must be understood; none are.
  if (header->contains("crit")) return SignedTokenRefuse(TokenRefusal::kMalformed);
  std::optional<std::string_view> kid;
  if (const json::value* kid_value = header->if_contains("kid")) {
    const json::string* s = kid_value->if_string();
    if (s == nullptr || s->empty()) return SignedTokenRefuse(TokenRefusal::kMalformed);
    kid = std::string_view(*s);
  }
  if (payload_b64.empty() || !IsBase64UrlUnpadded(payload_b64) || signature_b64.empty() ||
      !IsBase64UrlUnpadded(signature_b64)) {
    return SignedTokenRefuse(TokenRefusal::kMalformed);
  }

  std::vector<const SigningKey*> fitting;
  if (kid) {
    const std::vector<const SigningKey*> named = keys.WithKid(*kid);
    if (named.empty()) return SignedTokenRefuse(TokenRefusal::kUnknownKey);
    std::copy_if(named.begin(), named.end(), std::back_inserter(fitting),
                 [&](const SigningKey* k) { return k->Fits(alg); });
    if (fitting.empty()) return SignedTokenRefuse(TokenRefusal::kAlgorithmNotAllowed);
  } else {
    // Without a kid the choice must be unambiguous (OIDC Core §10.1).
    for (const SigningKey& k : keys.keys()) {
      if (k.Fits(alg)) fitting.push_back(&k);
    }
    if (fitting.size() != 1) return SignedTokenRefuse(TokenRefusal::kUnknownKey);
  }

  // cjose takes R and S as the two halves of whatever it is given; a
  // signature of another length is refused rather than reinterpreted.
  if (const std::size_t ec_bytes = SignedTokenEcSignatureBytes(alg);
      ec_bytes != 0 && signature_b64.size() * 6 / 8 != ec_bytes) {
    return SignedTokenRefuse(TokenRefusal::kBadSignature);
  }

  std::unique_ptr<cjose_jws_t, SignedTokenJwsRelease> jws(cjose_jws_import(jwt.data(), jwt.size(), nullptr));
  if (jws == nullptr) return SignedTokenRefuse(TokenRefusal::kMalformed);
  // cjose verifies with the algorithm of its own reading of the header; it
  // must be the one checked above (it is, unless the two JSON parsers were to
  // disagree, e.g. on duplicate members).
  const char* cjose_alg = cjose_header_get(cjose_jws_get_protected(jws.get()), CJOSE_HDR_ALG, nullptr);
  if (cjose_alg == nullptr || alg != cjose_alg) return SignedTokenRefuse(TokenRefusal::kMalformed);

  const bool verified = std::any_of(fitting.begin(), fitting.end(), [&](const SigningKey* k) {
    return cjose_jws_verify(jws.get(), k->jwk.get(), nullptr);
  });
  if (!verified) return SignedTokenRefuse(TokenRefusal::kBadSignature);

  uint8_t* payload_bytes = nullptr;
  std::size_t payload_length = 0;
  if (!cjose_jws_get_plaintext(jws.get(), &payload_bytes, &payload_length, nullptr)) {
    return SignedTokenRefuse(TokenRefusal::kMalformed);
  }
  std::optional<json::object> payload =
      SignedTokenParseObject(std::string_view(reinterpret_cast<const char*>(payload_bytes), payload_length));
  if (!payload) return SignedTokenRefuse(TokenRefusal::kMalformed);
  return {VerifiedJws{std::move(*header), std::move(*payload)}, TokenRefusal::kNone};
}

}  // namespace casus::oidc

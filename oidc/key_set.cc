#include "oidc/key_set.h"

#include <cjose/jwk.h>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include <boost/json.hpp>

#include "oidc/base64url.h"

namespace casus::oidc {
namespace {

namespace json = boost::json;

constexpr std::size_t kKeySetMinRsaBits = 2048;

constexpr std::array<std::string_view, 6> kKeySetRsaAlgorithms = {"RS256", "RS384", "RS512",
                                                                 "PS256", "PS384", "PS512"};

// RFC 7518 §3.4: each ES algorithm is bound to one curve.
std::string_view KeySetEcAlgorithmFor(std::string_view curve) {
  if (curve == "P-256") return "ES256";
  if (curve == "P-384") return "ES384";
  if (curve == "P-521") return "ES512";
  return {};
}

bool KeySetAlgorithmFitsType(std::string_view alg, KeyType type, std::string_view curve) {
  if (type == KeyType::kRsa) {
    return std::find(kKeySetRsaAlgorithms.begin(), kKeySetRsaAlgorithms.end(), alg) != kKeySetRsaAlgorithms.end();
  }
  const std::string_view ec_alg = KeySetEcAlgorithmFor(curve);
  return !ec_alg.empty() && alg == ec_alg;
}

// A string member: its value when present as a string, nullopt when absent;
// `wrong_type` is set when present as something else.
std::optional<std::string_view> KeySetStringMember(const json::object& jwk, std::string_view name, bool& wrong_type) {
  const json::value* v = jwk.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (const json::string* s = v->if_string()) return std::string_view(*s);
  wrong_type = true;
  return std::nullopt;
}

// RFC 7517 §4.2/§4.3: a key meant for something other than verifying
// signatures must not be used for it.
bool KeySetIsForVerification(const json::object& jwk) {
  if (const json::value* use = jwk.if_contains("use")) {
    const json::string* s = use->if_string();
    if (s == nullptr || *s != "sig") return false;
  }
  if (const json::value* ops = jwk.if_contains("key_ops")) {
    const json::array* list = ops->if_array();
    if (list == nullptr) return false;
    return std::any_of(list->begin(), list->end(), [](const json::value& op) {
      const json::string* s = op.if_string();
      return s != nullptr && *s == "verify";
    });
  }
  return true;
}

std::shared_ptr<const cjose_jwk_t> KeySetImport(const json::object& public_members) {
  const std::string text = json::serialize(public_members);
  cjose_jwk_t* jwk = cjose_jwk_import(text.data(), text.size(), nullptr);
  if (jwk == nullptr) return nullptr;
  return std::shared_ptr<const cjose_jwk_t>(jwk, [](cjose_jwk_t* k) { cjose_jwk_release(k); });
}

// The key, or nullopt when the JWK is to be skipped. Only the public members
// reach cjose, so no private key material is ever held.
std::optional<SigningKey> KeySetReadKey(const json::value& entry) {
  const json::object* jwk = entry.if_object();
  if (jwk == nullptr || !KeySetIsForVerification(*jwk)) return std::nullopt;
  bool wrong_type = false;
  const auto kty = KeySetStringMember(*jwk, "kty", wrong_type);
  const auto kid = KeySetStringMember(*jwk, "kid", wrong_type);
  const auto alg = KeySetStringMember(*jwk, "alg", wrong_type);
  if (wrong_type || !kty) return std::nullopt;

  SigningKey key;
  key.kid = std::string(kid.value_or(""));
  json::object public_members;
  if (*kty == "RSA") {
    key.type = KeyType::kRsa;
    const auto n = KeySetStringMember(*jwk, "n", wrong_type);
    const auto e = KeySetStringMember(*jwk, "e", wrong_type);
    if (wrong_type || !n || !e || n->empty() || e->empty()) return std::nullopt;
    if (!IsBase64UrlUnpadded(*n) || !IsBase64UrlUnpadded(*e)) return std::nullopt;
    public_members = {{"kty", "RSA"}, {"n", *n}, {"e", *e}};
  } else if (*kty == "EC") {
    key.type = KeyType::kEc;
    const auto crv = KeySetStringMember(*jwk, "crv", wrong_type);
    const auto x = KeySetStringMember(*jwk, "x", wrong_type);
    const auto y = KeySetStringMember(*jwk, "y", wrong_type);
    if (wrong_type || !crv || !x || !y || x->empty() || y->empty()) return std::nullopt;
    if (KeySetEcAlgorithmFor(*crv).empty()) return std::nullopt;
    if (!IsBase64UrlUnpadded(*x) || !IsBase64UrlUnpadded(*y)) return std::nullopt;
    key.curve = std::string(*crv);
    public_members = {{"kty", "EC"}, {"crv", *crv}, {"x", *x}, {"y", *y}};
  } else {
    return std::nullopt;  // "oct" and anything newer: never a provider's signing key here
  }
  if (alg) {
    // A JWK bound to another algorithm (an encryption one, or one of another key type) is not ours to use.
    if (!KeySetAlgorithmFitsType(*alg, key.type, key.curve)) return std::nullopt;
    key.alg = std::string(*alg);
  }

  key.jwk = KeySetImport(public_members);
  if (key.jwk == nullptr) return std::nullopt;  // e.g. an EC point off its curve
  if (key.type == KeyType::kRsa && cjose_jwk_get_keysize(key.jwk.get(), nullptr) < kKeySetMinRsaBits) {
    return std::nullopt;
  }
  return key;
}

}  // namespace

bool SigningKey::Fits(std::string_view jws_alg) const {
  if (!alg.empty() && alg != jws_alg) return false;
  return KeySetAlgorithmFitsType(jws_alg, type, curve);
}

StatusOr<KeySet> KeySet::Parse(std::string_view jwks_json) {
  if (jwks_json.size() > kMaxJsonBytes) return Status::InvalidArgument("JWKS larger than 64 KiB");
  boost::system::error_code ec;
  const json::value doc = json::parse(jwks_json, ec);
  if (ec) return Status::InvalidArgument("JWKS is not valid JSON");
  const json::object* root = doc.if_object();
  const json::value* keys = root != nullptr ? root->if_contains("keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) return Status::InvalidArgument("JWKS has no \"keys\" array");
  const json::array& entries = keys->get_array();
  if (entries.size() > kMaxKeys) return Status::InvalidArgument("JWKS has more than 32 keys");

  KeySet set;
  for (const json::value& entry : entries) {
    if (std::optional<SigningKey> key = KeySetReadKey(entry)) set.keys_.push_back(std::move(*key));
  }
  if (set.keys_.empty()) return Status::InvalidArgument("JWKS has no usable RSA or EC signing key");
  return set;
}

bool KeySet::HasKey(std::string_view kid) const {
  if (kid.empty()) return false;
  return std::any_of(keys_.begin(), keys_.end(), [&](const SigningKey& k) { return k.kid == kid; });
}

std::vector<const SigningKey*> KeySet::WithKid(std::string_view kid) const {
  std::vector<const SigningKey*> out;
  if (kid.empty()) return out;
  for (const SigningKey& k : keys_) {
    if (k.kid == kid) out.push_back(&k);
  }
  return out;
}

}  // namespace casus::oidc

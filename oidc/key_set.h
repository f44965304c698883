// The signing keys an OpenID Provider publishes (its JWKS, RFC 7517 §5),
// reduced to what verification needs: public RSA and EC keys meant for
// signatures. Immutable once parsed, so a KeySet is safe to share between
// threads; copies are cheap (the cjose keys are reference-counted).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

// cjose's key handle, declared here so that users of KeySet need not
// include cjose (or the jansson headers it pulls in).
extern "C" {
typedef struct _cjose_jwk_int cjose_jwk_t;
}

namespace casus::oidc {

enum class KeyType { kRsa, kEc };

// One public signing key of a JWKS.
struct SigningKey {
  std::string kid;    // empty when the JWK has none (or an empty one)
  KeyType type = KeyType::kRsa;
  std::string curve;  // EC only: "P-256", "P-384" or "P-521"
  std::string alg;    // the JWK's own "alg" when it names one; empty: any algorithm of its type
  std::shared_ptr<const cjose_jwk_t> jwk;  // the public part only; never null

  // True when a JWS whose header says `alg` may be verified with this key:
  // RS*/PS* for RSA keys, ES256/ES384/ES512 for P-256/P-384/P-521, and the
  // JWK's own "alg" when it has one.
  bool Fits(std::string_view jws_alg) const;
};

class KeySet {
 public:
  // Bounds on what a provider may send: beyond them the set is refused.
  static constexpr std::size_t kMaxJsonBytes = 64 * 1024;
  static constexpr std::size_t kMaxKeys = 32;

  // An empty set: every token is refused as signed by an unknown key.
  KeySet() = default;

  // Parses a JWKS document. Keys that are not for signatures (`use` other
  // than "sig", `key_ops` without "verify"), of another kty than RSA/EC, with
  // an unknown curve, an RSA modulus under 2048 bits or unparsable members
  // are skipped (RFC 7517 §5). Private members ("d", primes) are dropped:
  // only the public part is kept. InvalidArgument when the document is not
  // JSON of the form {"keys": [...]}, exceeds the bounds above, or leaves no
  // usable key. Messages never quote the document.
  static StatusOr<KeySet> Parse(std::string_view jwks_json);

  // An empty kid names no key: a key without a kid is found only by type.
  bool HasKey(std::string_view kid) const;
  // The keys whose kid is `kid`: usually one; RFC 7517 §4.5 lets keys of
  // different types share a kid. Pointers live as long as this KeySet.
  std::vector<const SigningKey*> WithKid(std::string_view kid) const;
  const std::vector<SigningKey>& keys() const { return keys_; }
  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }

 private:
  std::vector<SigningKey> keys_;
};

}  // namespace casus::oidc

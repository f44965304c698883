// KeySet: which JWKs of a provider's JWKS become signing keys, and which are
// skipped or make the whole document refused.
#include "oidc/key_set.h"

#include <cjose/cjose.h>
#include <gtest/gtest.h>

#include "oidc/signed_token.h"
#include "tests/oidc/test_tokens.h"

namespace casus::oidc {
namespace {

using token_testing::Header;
using token_testing::Jwks;
using token_testing::Sign;
using token_testing::TestKey;
namespace json = boost::json;

struct KeySetTestKeys {
  TestKey rsa = TestKey::Rsa("rsa-1");
  TestKey ec = TestKey::Ec("ec-1");
  TestKey ec384 = TestKey::Ec("ec-384", /*p384=*/true);
};

const KeySetTestKeys& KeySetKeys() {
  static const KeySetTestKeys keys;
  return keys;
}

template <class Value>
json::object With(json::object jwk, std::string_view name, Value&& value) {
  jwk[name] = json::value_from(std::forward<Value>(value));
  return jwk;
}

void ExpectRefused(std::string_view document) {
  StatusOr<KeySet> set = KeySet::Parse(document);
  ASSERT_FALSE(set.ok()) << document.substr(0, 80);
  EXPECT_EQ(set.status().code(), StatusCode::kInvalidArgument);
}

TEST(KeySet, ParsesRsaAndEcSigningKeys) {
  StatusOr<KeySet> set =
      KeySet::Parse(Jwks({KeySetKeys().rsa.PublicJwk(), With(KeySetKeys().ec.PublicJwk(), "use", "sig"),
                          KeySetKeys().ec384.PublicJwk()}));
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->size(), 3u);
  EXPECT_TRUE(set->HasKey("rsa-1"));
  EXPECT_TRUE(set->HasKey("ec-1"));
  EXPECT_FALSE(set->HasKey("rsa-2"));
  EXPECT_FALSE(set->HasKey(""));
  EXPECT_EQ(set->keys()[0].type, KeyType::kRsa);
  EXPECT_EQ(set->keys()[1].type, KeyType::kEc);
  EXPECT_EQ(set->keys()[1].curve, "P-256");
  EXPECT_EQ(set->keys()[2].curve, "P-384");
  EXPECT_TRUE(set->keys()[0].Fits("RS256"));
  EXPECT_TRUE(set->keys()[0].Fits("PS512"));
  EXPECT_FALSE(set->keys()[0].Fits("ES256"));
  EXPECT_FALSE(set->keys()[0].Fits("HS256"));
  EXPECT_TRUE(set->keys()[1].Fits("ES256"));
  EXPECT_FALSE(set->keys()[1].Fits("ES384"));
  EXPECT_FALSE(set->keys()[1].Fits("RS256"));
  EXPECT_TRUE(set->keys()[2].Fits("ES384"));
}

TEST(KeySet, RefusesWhatIsNotAJwks) {
  ExpectRefused("");
  ExpectRefused("{");
  ExpectRefused("not json");
  ExpectRefused("[]");
  ExpectRefused(R"({"keys": {}})");
  ExpectRefused(R"({"key": []})");
  ExpectRefused(Jwks({KeySetKeys().rsa.PublicJwk()}) + "x");
}

TEST(KeySet, RefusesAJwksWithoutUsableKeys) {
  ExpectRefused(R"({"keys": []})");
  ExpectRefused(R"({"keys": [1, "two", null, {}]})");
  ExpectRefused(Jwks({With(KeySetKeys().rsa.PublicJwk(), "use", "enc")}));
}

TEST(KeySet, RefusalMessagesDoNotQuoteTheDocument) {
  StatusOr<KeySet> set = KeySet::Parse(R"({"keys": [{"kty": "secret-marker"}]})");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().message().find("secret-marker"), std::string::npos);
}

TEST(KeySet, SkipsKeysNotMeantForVerifyingSignatures) {
  StatusOr<KeySet> set = KeySet::Parse(Jwks({
      With(KeySetKeys().rsa.PublicJwk(), "use", "enc"),
      With(With(KeySetKeys().rsa.PublicJwk(), "kid", "ops-encrypt"), "key_ops", json::array{"encrypt"}),
      With(With(KeySetKeys().rsa.PublicJwk(), "kid", "use-number"), "use", 1),
      With(With(KeySetKeys().rsa.PublicJwk(), "kid", "ops-verify"), "key_ops", json::array{"sign", "verify"}),
      With(KeySetKeys().ec.PublicJwk(), "use", "sig"),
  }));
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->size(), 2u);
  EXPECT_FALSE(set->HasKey("rsa-1"));
  EXPECT_FALSE(set->HasKey("ops-encrypt"));
  EXPECT_FALSE(set->HasKey("use-number"));
  EXPECT_TRUE(set->HasKey("ops-verify"));
  EXPECT_TRUE(set->HasKey("ec-1"));
}

TEST(KeySet, SkipsOtherKeyTypesAndUnusableMembers) {
  json::object rsa_without_n = KeySetKeys().rsa.PublicJwk();
  rsa_without_n.erase("n");
  json::object ec_off_curve = KeySetKeys().ec.PublicJwk();
  std::string x(ec_off_curve["x"].as_string());
  x[10] = x[10] == 'A' ? 'B' : 'A';
  ec_off_curve["x"] = x;
  StatusOr<KeySet> set = KeySet::Parse(Jwks({
      json::object{{"kty", "oct"}, {"kid", "oct"}, {"k", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}},
      json::object{{"kty", "OKP"}, {"kid", "okp"}, {"crv", "Ed25519"},
                   {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}},
      json::object{{"kid", "no-kty"}, {"n", "AQAB"}, {"e", "AQAB"}},
      With(rsa_without_n, "kid", "no-n"),
      With(With(KeySetKeys().rsa.PublicJwk(), "kid", "bad-n"), "n", "not base64url!"),
      With(With(KeySetKeys().rsa.PublicJwk(), "kid", "padded-e"), "e", "AQAB===="),
      With(With(KeySetKeys().ec.PublicJwk(), "kid", "p192"), "crv", "P-192"),
      With(ec_off_curve, "kid", "off-curve"),
      With(KeySetKeys().rsa.PublicJwk(), "kid", 7),
      KeySetKeys().ec.PublicJwk(),
  }));
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->size(), 1u);
  EXPECT_TRUE(set->HasKey("ec-1"));
}

TEST(KeySet, SkipsRsaKeysUnder2048Bits) {
  cjose_jwk_t* weak = cjose_jwk_create_RSA_random(1024, nullptr, 0, nullptr);
  ASSERT_NE(weak, nullptr);
  char* text = cjose_jwk_to_json(weak, false, nullptr);
  json::object weak_jwk = json::parse(text).as_object();
  cjose_get_dealloc()(text);
  cjose_jwk_release(weak);
  weak_jwk["kid"] = "weak";
  StatusOr<KeySet> set = KeySet::Parse(Jwks({weak_jwk, KeySetKeys().ec.PublicJwk()}));
  ASSERT_TRUE(set.ok());
  EXPECT_FALSE(set->HasKey("weak"));
  ExpectRefused(Jwks({weak_jwk}));
}

TEST(KeySet, KeepsTheAlgOfAKeyAndSkipsKeysBoundToAnotherAlgorithm) {
  StatusOr<KeySet> set = KeySet::Parse(Jwks({
      With(KeySetKeys().rsa.PublicJwk(), "alg", "RS256"),
      With(With(KeySetKeys().rsa.PublicJwk(), "kid", "oaep"), "alg", "RSA-OAEP"),
      With(With(KeySetKeys().ec.PublicJwk(), "kid", "ec-as-rs"), "alg", "RS256"),
      With(With(KeySetKeys().ec.PublicJwk(), "kid", "ec-as-384"), "alg", "ES384"),
  }));
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->size(), 1u);
  const SigningKey& key = set->keys()[0];
  EXPECT_EQ(key.alg, "RS256");
  EXPECT_TRUE(key.Fits("RS256"));
  EXPECT_FALSE(key.Fits("PS256"));  // the JWK names one algorithm only
}

TEST(KeySet, PrivateMembersAreDroppedAndTheKeyActsAsPublic) {
  StatusOr<KeySet> set = KeySet::Parse(Jwks({KeySetKeys().rsa.PrivateJwk(), KeySetKeys().ec.PrivateJwk()}));
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->size(), 2u);
  for (const SigningKey& key : set->keys()) {
    char* text = cjose_jwk_to_json(key.jwk.get(), /*priv=*/true, nullptr);
    ASSERT_NE(text, nullptr);
    const json::object exported = json::parse(text).as_object();
    cjose_get_dealloc()(text);
    EXPECT_FALSE(exported.contains("d")) << key.kid;
    EXPECT_FALSE(exported.contains("p")) << key.kid;
  }
  // ... and still verifies what the private key signed.
  const json::object payload{{"sub", "x"}};
  EXPECT_TRUE(VerifyCompactJws(Sign(KeySetKeys().rsa, Header(KeySetKeys().rsa, "RS256"), payload), *set).ok());
  EXPECT_TRUE(VerifyCompactJws(Sign(KeySetKeys().ec, Header(KeySetKeys().ec, "ES256"), payload), *set).ok());
}

TEST(KeySet, BoundsTheDocument) {
  json::object padded = KeySetKeys().ec.PublicJwk();
  padded["x5c"] = json::array{std::string(KeySet::kMaxJsonBytes, 'A')};
  ExpectRefused(Jwks({padded}));

  json::array many;
  for (std::size_t i = 0; i < KeySet::kMaxKeys; ++i) {
    many.push_back(With(KeySetKeys().ec.PublicJwk(), "kid", "k" + std::to_string(i)));
  }
  const std::string at_limit = json::serialize(json::object{{"keys", many}});
  ASSERT_LE(at_limit.size(), KeySet::kMaxJsonBytes);
  StatusOr<KeySet> set = KeySet::Parse(at_limit);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->size(), KeySet::kMaxKeys);
  many.push_back(KeySetKeys().ec.PublicJwk());
  ExpectRefused(json::serialize(json::object{{"keys", many}}));
}

TEST(KeySet, FindsKeysByKidAcrossTypes) {
  // RFC 7517 §4.5: the same kid on keys of different types.
  StatusOr<KeySet> set = KeySet::Parse(Jwks({With(KeySetKeys().rsa.PublicJwk(), "kid", "shared"),
                                             With(KeySetKeys().ec.PublicJwk(), "kid", "shared"),
                                             With(KeySetKeys().ec.PublicJwk(), "kid", "")}));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->WithKid("shared").size(), 2u);
  EXPECT_TRUE(set->WithKid("other").empty());
  EXPECT_TRUE(set->WithKid("").empty());  // an empty kid names no key
  EXPECT_FALSE(set->HasKey(""));
}

TEST(KeySet, DefaultIsEmptyAndCopiesShareTheKeys) {
  KeySet empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_FALSE(empty.HasKey("rsa-1"));

  StatusOr<KeySet> set = KeySet::Parse(Jwks({KeySetKeys().rsa.PublicJwk()}));
  ASSERT_TRUE(set.ok());
  KeySet copy = *set;
  EXPECT_EQ(copy.keys()[0].jwk.get(), set->keys()[0].jwk.get());
  KeySet moved = std::move(copy);
  EXPECT_TRUE(moved.HasKey("rsa-1"));
  EXPECT_EQ(set->keys()[0].jwk.use_count(), 2);
}

}  // namespace
}  // namespace casus::oidc

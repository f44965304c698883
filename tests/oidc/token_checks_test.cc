// ID tokens (OIDC Core 3.1.3.7): signed at run time by cjose with generated
// keys, then verified, tampered with and forged. Every refusal is asserted
// by its reason, and every accepted token by the claims read from it.
#include "oidc/token_checks.h"

#include <gtest/gtest.h>

#include "oidc/signed_token.h"
#include "tests/oidc/test_tokens.h"

namespace casus::oidc {
namespace {

using std::chrono::seconds;
using token_testing::B64;
using token_testing::Header;
using token_testing::Jwks;
using token_testing::Seconds;
using token_testing::Sign;
using token_testing::TestKey;
using token_testing::TestNow;
namespace json = boost::json;

constexpr std::string_view kIssuer = "https://idp.example/realms/gemeente";
constexpr std::string_view kClientId = "casus";
constexpr std::string_view kNonce = "n-0S6_WzA2Mj-Hx3";

// Generated once: RSA key generation takes a while.
struct IdTokenTestKeys {
  TestKey rsa = TestKey::Rsa("rsa-1");
  TestKey rsa_same_kid = TestKey::Rsa("rsa-1");  // another key that claims the published kid
  TestKey rsa_second = TestKey::Rsa("rsa-2");
  TestKey ec = TestKey::Ec("ec-1");
  TestKey ec_same_kid = TestKey::Ec("ec-1");
  TestKey ec384 = TestKey::Ec("ec-384", /*p384=*/true);
};

const IdTokenTestKeys& IdKeys() {
  static const IdTokenTestKeys keys;
  return keys;
}

class IdTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<KeySet> parsed = KeySet::Parse(Jwks({IdKeys().rsa.PublicJwk(), IdKeys().ec.PublicJwk()}));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    keys_ = *parsed;
    expect_.issuer = std::string(kIssuer);
    expect_.client_id = std::string(kClientId);
    expect_.now = TestNow();
  }

  // Every claim Casus reads, valid at TestNow().
  static json::object Claims() {
    const std::int64_t now = Seconds(TestNow());
    return json::object{
        {"iss", kIssuer},
        {"aud", kClientId},
        {"sub", "248289761001"},
        {"exp", now + 300},
        {"iat", now - 10},
        {"nonce", kNonce},
        {"sid", "08a5019c-17e1-4977-8f42-65a12843ea02"},
        {"acr", "urn:casus:mfa"},
        {"amr", json::array{"pwd", "otp"}},
        {"groups", json::array{"casus-behandelaar"}},
    };
  }
  template <class Value>
  static json::object ClaimsWith(std::string_view name, Value&& value) {
    json::object claims = Claims();
    claims[name] = json::value_from(std::forward<Value>(value));
    return claims;
  }
  static json::object ClaimsWithout(std::string_view name) {
    json::object claims = Claims();
    claims.erase(name);
    return claims;
  }
  static std::string Rs256(const json::object& claims) {
    return Sign(IdKeys().rsa, Header(IdKeys().rsa, "RS256"), claims);
  }
  static std::string Es256(const json::object& claims) {
    return Sign(IdKeys().ec, Header(IdKeys().ec, "ES256"), claims);
  }

  Verdict<IdTokenClaims> Verify(std::string_view jwt, std::string_view nonce = kNonce) const {
    return VerifyIdToken(jwt, keys_, expect_, nonce);
  }
  TokenRefusal Refusal(std::string_view jwt, std::string_view nonce = kNonce) const {
    Verdict<IdTokenClaims> verdict = Verify(jwt, nonce);
    EXPECT_EQ(verdict.ok(), verdict.refusal == TokenRefusal::kNone);
    return verdict.refusal;
  }

  KeySet keys_;
  TokenExpectations expect_;
};

void ExpectEveryClaimRead(const Verdict<IdTokenClaims>& verdict) {
  ASSERT_TRUE(verdict.ok()) << RefusalName(verdict.refusal);
  EXPECT_EQ(verdict.refusal, TokenRefusal::kNone);
  const IdTokenClaims& c = *verdict.claims;
  EXPECT_EQ(c.subject, "248289761001");
  EXPECT_EQ(c.session_id, "08a5019c-17e1-4977-8f42-65a12843ea02");
  EXPECT_EQ(c.acr, "urn:casus:mfa");
  EXPECT_EQ(c.amr, (std::vector<std::string>{"pwd", "otp"}));
  EXPECT_EQ(c.issued_at, TestNow() - seconds(10));
  EXPECT_EQ(c.expires_at, TestNow() + seconds(300));
  ASSERT_TRUE(c.claims.contains("groups"));
  EXPECT_EQ(c.claims.at("groups"), (json::array{"casus-behandelaar"}));
}

// --- accepted ---

TEST_F(IdTokenTest, AcceptsRs256WithEveryClaimRead) { ExpectEveryClaimRead(Verify(Rs256(Claims()))); }

TEST_F(IdTokenTest, AcceptsEs256WithEveryClaimRead) { ExpectEveryClaimRead(Verify(Es256(Claims()))); }

TEST_F(IdTokenTest, AcceptsTheOtherRsaAndEcAlgorithms) {
  for (std::string_view alg : {"RS384", "RS512", "PS256", "PS384", "PS512"}) {
    EXPECT_EQ(Refusal(Sign(IdKeys().rsa, Header(IdKeys().rsa, alg), Claims())), TokenRefusal::kNone) << alg;
  }
  StatusOr<KeySet> with_p384 = KeySet::Parse(Jwks({IdKeys().ec384.PublicJwk()}));
  ASSERT_TRUE(with_p384.ok());
  keys_ = *with_p384;
  EXPECT_EQ(Refusal(Sign(IdKeys().ec384, Header(IdKeys().ec384, "ES384"), Claims())), TokenRefusal::kNone);
}

TEST_F(IdTokenTest, OptionalClaimsMayBeAbsent) {
  json::object claims = Claims();
  for (std::string_view name : {"sid", "acr", "amr", "groups"}) claims.erase(name);
  Verdict<IdTokenClaims> verdict = Verify(Rs256(claims));
  ASSERT_TRUE(verdict.ok()) << RefusalName(verdict.refusal);
  EXPECT_EQ(verdict.claims->session_id, "");
  EXPECT_EQ(verdict.claims->acr, "");
  EXPECT_TRUE(verdict.claims->amr.empty());
}

// --- signature ---

TEST_F(IdTokenTest, TamperedPayloadIsABadSignature) {
  const json::object forged = ClaimsWith("sub", "admin");
  EXPECT_EQ(Refusal(token_testing::WithPayload(Rs256(Claims()), forged)), TokenRefusal::kBadSignature);
  EXPECT_EQ(Refusal(token_testing::WithPayload(Es256(Claims()), forged)), TokenRefusal::kBadSignature);
}

TEST_F(IdTokenTest, TamperedSignatureIsABadSignature) {
  EXPECT_EQ(Refusal(token_testing::WithFlippedSignature(Rs256(Claims()))), TokenRefusal::kBadSignature);
  EXPECT_EQ(Refusal(token_testing::WithFlippedSignature(Es256(Claims()))), TokenRefusal::kBadSignature);
}

TEST_F(IdTokenTest, AnotherKeyWithThePublishedKidIsABadSignature) {
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa_same_kid, Header(IdKeys().rsa_same_kid, "RS256"), Claims())),
            TokenRefusal::kBadSignature);
  EXPECT_EQ(Refusal(Sign(IdKeys().ec_same_kid, Header(IdKeys().ec_same_kid, "ES256"), Claims())),
            TokenRefusal::kBadSignature);
}

TEST_F(IdTokenTest, EcSignatureOfTheWrongLengthIsABadSignature) {
  const std::string jwt = Es256(Claims());
  EXPECT_EQ(Refusal(jwt + "AA"), TokenRefusal::kBadSignature);
  EXPECT_EQ(Refusal(jwt.substr(0, jwt.size() - 4)), TokenRefusal::kBadSignature);
}

// --- algorithms ---

TEST_F(IdTokenTest, AlgNoneIsNotAllowed) {
  // {"alg":"none"}, an unsigned payload and an empty signature.
  const std::string unsigned_token = "eyJhbGciOiJub25lIn0." + B64(json::serialize(Claims())) + ".";
  EXPECT_EQ(Refusal(unsigned_token), TokenRefusal::kAlgorithmNotAllowed);
  const std::string with_kid =
      B64(R"({"alg":"none","kid":"rsa-1"})") + "." + B64(json::serialize(Claims())) + "." + B64("x");
  EXPECT_EQ(Refusal(with_kid), TokenRefusal::kAlgorithmNotAllowed);
}

TEST_F(IdTokenTest, Hs256IsNotAllowed) {
  const TestKey oct = TestKey::Oct("a shared secret of thirty-two by");
  EXPECT_EQ(Refusal(Sign(oct, json::object{{"alg", "HS256"}}, Claims())), TokenRefusal::kAlgorithmNotAllowed);
  EXPECT_EQ(Refusal(Sign(oct, json::object{{"alg", "HS512"}, {"kid", "rsa-1"}}, Claims())),
            TokenRefusal::kAlgorithmNotAllowed);
}

TEST_F(IdTokenTest, Hs256KeyedWithThePublicRsaKeyIsNotAllowed) {
  // The classic algorithm confusion: the attacker knows the public key, so an
  // HMAC keyed with it would "verify" if the header's alg were trusted.
  const TestKey confused = TestKey::Oct(json::serialize(IdKeys().rsa.PublicJwk()));
  EXPECT_EQ(Refusal(Sign(confused, json::object{{"alg", "HS256"}, {"kid", "rsa-1"}}, Claims())),
            TokenRefusal::kAlgorithmNotAllowed);
}

TEST_F(IdTokenTest, OtherAlgorithmsAreNotAllowed) {
  for (std::string_view alg : {"RSA-OAEP", "EdDSA", "rs256", "", "RS1"}) {
    const std::string jwt = B64(json::serialize(json::object{{"alg", alg}, {"kid", "rsa-1"}})) + "." +
                            B64(json::serialize(Claims())) + "." + B64("signature");
    EXPECT_EQ(Refusal(jwt), TokenRefusal::kAlgorithmNotAllowed) << alg;
  }
}

TEST_F(IdTokenTest, AnAlgorithmMustFitTheKeyItsKidNames) {
  // Signed by the RSA key but naming the EC key, and the reverse.
  json::object rs_on_ec = Header(IdKeys().rsa, "RS256");
  rs_on_ec["kid"] = "ec-1";
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa, rs_on_ec, Claims())), TokenRefusal::kAlgorithmNotAllowed);
  json::object es_on_rsa = Header(IdKeys().ec, "ES256");
  es_on_rsa["kid"] = "rsa-1";
  EXPECT_EQ(Refusal(Sign(IdKeys().ec, es_on_rsa, Claims())), TokenRefusal::kAlgorithmNotAllowed);
  // ES384 on a P-256 key.
  json::object es384_on_p256 = Header(IdKeys().ec384, "ES384");
  es384_on_p256["kid"] = "ec-1";
  EXPECT_EQ(Refusal(Sign(IdKeys().ec384, es384_on_p256, Claims())), TokenRefusal::kAlgorithmNotAllowed);
}

// --- key choice ---

TEST_F(IdTokenTest, UnknownKidIsRefused) {
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa_second, Header(IdKeys().rsa_second, "RS256"), Claims())),
            TokenRefusal::kUnknownKey);
  EXPECT_EQ(VerifyIdToken(Rs256(Claims()), KeySet(), expect_, kNonce).refusal, TokenRefusal::kUnknownKey);
}

TEST_F(IdTokenTest, WithoutKidTheOnlyKeyOfTheRightTypeIsUsed) {
  // keys_ holds one RSA and one EC key: each alg has exactly one candidate.
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa, json::object{{"alg", "RS256"}}, Claims())), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Sign(IdKeys().ec, json::object{{"alg", "ES256"}}, Claims())), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa_same_kid, json::object{{"alg", "RS256"}}, Claims())),
            TokenRefusal::kBadSignature);

  StatusOr<KeySet> two_rsa = KeySet::Parse(Jwks({IdKeys().rsa.PublicJwk(), IdKeys().rsa_second.PublicJwk()}));
  ASSERT_TRUE(two_rsa.ok());
  keys_ = *two_rsa;
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa, json::object{{"alg", "RS256"}}, Claims())), TokenRefusal::kUnknownKey);
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa, Header(IdKeys().rsa, "RS256"), Claims())), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Sign(IdKeys().ec, json::object{{"alg", "ES256"}}, Claims())), TokenRefusal::kUnknownKey);
}

TEST_F(IdTokenTest, KeysSharingAKidAreEachTried) {
  // A provider that reused a kid for a new key of the same type: either key's tokens verify.
  StatusOr<KeySet> shared_kid = KeySet::Parse(Jwks({IdKeys().rsa.PublicJwk(), IdKeys().rsa_same_kid.PublicJwk()}));
  ASSERT_TRUE(shared_kid.ok());
  keys_ = *shared_kid;
  EXPECT_EQ(Refusal(Rs256(Claims())), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa_same_kid, Header(IdKeys().rsa_same_kid, "RS256"), Claims())),
            TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa_second, json::object{{"alg", "RS256"}, {"kid", "rsa-1"}}, Claims())),
            TokenRefusal::kBadSignature);
}

TEST_F(IdTokenTest, EmptyKidIsMalformed) {
  for (const json::value& kid : {json::value(""), json::value(1)}) {
    EXPECT_EQ(Refusal(Sign(IdKeys().rsa, json::object{{"alg", "RS256"}, {"kid", kid}}, Claims())),
              TokenRefusal::kMalformed);
  }
}

// --- shape ---

TEST_F(IdTokenTest, JweShapedTokenIsMalformed) {
  const std::string jwe = B64(R"({"alg":"RSA-OAEP","enc":"A256GCM","kid":"rsa-1"})") + "." + B64("encrypted key") +
                          "." + B64("iv") + "." + B64("ciphertext") + "." + B64("tag");
  EXPECT_EQ(Refusal(jwe), TokenRefusal::kMalformed);
}

TEST_F(IdTokenTest, OversizeTokenIsTooLarge) {
  const std::string big = Rs256(ClaimsWith("padding", std::string(kMaxTokenBytes, 'x')));
  EXPECT_EQ(Refusal(big), TokenRefusal::kTooLarge);
  EXPECT_EQ(Refusal(std::string(kMaxTokenBytes + 1, '.')), TokenRefusal::kTooLarge);
}

TEST_F(IdTokenTest, GarbageIsMalformed) {
  const std::string good = Rs256(Claims());
  const std::string header = good.substr(0, good.find('.'));
  const std::string payload = B64(json::serialize(Claims()));
  for (const std::string& jwt : {
           std::string(""),
           std::string("."),
           std::string(".."),
           std::string("not a token"),
           std::string("a.b.c"),                     // segments of one character decode to no whole byte
           std::string("!!!!.????.****"),            // outside the alphabet
           header + ".",                             // two segments
           header + "." + payload,                   // two segments
           header + "==." + payload + ".AAAA",       // padding
           header + "." + payload + "+/.AAAA",       // base64, not base64url
           header + ".." + "AAAA",                   // empty payload
           header + "." + payload + ".",             // empty signature
           B64("not json") + "." + payload + ".AAAA",
           B64("[\"RS256\"]") + "." + payload + ".AAAA",
           B64(R"({"kid":"rsa-1"})") + "." + payload + ".AAAA",  // no alg
           B64(R"({"alg":256})") + "." + payload + ".AAAA",
           good.substr(0, good.rfind('.')) + std::string(1, '\0') + good.substr(good.rfind('.')),
       }) {
    EXPECT_EQ(Refusal(jwt), TokenRefusal::kMalformed) << jwt.substr(0, 60);
  }
}

TEST_F(IdTokenTest, SignedPayloadThatIsNotAnObjectIsMalformed) {
  // Valid signatures over payloads that are not JSON objects.
  for (std::string_view body : {"[1,2]", "\"text\"", "not json", ""}) {
    const std::string jwt = token_testing::SignRaw(IdKeys().rsa, Header(IdKeys().rsa, "RS256"), body);
    EXPECT_EQ(Refusal(jwt), TokenRefusal::kMalformed) << body;
  }
}

TEST_F(IdTokenTest, CriticalHeaderExtensionsAreMalformed) {
  json::object header = Header(IdKeys().rsa, "RS256");
  header["crit"] = json::array{"exp"};
  header["exp"] = Seconds(TestNow());
  EXPECT_EQ(Refusal(Sign(IdKeys().rsa, header, Claims())), TokenRefusal::kMalformed);
}

// --- issuer, audience, authorized party ---

TEST_F(IdTokenTest, WrongIssuerIsRefused) {
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iss", "https://idp.example/realms/other"))), TokenRefusal::kWrongIssuer);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iss", std::string(kIssuer) + "/"))), TokenRefusal::kWrongIssuer);
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("iss"))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iss", json::array{kIssuer}))), TokenRefusal::kMalformed);
  expect_.issuer.clear();
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iss", ""))), TokenRefusal::kWrongIssuer);
}

TEST_F(IdTokenTest, WrongAudienceIsRefused) {
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("aud", "another-client"))), TokenRefusal::kWrongAudience);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("aud", json::array{"another-client", "third"}))), TokenRefusal::kWrongAudience);
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("aud"))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("aud", json::array{}))), TokenRefusal::kMalformed);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("aud", json::array{kClientId, 5}))), TokenRefusal::kMalformed);
  expect_.client_id.clear();
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("aud", ""))), TokenRefusal::kWrongAudience);
}

TEST_F(IdTokenTest, AudienceArrayNeedsAuthorizedParty) {
  json::object claims = ClaimsWith("aud", json::array{"another-client", kClientId});
  EXPECT_EQ(Refusal(Rs256(claims)), TokenRefusal::kWrongAuthorizedParty);
  claims["azp"] = kClientId;
  EXPECT_EQ(Refusal(Rs256(claims)), TokenRefusal::kNone);
  claims["azp"] = "another-client";
  EXPECT_EQ(Refusal(Rs256(claims)), TokenRefusal::kWrongAuthorizedParty);
  // One entry in an array is one audience: azp is not required.
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("aud", json::array{kClientId}))), TokenRefusal::kNone);
}

TEST_F(IdTokenTest, WrongAuthorizedPartyIsRefusedEvenWithOneAudience) {
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("azp", "another-client"))), TokenRefusal::kWrongAuthorizedParty);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("azp", kClientId))), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("azp", 1))), TokenRefusal::kMalformed);
}

// --- time ---

TEST_F(IdTokenTest, ExpiredIsRefusedAndJustWithinSkewAccepted) {
  const std::int64_t now = Seconds(TestNow());
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", now - 60))), TokenRefusal::kExpired);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", now - 3600))), TokenRefusal::kExpired);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", now - 59))), TokenRefusal::kNone);
  // A fractional NumericDate is truncated: an exp never reads later than it is.
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", static_cast<double>(now) - 58.5))), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", static_cast<double>(now) - 59.5))), TokenRefusal::kExpired);
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("exp"))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", std::to_string(now + 300)))), TokenRefusal::kMalformed);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", 1e300))), TokenRefusal::kMalformed);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", -1))), TokenRefusal::kMalformed);
  expect_.clock_skew = seconds(0);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", now))), TokenRefusal::kExpired);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", now + 1))), TokenRefusal::kNone);
}

TEST_F(IdTokenTest, IssuedInTheFutureIsRefused) {
  const std::int64_t now = Seconds(TestNow());
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iat", now + 61))), TokenRefusal::kIssuedInFuture);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iat", now + 60))), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("iat"))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("nbf", now + 61))), TokenRefusal::kIssuedInFuture);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("nbf", now + 60))), TokenRefusal::kNone);
}

TEST_F(IdTokenTest, IssuedTooLongAgoIsRefused) {
  const std::int64_t now = Seconds(TestNow());
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iat", now - 600 - 61))), TokenRefusal::kIssuedTooLongAgo);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iat", now - 600 - 60))), TokenRefusal::kNone);
  expect_.max_age = seconds(60);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iat", now - 121))), TokenRefusal::kIssuedTooLongAgo);
}

// --- nonce and subject ---

TEST_F(IdTokenTest, NonceMustMatch) {
  EXPECT_EQ(Refusal(Rs256(Claims()), "n-0S6_WzA2Mj-Hx4"), TokenRefusal::kNonceMismatch);
  EXPECT_EQ(Refusal(Rs256(Claims()), "n-0S6_WzA2Mj"), TokenRefusal::kNonceMismatch);
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("nonce"))), TokenRefusal::kNonceMismatch);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("nonce", 7))), TokenRefusal::kMalformed);
}

TEST_F(IdTokenTest, EmptyExpectedNonceMatchesNothing) {
  EXPECT_EQ(Refusal(Rs256(Claims()), ""), TokenRefusal::kNonceMismatch);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("nonce", "")), ""), TokenRefusal::kNonceMismatch);
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("nonce")), ""), TokenRefusal::kNonceMismatch);
}

TEST_F(IdTokenTest, SubjectIsRequiredAndBounded) {
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("sub"))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("sub", ""))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("sub", 248289761001))), TokenRefusal::kMalformed);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("sub", std::string(256, 's')))), TokenRefusal::kMalformed);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("sub", std::string(255, 's')))), TokenRefusal::kNone);
}

TEST_F(IdTokenTest, OptionalClaimsOfTheWrongTypeAreMalformed) {
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("sid", 1))), TokenRefusal::kMalformed);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("sid", std::string(256, 's')))), TokenRefusal::kMalformed);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("acr", json::array{"x"}))), TokenRefusal::kMalformed);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("amr", "mfa"))), TokenRefusal::kMalformed);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("amr", json::array{"mfa", 1}))), TokenRefusal::kMalformed);
}

// --- refusal ids ---

TEST(TokenRefusalName, IdsAreStable) {
  const std::pair<TokenRefusal, std::string_view> expected[] = {
      {TokenRefusal::kNone, "none"},
      {TokenRefusal::kMalformed, "malformed"},
      {TokenRefusal::kTooLarge, "too_large"},
      {TokenRefusal::kAlgorithmNotAllowed, "alg_not_allowed"},
      {TokenRefusal::kUnknownKey, "unknown_kid"},
      {TokenRefusal::kBadSignature, "bad_signature"},
      {TokenRefusal::kWrongIssuer, "wrong_iss"},
      {TokenRefusal::kWrongAudience, "wrong_aud"},
      {TokenRefusal::kWrongAuthorizedParty, "wrong_azp"},
      {TokenRefusal::kExpired, "expired"},
      {TokenRefusal::kIssuedInFuture, "iat_in_future"},
      {TokenRefusal::kIssuedTooLongAgo, "iat_too_old"},
      {TokenRefusal::kNonceMismatch, "nonce_mismatch"},
      {TokenRefusal::kMissingClaim, "missing_claim"},
      {TokenRefusal::kNotALogoutToken, "not_a_logout_token"},
  };
  for (const auto& [refusal, name] : expected) EXPECT_EQ(RefusalName(refusal), name);
}

}  // namespace
}  // namespace casus::oidc

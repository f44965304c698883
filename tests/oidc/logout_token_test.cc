// Back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.6),
// signed at run time by cjose.
#include "oidc/token_checks.h"

#include <gtest/gtest.h>

#include "tests/oidc/test_tokens.h"

namespace casus::oidc {
namespace {

using std::chrono::seconds;
using token_testing::Header;
using token_testing::Jwks;
using token_testing::Seconds;
using token_testing::Sign;
using token_testing::TestKey;
using token_testing::TestNow;
namespace json = boost::json;

constexpr std::string_view kLogoutIssuer = "https://login.example.org/tenant";
constexpr std::string_view kLogoutClientId = "casus-politie";
constexpr std::string_view kLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

struct LogoutTestKeys {
  TestKey rsa = TestKey::Rsa("logout-rsa");
  TestKey ec = TestKey::Ec("logout-ec");
};

const LogoutTestKeys& LogoutKeys() {
  static const LogoutTestKeys keys;
  return keys;
}

class LogoutTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<KeySet> parsed = KeySet::Parse(Jwks({LogoutKeys().rsa.PublicJwk(), LogoutKeys().ec.PublicJwk()}));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    keys_ = *parsed;
    expect_.issuer = std::string(kLogoutIssuer);
    expect_.client_id = std::string(kLogoutClientId);
    expect_.now = TestNow();
  }

  // A logout token for one session, without sub.
  static json::object Claims() {
    return json::object{
        {"iss", kLogoutIssuer},
        {"aud", kLogoutClientId},
        {"iat", Seconds(TestNow()) - 5},
        {"jti", "bWJq"},
        {"sid", "08a5019c-17e1-4977-8f42-65a12843ea02"},
        {"events", json::object{{kLogoutEvent, json::object{}}}},
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
  static json::object LogoutHeader(const TestKey& key, std::string_view alg) {
    json::object header = Header(key, alg);
    header["typ"] = "logout+jwt";
    return header;
  }
  static std::string Rs256(const json::object& claims) {
    return Sign(LogoutKeys().rsa, LogoutHeader(LogoutKeys().rsa, "RS256"), claims);
  }

  Verdict<LogoutTokenClaims> Verify(std::string_view jwt) const { return VerifyLogoutToken(jwt, keys_, expect_); }
  TokenRefusal Refusal(std::string_view jwt) const {
    Verdict<LogoutTokenClaims> verdict = Verify(jwt);
    EXPECT_EQ(verdict.ok(), verdict.refusal == TokenRefusal::kNone);
    return verdict.refusal;
  }

  KeySet keys_;
  TokenExpectations expect_;
};

TEST_F(LogoutTokenTest, AcceptsATokenWithSid) {
  Verdict<LogoutTokenClaims> verdict = Verify(Rs256(Claims()));
  ASSERT_TRUE(verdict.ok()) << RefusalName(verdict.refusal);
  EXPECT_EQ(verdict.claims->session_id, "08a5019c-17e1-4977-8f42-65a12843ea02");
  EXPECT_EQ(verdict.claims->subject, "");
  EXPECT_EQ(verdict.claims->jti, "bWJq");
  EXPECT_EQ(verdict.claims->issued_at, TestNow() - seconds(5));
}

TEST_F(LogoutTokenTest, AcceptsATokenWithSubOnly) {
  json::object claims = ClaimsWithout("sid");
  claims["sub"] = "248289761001";
  Verdict<LogoutTokenClaims> verdict = Verify(Sign(LogoutKeys().ec, LogoutHeader(LogoutKeys().ec, "ES256"), claims));
  ASSERT_TRUE(verdict.ok()) << RefusalName(verdict.refusal);
  EXPECT_EQ(verdict.claims->subject, "248289761001");
  EXPECT_EQ(verdict.claims->session_id, "");
}

TEST_F(LogoutTokenTest, AcceptsATokenWithSubAndSid) {
  Verdict<LogoutTokenClaims> verdict = Verify(Rs256(ClaimsWith("sub", "248289761001")));
  ASSERT_TRUE(verdict.ok()) << RefusalName(verdict.refusal);
  EXPECT_EQ(verdict.claims->subject, "248289761001");
  EXPECT_EQ(verdict.claims->session_id, "08a5019c-17e1-4977-8f42-65a12843ea02");
}

TEST_F(LogoutTokenTest, EventsMustNameBackChannelLogout) {
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("events"))), TokenRefusal::kNotALogoutToken);
  const json::object other_event{{"http://schemas.openid.net/event/other", json::object{}}};
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("events", other_event))), TokenRefusal::kNotALogoutToken);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("events", json::array{kLogoutEvent}))), TokenRefusal::kNotALogoutToken);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("events", json::object{{kLogoutEvent, "yes"}}))), TokenRefusal::kNotALogoutToken);
  json::object more_events = Claims();
  more_events["events"].as_object()["https://example.org/extra"] = json::object{};
  EXPECT_EQ(Refusal(Rs256(more_events)), TokenRefusal::kNone);
}

TEST_F(LogoutTokenTest, NonceMeansItIsNotALogoutToken) {
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("nonce", "n-0S6_WzA2Mj"))), TokenRefusal::kNotALogoutToken);
}

TEST_F(LogoutTokenTest, NeedsSubOrSid) {
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("sid"))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("sid", ""))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("sid", 5))), TokenRefusal::kMalformed);
}

TEST_F(LogoutTokenTest, NeedsJti) {
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("jti"))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("jti", ""))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("jti", json::array{}))), TokenRefusal::kMalformed);
}

TEST_F(LogoutTokenTest, TypMustBeLogoutJwtWhenPresent) {
  auto signed_with_typ = [](json::value typ) {
    json::object header = Header(LogoutKeys().rsa, "RS256");
    header["typ"] = std::move(typ);
    return Sign(LogoutKeys().rsa, header, Claims());
  };
  EXPECT_EQ(Refusal(signed_with_typ("JWT")), TokenRefusal::kNotALogoutToken);
  EXPECT_EQ(Refusal(signed_with_typ("at+jwt")), TokenRefusal::kNotALogoutToken);
  EXPECT_EQ(Refusal(signed_with_typ(1)), TokenRefusal::kNotALogoutToken);
  EXPECT_EQ(Refusal(signed_with_typ("logout+jwt")), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(signed_with_typ("application/logout+jwt")), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(signed_with_typ("Logout+JWT")), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Sign(LogoutKeys().rsa, Header(LogoutKeys().rsa, "RS256"), Claims())), TokenRefusal::kNone);
}

TEST_F(LogoutTokenTest, ExpIsCheckedWhenPresent) {
  const std::int64_t now = Seconds(TestNow());
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", now - 60))), TokenRefusal::kExpired);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", now + 120))), TokenRefusal::kNone);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("exp", "soon"))), TokenRefusal::kMalformed);
}

TEST_F(LogoutTokenTest, SharesTheIdTokenChecks) {
  const std::int64_t now = Seconds(TestNow());
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iss", "https://evil.example"))), TokenRefusal::kWrongIssuer);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("aud", "another-client"))), TokenRefusal::kWrongAudience);
  EXPECT_EQ(Refusal(Rs256(ClaimsWithout("iat"))), TokenRefusal::kMissingClaim);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iat", now + 61))), TokenRefusal::kIssuedInFuture);
  EXPECT_EQ(Refusal(Rs256(ClaimsWith("iat", now - 661))), TokenRefusal::kIssuedTooLongAgo);
  EXPECT_EQ(Refusal(token_testing::WithFlippedSignature(Rs256(Claims()))), TokenRefusal::kBadSignature);
  EXPECT_EQ(Refusal(token_testing::WithPayload(Rs256(Claims()), ClaimsWith("sid", "another"))),
            TokenRefusal::kBadSignature);
  const std::string unsigned_token = "eyJhbGciOiJub25lIn0." + token_testing::B64(json::serialize(Claims())) + ".";
  EXPECT_EQ(Refusal(unsigned_token), TokenRefusal::kAlgorithmNotAllowed);
  EXPECT_EQ(Refusal(Sign(TestKey::Oct("a shared secret of thirty-two by"), json::object{{"alg", "HS256"}}, Claims())),
            TokenRefusal::kAlgorithmNotAllowed);
  const TestKey stranger = TestKey::Ec("unknown");
  EXPECT_EQ(Refusal(Sign(stranger, LogoutHeader(stranger, "ES256"), Claims())), TokenRefusal::kUnknownKey);
}

TEST_F(LogoutTokenTest, AnIdTokenIsNotALogoutTokenNorTheReverse) {
  const std::int64_t now = Seconds(TestNow());
  const json::object id_token_claims{{"iss", kLogoutIssuer}, {"aud", kLogoutClientId}, {"sub", "248289761001"},
                                     {"sid", "s"},           {"iat", now - 5},          {"exp", now + 300},
                                     {"nonce", "n"},         {"jti", "j"}};
  EXPECT_EQ(Refusal(Sign(LogoutKeys().rsa, Header(LogoutKeys().rsa, "RS256"), id_token_claims)),
            TokenRefusal::kNotALogoutToken);
  // The other way round: a logout token carries no nonce, so it never passes as an ID token.
  const Verdict<IdTokenClaims> as_id_token = VerifyIdToken(Rs256(ClaimsWith("exp", now + 300)), keys_, expect_, "n");
  EXPECT_FALSE(as_id_token.ok());
  EXPECT_EQ(as_id_token.refusal, TokenRefusal::kNonceMismatch);
}

}  // namespace
}  // namespace casus::oidc

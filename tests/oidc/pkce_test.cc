// PKCE (RFC 7636) and the random values of the authorization code flow.
#include "oidc/pkce.h"

#include <gtest/gtest.h>

#include <set>

namespace casus::oidc {
namespace {

constexpr std::string_view kPkceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

TEST(Pkce, CodeChallengeMatchesRfc7636AppendixB) {
  EXPECT_EQ(CodeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Pkce, RandomTokensAreUnpaddedBase64Url) {
  StatusOr<std::string> token = NewRandomUrlToken();
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->size(), 43u);  // 32 bytes: the minimum verifier length of RFC 7636 §4.1
  EXPECT_EQ(token->find_first_not_of(kPkceAlphabet), std::string::npos);

  for (const auto& [bytes, characters] : {std::pair<std::size_t, std::size_t>{1, 2}, {16, 22}, {48, 64}, {96, 128}}) {
    StatusOr<std::string> sized = NewRandomUrlToken(bytes);
    ASSERT_TRUE(sized.ok()) << bytes;
    EXPECT_EQ(sized->size(), characters) << bytes;
    EXPECT_EQ(sized->find_first_not_of(kPkceAlphabet), std::string::npos);
  }
}

TEST(Pkce, RandomTokensDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    StatusOr<std::string> token = NewRandomUrlToken();
    ASSERT_TRUE(token.ok());
    seen.insert(*token);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(Pkce, RandomTokenSizeIsBounded) {
  EXPECT_EQ(NewRandomUrlToken(0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NewRandomUrlToken(97).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace casus::oidc

// TOTP against RFC 4226 appendix D, RFC 6238 appendix B (SHA-1) and base32
// against RFC 4648 §10; the skew window and the otpauth URI.
#include "app/auth/totp.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace casus::app::auth {
namespace {

TimePoint At(std::int64_t unix_seconds) { return TimePoint(std::chrono::seconds(unix_seconds)); }

const std::string kRfcSeed = "12345678901234567890";  // the RFC 4226 / 6238 SHA-1 key (ASCII)

TEST(Base32, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},           {"f", "MY======"},         {"fo", "MZXQ===="}, {"foo", "MZXW6==="},
      {"foob", "MZXW6YQ="}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI======"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32Encode(plain), encoded) << plain;
    auto decoded = Base32Decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base32, DecodeAcceptsLowerCaseAndNoPaddingRefusesJunk) {
  EXPECT_EQ(Base32Decode("mzxw6ytboi").value_or("?"), "foobar");
  EXPECT_EQ(Base32Decode("MZXW6YQ").value_or("?"), "foob");
  EXPECT_FALSE(Base32Decode("MZXW6YQ1"));   // '1' is not in the alphabet
  EXPECT_FALSE(Base32Decode("MZ=XW6YQ"));   // padding in the middle
  EXPECT_FALSE(Base32Decode("M"));          // 5 bits cannot be a byte
  EXPECT_FALSE(Base32Decode("MZXW6Y=="));   // a 6-character quantum does not exist
  EXPECT_FALSE(Base32Decode("MZXW 6YQ="));
}

// liboath's decoder skips spaces and takes padding between quanta; the
// stricter RFC 4648 grammar of Base32Decode is checked before it.
TEST(Base32, DecodeStaysStricterThanLiboath) {
  EXPECT_FALSE(Base32Decode(" MZXW6YQ"));
  EXPECT_FALSE(Base32Decode("MZXW6Y Q"));
  EXPECT_FALSE(Base32Decode("MZXW6YQ=MY======"));
  EXPECT_FALSE(Base32Decode(std::string_view("MZXW6YQ\0", 8)));
  EXPECT_EQ(Base32Decode("mZxW6ytBOI").value_or("?"), "foobar");
}

TEST(Hotp, Rfc4226AppendixD) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < 10; ++counter)
    EXPECT_EQ(Hotp(kRfcSeed, counter, 6), expected[counter]) << counter;
}

TEST(Totp, Rfc6238AppendixBSha1EightDigits) {
  const std::string secret = Base32Encode(kRfcSeed);
  const std::pair<std::int64_t, const char*> vectors[] = {{59, "94287082"},
                                                          {1111111109, "07081804"},
                                                          {1111111111, "14050471"},
                                                          {1234567890, "89005924"},
                                                          {2000000000, "69279037"},
                                                          {20000000000, "65353130"}};
  for (const auto& [t, code] : vectors) {
    EXPECT_EQ(TotpCodeAt(secret, TotpStep(At(t)), 8).value_or("?"), code) << t;
    EXPECT_EQ(VerifyTotp(secret, code, At(t), 1, 8), TotpStep(At(t))) << t;
  }
}

TEST(Totp, SixDigitsAreTheLastSixOfTheSameTruncation) {
  const std::string secret = Base32Encode(kRfcSeed);
  EXPECT_EQ(TotpCodeAt(secret, TotpStep(At(59))).value_or("?"), "287082");
  EXPECT_EQ(TotpCodeAt(secret, TotpStep(At(1111111109))).value_or("?"), "081804");  // leading zero kept
}

TEST(Totp, OneStepOfSkewEachWayTwoRefused) {
  const std::string secret = Base32Encode(kRfcSeed);
  const TimePoint now = At(1111111111);
  const std::int64_t step = TotpStep(now);
  for (int offset : {-1, 0, 1}) {
    auto code = TotpCodeAt(secret, step + offset);
    ASSERT_TRUE(code);
    EXPECT_EQ(VerifyTotp(secret, *code, now), step + offset) << offset;
  }
  for (int offset : {-2, 2}) {
    auto code = TotpCodeAt(secret, step + offset);
    ASSERT_TRUE(code);
    EXPECT_FALSE(VerifyTotp(secret, *code, now)) << offset;
  }
}

TEST(Totp, MalformedCodesAndSecretsAreRefused) {
  const std::string secret = Base32Encode(kRfcSeed);
  const TimePoint now = At(59);
  EXPECT_FALSE(VerifyTotp(secret, "", now));
  EXPECT_FALSE(VerifyTotp(secret, "28708", now));
  EXPECT_FALSE(VerifyTotp(secret, "2870820", now));
  EXPECT_FALSE(VerifyTotp(secret, "28708a", now));
  EXPECT_FALSE(VerifyTotp(secret, " 287082", now));
  EXPECT_FALSE(VerifyTotp("", "287082", now));
  EXPECT_FALSE(VerifyTotp("not base32!", "287082", now));
  EXPECT_TRUE(VerifyTotp(secret, "287082", now));
}

// liboath computes 6, 7 or 8 digits only (oath_hotp_generate(3)); other
// lengths used to work by hand and are now refused, never mis-computed.
TEST(Totp, DigitsOutsideSixToEightAreRefused) {
  const std::string secret = Base32Encode(kRfcSeed);
  EXPECT_EQ(Hotp(kRfcSeed, 0, 7), "4755224");
  EXPECT_EQ(TotpCodeAt(secret, 1, 7).value_or("?"), "4287082");
  for (int digits : {0, 1, 5, 9, 10, -1}) {
    EXPECT_EQ(Hotp(kRfcSeed, 0, digits), "") << digits;
    EXPECT_FALSE(TotpCodeAt(secret, 1, digits)) << digits;
    EXPECT_FALSE(VerifyTotp(secret, std::string(static_cast<std::size_t>(std::max(digits, 0)), '0'), At(59), 1, digits))
        << digits;
  }
}

TEST(Totp, NegativeStepHasNoCode) { EXPECT_FALSE(TotpCodeAt(Base32Encode(kRfcSeed), -1)); }

TEST(Totp, NewSecretIs160BitsOfBase32) {
  auto a = NewTotpSecret();
  auto b = NewTotpSecret();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(Base32Decode(*a).value_or("").size(), 20u);
}

TEST(Totp, OtpauthUri) {
  EXPECT_EQ(OtpauthUri("Casus", "alice", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "otpauth://totp/Casus:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Casus&algorithm=SHA1&digits=6"
            "&period=30");
  EXPECT_EQ(OtpauthUri("Casus Test", "a&b", "MY======"),
            "otpauth://totp/Casus%20Test:a%26b?secret=MY&issuer=Casus%20Test&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace casus::app::auth

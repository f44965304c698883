// Argon2id hashing: round trip, refusals, and the production cost floor.
#include "app/auth/password.h"

#include <gtest/gtest.h>

#include "tests/support/password_cost.h"

namespace casus::app::auth {
namespace {

constexpr PasswordCost kCheap = ::casus::testing::kCheapPasswordCost;

TEST(Password, HashVerifiesAndWrongPasswordDoesNot) {
  auto hash = HashPassword("correct horse battery staple", kCheap);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapl", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
}

TEST(Password, SaltIsRandomPerHash) {
  auto a = HashPassword("same password here", kCheap);
  auto b = HashPassword("same password here", kCheap);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword("same password here", *a));
  EXPECT_TRUE(VerifyPassword("same password here", *b));
}

TEST(Password, GarbageOrForeignHashesNeverVerify) {
  auto hash = HashPassword("correct horse battery staple", kCheap);
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(VerifyPassword("x", ""));
  EXPECT_FALSE(VerifyPassword("x", "not a hash"));
  EXPECT_FALSE(VerifyPassword("correct horse battery staple", hash->substr(0, hash->size() - 5)));
  EXPECT_FALSE(VerifyPassword("correct horse battery staple", "$argon2id$v=19$m=64,t=1,p=1$$"));
  // Same parameters and salt but the argon2i variant: refused, not verified
  // with the weaker variant.
  std::string argon2i = *hash;
  argon2i.replace(0, 10, "$argon2i$");
  EXPECT_FALSE(VerifyPassword("correct horse battery staple", argon2i));
}

TEST(Password, NulBytesAndLongPasswordsAreHashedWhole) {
  const std::string with_nul = std::string("abc\0def-ghij-kl", 15);
  auto hash = HashPassword(with_nul, kCheap);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(with_nul, *hash));
  EXPECT_FALSE(VerifyPassword("abc", *hash));  // not truncated at the NUL
}

TEST(Password, UnusableCostIsRefused) {
  auto hash = HashPassword("correct horse battery staple", PasswordCost{0, 64, 1});
  EXPECT_EQ(hash.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(hash.status().message().find("correct"), std::string::npos);
}

TEST(Password, ProductionDefaultIsArgon2idWithAtLeastOwaspMemory) {
  EXPECT_GE(kDefaultPasswordCost.memory_kib, 19u * 1024u);  // OWASP: 19 MiB, t=2, p=1 at minimum
  EXPECT_GE(kDefaultPasswordCost.time_cost, 2u);
  EXPECT_GE(kDefaultPasswordCost.parallelism, 1u);
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=" + std::to_string(kDefaultPasswordCost.memory_kib) + ",t=" +
                            std::to_string(kDefaultPasswordCost.time_cost) + ",p=" +
                            std::to_string(kDefaultPasswordCost.parallelism) + "$",
                        0),
            0u)
      << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
}

}  // namespace
}  // namespace casus::app::auth

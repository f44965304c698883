#include "app/auth/password.h"

#include <argon2.h>

#include <array>
#include <vector>

#include "app/auth/tokens.h"

namespace casus::app::auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::string_view kPrefix = "$argon2id$";

}  // namespace

StatusOr<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  std::array<unsigned char, kSaltBytes> salt{};
  RETURN_IF_ERROR(RandomBytes(salt));
  const std::size_t length =
      argon2_encodedlen(cost.time_cost, cost.memory_kib, cost.parallelism, kSaltBytes, kHashBytes, Argon2_id);
  std::vector<char> encoded(length);
  const int rc = argon2id_hash_encoded(cost.time_cost, cost.memory_kib, cost.parallelism, password.data(),
                                       password.size(), salt.data(), salt.size(), kHashBytes, encoded.data(),
                                       encoded.size());
  // The message names libargon2's reason (a cost bound), never the input.
  if (rc != ARGON2_OK) return Status::InvalidArgument(std::string("argon2id: ") + argon2_error_message(rc));
  return std::string(encoded.data());
}

bool VerifyPassword(std::string_view password, const std::string& encoded) {
  // Only Argon2id: an argon2i/argon2d string (or anything else) is refused
  // rather than verified with a weaker variant.
  if (encoded.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace casus::app::auth

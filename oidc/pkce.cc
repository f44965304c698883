#include "oidc/pkce.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <new>
#include <vector>

#include "oidc/base64url.h"

namespace casus::oidc {
namespace {

constexpr std::size_t kPkceMaxRandomBytes = 96;

}  // namespace

StatusOr<std::string> NewRandomUrlToken(std::size_t bytes) {
  if (bytes == 0 || bytes > kPkceMaxRandomBytes) return Status::InvalidArgument("random token size out of range");
  std::vector<unsigned char> random(bytes);
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) return Status::Internal("CSPRNG failure");
  std::string token = EncodeBase64Url(random);
  OPENSSL_cleanse(random.data(), random.size());
  return token;
}

std::string CodeChallengeS256(std::string_view verifier) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // SHA-256 fails only when memory runs out; report it as std::string would.
  if (EVP_Digest(verifier.data(), verifier.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::bad_alloc();
  }
  return EncodeBase64Url(std::span<const unsigned char>(digest.data(), length));
}

}  // namespace casus::oidc

#include "app/auth/totp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "app/auth/tokens.h"

namespace casus::app::auth {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

// Wipes decoded key material when it goes out of scope.
struct ScrubbedString {
  std::string value;
  ~ScrubbedString() {
    if (!value.empty()) OPENSSL_cleanse(value.data(), value.size());
  }
};

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 31];
  while (out.size() % 8 != 0) out += '=';
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  // Padding only at the end, and only as much as a final quantum can need.
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] == '=') --end;
  const std::size_t padding = text.size() - end;
  if (padding > 0 && (text.size() % 8 != 0 || padding > 6)) return std::nullopt;
  // A final quantum of 1, 3, 6 characters cannot come from whole bytes.
  const std::size_t tail = end % 8;
  if (tail == 1 || tail == 3 || tail == 6) return std::nullopt;
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < end; ++i) {
    const int v = Base32Value(text[i]);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

StatusOr<std::string> NewTotpSecret() {
  std::array<unsigned char, kTotpSecretBytes> bytes{};
  RETURN_IF_ERROR(RandomBytes(bytes));
  std::string encoded = Base32Encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  OPENSSL_cleanse(bytes.data(), bytes.size());
  // 20 bytes are exactly 32 characters: no padding to strip, but be explicit.
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  return encoded;
}

std::int64_t TotpStep(TimePoint t, int period_seconds) {
  const std::int64_t seconds = t.time_since_epoch().count();
  // Floor division: steps before 1970 stay monotonic (never used, but correct).
  std::int64_t step = seconds / period_seconds;
  if (seconds % period_seconds != 0 && seconds < 0) --step;
  return step;
}

std::string Hotp(std::string_view key, std::uint64_t counter, int digits) {
  if (digits < 1 || digits > 9) return std::string();
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_length = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), mac.data(),
           &mac_length) == nullptr ||
      mac_length != 20) {
    return std::string();
  }
  // RFC 4226 §5.3 dynamic truncation.
  const unsigned offset = mac[19] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  OPENSSL_cleanse(mac.data(), mac.size());
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::optional<std::string> TotpCodeAt(std::string_view base32_secret, std::int64_t step, int digits) {
  auto key = Base32Decode(base32_secret);
  if (!key || key->empty() || step < 0) return std::nullopt;
  ScrubbedString scrub{std::move(*key)};
  return Hotp(scrub.value, static_cast<std::uint64_t>(step), digits);
}

std::optional<std::int64_t> VerifyTotp(std::string_view base32_secret, std::string_view code, TimePoint now,
                                       int skew_steps, int digits) {
  if (digits < 1 || digits > 9 || code.size() != static_cast<std::size_t>(digits)) return std::nullopt;
  for (char c : code)
    if (c < '0' || c > '9') return std::nullopt;
  auto key = Base32Decode(base32_secret);
  if (!key || key->empty()) return std::nullopt;
  ScrubbedString scrub{std::move(*key)};
  const std::int64_t current = TotpStep(now);
  std::optional<std::int64_t> matched;
  // No early exit: the time taken does not tell which step matched.
  for (std::int64_t step = current - skew_steps; step <= current + skew_steps; ++step) {
    if (step < 0) continue;
    const std::string expected = Hotp(scrub.value, static_cast<std::uint64_t>(step), digits);
    if (expected.size() == code.size() && CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0)
      matched = step;
  }
  return matched;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view base32_secret) {
  std::string secret(base32_secret);
  while (!secret.empty() && secret.back() == '=') secret.pop_back();
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) + "?secret=" + secret +
         "&issuer=" + PercentEncode(issuer) + "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpPeriodSeconds);
}

}  // namespace casus::app::auth

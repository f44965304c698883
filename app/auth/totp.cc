// The HOTP computation and the base32 codec come from liboath (OATH
// Toolkit); this file keeps what liboath does not decide for us: the strict
// base32 grammar, the step arithmetic, the constant-time "highest matching
// step" search and scrubbing of key material.
#include "app/auth/totp.h"

#include <liboath/oath.h>
#include <openssl/crypto.h>

#include <array>
#include <cstdlib>

#include "app/auth/tokens.h"

namespace casus::app::auth {
namespace {

// liboath supports 6, 7 and 8 digits only (oath_hotp_generate(3)).
constexpr int kOathMinDigits = 6;
constexpr int kOathMaxDigits = 8;

bool OathDigitsSupported(int digits) { return digits >= kOathMinDigits && digits <= kOathMaxDigits; }

// oath_init() once per process, on first use. Its manual neither promises
// reference counting nor thread safety, so a function-local static (whose
// initialisation C++ serialises) makes the one call. oath_done() is never
// called: other threads may still be verifying codes while the process
// exits. (Debian's build uses gnulib's crypto, for which both are no-ops.)
bool OathReady() {
  static const bool ready = oath_init() == OATH_OK;
  return ready;
}

// A buffer liboath allocated with malloc: wiped, then freed.
struct OathBuffer {
  char* data = nullptr;
  std::size_t size = 0;
  OathBuffer() = default;
  OathBuffer(const OathBuffer&) = delete;
  OathBuffer& operator=(const OathBuffer&) = delete;
  ~OathBuffer() {
    if (data == nullptr) return;
    OPENSSL_cleanse(data, size);
    std::free(data);
  }
};

// Wipes decoded key material when it goes out of scope.
struct ScrubbedString {
  std::string value;
  ~ScrubbedString() {
    if (!value.empty()) OPENSSL_cleanse(value.data(), value.size());
  }
};

bool IsBase32Character(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

// The RFC 4648 grammar this API promises, checked before liboath decodes.
// liboath is laxer: it skips spaces ("MZXW 6YQ=") and accepts padding
// between quanta ("MZXW6YQ=MY======"). A secret that only decodes by such
// leniency is more likely mangled than meant, so the stricter rule stays.
bool IsStrictBase32(std::string_view text) {
  // Padding only at the end, and only as much as a final quantum can need.
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] == '=') --end;
  const std::size_t padding = text.size() - end;
  if (padding > 0 && (text.size() % 8 != 0 || padding > 6)) return false;
  // A final quantum of 1, 3, 6 characters cannot come from whole bytes.
  const std::size_t tail = end % 8;
  if (tail == 1 || tail == 3 || tail == 6) return false;
  for (std::size_t i = 0; i < end; ++i)
    if (!IsBase32Character(text[i])) return false;
  return true;
}

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
  if (bytes.empty() || !OathReady()) return std::string();
  OathBuffer encoded;
  if (oath_base32_encode(bytes.data(), bytes.size(), &encoded.data, &encoded.size) != OATH_OK ||
      encoded.data == nullptr)
    return std::string();
  // The copy is the caller's; the library's buffer (a secret, for
  // NewTotpSecret) is wiped on the way out.
  return std::string(encoded.data, encoded.size);
}

std::optional<std::string> Base32Decode(std::string_view text) {
  if (!IsStrictBase32(text)) return std::nullopt;
  if (text.empty()) return std::string();
  if (!OathReady()) return std::nullopt;
  OathBuffer decoded;
  if (oath_base32_decode(text.data(), text.size(), &decoded.data, &decoded.size) != OATH_OK) return std::nullopt;
  if (decoded.data == nullptr) return std::string();
  return std::string(decoded.data, decoded.size);
}

StatusOr<std::string> NewTotpSecret() {
  std::array<unsigned char, kTotpSecretBytes> bytes{};
  RETURN_IF_ERROR(RandomBytes(bytes));
  std::string encoded = Base32Encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  OPENSSL_cleanse(bytes.data(), bytes.size());
  if (encoded.empty()) return Status::Internal("cannot encode a TOTP secret");
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
  if (!OathDigitsSupported(digits) || !OathReady()) return std::string();
  std::array<char, kOathMaxDigits + 1> otp{};
  const int rc = oath_hotp_generate(key.data(), key.size(), counter, static_cast<unsigned>(digits),
                                    /*add_checksum=*/false, OATH_HOTP_DYNAMIC_TRUNCATION, otp.data());
  std::string code = rc == OATH_OK ? std::string(otp.data(), static_cast<std::size_t>(digits)) : std::string();
  OPENSSL_cleanse(otp.data(), otp.size());
  return code;
}

std::optional<std::string> TotpCodeAt(std::string_view base32_secret, std::int64_t step, int digits) {
  if (!OathDigitsSupported(digits) || step < 0) return std::nullopt;
  auto key = Base32Decode(base32_secret);
  if (!key || key->empty()) return std::nullopt;
  ScrubbedString scrub{std::move(*key)};
  // TOTP is HOTP of the time step (RFC 6238 §4.2). The API speaks in steps,
  // so oath_hotp_generate is called with the step rather than converting it
  // back into a time for oath_totp_generate2.
  std::string code = Hotp(scrub.value, static_cast<std::uint64_t>(step), digits);
  if (code.empty()) return std::nullopt;
  return code;
}

std::optional<std::int64_t> VerifyTotp(std::string_view base32_secret, std::string_view code, TimePoint now,
                                       int skew_steps, int digits) {
  if (!OathDigitsSupported(digits) || code.size() != static_cast<std::size_t>(digits)) return std::nullopt;
  for (char c : code)
    if (c < '0' || c > '9') return std::nullopt;
  auto key = Base32Decode(base32_secret);
  if (!key || key->empty()) return std::nullopt;
  ScrubbedString scrub{std::move(*key)};
  const std::int64_t current = TotpStep(now);
  std::optional<std::int64_t> matched;
  // Not oath_totp_validate*: it stops at the first match, searching outward
  // from the current step, so its time tells which step matched and a code
  // valid for two steps yields the nearer one, not the highest that the
  // replay check (totp_last_step) needs. Here every candidate is computed
  // and compared in constant time, with no early exit.
  for (std::int64_t step = current - skew_steps; step <= current + skew_steps; ++step) {
    if (step < 0) continue;
    std::string expected = Hotp(scrub.value, static_cast<std::uint64_t>(step), digits);
    if (expected.size() == code.size() && CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0)
      matched = step;
    OPENSSL_cleanse(expected.data(), expected.size());
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

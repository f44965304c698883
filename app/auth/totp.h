// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) with
// HMAC-SHA1, as authenticator apps implement them, and the RFC 4648 base32
// their secrets are exchanged in. HOTP and base32 are liboath's (OATH
// Toolkit). Thread-safe (no state but liboath's one-time initialisation).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace casus::app::auth {

inline constexpr int kTotpDigits = 6;
inline constexpr int kTotpPeriodSeconds = 30;
inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits, RFC 4226 §4 recommendation

// RFC 4648 §6 base32 (A-Z2-7). Encoding pads with '='; decoding accepts
// upper or lower case, with or without padding, and refuses anything else.
std::string Base32Encode(std::string_view bytes);
std::optional<std::string> Base32Decode(std::string_view text);

// A new secret: kTotpSecretBytes random bytes, base32 without padding.
StatusOr<std::string> NewTotpSecret();

// The RFC 6238 time step of `t`: floor(unix seconds / period).
std::int64_t TotpStep(TimePoint t, int period_seconds = kTotpPeriodSeconds);

// RFC 4226 HOTP with HMAC-SHA1: dynamic truncation, `digits` decimal digits
// (6..8, what liboath supports), zero-padded; "" for other `digits`.
std::string Hotp(std::string_view key, std::uint64_t counter, int digits = kTotpDigits);

// The code for `base32_secret` at time step `step`; nullopt when the secret
// is not valid base32 or empty, the step negative or `digits` not 6..8.
std::optional<std::string> TotpCodeAt(std::string_view base32_secret, std::int64_t step, int digits = kTotpDigits);

// The step in [step(now) - skew, step(now) + skew] whose code equals `code`
// (the highest when several do), or nullopt. The caller refuses a step not
// above the last one accepted, so each code works once. Every candidate is
// computed and compared in constant time. nullopt for `digits` not 6..8.
std::optional<std::int64_t> VerifyTotp(std::string_view base32_secret, std::string_view code, TimePoint now,
                                       int skew_steps = 1, int digits = kTotpDigits);

// otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
// (Google Authenticator key URI format). Issuer and account are
// percent-encoded where needed.
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view base32_secret);

}  // namespace casus::app::auth

// Typed reads of JWT claims (RFC 7519 §4) from a verified payload. Each
// returns kNone and sets `out` when the claim is present with the right type,
// kNone with `out` left empty when absent, kMalformed otherwise, so that the
// rules in token_checks.cc can say what an absent claim means for them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/time.h"
#include "oidc/token_refusal.h"

namespace casus::oidc {

// A string of at most `max_bytes` bytes.
TokenRefusal ReadStringClaim(const boost::json::object& claims, std::string_view name, std::size_t max_bytes,
                             std::optional<std::string>& out);

// An array of strings (such as `amr`).
TokenRefusal ReadStringListClaim(const boost::json::object& claims, std::string_view name,
                                 std::optional<std::vector<std::string>>& out);

// `aud` (RFC 7519 §4.1.3): one string, or a non-empty array of strings.
TokenRefusal ReadAudienceClaim(const boost::json::object& claims, std::optional<std::vector<std::string>>& out);

// A NumericDate (RFC 7519 §2): a JSON number of seconds since 1970 up to the
// end of year 9999; fractions are truncated.
TokenRefusal ReadNumericDateClaim(const boost::json::object& claims, std::string_view name,
                                  std::optional<TimePoint>& out);

}  // namespace casus::oidc

#include "oidc/claim_reading.h"

#include <cmath>
#include <cstdint>
#include <utility>

namespace casus::oidc {
namespace {

namespace json = boost::json;

// 9999-12-31T23:59:59Z: beyond it a date is nonsense, and within it the
// arithmetic on sys_seconds cannot overflow.
constexpr std::int64_t kClaimReadingLastSecond = 253402300799;

}  // namespace

TokenRefusal ReadStringClaim(const json::object& claims, std::string_view name, std::size_t max_bytes,
                             std::optional<std::string>& out) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return TokenRefusal::kNone;
  const json::string* s = v->if_string();
  if (s == nullptr || s->size() > max_bytes) return TokenRefusal::kMalformed;
  out = std::string(*s);
  return TokenRefusal::kNone;
}

TokenRefusal ReadStringListClaim(const json::object& claims, std::string_view name,
                                 std::optional<std::vector<std::string>>& out) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return TokenRefusal::kNone;
  const json::array* list = v->if_array();
  if (list == nullptr) return TokenRefusal::kMalformed;
  std::vector<std::string> items;
  items.reserve(list->size());
  for (const json::value& item : *list) {
    const json::string* s = item.if_string();
    if (s == nullptr) return TokenRefusal::kMalformed;
    items.emplace_back(*s);
  }
  out = std::move(items);
  return TokenRefusal::kNone;
}

TokenRefusal ReadAudienceClaim(const json::object& claims, std::optional<std::vector<std::string>>& out) {
  const json::value* v = claims.if_contains("aud");
  if (v == nullptr) return TokenRefusal::kNone;
  if (const json::string* s = v->if_string()) {
    out = std::vector<std::string>{std::string(*s)};
    return TokenRefusal::kNone;
  }
  std::optional<std::vector<std::string>> list;
  if (const TokenRefusal r = ReadStringListClaim(claims, "aud", list); r != TokenRefusal::kNone) return r;
  if (list->empty()) return TokenRefusal::kMalformed;
  out = std::move(list);
  return TokenRefusal::kNone;
}

TokenRefusal ReadNumericDateClaim(const json::object& claims, std::string_view name, std::optional<TimePoint>& out) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return TokenRefusal::kNone;
  std::int64_t seconds = 0;
  if (const std::int64_t* i = v->if_int64()) {
    seconds = *i;
  } else if (const std::uint64_t* u = v->if_uint64()) {
    if (*u > static_cast<std::uint64_t>(kClaimReadingLastSecond)) return TokenRefusal::kMalformed;
    seconds = static_cast<std::int64_t>(*u);
  } else if (const double* d = v->if_double()) {
    if (!std::isfinite(*d) || *d < 0 || *d > static_cast<double>(kClaimReadingLastSecond)) {
      return TokenRefusal::kMalformed;
    }
    seconds = static_cast<std::int64_t>(*d);
  } else {
    return TokenRefusal::kMalformed;
  }
  if (seconds < 0 || seconds > kClaimReadingLastSecond) return TokenRefusal::kMalformed;
  out = TimePoint(std::chrono::seconds(seconds));
  return TokenRefusal::kNone;
}

}  // namespace casus::oidc

#include "engine/vocabulary.h"

#include <algorithm>

namespace casus::engine {

bool IsKnownRole(std::string_view role) { return std::ranges::find(kRoles, role) != std::end(kRoles); }

bool IsKnownOrgType(std::string_view org_type) {
  return std::ranges::find(kOrgTypes, org_type) != std::end(kOrgTypes);
}

bool IsValidCaseTypeId(std::string_view id) {
  constexpr std::size_t kMaxLength = 32;
  if (id.empty() || id.size() > kMaxLength || id[0] < 'a' || id[0] > 'z') return false;
  return std::ranges::all_of(id, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace casus::engine

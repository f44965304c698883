#include "engine/vocabulary.h"

#include <algorithm>

namespace casus::engine {

bool IsKnownRole(std::string_view role) { return std::ranges::find(kRoles, role) != std::end(kRoles); }

bool IsKnownOrgType(std::string_view org_type) {
  return std::ranges::find(kOrgTypes, org_type) != std::end(kOrgTypes);
}

}  // namespace casus::engine

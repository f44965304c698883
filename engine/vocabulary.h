// The closed vocabularies of the domain (DOMAIN.md §5): roles and
// organisation types. Workflow files name them as strings; loading refuses
// names not listed here.
#pragma once

#include <span>
#include <string_view>

namespace casus::engine {

// Staff roles plus "system", the actor of automatic consequences (deadlines).
inline constexpr std::string_view kRoles[] = {"meldpunt",     "regisseur",       "partner", "coordinator",
                                              "burgemeester", "privacy_officer", "admin",   "system"};

inline constexpr std::string_view kOrgTypes[] = {"gemeente",     "politie",      "om",   "ggz",
                                                 "veilig_thuis", "woningcorporatie", "halt", "jongerenwerk",
                                                 "reclassering", "zvh"};

inline constexpr std::string_view kCaseTypes[] = {"iaww", "jpp", "topx", "wvggz"};

bool IsKnownRole(std::string_view role);
bool IsKnownOrgType(std::string_view org_type);

}  // namespace casus::engine

// The closed vocabularies of the domain (DOMAIN.md §5): roles and
// organisation types. Workflow files name them as strings; loading refuses
// names not listed here. Case types are not a closed list: each workflow
// file defines one, and the loaded files are the types there are.
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

bool IsKnownRole(std::string_view role);
bool IsKnownOrgType(std::string_view org_type);

// A case type id as a workflow file may declare it: [a-z][a-z0-9_]{0,31}.
// It becomes part of URLs, stored rows and case numbers, so one short,
// predictable shape.
bool IsValidCaseTypeId(std::string_view id);

}  // namespace casus::engine

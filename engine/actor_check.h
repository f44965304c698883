// Who may take a step the workflow describes (opening, a transition,
// suspending a term): one of the roles it names, and, when it names
// organisation types, one of those.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"

namespace casus::engine {

bool RoleAdmitted(const std::vector<std::string>& allowed, const Actor& actor);
bool OrgAdmitted(const std::vector<std::string>& allowed, const Actor& actor);  // empty: any
// Role first, then organisation type: kRoleRefused or kOrgRefused
// (kPermissionDenied), naming who `what` is reserved for.
Status CheckActor(const std::vector<std::string>& roles, const std::vector<std::string>& org_types,
                  const Actor& actor, const std::string& what);

}  // namespace casus::engine

#include "engine/actor_check.h"

#include <algorithm>

#include "engine/refuse.h"

namespace casus::engine {
namespace {

// "a, b, c", as the refusals list roles and organisation types.
std::string JoinWithCommas(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

bool RoleAdmitted(const std::vector<std::string>& allowed, const Actor& actor) {
  return std::ranges::any_of(actor.roles,
                             [&](const std::string& r) { return std::ranges::find(allowed, r) != allowed.end(); });
}

bool OrgAdmitted(const std::vector<std::string>& allowed, const Actor& actor) {
  return allowed.empty() || std::ranges::find(allowed, actor.org_type) != allowed.end();
}

Status CheckActor(const std::vector<std::string>& roles, const std::vector<std::string>& org_types,
                  const Actor& actor, const std::string& what) {
  if (!RoleAdmitted(roles, actor))
    return Refuse(StatusCode::kPermissionDenied, Refusal::kRoleRefused,
                  what + " is reserved for role(s): " + JoinWithCommas(roles));
  if (!OrgAdmitted(org_types, actor))
    return Refuse(StatusCode::kPermissionDenied, Refusal::kOrgRefused,
                  what + " is reserved for organisation type(s): " + JoinWithCommas(org_types));
  return Status::Ok();
}

}  // namespace casus::engine

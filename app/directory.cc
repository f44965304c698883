#include "app/directory.h"

namespace casus::app {

StatusOr<std::vector<DirectoryEntry>> Directory::List(std::size_t max_organisations) {
  std::vector<storage::Organisation> orgs;
  std::vector<storage::User> users;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(orgs, tx.organisations().List());
    ASSIGN_OR_RETURN(users, tx.users().List());
    return Status::Ok();
  }));
  if (orgs.size() > max_organisations) orgs.resize(max_organisations);
  std::vector<DirectoryEntry> out;
  out.reserve(orgs.size());
  for (auto& org : orgs) {
    DirectoryEntry entry{std::move(org), {}};
    for (const auto& u : users)
      if (u.org_id == entry.organisation.id && !u.disabled) entry.staff.push_back({u.id, u.username, u.roles});
    out.push_back(std::move(entry));
  }
  return out;
}

StatusOr<OwnerProblem> Directory::CheckOwner(const std::string& org_id, const std::string& user_id) {
  OwnerProblem problem = OwnerProblem::kNone;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    auto org = tx.organisations().Get(org_id);
    if (!org.ok()) {
      if (org.status().code() != StatusCode::kNotFound) return org.status();
      problem = OwnerProblem::kUnknownOrganisation;
      return Status::Ok();
    }
    if (user_id.empty()) return Status::Ok();
    auto user = tx.users().Get(user_id);
    if (!user.ok()) {
      if (user.status().code() != StatusCode::kNotFound) return user.status();
      problem = OwnerProblem::kUnknownUser;
    } else if (user->org_id != org_id) {
      problem = OwnerProblem::kUserOfAnotherOrganisation;
    }
    return Status::Ok();
  }));
  return problem;
}

}  // namespace casus::app

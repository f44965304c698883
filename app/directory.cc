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

namespace {

Status OwnerProblem(const std::string& field, const std::string& message) {
  return Status(StatusCode::kInvalidArgument, field + ": " + message,
                StatusDetail{Refusal::kInvalidData, {}, {{field, message}}, ""});
}

}  // namespace

Status CheckOwner(storage::Transaction& tx, const std::string& org_field, const std::string& org_id,
                  const std::string& user_field, const std::string& user_id) {
  auto org = tx.organisations().Get(org_id);
  if (!org.ok()) {
    if (org.status().code() != StatusCode::kNotFound) return org.status();
    return OwnerProblem(org_field, "unknown organisation");
  }
  if (user_id.empty()) return Status::Ok();
  auto user = tx.users().Get(user_id);
  if (!user.ok()) {
    if (user.status().code() != StatusCode::kNotFound) return user.status();
    return OwnerProblem(user_field, "unknown user");
  }
  if (user->org_id != org_id) return OwnerProblem(user_field, "does not belong to that organisation");
  return Status::Ok();
}

}  // namespace casus::app

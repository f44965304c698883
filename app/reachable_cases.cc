#include "app/reachable_cases.h"

#include <set>
#include <vector>

namespace casus::app {
namespace {

constexpr int kTeamPage = 200;

}  // namespace

Status VisitReachableCaseIds(storage::Transaction& tx, const engine::Actor& actor, TimePoint now,
                             const std::string& after, ViaGrants via_grants,
                             const std::function<StatusOr<bool>(const std::string& case_id)>& visit) {
  // Grants are few (each one is reviewed by a privacy officer); they are
  // merged into the team's pages by id.
  std::set<std::string> granted;
  if (via_grants == ViaGrants::kYes) {
    ASSIGN_OR_RETURN(auto grants, tx.grants().ListActiveForUser(actor.user_id, now));
    for (const auto& g : grants)
      if (g.case_id > after) granted.insert(g.case_id);
  }
  std::string cursor = after;
  bool team_done = false;
  while (!team_done || !granted.empty()) {
    std::vector<std::string> page;
    if (!team_done) {
      ASSIGN_OR_RETURN(page, tx.team().CaseIdsFor(actor.org_id, actor.user_id, cursor, kTeamPage));
      team_done = static_cast<int>(page.size()) < kTeamPage;
    }
    // The granted ids up to this page's last id; all the rest after the team's last page.
    const auto end = team_done ? granted.end() : granted.upper_bound(page.back());
    std::set<std::string> ids(page.begin(), page.end());
    ids.insert(granted.begin(), end);
    granted.erase(granted.begin(), end);
    for (const auto& id : ids) {
      ASSIGN_OR_RETURN(bool more, visit(id));
      if (!more) return Status::Ok();
    }
    if (!page.empty()) cursor = page.back();
  }
  return Status::Ok();
}

}  // namespace casus::app

#include "app/reachable_cases.h"

#include <set>
#include <vector>

namespace casus::app {
namespace {

constexpr int kTeamPage = 200;

}  // namespace

Status VisitReachableCases(storage::Transaction& tx, const engine::Actor& actor, TimePoint now,
                           const storage::CaseFilter& filter, const Reach& reach,
                           const std::function<StatusOr<bool>(storage::CaseRecord)>& visit) {
  const std::string after = filter.after_id.value_or("");
  // Grants are few (each one is reviewed by a privacy officer); they are
  // merged into the team's pages by id.
  std::set<std::string> granted;
  if (reach.via_grants == ViaGrants::kYes) {
    ASSIGN_OR_RETURN(auto grants, tx.grants().ListActiveForUser(actor.user_id, now));
    for (const auto& g : grants)
      if (g.case_id > after) granted.insert(g.case_id);
  }
  std::string cursor = after;
  bool team_done = false;
  int looked_at = 0;
  while ((!team_done || !granted.empty()) && looked_at < reach.max_ids) {
    if (!cursor.empty() && reach.past_end && reach.past_end(cursor)) break;
    std::vector<std::string> page;
    if (!team_done) {
      ASSIGN_OR_RETURN(page, tx.team().CaseIdsFor(actor.org_id, actor.user_id, cursor, kTeamPage));
      team_done = static_cast<int>(page.size()) < kTeamPage;
    }
    if (!page.empty()) cursor = page.back();
    // The granted ids up to this page's last id; all the rest after the team's last page.
    const auto end = team_done ? granted.end() : granted.upper_bound(page.back());
    std::set<std::string> ids(page.begin(), page.end());
    ids.insert(granted.begin(), end);
    granted.erase(granted.begin(), end);
    looked_at += static_cast<int>(ids.size());
    ASSIGN_OR_RETURN(auto cases, tx.cases().ListAmong(std::vector<std::string>(ids.begin(), ids.end()), filter));
    for (auto& rec : cases) {
      ASSIGN_OR_RETURN(bool more, visit(std::move(rec)));
      if (!more) return Status::Ok();
    }
  }
  return Status::Ok();
}

}  // namespace casus::app

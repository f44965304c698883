#include "app/event_replay.h"

#include <algorithm>
#include <optional>

#include "app/case_access.h"

namespace casus::app {

StatusOr<std::map<std::string, TimePoint>> EventReplay::GrantExpiries(const std::string& user_id) {
  std::map<std::string, TimePoint> out;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto grants, tx.grants().ListActiveForUser(user_id, clock_.Now()));
    for (const auto& g : grants) out[g.case_id] = std::max(out[g.case_id], g.expires_at);
    return Status::Ok();
  }));
  return out;
}

StatusOr<MissedEvents> EventReplay::After(std::int64_t after, int limit) {
  MissedEvents out;
  out.last_examined = after;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    std::map<std::string, std::optional<engine::CaseAccessFacts>> facts_by_case;
    std::int64_t cursor = after;
    while (static_cast<int>(out.events.size()) < limit) {
      ASSIGN_OR_RETURN(auto batch, tx.events().ListAfter(cursor, 500));
      if (batch.empty()) return Status::Ok();
      for (const auto& e : batch) {
        cursor = out.last_examined = e.id;
        auto [it, inserted] = facts_by_case.try_emplace(e.case_id);
        if (inserted) {
          auto rec = tx.cases().Get(e.case_id);
          if (rec.ok()) {
            ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(e.case_id));
            it->second = FactsFor(*rec, team, /*break_glass_active=*/false);
          } else if (rec.status().code() != StatusCode::kNotFound) {
            return rec.status();
          }
        }
        if (!it->second) continue;  // case gone (retention): nothing to show
        out.events.push_back(ToPublished(e, *it->second));
        if (static_cast<int>(out.events.size()) >= limit) {
          out.truncated = true;
          break;
        }
      }
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace casus::app

// The cases an actor reaches outside a broad scope: through a team (their
// organisation as a whole, or by name) and, where asked, through an active
// break-the-glass grant. Visited in id order, one page of the team query at
// a time, so that a list page costs the rows it shows, not every case of
// the organisation (a gemeente is on the team of each of its cases).
#pragma once

#include <functional>
#include <string>

#include "common/status.h"
#include "common/time.h"
#include "engine/access_policy.h"
#include "storage/store.h"

namespace casus::app {

enum class ViaGrants { kNo, kYes };

struct Reach {
  ViaGrants via_grants = ViaGrants::kNo;
  // Bounds one call: at most this many reachable ids are looked at.
  int max_ids = 1'000'000;
  // When set and true for the last id looked at, no later id is wanted
  // (the caller's page is already decided); checked between pages.
  std::function<bool(const std::string& id)> past_end;
};

// Calls `visit` with each reachable case after `filter.after_id` that
// matches the filter's type, state and level, in id order and each once,
// until `visit` returns false, an error, or a bound of `reach` ends the walk.
// Access is the visitor's to decide.
Status VisitReachableCases(storage::Transaction& tx, const engine::Actor& actor, TimePoint now,
                           const storage::CaseFilter& filter, const Reach& reach,
                           const std::function<StatusOr<bool>(storage::CaseRecord)>& visit);

}  // namespace casus::app

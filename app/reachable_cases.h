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

// Calls `visit` with each reachable case id greater than `after` ("" for
// all), in id order and each once, until `visit` returns false or an error.
Status VisitReachableCaseIds(storage::Transaction& tx, const engine::Actor& actor, TimePoint now,
                             const std::string& after, ViaGrants via_grants,
                             const std::function<StatusOr<bool>(const std::string& case_id)>& visit);

}  // namespace casus::app

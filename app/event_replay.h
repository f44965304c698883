// What a live-event subscriber missed: the committed timeline rows after an
// event id, each with the access facts of its case, and the subscriber's
// break-the-glass grants. The stream decides need-to-know per event.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/event_bus.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace casus::app {

struct MissedEvents {
  std::vector<PublishedEvent> events;  // in commit (id) order
  bool truncated = false;              // more were missed than `limit`
  std::int64_t last_examined = 0;      // the last event id read, shown or not
};

class EventReplay {
 public:
  EventReplay(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Case id -> latest expiry of the user's active break-the-glass grants.
  StatusOr<std::map<std::string, TimePoint>> GrantExpiries(const std::string& user_id);

  // At most `limit` events after `after`. Facts carry
  // break_glass_active = false: grants are the subscriber's to apply.
  // Events of cases that are gone (retention) are left out.
  StatusOr<MissedEvents> After(std::int64_t after, int limit);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace casus::app

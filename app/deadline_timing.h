// When a running deadline warns, is overdue and is 3x late. Pure functions
// of the deadline, its due-soon lead time and the Dutch calendar, shared by
// the scheduler's scan and the write job that fires (so both agree).
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "engine/calendar.h"
#include "engine/engine.h"

namespace casus::app {

struct DeadlineMoments {
  TimePoint due_soon_at{};  // the warning; never before the term started
  TimePoint due_at{};       // overdue from here on (engine: due_at <= now)
  TimePoint late3_at{};     // Signalen's "3x late": three term lengths after the start
};

// The due-soon moment counts `lead` back from the due moment: hours
// exactly; calendar or working days by civil date in Amsterdam, keeping the
// time of day (a term ending at 24:00 on Tuesday with 2wd warns at 24:00 on
// the Friday before, when two working days remain).
DeadlineMoments MomentsFor(const engine::DeadlineState& d, const engine::DurationSpec& lead,
                           const engine::DutchCalendar& calendar);

// The firing kinds ("due_soon", "overdue", "late3") whose moment has come
// at `now`. A warning for a term already overdue would only be noise: once
// overdue, due_soon is no longer listed. A suspended term lists none.
std::vector<std::string> KindsDue(const engine::DeadlineState& d, const engine::DurationSpec& lead,
                                  const engine::DutchCalendar& calendar, TimePoint now);

// A due_at bound for the scheduler's query: a deadline due at or after it
// cannot warn yet at `now` under `lead`.
TimePoint ScanBound(TimePoint now, const engine::DurationSpec& lead, const engine::DutchCalendar& calendar);

}  // namespace casus::app

// The civil (wall-clock) time of the zone every term is kept in,
// Europe/Amsterdam. The engine does no I/O, so the zone's rules come in
// through this interface: tz/ implements it from the system's tz database
// (date/tz, Debian tzdata) and `main` loads it once at startup.
// Implementations must be thread-safe and do no I/O once constructed.
#pragma once

#include <chrono>

#include "common/time.h"

namespace casus::engine {

class CivilTime {
 public:
  virtual ~CivilTime() = default;

  // The offset from UTC in force at `utc` (Amsterdam: +1 h CET, +2 h CEST).
  virtual std::chrono::seconds UtcOffset(TimePoint utc) const = 0;

  // The UTC instant at which civil date `d` begins (00:00 local). Were
  // 00:00 skipped by a switch, the first instant of the day; were it
  // repeated, the earlier one.
  virtual TimePoint StartOfDay(Date d) const = 0;
};

}  // namespace casus::engine

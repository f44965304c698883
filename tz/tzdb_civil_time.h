// Civil time of a zone of the system's tz database (Debian tzdata, in
// /usr/share/zoneinfo), read with Howard Hinnant's date/tz. This is where
// the engine's CivilTime meets the operating system; everything after
// Load is pure computation over data already in memory.
#pragma once

#include <memory>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "engine/civil_time.h"

namespace date {
class time_zone;
}

namespace casus::tz {

// The zone of every term (Europe/Amsterdam, DOMAIN.md).
inline constexpr std::string_view kAmsterdam = "Europe/Amsterdam";

class TzdbCivilTime final : public engine::CivilTime {
 public:
  // Finds `zone` and reads its transitions now, so that no later call does
  // I/O. FailedPrecondition, naming the zone and the tzdata package, when
  // the database or the zone is missing or unreadable. Instants after the
  // last transition in the zone's file (2037 in Debian's "fat" tzdata)
  // keep the last offset: date/tz does not read the file's rule for later
  // years.
  static StatusOr<std::unique_ptr<const TzdbCivilTime>> Load(std::string_view zone);

  std::chrono::seconds UtcOffset(TimePoint utc) const override;
  TimePoint StartOfDay(Date d) const override;

 private:
  explicit TzdbCivilTime(const date::time_zone* zone) : zone_(zone) {}
  const date::time_zone* zone_;  // owned by date/tz's process-wide database
};

// Europe/Amsterdam for the whole process: loaded on the first call
// (thread-safe) and kept, so every call returns the same answer, an error
// included. Also refused: a "slim" file, which date/tz would read as winter
// time all year. `casus` calls it at startup and refuses to start on an
// error.
StatusOr<const engine::CivilTime*> LoadAmsterdam();

// The same zone, for code that cannot run without it and comes after the
// startup check (the services' composition root, tests). Ends the process
// with the load error on stderr when the zone cannot be loaded.
const engine::CivilTime& Amsterdam();

}  // namespace casus::tz

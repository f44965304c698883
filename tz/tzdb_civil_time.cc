#include "tz/tzdb_civil_time.h"

#include <date/tz.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace casus::tz {
namespace {

std::string TzdbTrimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

Status TzdbLoadError(std::string_view zone, const std::string& why) {
  return Status::FailedPrecondition("cannot load time zone \"" + std::string(zone) +
                                    "\" from the system tz database (/usr/share/zoneinfo, Debian package tzdata): " +
                                    why);
}

}  // namespace

StatusOr<std::unique_ptr<const TzdbCivilTime>> TzdbCivilTime::Load(std::string_view zone_name) {
  try {
    const date::time_zone* zone = date::locate_zone(zone_name);
    // date/tz reads a zone's file on its first query: query it here, so a
    // missing or damaged file fails at startup and no later call reads.
    static_cast<void>(zone->get_info(date::sys_days{date::year{2000} / 1 / 1}));
    return std::unique_ptr<const TzdbCivilTime>(new TzdbCivilTime(zone));
  } catch (const std::exception& e) {
    return TzdbLoadError(zone_name, TzdbTrimmed(e.what()));
  }
}

std::chrono::seconds TzdbCivilTime::UtcOffset(TimePoint utc) const { return zone_->get_info(utc).offset; }

TimePoint TzdbCivilTime::StartOfDay(Date d) const {
  const date::local_days midnight{date::days{std::chrono::sys_days{d}.time_since_epoch().count()}};
  // choose::earliest: a repeated midnight begins the day at its first
  // occurrence; a skipped one at the switch (to_sys then returns it).
  return std::chrono::time_point_cast<std::chrono::seconds>(zone_->to_sys(midnight, date::choose::earliest));
}

namespace {

StatusOr<std::unique_ptr<const TzdbCivilTime>> TzdbLoadCheckedAmsterdam() {
  ASSIGN_OR_RETURN(std::unique_ptr<const TzdbCivilTime> zone, TzdbCivilTime::Load(kAmsterdam));
  // A "slim" zone file records transitions only until the current rule
  // began (1996) and leaves the rest to a POSIX footer that date/tz does
  // not read: it would keep winter time all year. Amsterdam kept summer
  // time on 1 July 2020, whatever becomes of summer time later.
  const TimePoint summer_2020{std::chrono::sys_days{std::chrono::year{2020} / std::chrono::July / 1}};
  if (zone->UtcOffset(summer_2020) != std::chrono::hours{2})
    return TzdbLoadError(kAmsterdam, "its file gives no summer time on 1 July 2020 (a \"slim\" file without the "
                                     "transitions after 1996?)");
  return zone;
}

}  // namespace

StatusOr<const engine::CivilTime*> LoadAmsterdam() {
  static const StatusOr<std::unique_ptr<const TzdbCivilTime>> loaded = TzdbLoadCheckedAmsterdam();
  if (!loaded.ok()) return loaded.status();
  return static_cast<const engine::CivilTime*>(loaded->get());
}

const engine::CivilTime& Amsterdam() {
  auto zone = LoadAmsterdam();
  if (!zone.ok()) {
    std::fprintf(stderr, "casus: %s\n", zone.status().message().c_str());
    std::abort();
  }
  return **zone;
}

}  // namespace casus::tz

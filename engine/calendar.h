// Dutch working-day calendar and Europe/Amsterdam civil time.
// Working days are Monday–Friday minus the holidays of the Algemene
// termijnenwet: Nieuwjaarsdag, Tweede Paasdag, Hemelvaartsdag and Tweede
// Pinksterdag (Easter-based), Koningsdag (27 April, 26 April when the 27th
// is a Sunday), Bevrijdingsdag (5 May, configurable), Eerste and Tweede
// Kerstdag. Goede Vrijdag is no day off and is not counted here; the Atw
// equates it with a holiday only for its own terms (see AtwHolidaysIn).
// Civil time comes from the injected CivilTime (the tz database, tz/): the
// calendar keeps a pointer to it, which must outlive the calendar.
// Thread-safe: all methods are const and pure.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "engine/civil_time.h"
#include "engine/duration.h"

namespace casus::engine {

struct CalendarOptions {
  // The Algemene termijnenwet counts 5 May every year; many collective
  // agreements give the day off only every fifth year (2025, 2030, ...).
  enum class Bevrijdingsdag { kNever, kLustrumOnly, kEveryYear };
  Bevrijdingsdag bevrijdingsdag = Bevrijdingsdag::kEveryYear;
};

struct Holiday {
  Date date;
  std::string name;  // Dutch name, e.g. "Tweede Paasdag"
};

class DutchCalendar {
 public:
  explicit DutchCalendar(const CivilTime& civil_time, CalendarOptions options = {});

  static Date EasterSunday(int year);  // Gregorian computus, any year 1583..9999
  std::vector<Holiday> HolidaysIn(int year) const;  // sorted by date
  bool IsHoliday(Date d) const;
  bool IsWorkingDay(Date d) const;  // Mon–Fri and not a holiday
  // The n-th working day strictly after `from` (n >= 1).
  Date AddWorkingDays(Date from, int n) const;

  // The days on which a term of the Algemene termijnenwet may not end
  // (art. 1 and 3 Atw): Saturdays, Sundays, the holidays above with 5 May
  // in every year whatever the options say, and Goede Vrijdag (art. 3(2)).
  // Days designated by decree under art. 3(3) are not known in advance and
  // are not counted. Sorted by date.
  static std::vector<Holiday> AtwHolidaysIn(int year);
  static bool IsAtwRestDay(Date d);

  // Europe/Amsterdam, from the injected tz rules.
  std::chrono::seconds AmsterdamOffset(TimePoint utc) const;
  Date LocalDate(TimePoint utc) const;
  // The UTC instant of 00:00 Amsterdam time at the start of civil date d.
  TimePoint StartOfLocalDay(Date d) const;
  // The UTC instant of 24:00 Amsterdam time at the end of civil date d.
  TimePoint EndOfLocalDay(Date d) const;

  // When a term of `duration` started at `start` ends:
  //  - hours: start + n hours, exactly;
  //  - calendar days: end of the local day n days after start's local date;
  //  - working days: end of the local day that is the n-th working day after start's local date.
  // `atw`: the term is one of the Algemene termijnenwet. A term of calendar
  // days (or weeks) that would end on an Atw rest day runs on to the end of
  // the next day that is not one (art. 1), and one of 3 days or more is
  // extended until it holds at least two such days (art. 2). Terms in hours
  // and in working days are never moved.
  TimePoint DueAt(TimePoint start, const DurationSpec& duration, bool atw = false) const;

  // Opschorting. The time from `from` to `until` in the unit of `term`:
  //  - hours: whole seconds;
  //  - calendar days: the days after from's local date up to and including
  //    until's local date (a suspension within one day adds none);
  //  - working days: the working days among those days.
  std::int64_t SuspendedUnits(const DurationSpec& term, TimePoint from, TimePoint until) const;
  // The end of `term` started at `start` and extended by `extended_by` of
  // its own unit (as SuspendedUnits counts them), under the same rules as
  // DueAt, Algemene termijnenwet included.
  TimePoint ExtendedDueAt(TimePoint start, const DurationSpec& term, std::int64_t extended_by, bool atw) const;

 private:
  const CivilTime* civil_time_;  // not owned
  CalendarOptions options_;
};

}  // namespace casus::engine

// Dutch working-day calendar and Europe/Amsterdam civil time.
// Working days are Monday–Friday minus the holidays of the Algemene
// termijnenwet: Nieuwjaarsdag, Tweede Paasdag, Hemelvaartsdag and Tweede
// Pinksterdag (Easter-based), Koningsdag (27 April, 26 April when the 27th
// is a Sunday), Bevrijdingsdag (5 May, configurable), Eerste and Tweede
// Kerstdag. Goede Vrijdag is not a general holiday and is not counted.
// Thread-safe: all methods are const and pure.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
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
  explicit DutchCalendar(CalendarOptions options = {});

  static Date EasterSunday(int year);  // Gregorian computus, any year 1583..9999
  std::vector<Holiday> HolidaysIn(int year) const;  // sorted by date
  bool IsHoliday(Date d) const;
  bool IsWorkingDay(Date d) const;  // Mon–Fri and not a holiday
  // The n-th working day strictly after `from` (n >= 1).
  Date AddWorkingDays(Date from, int n) const;

  // Europe/Amsterdam: UTC+1, UTC+2 from the last Sunday of March 01:00 UTC
  // until the last Sunday of October 01:00 UTC (EU rule).
  static std::chrono::seconds AmsterdamOffset(TimePoint utc);
  static Date LocalDate(TimePoint utc);
  // The UTC instant of 24:00 Amsterdam time at the end of civil date d.
  static TimePoint EndOfLocalDay(Date d);

  // When a term of `duration` started at `start` ends:
  //  - hours: start + n hours, exactly;
  //  - calendar days: end of the local day n days after start's local date;
  //  - working days: end of the local day that is the n-th working day after start's local date.
  TimePoint DueAt(TimePoint start, const DurationSpec& duration) const;

 private:
  CalendarOptions options_;
};

}  // namespace casus::engine

#include "engine/calendar.h"

#include <algorithm>
#include <utility>

namespace casus::engine {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

Date AddDays(Date d, int n) { return Date{sys_days{d} + days{n}}; }

// Whether 5 May is a day off in `year` under the configured policy.
bool BevrijdingsdagApplies(CalendarOptions::Bevrijdingsdag policy, int year) {
  switch (policy) {
    case CalendarOptions::Bevrijdingsdag::kNever:
      return false;
    case CalendarOptions::Bevrijdingsdag::kLustrumOnly:
      return year % 5 == 0;
    case CalendarOptions::Bevrijdingsdag::kEveryYear:
      return true;
  }
  return true;
}

// The instant the EU summer-time rule switches in `month` of `year`:
// the last Sunday of that month at 01:00 UTC.
sys_days LastSunday(std::chrono::year y, std::chrono::month m) {
  return sys_days{std::chrono::year_month_weekday_last{y, m, std::chrono::weekday_last{std::chrono::Sunday}}};
}

}  // namespace

DutchCalendar::DutchCalendar(CalendarOptions options) : options_(options) {}

Date DutchCalendar::EasterSunday(int year) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher). Integer-only and
  // valid for every Gregorian year, so no lookup table is needed.
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
              std::chrono::day{static_cast<unsigned>(day)}};
}

std::vector<Holiday> DutchCalendar::HolidaysIn(int year) const {
  // Only the days the Algemene termijnenwet names are listed. Eerste Paasdag
  // and Eerste Pinksterdag are left out on purpose: they are always Sundays,
  // so they never change a working-day count, and listing them would make
  // IsHoliday disagree with the statute for anyone who uses it directly.
  //
  // Koningsdag has been 27 April since 2014 (Koninginnedag on 30 April
  // before that); the calendar applies the current rule to every year
  // because terms are only computed for present-day dates.
  const std::chrono::year y{year};
  const Date easter = EasterSunday(year);
  const Date april27 = y / std::chrono::April / 27;
  const Date koningsdag =
      std::chrono::weekday{sys_days{april27}} == std::chrono::Sunday ? AddDays(april27, -1) : april27;

  std::vector<Holiday> holidays;
  holidays.push_back({y / std::chrono::January / 1, "Nieuwjaarsdag"});
  holidays.push_back({AddDays(easter, 1), "Tweede Paasdag"});
  holidays.push_back({koningsdag, "Koningsdag"});
  if (BevrijdingsdagApplies(options_.bevrijdingsdag, year)) {
    holidays.push_back({y / std::chrono::May / 5, "Bevrijdingsdag"});
  }
  holidays.push_back({AddDays(easter, 39), "Hemelvaartsdag"});
  holidays.push_back({AddDays(easter, 50), "Tweede Pinksterdag"});
  holidays.push_back({y / std::chrono::December / 25, "Eerste Kerstdag"});
  holidays.push_back({y / std::chrono::December / 26, "Tweede Kerstdag"});

  // Hemelvaartsdag moves between 30 April and 3 June, so it can come before
  // or even coincide with Bevrijdingsdag (both on 5 May in 2005 and 2016).
  // Coinciding days are both kept: each is a distinct holiday with its own
  // name, and the stable sort keeps their order deterministic.
  std::stable_sort(holidays.begin(), holidays.end(),
                   [](const Holiday& a, const Holiday& b) { return sys_days{a.date} < sys_days{b.date}; });
  return holidays;
}

bool DutchCalendar::IsHoliday(Date d) const {
  const auto holidays = HolidaysIn(static_cast<int>(d.year()));
  return std::any_of(holidays.begin(), holidays.end(), [&](const Holiday& h) { return h.date == d; });
}

bool DutchCalendar::IsWorkingDay(Date d) const {
  const std::chrono::weekday wd{sys_days{d}};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
  return !IsHoliday(d);
}

Date DutchCalendar::AddWorkingDays(Date from, int n) const {
  // n < 1 violates the precondition; returning `from` unchanged is the least
  // surprising answer and keeps the loop below from running forever.
  if (n < 1) return from;
  // Terms are at most 3650 working days (~14 years), so walking day by day
  // is cheap. The holiday list is computed once per year rather than per day.
  int year = static_cast<int>(from.year());
  std::vector<Holiday> holidays = HolidaysIn(year);
  sys_days day{from};
  while (n > 0) {
    day += days{1};
    const Date date{day};
    if (static_cast<int>(date.year()) != year) {
      year = static_cast<int>(date.year());
      holidays = HolidaysIn(year);
    }
    const std::chrono::weekday wd{day};
    if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) continue;
    if (std::any_of(holidays.begin(), holidays.end(), [&](const Holiday& h) { return h.date == date; })) continue;
    --n;
  }
  return Date{day};
}

std::chrono::seconds DutchCalendar::AmsterdamOffset(TimePoint utc) {
  // Both switches happen at 01:00 UTC, well inside the UTC year, so the UTC
  // calendar year of the instant selects the right pair of switch moments.
  const std::chrono::year y = Date{std::chrono::floor<days>(utc)}.year();
  const TimePoint summer_start = LastSunday(y, std::chrono::March) + std::chrono::hours{1};
  const TimePoint summer_end = LastSunday(y, std::chrono::October) + std::chrono::hours{1};
  if (utc >= summer_start && utc < summer_end) return std::chrono::hours{2};
  return std::chrono::hours{1};
}

Date DutchCalendar::LocalDate(TimePoint utc) {
  return Date{std::chrono::floor<days>(utc + AmsterdamOffset(utc))};
}

TimePoint DutchCalendar::EndOfLocalDay(Date d) {
  // 24:00 local on d is 00:00 local on d+1, i.e. next_midnight - offset,
  // where the offset is the one in force at that very instant. That instant
  // lies at 22:00 or 23:00 UTC on d, and the EU switches happen at 01:00
  // UTC, so no switch falls between it and 00:00 UTC on d+1: the offset at
  // 00:00 UTC on d+1 is the right one, also on the days of the switch.
  const TimePoint next_midnight{sys_days{d} + days{1}};
  return next_midnight - AmsterdamOffset(next_midnight);
}

TimePoint DutchCalendar::DueAt(TimePoint start, const DurationSpec& duration) const {
  switch (duration.unit) {
    case DurationSpec::Unit::kHours:
      return start + std::chrono::hours{duration.amount};
    case DurationSpec::Unit::kCalendarDays:
      return EndOfLocalDay(AddDays(LocalDate(start), duration.amount));
    case DurationSpec::Unit::kWorkingDays:
      return EndOfLocalDay(AddWorkingDays(LocalDate(start), duration.amount));
  }
  return start;
}

}  // namespace casus::engine

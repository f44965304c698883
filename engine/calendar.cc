#include "engine/calendar.h"

#include <algorithm>
#include <cstdint>
#include <limits>
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

// The holidays of `year` under a 5 May policy; Goede Vrijdag only for the
// Algemene termijnenwet (art. 3(2) Atw). Sorted by date.
std::vector<Holiday> HolidaysFor(int year, CalendarOptions::Bevrijdingsdag bevrijdingsdag, bool goede_vrijdag) {
  // Only the days the Algemene termijnenwet names are listed. Eerste Paasdag
  // and Eerste Pinksterdag are left out on purpose: they are always Sundays,
  // so they never change a working-day count, and listing them would make
  // IsHoliday disagree with the statute for anyone who uses it directly.
  //
  // Koningsdag has been 27 April since 2014 (Koninginnedag on 30 April
  // before that); the calendar applies the current rule to every year
  // because terms are only computed for present-day dates.
  const std::chrono::year y{year};
  const Date easter = DutchCalendar::EasterSunday(year);
  const Date april27 = y / std::chrono::April / 27;
  const Date koningsdag =
      std::chrono::weekday{sys_days{april27}} == std::chrono::Sunday ? AddDays(april27, -1) : april27;

  std::vector<Holiday> holidays;
  holidays.push_back({y / std::chrono::January / 1, "Nieuwjaarsdag"});
  if (goede_vrijdag) holidays.push_back({AddDays(easter, -2), "Goede Vrijdag"});
  holidays.push_back({AddDays(easter, 1), "Tweede Paasdag"});
  holidays.push_back({koningsdag, "Koningsdag"});
  if (BevrijdingsdagApplies(bevrijdingsdag, year)) {
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

bool IsWeekend(Date d) {
  const std::chrono::weekday wd{sys_days{d}};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

// The last day, under the Algemene termijnenwet, of a term of `length`
// calendar days that starts on `start` (the day after it is the term's
// first day) and would end on `end`.
Date AtwLastDay(Date start, Date end, int length) {
  // Art. 1: a term ending on a rest day runs on to the next day that is not one.
  while (DutchCalendar::IsAtwRestDay(end)) end = AddDays(end, 1);
  // Art. 2: a term of at least three days holds at least two days that are
  // not rest days. After art. 1 `end` is such a day, so extending to the
  // next one ends on one as well (HR 22 September 2023,
  // ECLI:NL:HR:2023:1279: a Wvggz term of three days from a Friday ends on
  // Tuesday).
  if (length < 3) return end;
  int open_days = 0;
  for (Date d = AddDays(start, 1); sys_days{d} <= sys_days{end}; d = AddDays(d, 1))
    open_days += DutchCalendar::IsAtwRestDay(d) ? 0 : 1;
  while (open_days < 2) {
    end = AddDays(end, 1);
    if (!DutchCalendar::IsAtwRestDay(end)) ++open_days;
  }
  return end;
}

// A term's amount plus the suspended time, as the int DurationSpec holds.
// Suspensions are measured in real time, so the sum never comes near the
// limit; clamping only keeps a corrupt stored value from overflowing.
int ExtendedAmount(int amount, std::int64_t extended_by) {
  const std::int64_t total = std::int64_t{amount} + std::max<std::int64_t>(extended_by, 0);
  return static_cast<int>(std::min<std::int64_t>(total, std::numeric_limits<int>::max() / 2));
}

}  // namespace

DutchCalendar::DutchCalendar(const CivilTime& civil_time, CalendarOptions options)
    : civil_time_(&civil_time), options_(options) {}

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
  return HolidaysFor(year, options_.bevrijdingsdag, /*goede_vrijdag=*/false);
}

std::vector<Holiday> DutchCalendar::AtwHolidaysIn(int year) {
  // Art. 3(1) Atw names "de vijfde mei" without condition.
  return HolidaysFor(year, CalendarOptions::Bevrijdingsdag::kEveryYear, /*goede_vrijdag=*/true);
}

bool DutchCalendar::IsAtwRestDay(Date d) {
  if (IsWeekend(d)) return true;
  const auto holidays = AtwHolidaysIn(static_cast<int>(d.year()));
  return std::any_of(holidays.begin(), holidays.end(), [&](const Holiday& h) { return h.date == d; });
}

bool DutchCalendar::IsHoliday(Date d) const {
  const auto holidays = HolidaysIn(static_cast<int>(d.year()));
  return std::any_of(holidays.begin(), holidays.end(), [&](const Holiday& h) { return h.date == d; });
}

bool DutchCalendar::IsWorkingDay(Date d) const { return !IsWeekend(d) && !IsHoliday(d); }

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

std::chrono::seconds DutchCalendar::AmsterdamOffset(TimePoint utc) const { return civil_time_->UtcOffset(utc); }

Date DutchCalendar::LocalDate(TimePoint utc) const {
  return Date{std::chrono::floor<days>(utc + civil_time_->UtcOffset(utc))};
}

TimePoint DutchCalendar::StartOfLocalDay(Date d) const { return civil_time_->StartOfDay(d); }

TimePoint DutchCalendar::EndOfLocalDay(Date d) const {
  // 24:00 local on d is 00:00 local on d+1.
  return civil_time_->StartOfDay(AddDays(d, 1));
}

TimePoint DutchCalendar::DueAt(TimePoint start, const DurationSpec& duration, bool atw) const {
  switch (duration.unit) {
    case DurationSpec::Unit::kHours:
      return start + std::chrono::hours{duration.amount};
    case DurationSpec::Unit::kCalendarDays: {
      const Date start_day = LocalDate(start);
      const Date last = AddDays(start_day, duration.amount);
      return EndOfLocalDay(atw ? AtwLastDay(start_day, last, duration.amount) : last);
    }
    case DurationSpec::Unit::kWorkingDays:
      return EndOfLocalDay(AddWorkingDays(LocalDate(start), duration.amount));
  }
  return start;
}

std::int64_t DutchCalendar::SuspendedUnits(const DurationSpec& term, TimePoint from, TimePoint until) const {
  if (until <= from) return 0;
  if (term.unit == DurationSpec::Unit::kHours) return (until - from).count();  // TimePoint counts whole seconds
  // Awb-like counting: the day of suspension itself is not lost, the day of
  // resumption is (the term was not running on it in full).
  const sys_days first{LocalDate(from)};
  const sys_days last{LocalDate(until)};
  if (term.unit == DurationSpec::Unit::kCalendarDays) return (last - first).count();
  std::int64_t working = 0;
  for (sys_days day = first + days{1}; day <= last; day += days{1}) working += IsWorkingDay(Date{day}) ? 1 : 0;
  return working;
}

TimePoint DutchCalendar::ExtendedDueAt(TimePoint start, const DurationSpec& term, std::int64_t extended_by,
                                       bool atw) const {
  if (term.unit == DurationSpec::Unit::kHours)
    return start + std::chrono::hours{term.amount} + std::chrono::seconds{std::max<std::int64_t>(extended_by, 0)};
  // A term in days is the longer term from the same start, so the moved end
  // falls under exactly the rules of the original one (Atw included).
  return DueAt(start, DurationSpec{term.unit, ExtendedAmount(term.amount, extended_by)}, atw);
}

}  // namespace casus::engine

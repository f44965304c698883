#include "engine/calendar.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tz/tzdb_civil_time.h"

namespace casus::engine {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::sys_days;
using Bevrijdingsdag = CalendarOptions::Bevrijdingsdag;

Date D(int y, unsigned m, unsigned d) { return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}; }

TimePoint T(const char* rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(TimePoint{});
}

// Holidays as comparable (date, name) strings so failures print readably.
std::vector<std::pair<std::string, std::string>> Listing(const std::vector<Holiday>& holidays) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& h : holidays) out.emplace_back(FormatDate(h.date), h.name);
  return out;
}

DurationSpec Days(int n) { return {DurationSpec::Unit::kCalendarDays, n}; }
DurationSpec WorkingDays(int n) { return {DurationSpec::Unit::kWorkingDays, n}; }
DurationSpec Hours(int n) { return {DurationSpec::Unit::kHours, n}; }

// The calendar over the system's tz database, as `casus` builds it.
const DutchCalendar& AmsterdamCalendar() {
  static const DutchCalendar calendar{tz::Amsterdam()};
  return calendar;
}

CalendarOptions With(Bevrijdingsdag b) {
  CalendarOptions o;
  o.bevrijdingsdag = b;
  return o;
}

// --- Easter ----------------------------------------------------------------

TEST(EasterTest, KnownDates) {
  const std::vector<std::pair<int, Date>> known = {
      {1583, D(1583, 4, 10)}, {1818, D(1818, 3, 22)}, {1943, D(1943, 4, 25)}, {2000, D(2000, 4, 23)},
      {2005, D(2005, 3, 27)}, {2008, D(2008, 3, 23)}, {2011, D(2011, 4, 24)}, {2016, D(2016, 3, 27)},
      {2019, D(2019, 4, 21)}, {2024, D(2024, 3, 31)}, {2025, D(2025, 4, 20)}, {2026, D(2026, 4, 5)},
      {2027, D(2027, 3, 28)}, {2038, D(2038, 4, 25)}, {2160, D(2160, 3, 23)}, {2285, D(2285, 3, 22)},
      {9999, D(9999, 3, 28)},
  };
  for (const auto& [year, date] : known) {
    EXPECT_EQ(FormatDate(DutchCalendar::EasterSunday(year)), FormatDate(date)) << year;
  }
}

TEST(EasterTest, AlwaysASundayBetween22MarchAnd25April) {
  for (int year = 1583; year <= 9999; ++year) {
    const Date e = DutchCalendar::EasterSunday(year);
    ASSERT_TRUE(e.ok()) << year;
    ASSERT_EQ(std::chrono::weekday{sys_days{e}}, std::chrono::Sunday) << year;
    ASSERT_GE(sys_days{e}, sys_days{D(year, 3, 22)}) << year;
    ASSERT_LE(sys_days{e}, sys_days{D(year, 4, 25)}) << year;
  }
}

// --- Holidays --------------------------------------------------------------

TEST(HolidaysTest, Exactly2025) {
  const DutchCalendar cal{tz::Amsterdam()};
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"2025-01-01", "Nieuwjaarsdag"},  {"2025-04-21", "Tweede Paasdag"},
      {"2025-04-26", "Koningsdag"},     {"2025-05-05", "Bevrijdingsdag"},
      {"2025-05-29", "Hemelvaartsdag"}, {"2025-06-09", "Tweede Pinksterdag"},
      {"2025-12-25", "Eerste Kerstdag"}, {"2025-12-26", "Tweede Kerstdag"},
  };
  EXPECT_EQ(Listing(cal.HolidaysIn(2025)), expected);
}

TEST(HolidaysTest, Exactly2026) {
  const DutchCalendar cal{tz::Amsterdam()};
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"2026-01-01", "Nieuwjaarsdag"},  {"2026-04-06", "Tweede Paasdag"},
      {"2026-04-27", "Koningsdag"},     {"2026-05-05", "Bevrijdingsdag"},
      {"2026-05-14", "Hemelvaartsdag"}, {"2026-05-25", "Tweede Pinksterdag"},
      {"2026-12-25", "Eerste Kerstdag"}, {"2026-12-26", "Tweede Kerstdag"},
  };
  EXPECT_EQ(Listing(cal.HolidaysIn(2026)), expected);
}

TEST(HolidaysTest, SundaysOfEasterAndPentecostAreNotListed) {
  const DutchCalendar cal{tz::Amsterdam()};
  EXPECT_FALSE(cal.IsHoliday(D(2026, 4, 5)));   // Eerste Paasdag
  EXPECT_FALSE(cal.IsHoliday(D(2026, 5, 24)));  // Eerste Pinksterdag
  EXPECT_FALSE(cal.IsHoliday(D(2026, 4, 3)));   // Goede Vrijdag is no general holiday
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 4, 3)));
}

TEST(HolidaysTest, KoningsdagMovesToSaturdayWhen27AprilIsASunday) {
  const DutchCalendar cal{tz::Amsterdam()};
  for (int year : {2025, 2031}) {
    ASSERT_EQ(std::chrono::weekday{sys_days{D(year, 4, 27)}}, std::chrono::Sunday) << year;
    EXPECT_TRUE(cal.IsHoliday(D(year, 4, 26))) << year;
    EXPECT_FALSE(cal.IsHoliday(D(year, 4, 27))) << year;
    EXPECT_FALSE(cal.IsHoliday(D(year, 4, 28))) << year;  // no Monday substitute
  }
  EXPECT_TRUE(cal.IsHoliday(D(2026, 4, 27)));
  EXPECT_FALSE(cal.IsHoliday(D(2026, 4, 26)));
  EXPECT_TRUE(cal.IsHoliday(D(2030, 4, 27)));  // a Saturday: stays on the 27th
  EXPECT_FALSE(cal.IsHoliday(D(2030, 4, 26)));
}

TEST(HolidaysTest, BevrijdingsdagOptions) {
  const DutchCalendar never(tz::Amsterdam(), With(Bevrijdingsdag::kNever));
  const DutchCalendar lustrum(tz::Amsterdam(), With(Bevrijdingsdag::kLustrumOnly));
  const DutchCalendar every(tz::Amsterdam(), With(Bevrijdingsdag::kEveryYear));
  const DutchCalendar by_default{tz::Amsterdam()};
  for (int year = 2020; year <= 2035; ++year) {
    const Date may5 = D(year, 5, 5);
    EXPECT_FALSE(never.IsHoliday(may5)) << year;
    EXPECT_EQ(lustrum.IsHoliday(may5), year % 5 == 0) << year;
    EXPECT_TRUE(every.IsHoliday(may5)) << year;
    EXPECT_TRUE(by_default.IsHoliday(may5)) << year;
    EXPECT_EQ(never.HolidaysIn(year).size(), 7u) << year;
    EXPECT_EQ(lustrum.HolidaysIn(year).size(), year % 5 == 0 ? 8u : 7u) << year;
    EXPECT_EQ(every.HolidaysIn(year).size(), 8u) << year;
  }
  // 5 May 2026 is a Tuesday: a working day unless the option says otherwise.
  EXPECT_TRUE(never.IsWorkingDay(D(2026, 5, 5)));
  EXPECT_TRUE(lustrum.IsWorkingDay(D(2026, 5, 5)));
  EXPECT_FALSE(every.IsWorkingDay(D(2026, 5, 5)));
  EXPECT_FALSE(lustrum.IsWorkingDay(D(2025, 5, 5)));  // a Monday in a lustrum year
}

TEST(HolidaysTest, HemelvaartsdagOnBevrijdingsdagKeepsBoth) {
  // Easter 2016 was 27 March, so Hemelvaartsdag fell on 5 May.
  const DutchCalendar cal{tz::Amsterdam()};
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"2016-01-01", "Nieuwjaarsdag"},  {"2016-03-28", "Tweede Paasdag"},
      {"2016-04-27", "Koningsdag"},     {"2016-05-05", "Bevrijdingsdag"},
      {"2016-05-05", "Hemelvaartsdag"}, {"2016-05-16", "Tweede Pinksterdag"},
      {"2016-12-25", "Eerste Kerstdag"}, {"2016-12-26", "Tweede Kerstdag"},
  };
  EXPECT_EQ(Listing(cal.HolidaysIn(2016)), expected);
  const DutchCalendar never(tz::Amsterdam(), With(Bevrijdingsdag::kNever));
  EXPECT_TRUE(never.IsHoliday(D(2016, 5, 5)));  // still Hemelvaartsdag
}

TEST(HolidaysTest, AlwaysSortedAndInTheirYear) {
  const DutchCalendar cal{tz::Amsterdam()};
  for (int year = 1583; year <= 3000; ++year) {
    const auto holidays = cal.HolidaysIn(year);
    ASSERT_EQ(holidays.size(), 8u) << year;
    for (size_t i = 0; i < holidays.size(); ++i) {
      ASSERT_EQ(static_cast<int>(holidays[i].date.year()), year);
      if (i > 0) {
        ASSERT_LE(sys_days{holidays[i - 1].date}, sys_days{holidays[i].date}) << year;
      }
      ASSERT_TRUE(cal.IsHoliday(holidays[i].date));
    }
  }
}

// --- Working days ----------------------------------------------------------

TEST(WorkingDaysTest, WeekendsAreNotWorkingDays) {
  const DutchCalendar cal{tz::Amsterdam()};
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 6, 12)));   // Friday
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 6, 13)));  // Saturday
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 6, 14)));  // Sunday
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 6, 15)));   // Monday
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 12, 25)));
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 1, 1)));
}

TEST(WorkingDaysTest, AcrossWeekend) {
  const DutchCalendar cal{tz::Amsterdam()};
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 1, 9), 1), D(2026, 1, 12));   // Fri -> Mon
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 1, 9), 5), D(2026, 1, 16));   // Fri -> next Fri
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 1, 10), 1), D(2026, 1, 12));  // Sat -> Mon
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 1, 11), 1), D(2026, 1, 12));  // Sun -> Mon
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 1, 12), 1), D(2026, 1, 13));  // strictly after `from`
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 7, 1), 10), D(2026, 7, 15));
}

TEST(WorkingDaysTest, AcrossEaster) {
  const DutchCalendar cal{tz::Amsterdam()};
  // Thursday 2 April 2026: Goede Vrijdag counts, Tweede Paasdag does not.
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 4, 2), 1), D(2026, 4, 3));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 4, 2), 2), D(2026, 4, 7));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 4, 2), 10), D(2026, 4, 17));
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 4, 17), 10), D(2025, 5, 2));  // also crosses Koningsdag on Saturday
}

TEST(WorkingDaysTest, AcrossKoningsdag) {
  const DutchCalendar cal{tz::Amsterdam()};
  // 2025: Koningsdag falls on Saturday 26 April; Monday 28 April is a normal day.
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 4, 24), 1), D(2025, 4, 25));
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 4, 24), 2), D(2025, 4, 28));
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 4, 24), 5), D(2025, 5, 1));
  EXPECT_EQ(cal.AddWorkingDays(D(2031, 4, 24), 3), D(2031, 4, 29));
  // 2026: Koningsdag on Monday 27 April is skipped.
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 4, 24), 1), D(2026, 4, 28));
}

TEST(WorkingDaysTest, AcrossBevrijdingsdag) {
  EXPECT_EQ(DutchCalendar{tz::Amsterdam()}.AddWorkingDays(D(2026, 5, 1), 1), D(2026, 5, 4));
  EXPECT_EQ(DutchCalendar{tz::Amsterdam()}.AddWorkingDays(D(2026, 5, 1), 2), D(2026, 5, 6));
  EXPECT_EQ(DutchCalendar{tz::Amsterdam()}.AddWorkingDays(D(2026, 5, 1), 3), D(2026, 5, 7));
  const DutchCalendar never(tz::Amsterdam(), With(Bevrijdingsdag::kNever));
  EXPECT_EQ(never.AddWorkingDays(D(2026, 5, 1), 2), D(2026, 5, 5));
  EXPECT_EQ(never.AddWorkingDays(D(2026, 5, 1), 3), D(2026, 5, 6));
  const DutchCalendar lustrum(tz::Amsterdam(), With(Bevrijdingsdag::kLustrumOnly));
  EXPECT_EQ(lustrum.AddWorkingDays(D(2026, 5, 1), 2), D(2026, 5, 5));
  // 5 May 2025 is a Monday in a lustrum year.
  EXPECT_EQ(lustrum.AddWorkingDays(D(2025, 5, 2), 1), D(2025, 5, 6));
}

TEST(WorkingDaysTest, AcrossChristmasAndNewYear) {
  const DutchCalendar cal{tz::Amsterdam()};
  // Wednesday 23 December 2026; 25 Dec is a Friday, 26 Dec a Saturday, 1 Jan a Friday.
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 23), 1), D(2026, 12, 24));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 23), 2), D(2026, 12, 28));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 23), 5), D(2026, 12, 31));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 23), 6), D(2027, 1, 4));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 23), 10), D(2027, 1, 8));
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 12, 31), 1), D(2026, 1, 2));
}

TEST(WorkingDaysTest, LongTermMatchesDayByDayCount) {
  const DutchCalendar cal{tz::Amsterdam()};
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 7, 1), 3650), D(2040, 10, 31));
  // Cross-check AddWorkingDays against IsWorkingDay for many starts.
  for (sys_days from = sys_days{D(2025, 12, 1)}; from < sys_days{D(2027, 2, 1)}; from += days{1}) {
    for (int n : {1, 2, 3, 7, 10, 20}) {
      const Date got = cal.AddWorkingDays(Date{from}, n);
      ASSERT_TRUE(cal.IsWorkingDay(got));
      int counted = 0;
      for (sys_days d = from + days{1}; d <= sys_days{got}; d += days{1}) counted += cal.IsWorkingDay(Date{d});
      ASSERT_EQ(counted, n) << FormatDate(Date{from}) << " + " << n;
    }
  }
}

// --- Amsterdam time --------------------------------------------------------

TEST(AmsterdamTimeTest, OffsetAroundSpringForward) {
  // Last Sunday of March 2026 is the 29th; the switch is at 01:00 UTC.
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2026-03-29T00:59:59Z")), hours{1});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2026-03-29T01:00:00Z")), hours{2});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2026-03-28T12:00:00Z")), hours{1});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2026-07-01T00:00:00Z")), hours{2});
}

TEST(AmsterdamTimeTest, OffsetAroundFallBack) {
  // Last Sunday of October 2026 is the 25th.
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2026-10-25T00:59:59Z")), hours{2});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2026-10-25T01:00:00Z")), hours{1});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2026-12-31T23:59:59Z")), hours{1});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2026-01-01T00:00:00Z")), hours{1});
}

TEST(AmsterdamTimeTest, OffsetInOtherYears) {
  // 2025: 30 March and 26 October; 2027: 28 March and 31 October.
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2025-03-30T00:59:59Z")), hours{1});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2025-03-30T01:00:00Z")), hours{2});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2025-10-26T00:59:59Z")), hours{2});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2025-10-26T01:00:00Z")), hours{1});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2027-03-28T01:00:00Z")), hours{2});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2027-10-31T00:59:59Z")), hours{2});
  EXPECT_EQ(AmsterdamCalendar().AmsterdamOffset(T("2027-10-31T01:00:00Z")), hours{1});
}

TEST(AmsterdamTimeTest, LocalDate) {
  EXPECT_EQ(AmsterdamCalendar().LocalDate(T("2026-06-30T21:59:59Z")), D(2026, 6, 30));
  EXPECT_EQ(AmsterdamCalendar().LocalDate(T("2026-06-30T22:00:00Z")), D(2026, 7, 1));
  EXPECT_EQ(AmsterdamCalendar().LocalDate(T("2026-06-30T22:30:00Z")), D(2026, 7, 1));
  EXPECT_EQ(AmsterdamCalendar().LocalDate(T("2026-01-15T22:59:59Z")), D(2026, 1, 15));
  EXPECT_EQ(AmsterdamCalendar().LocalDate(T("2026-01-15T23:00:00Z")), D(2026, 1, 16));
  EXPECT_EQ(AmsterdamCalendar().LocalDate(T("2025-12-31T23:30:00Z")), D(2026, 1, 1));
  EXPECT_EQ(AmsterdamCalendar().LocalDate(T("2026-03-28T23:00:00Z")), D(2026, 3, 29));
  EXPECT_EQ(AmsterdamCalendar().LocalDate(T("2026-10-24T22:00:00Z")), D(2026, 10, 25));
  EXPECT_EQ(AmsterdamCalendar().LocalDate(T("2026-10-24T21:59:59Z")), D(2026, 10, 24));
}

TEST(AmsterdamTimeTest, EndOfLocalDay) {
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 1, 16)), T("2026-01-16T23:00:00Z"));
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 7, 15)), T("2026-07-15T22:00:00Z"));
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2025, 12, 31)), T("2025-12-31T23:00:00Z"));
  // Around the switches: the day of the switch itself is 23 or 25 hours long.
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 3, 28)), T("2026-03-28T23:00:00Z"));
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 3, 29)), T("2026-03-29T22:00:00Z"));
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 3, 30)), T("2026-03-30T22:00:00Z"));
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 10, 24)), T("2026-10-24T22:00:00Z"));
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 10, 25)), T("2026-10-25T23:00:00Z"));
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 10, 26)), T("2026-10-26T23:00:00Z"));
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 3, 29)) - AmsterdamCalendar().EndOfLocalDay(D(2026, 3, 28)),
            hours{23});
  EXPECT_EQ(AmsterdamCalendar().EndOfLocalDay(D(2026, 10, 25)) - AmsterdamCalendar().EndOfLocalDay(D(2026, 10, 24)),
            hours{25});
}

TEST(AmsterdamTimeTest, EndOfLocalDayIsTheLocalMidnightEveryDay) {
  for (sys_days d = sys_days{D(2024, 1, 1)}; d < sys_days{D(2028, 1, 1)}; d += days{1}) {
    const TimePoint end = AmsterdamCalendar().EndOfLocalDay(Date{d});
    ASSERT_EQ(AmsterdamCalendar().LocalDate(end - seconds{1}), Date{d}) << FormatDate(Date{d});
    ASSERT_EQ(AmsterdamCalendar().LocalDate(end), Date{d + days{1}}) << FormatDate(Date{d});
  }
}

// --- DueAt -----------------------------------------------------------------

TEST(DueAtTest, HoursAreExact) {
  const DutchCalendar cal{tz::Amsterdam()};
  EXPECT_EQ(cal.DueAt(T("2026-06-30T22:30:00Z"), Hours(24)), T("2026-07-01T22:30:00Z"));
  EXPECT_EQ(cal.DueAt(T("2026-06-30T22:30:00Z"), Hours(1)), T("2026-06-30T23:30:00Z"));
  // Across the spring switch: 24 real hours, 25 on the wall clock.
  EXPECT_EQ(cal.DueAt(T("2026-03-28T12:00:00Z"), Hours(24)), T("2026-03-29T12:00:00Z"));
  // Hours ignore weekends and holidays.
  EXPECT_EQ(cal.DueAt(T("2026-12-24T10:15:30Z"), Hours(72)), T("2026-12-27T10:15:30Z"));
}

TEST(DueAtTest, CalendarDaysEndAtLocalMidnight) {
  const DutchCalendar cal{tz::Amsterdam()};
  EXPECT_EQ(cal.DueAt(T("2026-07-01T08:00:00Z"), Days(14)), T("2026-07-15T22:00:00Z"));
  EXPECT_EQ(cal.DueAt(T("2026-01-05T08:00:00Z"), Days(1)), T("2026-01-06T23:00:00Z"));
  // Calendar days do not skip holidays: ends at the end of Christmas Day.
  EXPECT_EQ(cal.DueAt(T("2026-12-24T09:00:00Z"), Days(1)), T("2026-12-25T23:00:00Z"));
  // Ends on the day of the autumn switch, a 25-hour day.
  EXPECT_EQ(cal.DueAt(T("2026-10-20T10:00:00Z"), Days(5)), T("2026-10-25T23:00:00Z"));
  // Started in summer time, ends in winter time.
  EXPECT_EQ(cal.DueAt(T("2026-10-01T10:00:00Z"), Days(28)), T("2026-10-29T23:00:00Z"));
}

TEST(DueAtTest, WorkingDaysEndAtLocalMidnight) {
  const DutchCalendar cal{tz::Amsterdam()};
  EXPECT_EQ(cal.DueAt(T("2026-04-02T09:00:00Z"), WorkingDays(10)), T("2026-04-17T22:00:00Z"));
  EXPECT_EQ(cal.DueAt(T("2026-12-23T09:00:00Z"), WorkingDays(6)), T("2027-01-04T23:00:00Z"));
  EXPECT_EQ(cal.DueAt(T("2026-01-09T15:00:00Z"), WorkingDays(1)), T("2026-01-12T23:00:00Z"));
  // Started on a Saturday.
  EXPECT_EQ(cal.DueAt(T("2026-01-10T12:00:00Z"), WorkingDays(1)), T("2026-01-12T23:00:00Z"));
}

TEST(DueAtTest, LateEveningStartUsesTheAmsterdamDate) {
  const DutchCalendar cal{tz::Amsterdam()};
  // 2026-06-30T22:30Z is 00:30 on Wednesday 1 July in Amsterdam.
  const TimePoint start = T("2026-06-30T22:30:00Z");
  EXPECT_EQ(cal.DueAt(start, Days(1)), T("2026-07-02T22:00:00Z"));
  EXPECT_EQ(cal.DueAt(start, Days(14)), T("2026-07-15T22:00:00Z"));
  EXPECT_EQ(cal.DueAt(start, WorkingDays(1)), T("2026-07-02T22:00:00Z"));
  EXPECT_EQ(cal.DueAt(start, WorkingDays(3)), T("2026-07-06T22:00:00Z"));  // Thu, Fri, Mon
  EXPECT_EQ(cal.DueAt(start, Hours(24)), T("2026-07-01T22:30:00Z"));
  // Winter: 23:30Z on Thursday 31 December 2026 is already Friday 1 January 2027 (a holiday).
  const TimePoint nye = T("2026-12-31T23:30:00Z");
  EXPECT_EQ(cal.DueAt(nye, Days(1)), T("2027-01-02T23:00:00Z"));
  EXPECT_EQ(cal.DueAt(nye, WorkingDays(1)), T("2027-01-04T23:00:00Z"));
  // One second before local midnight still belongs to the earlier day.
  EXPECT_EQ(cal.DueAt(T("2026-01-15T22:59:59Z"), Days(1)), T("2026-01-16T23:00:00Z"));
  EXPECT_EQ(cal.DueAt(T("2026-01-15T23:00:00Z"), Days(1)), T("2026-01-17T23:00:00Z"));
}

TEST(DueAtTest, ParsedWeeksBehaveAsDays) {
  const DutchCalendar cal{tz::Amsterdam()};
  const auto four_weeks = ParseDuration("4w");
  ASSERT_TRUE(four_weeks.has_value());
  EXPECT_EQ(cal.DueAt(T("2026-07-01T08:00:00Z"), *four_weeks), T("2026-07-29T22:00:00Z"));
}

}  // namespace
}  // namespace casus::engine

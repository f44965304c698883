// Opschorting in the calendar: how much suspended time a term gains
// (DutchCalendar::SuspendedUnits) and where the moved end falls
// (DutchCalendar::ExtendedDueAt), across weekends, holidays and the DST
// switch, with and without the Algemene termijnenwet.
#include <gtest/gtest.h>

#include "engine/calendar.h"
#include "tz/tzdb_civil_time.h"

namespace casus::engine {
namespace {

TimePoint SuT(const char* rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(TimePoint{});
}

constexpr DurationSpec kFiveWorkingDays{DurationSpec::Unit::kWorkingDays, 5};
constexpr DurationSpec kFourteenDays{DurationSpec::Unit::kCalendarDays, 14};
constexpr DurationSpec kTwentyFourHours{DurationSpec::Unit::kHours, 24};

class SuspendedUnitsTest : public ::testing::Test {
 protected:
  // The suspended time from `from` to `until` as each kind of term counts it.
  struct Units {
    std::int64_t calendar_days, working_days, seconds;
  };
  Units Count(const char* from, const char* until) const {
    return {cal.SuspendedUnits(kFourteenDays, SuT(from), SuT(until)),
            cal.SuspendedUnits(kFiveWorkingDays, SuT(from), SuT(until)),
            cal.SuspendedUnits(kTwentyFourHours, SuT(from), SuT(until))};
  }

  const DutchCalendar cal{tz::Amsterdam()};
};

TEST_F(SuspendedUnitsTest, ASuspensionWithinOneDayAddsNoDays) {
  const Units u = Count("2026-03-04T08:00:00Z", "2026-03-04T16:30:00Z");  // Wednesday, 09:00-17:30 local
  EXPECT_EQ(u.calendar_days, 0);
  EXPECT_EQ(u.working_days, 0);
  EXPECT_EQ(u.seconds, 8 * 3600 + 1800);
}

TEST_F(SuspendedUnitsTest, NothingWhenResumedAtOrBeforeTheSuspension) {
  for (const char* until : {"2026-03-04T08:00:00Z", "2026-03-01T08:00:00Z"}) {
    const Units u = Count("2026-03-04T08:00:00Z", until);
    EXPECT_EQ(u.calendar_days, 0) << until;
    EXPECT_EQ(u.working_days, 0) << until;
    EXPECT_EQ(u.seconds, 0) << until;
  }
}

TEST_F(SuspendedUnitsTest, FridayToMondayIsThreeCalendarDaysAndOneWorkingDay) {
  const Units u = Count("2026-03-06T09:00:00Z", "2026-03-09T09:00:00Z");
  EXPECT_EQ(u.calendar_days, 3);  // Saturday, Sunday, Monday
  EXPECT_EQ(u.working_days, 1);   // Monday
  EXPECT_EQ(u.seconds, 3 * 86400);
}

TEST_F(SuspendedUnitsTest, DaysFollowTheAmsterdamDateNotTheUtcDate) {
  // 23:30 Thursday to 00:30 Friday, Amsterdam time; both on 5 March in UTC.
  const Units u = Count("2026-03-05T22:30:00Z", "2026-03-05T23:30:00Z");
  EXPECT_EQ(u.calendar_days, 1);
  EXPECT_EQ(u.working_days, 1);
  EXPECT_EQ(u.seconds, 3600);
}

TEST_F(SuspendedUnitsTest, TweedePaasdagIsNoWorkingDayButGoedeVrijdagIs) {
  // Thursday 2 to Tuesday 7 April 2026: Goede Vrijdag 3, weekend, Tweede
  // Paasdag 6, Tuesday 7.
  const Units u = Count("2026-04-02T08:00:00Z", "2026-04-07T08:00:00Z");
  EXPECT_EQ(u.calendar_days, 5);
  EXPECT_EQ(u.working_days, 2);
}

TEST_F(SuspendedUnitsTest, KoningsdagIsNoWorkingDay) {
  // Friday 24 to Tuesday 28 April 2026: weekend, Koningsdag (Monday 27), Tuesday.
  const Units u = Count("2026-04-24T08:00:00Z", "2026-04-28T08:00:00Z");
  EXPECT_EQ(u.calendar_days, 4);
  EXPECT_EQ(u.working_days, 1);
}

TEST_F(SuspendedUnitsTest, ChristmasAndTheWeekendAfterIt) {
  // Thursday 24 to Monday 28 December 2026: Eerste Kerstdag (Friday),
  // Tweede Kerstdag (Saturday), Sunday, Monday.
  const Units u = Count("2026-12-24T09:00:00Z", "2026-12-28T09:00:00Z");
  EXPECT_EQ(u.calendar_days, 4);
  EXPECT_EQ(u.working_days, 1);
}

TEST_F(SuspendedUnitsTest, HoursAreExactSecondsAcrossTheSwitchToSummerTime) {
  // Saturday 28 to Sunday 29 March 2026, 12:00 local both: the night lost
  // an hour, so the wall clocks are a day apart but only 23 hours passed.
  const Units u = Count("2026-03-28T11:00:00Z", "2026-03-29T10:00:00Z");
  EXPECT_EQ(u.seconds, 23 * 3600);
  EXPECT_EQ(u.calendar_days, 1);
  EXPECT_EQ(u.working_days, 0);
}

TEST_F(SuspendedUnitsTest, HoursAreExactSecondsAcrossTheSwitchToWinterTime) {
  // Saturday 24 to Sunday 25 October 2026, 12:00 local both: 25 hours.
  const Units u = Count("2026-10-24T10:00:00Z", "2026-10-25T11:00:00Z");
  EXPECT_EQ(u.seconds, 25 * 3600);
  EXPECT_EQ(u.calendar_days, 1);
}

TEST_F(SuspendedUnitsTest, WeeksCountAsCalendarDays) {
  const auto six_weeks = ParseDuration("6w");
  ASSERT_TRUE(six_weeks.has_value());
  EXPECT_EQ(cal.SuspendedUnits(*six_weeks, SuT("2026-03-06T09:00:00Z"), SuT("2026-03-20T09:00:00Z")), 14);
}

class ExtendedDueAtTest : public ::testing::Test {
 protected:
  const DutchCalendar cal{tz::Amsterdam()};
};

TEST_F(ExtendedDueAtTest, WithoutSuspensionItIsTheOriginalEnd) {
  const auto six_weeks = ParseDuration("6w");
  ASSERT_TRUE(six_weeks.has_value());
  const DurationSpec terms[] = {kFiveWorkingDays,
                                kFourteenDays,
                                kTwentyFourHours,
                                *six_weeks,
                                {DurationSpec::Unit::kCalendarDays, 3},
                                {DurationSpec::Unit::kWorkingDays, 1}};
  // A weekday, a Saturday before Easter, Christmas Eve and the DST night.
  for (const char* start : {"2026-03-04T08:00:00Z", "2026-04-04T10:00:00Z", "2026-12-24T15:00:00Z",
                            "2026-03-29T00:30:00Z"}) {
    for (const DurationSpec& term : terms) {
      for (bool atw : {false, true}) {
        EXPECT_EQ(cal.ExtendedDueAt(SuT(start), term, 0, atw), cal.DueAt(SuT(start), term, atw))
            << start << " " << term.ToString() << " atw=" << atw;
      }
    }
  }
}

TEST_F(ExtendedDueAtTest, WorkingDaysSuspendedOverAWeekendAndTweedePaasdag) {
  // Started Thursday 2 April 2026: 5 working days end on Friday 10 April
  // (Tweede Paasdag, Monday 6, does not count).
  const TimePoint start = SuT("2026-04-02T10:00:00Z");
  EXPECT_EQ(cal.DueAt(start, kFiveWorkingDays), SuT("2026-04-10T22:00:00Z"));
  // Suspended Friday 3, resumed Wednesday 8 April: Tuesday and Wednesday were lost.
  const std::int64_t lost =
      cal.SuspendedUnits(kFiveWorkingDays, SuT("2026-04-03T10:00:00Z"), SuT("2026-04-08T10:00:00Z"));
  ASSERT_EQ(lost, 2);
  // Two working days later: Monday 13 and Tuesday 14 April.
  EXPECT_EQ(cal.ExtendedDueAt(start, kFiveWorkingDays, lost, false), SuT("2026-04-14T22:00:00Z"));
}

TEST_F(ExtendedDueAtTest, WorkingDaysMovedPastKoningsdag) {
  // Started Monday 20 April 2026: the fifth working day is Tuesday 28
  // (Koningsdag, Monday 27, does not count); one more is Wednesday 29.
  const TimePoint start = SuT("2026-04-20T08:00:00Z");
  EXPECT_EQ(cal.ExtendedDueAt(start, kFiveWorkingDays, 0, false), SuT("2026-04-28T22:00:00Z"));
  EXPECT_EQ(cal.ExtendedDueAt(start, kFiveWorkingDays, 1, false), SuT("2026-04-29T22:00:00Z"));
}

TEST_F(ExtendedDueAtTest, AnAtwTermWhoseMovedEndFallsOnASundayRunsOnToMonday) {
  // Started Wednesday 3 June 2026: 14 days end on Wednesday 17 June.
  const TimePoint start = SuT("2026-06-03T10:00:00Z");
  EXPECT_EQ(cal.ExtendedDueAt(start, kFourteenDays, 0, true), SuT("2026-06-17T22:00:00Z"));
  // Suspended Monday 8, resumed Friday 12 June: four days, so Sunday 21 June...
  const std::int64_t lost = cal.SuspendedUnits(kFourteenDays, SuT("2026-06-08T09:00:00Z"), SuT("2026-06-12T09:00:00Z"));
  ASSERT_EQ(lost, 4);
  EXPECT_EQ(cal.ExtendedDueAt(start, kFourteenDays, lost, false), SuT("2026-06-21T22:00:00Z"));
  // ... which under the Algemene termijnenwet runs on to Monday 22 June.
  EXPECT_EQ(cal.ExtendedDueAt(start, kFourteenDays, lost, true), SuT("2026-06-22T22:00:00Z"));
}

TEST_F(ExtendedDueAtTest, HoursMoveByTheExactSuspendedSeconds) {
  const TimePoint start = SuT("2026-03-28T11:00:00Z");
  EXPECT_EQ(cal.ExtendedDueAt(start, kTwentyFourHours, 23 * 3600 + 17, false),
            start + std::chrono::hours{24} + std::chrono::seconds{23 * 3600 + 17});
  // The Algemene termijnenwet never moves a term in hours.
  EXPECT_EQ(cal.ExtendedDueAt(start, kTwentyFourHours, 60, true), start + std::chrono::seconds{24 * 3600 + 60});
}

TEST_F(ExtendedDueAtTest, CalendarDaysMoveByWholeDaysToTheEndOfTheDay) {
  // Started Monday 2 March 2026 (CET); 14 days plus 3 end with Thursday
  // 19 March, 24:00 Amsterdam time.
  EXPECT_EQ(cal.ExtendedDueAt(SuT("2026-03-02T09:00:00Z"), kFourteenDays, 3, false), SuT("2026-03-19T23:00:00Z"));
}

}  // namespace
}  // namespace casus::engine

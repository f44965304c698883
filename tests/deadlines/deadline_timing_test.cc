// The firing moments as pure functions: lead times in hours, calendar and
// working days (weekends, holidays), clamping to the start, and 3x late.
#include "app/deadline_timing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tz/tzdb_civil_time.h"

namespace casus::app {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Unit = engine::DurationSpec::Unit;

TimePoint T(const char* s) { return *ParseRfc3339(s); }

class TimingTest : public ::testing::Test {
 protected:
  engine::DutchCalendar calendar{tz::Amsterdam()};
  // Started Monday 7 December 2026; due at the end of Tuesday 29 December
  // (CET), so the working days back cross Christmas.
  engine::DeadlineState d{"termijn", T("2026-12-07T08:00:00Z"), T("2026-12-29T23:00:00Z"), std::nullopt};
};

TEST_F(TimingTest, WorkingDaysSkipChristmasAndTheWeekend) {
  // Back from Tuesday 29 Dec: Mon 28 (1), [Sun, Sat, Fri 25 and Sat 26 holidays] Thu 24 (2), Wed 23 (3).
  EXPECT_EQ(FormatRfc3339(MomentsFor(d, {Unit::kWorkingDays, 2}, calendar).due_soon_at), "2026-12-24T23:00:00Z");
  EXPECT_EQ(FormatRfc3339(MomentsFor(d, {Unit::kWorkingDays, 3}, calendar).due_soon_at), "2026-12-23T23:00:00Z");
}

TEST_F(TimingTest, CalendarDaysAndHours) {
  EXPECT_EQ(FormatRfc3339(MomentsFor(d, {Unit::kCalendarDays, 2}, calendar).due_soon_at), "2026-12-27T23:00:00Z");
  EXPECT_EQ(FormatRfc3339(MomentsFor(d, {Unit::kHours, 4}, calendar).due_soon_at), "2026-12-29T19:00:00Z");
}

TEST_F(TimingTest, TimeOfDayIsKeptForHourTerms) {
  // A 24h term due Thursday 15:30 UTC; 1wd before is Wednesday at the same time.
  engine::DeadlineState h{"uitvoering", T("2026-12-02T15:30:00Z"), T("2026-12-03T15:30:00Z"), std::nullopt};
  EXPECT_EQ(FormatRfc3339(MomentsFor(h, {Unit::kWorkingDays, 1}, calendar).due_soon_at), "2026-12-02T15:30:00Z");
}

TEST_F(TimingTest, LeadLongerThanTheTermWarnsAtTheStart) {
  EXPECT_EQ(MomentsFor(d, {Unit::kWorkingDays, 100}, calendar).due_soon_at, d.started_at);
}

TEST_F(TimingTest, Late3IsThreeTermLengthsAfterTheStart) {
  const auto m = MomentsFor(d, {Unit::kWorkingDays, 2}, calendar);
  EXPECT_EQ(m.late3_at, d.started_at + 3 * (d.due_at - d.started_at));
}

TEST_F(TimingTest, KindsDueByMoment) {
  const engine::DurationSpec lead{Unit::kWorkingDays, 2};
  EXPECT_THAT(KindsDue(d, lead, calendar, T("2026-12-24T22:59:59Z")), IsEmpty());
  EXPECT_THAT(KindsDue(d, lead, calendar, T("2026-12-24T23:00:00Z")), ElementsAre("due_soon"));
  EXPECT_THAT(KindsDue(d, lead, calendar, d.due_at), ElementsAre("overdue"));
  EXPECT_THAT(KindsDue(d, lead, calendar, T("2027-03-01T00:00:00Z")), ElementsAre("overdue", "late3"));
  engine::DeadlineState cleared = d;
  cleared.cleared_at = d.started_at;
  EXPECT_THAT(KindsDue(cleared, lead, calendar, d.due_at), IsEmpty());
}

TEST_F(TimingTest, ScanBoundCoversEveryDeadlineThatMayWarn) {
  const engine::DurationSpec lead{Unit::kWorkingDays, 2};
  const TimePoint now = T("2026-12-24T23:00:00Z");
  EXPECT_GT(ScanBound(now, lead, calendar), d.due_at);
}

}  // namespace
}  // namespace casus::app

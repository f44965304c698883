// Europe/Amsterdam from the system's tz database (tz/): the offsets it
// gives, how the calendar uses whatever zone it is given, and the refusal
// when a zone cannot be loaded.
#include "tz/tzdb_civil_time.h"

#include <gtest/gtest.h>

#include "engine/calendar.h"

namespace casus::tz {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

TimePoint TzT(const char* rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(TimePoint{});
}

Date TzD(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

const engine::CivilTime& Zone() {
  auto zone = LoadAmsterdam();
  EXPECT_TRUE(zone.ok()) << zone.status().ToString();
  return **zone;
}

TEST(TzdbCivilTimeTest, LoadsAmsterdamOnceForTheProcess) {
  auto first = LoadAmsterdam();
  auto second = LoadAmsterdam();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(&Amsterdam(), *first);
}

TEST(TzdbCivilTimeTest, OffsetsOnBothSwitchDaysOf2026) {
  // Sunday 29 March 2026: CET to CEST at 01:00 UTC (02:00 local becomes 03:00).
  EXPECT_EQ(Zone().UtcOffset(TzT("2026-03-29T00:59:59Z")), hours{1});
  EXPECT_EQ(Zone().UtcOffset(TzT("2026-03-29T01:00:00Z")), hours{2});
  EXPECT_EQ(Zone().StartOfDay(TzD(2026, 3, 29)), TzT("2026-03-28T23:00:00Z"));
  EXPECT_EQ(Zone().StartOfDay(TzD(2026, 3, 30)), TzT("2026-03-29T22:00:00Z"));
  // Sunday 25 October 2026: back to CET at 01:00 UTC (03:00 local becomes 02:00).
  EXPECT_EQ(Zone().UtcOffset(TzT("2026-10-25T00:59:59Z")), hours{2});
  EXPECT_EQ(Zone().UtcOffset(TzT("2026-10-25T01:00:00Z")), hours{1});
  EXPECT_EQ(Zone().StartOfDay(TzD(2026, 10, 25)), TzT("2026-10-24T22:00:00Z"));
  EXPECT_EQ(Zone().StartOfDay(TzD(2026, 10, 26)), TzT("2026-10-25T23:00:00Z"));
}

TEST(TzdbCivilTimeTest, HistoryBeforeTheCurrentEuRuleComesFromTheDatabase) {
  // Until 1995 summer time ended on the last Sunday of September, not of
  // October: 24 September 1995. A hand-written rule of today got this wrong.
  EXPECT_EQ(Zone().UtcOffset(TzT("1995-09-24T00:59:59Z")), hours{2});
  EXPECT_EQ(Zone().UtcOffset(TzT("1995-09-24T01:00:00Z")), hours{1});
  EXPECT_EQ(Zone().UtcOffset(TzT("1995-10-01T12:00:00Z")), hours{1});
  // The Netherlands had no summer time in 1976; it returned on 3 April 1977.
  EXPECT_EQ(Zone().UtcOffset(TzT("1976-07-01T12:00:00Z")), hours{1});
  EXPECT_EQ(Zone().UtcOffset(TzT("1977-04-03T00:59:59Z")), hours{1});
  EXPECT_EQ(Zone().UtcOffset(TzT("1977-04-03T01:00:00Z")), hours{2});
}

TEST(TzdbCivilTimeTest, CoversTheTermsOfTheComingYears) {
  // Debian's tzdata lists every transition up to 2037; a 10-year term
  // started today ends before then.
  EXPECT_EQ(Zone().UtcOffset(TzT("2037-07-01T12:00:00Z")), hours{2});
  EXPECT_EQ(Zone().UtcOffset(TzT("2037-12-01T12:00:00Z")), hours{1});
}

TEST(TzdbCivilTimeTest, AnUnknownZoneIsRefusedWithTheReason) {
  auto zone = TzdbCivilTime::Load("Europe/Atlantis");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(zone.status().message(),
            "cannot load time zone \"Europe/Atlantis\" from the system tz database (/usr/share/zoneinfo, Debian "
            "package tzdata): Europe/Atlantis not found in timezone database");
}

TEST(TzdbCivilTimeTest, AnotherZoneLoadsWithItsOwnRules) {
  auto utc = TzdbCivilTime::Load("UTC");
  ASSERT_TRUE(utc.ok()) << utc.status().ToString();
  EXPECT_EQ((*utc)->UtcOffset(TzT("2026-07-01T12:00:00Z")), seconds{0});
  EXPECT_EQ((*utc)->StartOfDay(TzD(2026, 7, 1)), TzT("2026-07-01T00:00:00Z"));
}

// A zone the test controls: the calendar must take civil time from the
// zone it is given, nothing of its own.
class FixedOffset final : public engine::CivilTime {
 public:
  explicit FixedOffset(hours offset) : offset_(offset) {}
  seconds UtcOffset(TimePoint) const override { return offset_; }
  TimePoint StartOfDay(Date d) const override { return TimePoint{std::chrono::sys_days{d}} - offset_; }

 private:
  seconds offset_;
};

TEST(TzdbCivilTimeTest, TheCalendarUsesTheInjectedZone) {
  const FixedOffset plus_five{hours{5}};
  const engine::DutchCalendar calendar{plus_five};
  // 20:30 UTC on 30 June is already 1 July at +05:00 (in Amsterdam, 22:30).
  EXPECT_EQ(calendar.LocalDate(TzT("2026-06-30T20:30:00Z")), TzD(2026, 7, 1));
  EXPECT_EQ(calendar.AmsterdamOffset(TzT("2026-06-30T20:30:00Z")), hours{5});
  EXPECT_EQ(calendar.EndOfLocalDay(TzD(2026, 7, 1)), TzT("2026-07-01T19:00:00Z"));
  EXPECT_EQ(calendar.DueAt(TzT("2026-06-30T20:30:00Z"), {engine::DurationSpec::Unit::kCalendarDays, 1}),
            TzT("2026-07-02T19:00:00Z"));
}

}  // namespace
}  // namespace casus::tz

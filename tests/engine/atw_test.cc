// The Algemene termijnenwet (`atw: true` on a deadline): when a term of
// calendar days runs on past weekends and public holidays, when it does not
// move, how the workflow file declares it, and every mistake the loader
// refuses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "engine/calendar.h"
#include "engine/engine.h"
#include "loader/workflow_loader.h"
#include "tests/loader/fixtures.h"
#include "tz/tzdb_civil_time.h"

namespace casus::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using loader_test::Lines;

TimePoint AtwT(const char* rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(TimePoint{});
}

Date AtwD(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

DurationSpec AtwDays(int n) { return {DurationSpec::Unit::kCalendarDays, n}; }

class AtwDueAtTest : public ::testing::Test {
 protected:
  // The due moment of a term started at `start`, with and without the Atw.
  TimePoint WithAtw(const char* start, const DurationSpec& d) const { return cal.DueAt(AtwT(start), d, true); }
  TimePoint WithoutAtw(const char* start, const DurationSpec& d) const { return cal.DueAt(AtwT(start), d, false); }

  const DutchCalendar cal{tz::Amsterdam()};
};

TEST_F(AtwDueAtTest, FourteenDaysEndingOnSaturdayRunOnToMonday) {
  // From Saturday 6 June 2026: the 14th day is Saturday 20 June.
  EXPECT_EQ(WithoutAtw("2026-06-06T10:00:00Z", AtwDays(14)), AtwT("2026-06-20T22:00:00Z"));
  EXPECT_EQ(WithAtw("2026-06-06T10:00:00Z", AtwDays(14)), AtwT("2026-06-22T22:00:00Z"));
}

TEST_F(AtwDueAtTest, FourteenDaysEndingOnSundayRunOnToMonday) {
  EXPECT_EQ(WithoutAtw("2026-06-07T10:00:00Z", AtwDays(14)), AtwT("2026-06-21T22:00:00Z"));
  EXPECT_EQ(WithAtw("2026-06-07T10:00:00Z", AtwDays(14)), AtwT("2026-06-22T22:00:00Z"));
}

TEST_F(AtwDueAtTest, FourteenDaysEndingOnKoningsdagRunOnToTheNextDay) {
  // Koningsdag 2026 is Monday 27 April.
  EXPECT_EQ(WithoutAtw("2026-04-13T10:00:00Z", AtwDays(14)), AtwT("2026-04-27T22:00:00Z"));
  EXPECT_EQ(WithAtw("2026-04-13T10:00:00Z", AtwDays(14)), AtwT("2026-04-28T22:00:00Z"));
}

TEST_F(AtwDueAtTest, ChristmasFollowedByAWeekendRunsOnToMonday) {
  // 2025: Eerste Kerstdag Thursday 25, Tweede Kerstdag Friday 26, then the weekend.
  EXPECT_EQ(WithoutAtw("2025-12-11T10:00:00Z", AtwDays(14)), AtwT("2025-12-25T23:00:00Z"));
  EXPECT_EQ(WithAtw("2025-12-11T10:00:00Z", AtwDays(14)), AtwT("2025-12-29T23:00:00Z"));
  EXPECT_EQ(WithoutAtw("2025-12-12T10:00:00Z", AtwDays(14)), AtwT("2025-12-26T23:00:00Z"));
  EXPECT_EQ(WithAtw("2025-12-12T10:00:00Z", AtwDays(14)), AtwT("2025-12-29T23:00:00Z"));
}

TEST_F(AtwDueAtTest, ATermEndingOnAWorkingDayDoesNotMove) {
  EXPECT_EQ(WithAtw("2026-07-01T08:00:00Z", AtwDays(14)), AtwT("2026-07-15T22:00:00Z"));
  EXPECT_EQ(WithAtw("2026-07-01T08:00:00Z", AtwDays(14)), WithoutAtw("2026-07-01T08:00:00Z", AtwDays(14)));
}

TEST_F(AtwDueAtTest, WeeksRunOnLikeDays) {
  const auto four_weeks = ParseDuration("4w");
  ASSERT_TRUE(four_weeks.has_value());
  // From Saturday 6 June 2026 the fourth week ends on Saturday 4 July.
  EXPECT_EQ(WithoutAtw("2026-06-06T10:00:00Z", *four_weeks), AtwT("2026-07-04T22:00:00Z"));
  EXPECT_EQ(WithAtw("2026-06-06T10:00:00Z", *four_weeks), AtwT("2026-07-06T22:00:00Z"));
}

TEST_F(AtwDueAtTest, HoursAreNeverMoved) {
  // 24 hours from Christmas Eve end on Christmas Day, a holiday: they stay.
  EXPECT_EQ(WithAtw("2026-12-24T10:15:30Z", {DurationSpec::Unit::kHours, 24}), AtwT("2026-12-25T10:15:30Z"));
  EXPECT_EQ(WithAtw("2026-06-05T10:00:00Z", {DurationSpec::Unit::kHours, 24}), AtwT("2026-06-06T10:00:00Z"));
}

TEST_F(AtwDueAtTest, WorkingDaysAreNotMovedFurther) {
  const DurationSpec ten{DurationSpec::Unit::kWorkingDays, 10};
  EXPECT_EQ(WithAtw("2026-04-02T09:00:00Z", ten), WithoutAtw("2026-04-02T09:00:00Z", ten));
}

TEST_F(AtwDueAtTest, GoedeVrijdagCountsForTheAtw) {
  // Art. 3(2) Atw: 3 April 2026 is Goede Vrijdag; then the weekend and
  // Tweede Paasdag (6 April). The working-day calendar does not skip it.
  EXPECT_TRUE(cal.IsWorkingDay(AtwD(2026, 4, 3)));
  EXPECT_TRUE(DutchCalendar::IsAtwRestDay(AtwD(2026, 4, 3)));
  EXPECT_EQ(WithAtw("2026-03-20T10:00:00Z", AtwDays(14)), AtwT("2026-04-07T22:00:00Z"));
}

TEST_F(AtwDueAtTest, FifthOfMayCountsEveryYearWhateverTheOptions) {
  CalendarOptions never;
  never.bevrijdingsdag = CalendarOptions::Bevrijdingsdag::kNever;
  const DutchCalendar without_bevrijdingsdag{tz::Amsterdam(), never};
  EXPECT_TRUE(without_bevrijdingsdag.IsWorkingDay(AtwD(2026, 5, 5)));
  // From Tuesday 21 April 2026 the 14th day is Tuesday 5 May.
  EXPECT_EQ(without_bevrijdingsdag.DueAt(AtwT("2026-04-21T10:00:00Z"), AtwDays(14), true),
            AtwT("2026-05-06T22:00:00Z"));
}

// Art. 2 Atw: a term of three days or more holds at least two days that are
// not a Saturday, Sunday or holiday. Regression: HR 22 September 2023,
// ECLI:NL:HR:2023:1279 (a Wvggz term of three days from Friday 21 April 2023
// was met on Tuesday 25 April).
TEST_F(AtwDueAtTest, ThreeDaysFromAFridayHoldTwoWorkingDays) {
  EXPECT_EQ(WithoutAtw("2023-04-21T10:00:00Z", AtwDays(3)), AtwT("2023-04-24T22:00:00Z"));
  EXPECT_EQ(WithAtw("2023-04-21T10:00:00Z", AtwDays(3)), AtwT("2023-04-25T22:00:00Z"));
  // From Thursday 24 December 2026: Christmas, the weekend, then Monday 28
  // (art. 1) is only one working day: on to Tuesday 29.
  EXPECT_EQ(WithAtw("2026-12-24T10:00:00Z", AtwDays(3)), AtwT("2026-12-29T23:00:00Z"));
}

TEST_F(AtwDueAtTest, TermsShorterThanThreeDaysOnlyRunOn) {
  // Two days from Friday 5 June 2026 end on Sunday: Monday (art. 1); art. 2
  // is for three days or more.
  EXPECT_EQ(WithAtw("2026-06-05T10:00:00Z", AtwDays(2)), AtwT("2026-06-08T22:00:00Z"));
  EXPECT_EQ(WithAtw("2026-06-05T10:00:00Z", AtwDays(1)), AtwT("2026-06-08T22:00:00Z"));
}

TEST(AtwHolidaysTest, ExactlyThe2026List) {
  std::vector<std::pair<std::string, std::string>> listed;
  for (const auto& h : DutchCalendar::AtwHolidaysIn(2026)) listed.emplace_back(FormatDate(h.date), h.name);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"2026-01-01", "Nieuwjaarsdag"},   {"2026-04-03", "Goede Vrijdag"},      {"2026-04-06", "Tweede Paasdag"},
      {"2026-04-27", "Koningsdag"},      {"2026-05-05", "Bevrijdingsdag"},     {"2026-05-14", "Hemelvaartsdag"},
      {"2026-05-25", "Tweede Pinksterdag"}, {"2026-12-25", "Eerste Kerstdag"}, {"2026-12-26", "Tweede Kerstdag"},
  };
  EXPECT_EQ(listed, expected);
  EXPECT_TRUE(DutchCalendar::IsAtwRestDay(AtwD(2026, 6, 6)));    // Saturday
  EXPECT_TRUE(DutchCalendar::IsAtwRestDay(AtwD(2026, 6, 7)));    // Sunday
  EXPECT_FALSE(DutchCalendar::IsAtwRestDay(AtwD(2026, 6, 8)));   // Monday
  EXPECT_FALSE(DutchCalendar::IsAtwRestDay(AtwD(2026, 12, 24)));  // Christmas Eve is a working day
}

// --- the workflow file -------------------------------------------------------

// The loader suites' minimal workflow (transition afsluiten, which records
// the bool field eigen_plan) plus one deadline ending in `extra`.
std::string AtwWorkflow(const std::string& duration, const std::string& extra, const std::string& kind = "legal") {
  std::string text = loader_test::ReadFixture("minimal.yaml");
  const std::string last_roles = "    roles: [meldpunt]\n";
  text.replace(text.rfind(last_roles), last_roles.size(),
               last_roles + "    requires:\n      - {name: eigen_plan, type: bool}\n");
  return text +
         "deadlines:\n"
         "  - id: termijn\n"
         "    label: Termijn\n"
         "    legal_basis: \"art. 5:2 Wvggz\"\n"
         "    kind: " + kind + "\n"
         "    duration: " + duration + "\n"
         "    start: {on_open: true}\n"
         "    cleared_by: [afgesloten]\n" +
         extra;
}

// The line of the workflow text on which `needle` starts (1-based).
int AtwLineOf(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

std::string AtwError(const std::string& text, const std::string& message) {
  return "d.yaml: deadlines[0].atw: " + message + " (line " + std::to_string(AtwLineOf(text, "    atw:")) + ")";
}

TEST(AtwLoaderTest, AbsentMeansFalseAndTrueLoads) {
  const LoadResult absent = LoadWorkflowText(AtwWorkflow("14d", ""), "d.yaml");
  ASSERT_THAT(Lines(absent), IsEmpty());
  EXPECT_FALSE(absent.definitions.at(0).deadlines.at(0).atw);
  const LoadResult on = LoadWorkflowText(AtwWorkflow("14d", "    atw: true\n"), "d.yaml");
  ASSERT_THAT(Lines(on), IsEmpty());
  EXPECT_TRUE(on.definitions.at(0).deadlines.at(0).atw);
  const LoadResult off = LoadWorkflowText(AtwWorkflow("4w", "    atw: false\n"), "d.yaml");
  ASSERT_THAT(Lines(off), IsEmpty());
  EXPECT_FALSE(off.definitions.at(0).deadlines.at(0).atw);
  const LoadResult milestone = LoadWorkflowText(AtwWorkflow("4w", "    atw: true\n", "milestone"), "d.yaml");
  ASSERT_THAT(Lines(milestone), IsEmpty());
  EXPECT_TRUE(milestone.definitions.at(0).deadlines.at(0).atw);
}

TEST(AtwLoaderTest, NotABool) {
  const std::string text = AtwWorkflow("14d", "    atw: yes\n");
  const LoadResult r = LoadWorkflowText(text, "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre(AtwError(text, "expected true or false, got \"yes\"")));
}

TEST(AtwLoaderTest, NotASingleValue) {
  const std::string text = AtwWorkflow("14d", "    atw: [true]\n");
  const LoadResult r = LoadWorkflowText(text, "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre(AtwError(text, "expected a single value")));
}

TEST(AtwLoaderTest, TermsInHoursAreRefused) {
  const std::string text = AtwWorkflow("24h", "    atw: true\n");
  const LoadResult r = LoadWorkflowText(text, "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre(AtwError(text, "terms in hours are not extended by the Algemene termijnenwet")));
}

TEST(AtwLoaderTest, ALongerTermInHoursIsRefused) {
  const std::string text = AtwWorkflow("3d", "    longer: {when: eigen_plan, duration: 96h}\n    atw: true\n");
  const LoadResult r = LoadWorkflowText(text, "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre(AtwError(text, "terms in hours are not extended by the Algemene termijnenwet")));
}

TEST(AtwLoaderTest, WorkingDayTermsAreRefused) {
  const std::string text = AtwWorkflow("10wd", "    atw: true\n");
  const LoadResult r = LoadWorkflowText(text, "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre(AtwError(text, "a term in working days already skips weekends and holidays; atw "
                                                   "is for calendar days and weeks")));
}

TEST(AtwLoaderTest, NormsAreRefused) {
  const std::string text = AtwWorkflow("14d", "    atw: true\n", "norm");
  const LoadResult r = LoadWorkflowText(text, "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre(AtwError(text, "the Algemene termijnenwet applies to statutory terms, not to a "
                                                   "norm (werkafspraak)")));
}

TEST(AtwLoaderTest, TheEngineStartsTheTermWithTheFlag) {
  const DutchCalendar cal{tz::Amsterdam()};
  const Settings settings;
  const Actor meldpunt{"u1", {"meldpunt"}, "org1", "gemeente", "Kerkrade"};
  // Opened on Saturday 6 June 2026: the 14th day is a Saturday.
  const Context ctx{AtwT("2026-06-06T10:00:00Z"), &cal, &settings};
  for (const auto& [extra, due] : {std::pair<std::string, const char*>{"    atw: true\n", "2026-06-22T22:00:00Z"},
                                   std::pair<std::string, const char*>{"", "2026-06-20T22:00:00Z"}}) {
    const LoadResult r = LoadWorkflowText(AtwWorkflow("14d", extra), "d.yaml");
    ASSERT_THAT(Lines(r), IsEmpty());
    auto opened = Open(r.definitions.at(0), OpenRequest{"Kerkrade", std::nullopt, std::nullopt, {}}, meldpunt, ctx);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    ASSERT_EQ(opened->deadlines.size(), 1u);
    EXPECT_EQ(FormatRfc3339(opened->deadlines[0].due_at), due) << extra;
  }
}

// The shipped Wvggz workflow: the statutory terms in days carry the Atw,
// the crisismaatregel's terms do not (docs/workflow-format.md, "atw").
TEST(AtwLoaderTest, TheWvggzWorkflowMarksItsTermsInDays) {
  const LoadResult r = LoadWorkflowFile(std::filesystem::path(CASUS_SOURCE_DIR) / "workflows" / "wvggz.yaml");
  ASSERT_THAT(Lines(r), IsEmpty());
  const WorkflowDefinition& def = r.definitions.at(0);
  ASSERT_NE(def.FindDeadline("wvggz_beslissing"), nullptr);
  EXPECT_TRUE(def.FindDeadline("wvggz_beslissing")->atw);
  ASSERT_NE(def.FindDeadline("ovj_beslissing"), nullptr);
  EXPECT_TRUE(def.FindDeadline("ovj_beslissing")->atw);
  ASSERT_NE(def.FindDeadline("crisismaatregel_tenuitvoerlegging"), nullptr);
  EXPECT_FALSE(def.FindDeadline("crisismaatregel_tenuitvoerlegging")->atw);
  ASSERT_NE(def.FindDeadline("crisismaatregel_verval"), nullptr);
  EXPECT_FALSE(def.FindDeadline("crisismaatregel_verval")->atw);
}

}  // namespace
}  // namespace casus::engine

// The deadline_running guard on hand-built case states: it passes while the
// named term runs and is decided by the clock, not by the deadline tick, so
// it stops passing at the term's end even when nothing has recorded the
// lapse yet. A suspended term runs, whatever its original end says.
#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine/guard_eval.h"
#include "engine/guards.h"
#include "tz/tzdb_civil_time.h"

// A named namespace: engine_test is a unity build, and its other files
// define helpers with the same names.
namespace casus::engine::deadline_guard_test {
namespace {

using namespace std::chrono_literals;

TimePoint At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

class DeadlineRunningGuardTest : public ::testing::Test {
 protected:
  const TimePoint started = At("2026-04-01T14:37:12Z");
  const TimePoint end = At("2026-04-11T22:00:00Z");
  DutchCalendar calendar{tz::Amsterdam()};
  Settings settings;

  CaseState WithTerm() const {
    CaseState c;
    c.id = "case_1";
    c.state = "huisverbod_opgelegd";
    c.deadlines = {{"huisverbod_duur", started, end, std::nullopt}};
    return c;
  }
  // Evaluates deadline_running {deadline: id} on `c` at `now`; `why` gets the refusal.
  bool Running(const CaseState& c, TimePoint now, const std::string& id = "huisverbod_duur") {
    Context ctx{now, &calendar, &settings};
    FieldMap none;
    why.clear();
    return EvaluateGuard({"deadline_running", {{"deadline", {id}}}}, GuardInput{c, none, ctx}, why);
  }
  std::string why;
};

TEST_F(DeadlineRunningGuardTest, IsAKnownGuardTakingOneDeadline) {
  const GuardInfo* info = FindGuard("deadline_running");
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->args.size(), 1u);
  EXPECT_EQ(info->args[0].name, "deadline");
  EXPECT_TRUE(info->args[0].required);
  EXPECT_FALSE(info->args[0].list);
}

TEST_F(DeadlineRunningGuardTest, PassesWhileTheTermRuns) {
  const CaseState c = WithTerm();
  EXPECT_TRUE(Running(c, started)) << why;
  EXPECT_TRUE(Running(c, At("2026-04-05T10:00:00Z"))) << why;
  EXPECT_TRUE(Running(c, end - 1s)) << why;
}

// The end itself is the first moment deadline_passed holds; the two never
// pass together and never both fail on a started, active, unsuspended term.
TEST_F(DeadlineRunningGuardTest, FailsFromTheEndOnEvenBeforeAnyTick) {
  const CaseState c = WithTerm();
  for (TimePoint now : {end, end + 1s, end + 240h}) {
    EXPECT_FALSE(Running(c, now)) << FormatRfc3339(now);
    EXPECT_EQ(why, "deadline \"huisverbod_duur\" is not running");
    std::string passed_why;
    Context ctx{now, &calendar, &settings};
    FieldMap none;
    EXPECT_TRUE(EvaluateGuard({"deadline_passed", {{"deadline", {"huisverbod_duur"}}}}, GuardInput{c, none, ctx},
                              passed_why))
        << passed_why;
  }
}

TEST_F(DeadlineRunningGuardTest, FailsWhenCleared) {
  CaseState c = WithTerm();
  c.deadlines[0].cleared_at = At("2026-04-05T10:00:00Z");
  EXPECT_FALSE(Running(c, At("2026-04-06T10:00:00Z")));
  EXPECT_EQ(why, "deadline \"huisverbod_duur\" is not running");
  // Cleared while suspended: no longer running either.
  c.deadlines[0].suspended_at = At("2026-04-04T10:00:00Z");
  EXPECT_FALSE(Running(c, At("2026-04-06T10:00:00Z")));
}

TEST_F(DeadlineRunningGuardTest, PassesWhenSuspendedEvenPastItsEnd) {
  CaseState c = WithTerm();
  c.deadlines[0].suspended_at = At("2026-04-05T10:00:00Z");
  c.deadlines[0].suspension_reason = "Onderzoek loopt";
  EXPECT_TRUE(Running(c, At("2026-04-06T10:00:00Z"))) << why;
  EXPECT_TRUE(Running(c, end)) << why;
  EXPECT_TRUE(Running(c, end + 720h)) << why;
}

TEST_F(DeadlineRunningGuardTest, FailsForADeadlineNeverStarted) {
  CaseState none;
  EXPECT_FALSE(Running(none, started));
  EXPECT_EQ(why, "deadline \"huisverbod_duur\" is not running");
  // Another term running does not stand in for the named one.
  const CaseState c = WithTerm();
  EXPECT_FALSE(Running(c, started, "huisverbod_maximale_duur"));
  EXPECT_EQ(why, "deadline \"huisverbod_maximale_duur\" is not running");
}

// A restarted term: the cleared earlier instance does not count, the new one does.
TEST_F(DeadlineRunningGuardTest, OnlyTheActiveInstanceCounts) {
  CaseState c = WithTerm();
  c.deadlines[0].cleared_at = At("2026-04-03T10:00:00Z");
  c.deadlines.push_back({"huisverbod_duur", At("2026-04-03T10:00:00Z"), At("2026-04-13T22:00:00Z"), std::nullopt});
  EXPECT_TRUE(Running(c, At("2026-04-12T10:00:00Z"))) << why;
  EXPECT_FALSE(Running(c, At("2026-04-13T22:00:00Z")));
}

}  // namespace
}  // namespace casus::engine::deadline_guard_test

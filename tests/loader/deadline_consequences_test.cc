// The deadline keys `due_soon` and `on_overdue`: what they load into, and
// every error a functioneel beheerder can make with them, as exact lines.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "loader/workflow_loader.h"
#include "tests/loader/fixtures.h"

namespace casus::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using loader_test::Lines;

std::string Minimal() { return loader_test::ReadFixture("minimal.yaml"); }

// The minimal fixture (transition afsluiten, roles `roles`) plus one
// deadline ending in `extra` (which starts on line 30).
std::string WithDeadline(const std::string& extra, const std::string& roles = "[meldpunt, system]") {
  std::string text = Minimal();
  const std::string last_roles = "    roles: [meldpunt]\n";
  text.replace(text.rfind(last_roles), last_roles.size(), "    roles: " + roles + "\n");
  return text +
         "deadlines:\n"
         "  - id: termijn\n"
         "    label: Termijn\n"
         "    legal_basis: werkafspraak\n"
         "    duration: 3d\n"
         "    start: {on_open: true}\n"
         "    cleared_by: [afgesloten]\n" +
         extra;
}

TEST(DeadlineConsequencesTest, AbsentKeysLeaveDefaults) {
  const LoadResult r = LoadWorkflowText(WithDeadline(""), "d.yaml");
  ASSERT_THAT(Lines(r), IsEmpty());
  const DeadlineSpec& d = r.definitions.at(0).deadlines.at(0);
  EXPECT_FALSE(d.due_soon.has_value());
  EXPECT_THAT(d.on_overdue, IsEmpty());
}

TEST(DeadlineConsequencesTest, DueSoonAndConsequencesLoadInOrder) {
  const LoadResult r = LoadWorkflowText(
      WithDeadline("    due_soon: 1wd\n    on_overdue:\n      - {notify: coordinator}\n      - {take: afsluiten}\n"),
      "d.yaml");
  ASSERT_THAT(Lines(r), IsEmpty());
  ASSERT_THAT(r.definitions, SizeIs(1));
  const DeadlineSpec& d = r.definitions[0].deadlines.at(0);
  EXPECT_EQ(d.due_soon, (DurationSpec{DurationSpec::Unit::kWorkingDays, 1}));
  EXPECT_THAT(d.on_overdue, ElementsAre(OverdueConsequence{OverdueConsequence::Kind::kNotify, "coordinator"},
                                        OverdueConsequence{OverdueConsequence::Kind::kTake, "afsluiten"}));
}

TEST(DeadlineConsequencesTest, MalformedDueSoon) {
  const LoadResult r = LoadWorkflowText(WithDeadline("    due_soon: soon\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].due_soon: malformed duration \"soon\" (expected e.g. 14d, "
                                    "10wd, 24h, 4w) (line 30)"));
}

TEST(DeadlineConsequencesTest, TakeOfUnknownTransition) {
  const LoadResult r = LoadWorkflowText(WithDeadline("    on_overdue: [{take: vervallen}]\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].on_overdue[0].take: unknown transition \"vervallen\" (line 30)"));
}

TEST(DeadlineConsequencesTest, TakeOfTransitionTheSystemMayNotTake) {
  const LoadResult r = LoadWorkflowText(WithDeadline("    on_overdue: [{take: afsluiten}]\n", "[meldpunt]"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].on_overdue[0].take: transition \"afsluiten\" does not admit "
                                    "role \"system\" (line 30)"));
}

TEST(DeadlineConsequencesTest, NotifyOfAnythingButCoordinator) {
  const LoadResult r = LoadWorkflowText(WithDeadline("    on_overdue: [{notify: burgemeester}]\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r),
              ElementsAre("d.yaml: deadlines[0].on_overdue[0].notify: expected coordinator, got \"burgemeester\" (line 30)"));
}

TEST(DeadlineConsequencesTest, ItemNeedsExactlyOneKnownKey) {
  const LoadResult r = LoadWorkflowText(WithDeadline("    on_overdue:\n"
                                                     "      - {take: afsluiten, notify: coordinator}\n"
                                                     "      - {escalate: raise}\n"
                                                     "      - coordinator\n"
                                                     "    on_overdo: []\n"),
                                        "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].on_overdo: unknown key \"on_overdo\" (did you mean "
                                    "\"on_overdue\"?) (line 34)",
                                    "d.yaml: deadlines[0].on_overdue[0]: expected exactly one of take or notify (line 31)",
                                    "d.yaml: deadlines[0].on_overdue[1].escalate: unknown key \"escalate\" (line 32)",
                                    "d.yaml: deadlines[0].on_overdue[1]: expected exactly one of take or notify (line 32)",
                                    "d.yaml: deadlines[0].on_overdue[2]: expected a map (line 33)"));
}

}  // namespace
}  // namespace casus::engine

// The sections that carry what code used to hard-code per case type:
// `overleg` (agenda rules and cadence), `report_outcome` (who is told the
// outcome of a report) and `suggest_for` (triage suggestions). What they
// load into, and every error a functioneel beheerder can make with them, as
// exact lines.
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
using ::testing::UnorderedElementsAre;
using loader_test::Lines;

// The minimal fixture whose one transition also records a bool field
// `naaste` and a text field `toelichting` (lines 23-25), plus a deadline
// `termijn` (lines 26-32), followed by `extra` from line 33 on.
std::string WithSections(const std::string& extra) {
  return loader_test::ReadFixture("minimal.yaml") +
         "    requires:\n"
         "      - {name: naaste, type: bool, label: Naaste}\n"
         "      - {name: toelichting, type: text, label: Toelichting}\n"
         "deadlines:\n"
         "  - id: termijn\n"
         "    label: Termijn\n"
         "    legal_basis: werkafspraak\n"
         "    duration: 6w\n"
         "    start: {on_open: true}\n"
         "    cleared_by: [afgesloten]\n" +
         extra;
}

LoadResult Load(const std::string& extra) { return LoadWorkflowText(WithSections(extra), "s.yaml"); }

TEST(WorkflowSectionsTest, AbsentSectionsLeaveDefaults) {
  const LoadResult r = Load("");
  ASSERT_THAT(Lines(r), IsEmpty());
  const WorkflowDefinition& d = r.definitions.at(0);
  EXPECT_FALSE(d.overleg.has_value());
  EXPECT_FALSE(d.report_outcome.has_value());
  EXPECT_THAT(d.suggest_for.categories, IsEmpty());
  EXPECT_THAT(d.suggest_for.incident_codes, IsEmpty());
}

TEST(WorkflowSectionsTest, SectionsLoadIntoTheDefinition) {
  const LoadResult r = Load(
      "overleg:\n"
      "  cadence_days: 7\n"
      "  new_states: [ontvangen]\n"
      "  review_deadlines: [termijn]\n"
      "  region_wide:\n"
      "    awaiting_states: [ontvangen]\n"
      "report_outcome: {told_when: naaste}\n"
      "suggest_for:\n"
      "  categories: [woonoverlast, drugsoverlast]\n"
      "  incident_codes: [E33]\n");
  ASSERT_THAT(Lines(r), IsEmpty());
  ASSERT_THAT(r.definitions, SizeIs(1));
  const WorkflowDefinition& d = r.definitions[0];
  ASSERT_TRUE(d.overleg.has_value());
  EXPECT_EQ(d.overleg->cadence_days, 7);
  EXPECT_THAT(d.overleg->local.new_states, ElementsAre("ontvangen"));
  EXPECT_THAT(d.overleg->local.awaiting_states, IsEmpty());
  EXPECT_THAT(d.overleg->local.review_deadlines, ElementsAre("termijn"));
  ASSERT_TRUE(d.overleg->region_wide.has_value());
  EXPECT_THAT(d.overleg->region_wide->new_states, IsEmpty());
  EXPECT_THAT(d.overleg->region_wide->awaiting_states, ElementsAre("ontvangen"));
  EXPECT_THAT(d.overleg->region_wide->review_deadlines, IsEmpty());
  ASSERT_TRUE(d.report_outcome.has_value());
  EXPECT_EQ(d.report_outcome->told_when, "naaste");
  EXPECT_THAT(d.suggest_for.categories, ElementsAre("woonoverlast", "drugsoverlast"));
  EXPECT_THAT(d.suggest_for.incident_codes, ElementsAre("E33"));
}

// Absent: the region-wide casusoverleg follows the municipal rules; empty:
// it discusses nothing of this type.
TEST(WorkflowSectionsTest, RegionWideAbsentOrEmpty) {
  const LoadResult absent = Load("overleg: {cadence_days: 14, new_states: [ontvangen]}\n");
  ASSERT_THAT(Lines(absent), IsEmpty());
  EXPECT_FALSE(absent.definitions.at(0).overleg->region_wide.has_value());

  const LoadResult empty = Load("overleg: {cadence_days: 14, new_states: [ontvangen], region_wide: {}}\n");
  ASSERT_THAT(Lines(empty), IsEmpty());
  const auto& region = empty.definitions.at(0).overleg->region_wide;
  ASSERT_TRUE(region.has_value());
  EXPECT_THAT(region->new_states, IsEmpty());
  EXPECT_THAT(region->awaiting_states, IsEmpty());
  EXPECT_THAT(region->review_deadlines, IsEmpty());
}

TEST(WorkflowSectionsTest, UnknownKeysAreNamedWithASuggestion) {
  const LoadResult r = Load(
      "overleg:\n"
      "  cadence_days: 7\n"
      "  cadence: 7\n"
      "  region_wide:\n"
      "    new_state: [ontvangen]\n"
      "    cadence_days: 7\n"
      "report_outcome: {told_when: naaste, told_how: brief}\n"
      "suggest_for: {categorie: [woonoverlast]}\n");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r),
              UnorderedElementsAre(
                  "s.yaml: overleg.cadence: unknown key \"cadence\" (line 35)",
                  "s.yaml: overleg.region_wide.new_state: unknown key \"new_state\" (did you mean \"new_states\"?) "
                  "(line 37)",
                  "s.yaml: overleg.region_wide.cadence_days: unknown key \"cadence_days\" (line 38)",
                  "s.yaml: report_outcome.told_how: unknown key \"told_how\" (line 39)",
                  "s.yaml: suggest_for.categorie: unknown key \"categorie\" (did you mean \"categories\"?) (line 40)",
                  "s.yaml: suggest_for: name at least one category or incident code (line 40)"));
}

TEST(WorkflowSectionsTest, MissingRequiredKeys) {
  const LoadResult r = Load(
      "overleg:\n"
      "  new_states: [ontvangen]\n"
      "report_outcome: {}\n");
  EXPECT_THAT(r.definitions, IsEmpty());
  // The cadence and the field are missing, not wrong: no validation error repeats them.
  EXPECT_THAT(Lines(r), ElementsAre("s.yaml: overleg.cadence_days: missing required key \"cadence_days\" (line 34)",
                                    "s.yaml: report_outcome.told_when: missing required key \"told_when\" (line 35)"));
}

TEST(WorkflowSectionsTest, WrongValueShapes) {
  EXPECT_THAT(Lines(Load("overleg: weekly\n")),
              ElementsAre("s.yaml: overleg: expected a map with cadence_days and the agenda rules (line 33)"));
  EXPECT_THAT(Lines(Load("overleg: {cadence_days: zeven}\n")),
              ElementsAre("s.yaml: overleg.cadence_days: expected a whole number, got \"zeven\" (line 33)"));
  EXPECT_THAT(Lines(Load("overleg: {cadence_days: 7, new_states: ontvangen}\n")),
              ElementsAre("s.yaml: overleg.new_states: expected a list (line 33)"));
  EXPECT_THAT(Lines(Load("overleg: {cadence_days: 7, region_wide: [ontvangen]}\n")),
              ElementsAre("s.yaml: overleg.region_wide: expected a map with new_states, awaiting_states or "
                          "review_deadlines (line 33)"));
  EXPECT_THAT(Lines(Load("report_outcome: naaste\n")),
              ElementsAre("s.yaml: report_outcome: expected a map with told_when (line 33)"));
  EXPECT_THAT(Lines(Load("report_outcome: {told_when: [naaste]}\n")),
              ElementsAre("s.yaml: report_outcome.told_when: expected a single value (line 33)"));
  EXPECT_THAT(Lines(Load("suggest_for: [woonoverlast]\n")),
              ElementsAre("s.yaml: suggest_for: expected a map with categories or incident_codes (line 33)"));
  EXPECT_THAT(Lines(Load("suggest_for: {categories: woonoverlast}\n")),
              ElementsAre("s.yaml: suggest_for.categories: expected a list (line 33)"));
  EXPECT_THAT(Lines(Load("suggest_for: {}\n")),
              ElementsAre("s.yaml: suggest_for: name at least one category or incident code (line 33)"));
}

TEST(WorkflowSectionsTest, CadenceMustBeOneToThreeHundredSixtySixDays) {
  for (const char* ok : {"1", "366"})
    EXPECT_THAT(Lines(Load(std::string("overleg: {cadence_days: ") + ok + "}\n")), IsEmpty()) << ok;
  EXPECT_THAT(Lines(Load("overleg: {cadence_days: 0}\n")),
              ElementsAre("s.yaml: overleg.cadence_days: must be between 1 and 366 days, got 0 (line 33)"));
  EXPECT_THAT(Lines(Load("overleg: {cadence_days: 367}\n")),
              ElementsAre("s.yaml: overleg.cadence_days: must be between 1 and 366 days, got 367 (line 33)"));
  EXPECT_THAT(Lines(Load("overleg: {cadence_days: -7}\n")),
              ElementsAre("s.yaml: overleg.cadence_days: must be between 1 and 366 days, got -7 (line 33)"));
}

TEST(WorkflowSectionsTest, AgendaRulesNameExistingStatesAndDeadlines) {
  const LoadResult r = Load(
      "overleg:\n"
      "  cadence_days: 7\n"
      "  new_states: [ontvangen, nieuw]\n"
      "  awaiting_states: [ontvangen, geagendeerd]\n"
      "  review_deadlines: [termijn, evaluatie]\n"
      "  region_wide:\n"
      "    awaiting_states: [opgeschaald_zvh]\n"
      "    review_deadlines: [monitoring]\n");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r),
              ElementsAre("s.yaml: overleg.new_states[1]: unknown state \"nieuw\" (line 35)",
                          "s.yaml: overleg.awaiting_states[1]: unknown state \"geagendeerd\" (line 36)",
                          "s.yaml: overleg.review_deadlines[1]: unknown deadline \"evaluatie\" (line 37)",
                          "s.yaml: overleg.awaiting_states[0]: state \"ontvangen\" is already in new_states (line 36)",
                          "s.yaml: overleg.region_wide.awaiting_states[0]: unknown state \"opgeschaald_zvh\" (line 39)",
                          "s.yaml: overleg.region_wide.review_deadlines[0]: unknown deadline \"monitoring\" (line 40)"));
}

TEST(WorkflowSectionsTest, ReportOutcomeNeedsABoolFieldOfThisWorkflow) {
  EXPECT_THAT(Lines(Load("report_outcome: {told_when: melder_is_essentiele_naaste}\n")),
              ElementsAre("s.yaml: report_outcome.told_when: unknown field \"melder_is_essentiele_naaste\" (not "
                          "required anywhere in this workflow) (line 33)"));
  EXPECT_THAT(Lines(Load("report_outcome: {told_when: toelichting}\n")),
              ElementsAre("s.yaml: report_outcome.told_when: field \"toelichting\" is not a bool field (line 33)"));
  EXPECT_THAT(Lines(Load("report_outcome: {told_when: \"\"}\n")),
              ElementsAre("s.yaml: report_outcome.told_when: unknown field \"\" (not required anywhere in this "
                          "workflow) (line 33)"));
}

TEST(WorkflowSectionsTest, ReportOutcomeMayNameAnOpeningField) {
  std::string text = WithSections("report_outcome: {told_when: melder_mag_horen}\n");
  const std::string open = "open:\n  roles: [meldpunt]\n";
  text.replace(text.find(open), open.size(), open + "  requires:\n    - {name: melder_mag_horen, type: bool}\n");
  const LoadResult r = LoadWorkflowText(text, "s.yaml");
  ASSERT_THAT(Lines(r), IsEmpty());
  EXPECT_EQ(r.definitions.at(0).report_outcome->told_when, "melder_mag_horen");
}

TEST(WorkflowSectionsTest, SuggestionsAreWellFormed) {
  const LoadResult r = Load(
      "suggest_for:\n"
      "  categories: [woonoverlast, Woon overlast, \"\"]\n"
      "  incident_codes: [E14, E-33, \"\", E123456789012345678]\n");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(
      Lines(r),
      ElementsAre(
          "s.yaml: suggest_for.categories[1]: invalid report category \"Woon overlast\" (expected [a-z][a-z0-9_]*) "
          "(line 34)",
          "s.yaml: suggest_for.categories[2]: invalid report category \"\" (expected [a-z][a-z0-9_]*) (line 34)",
          "s.yaml: suggest_for.incident_codes[1]: invalid incident code \"E-33\" (expected letters and digits, e.g. "
          "E33) (line 35)",
          "s.yaml: suggest_for.incident_codes[2]: invalid incident code \"\" (expected letters and digits, e.g. E33) "
          "(line 35)",
          "s.yaml: suggest_for.incident_codes[3]: invalid incident code \"E123456789012345678\" (expected letters "
          "and digits, e.g. E33) (line 35)"));
}

// The four shipped files carry the sections the code used to hard-code.
TEST(WorkflowSectionsTest, ShippedWorkflowsCarryTheirRules) {
  const LoadResult r = LoadWorkflowDirectory(std::filesystem::path(CASUS_SOURCE_DIR) / "workflows");
  ASSERT_THAT(Lines(r), IsEmpty());
  auto find = [&](const std::string& id) -> const WorkflowDefinition* {
    for (const auto& d : r.definitions)
      if (d.id == id) return &d;
    return nullptr;
  };
  const WorkflowDefinition* iaww = find("iaww");
  ASSERT_NE(iaww, nullptr);
  ASSERT_TRUE(iaww->overleg.has_value());
  EXPECT_EQ(iaww->overleg->cadence_days, 7);
  EXPECT_THAT(iaww->overleg->local.new_states, ElementsAre("aangemeld", "verrijking"));
  EXPECT_THAT(iaww->overleg->local.awaiting_states, ElementsAre("geagendeerd"));
  EXPECT_THAT(iaww->overleg->local.review_deadlines, ElementsAre("monitoring_evaluatie"));
  ASSERT_TRUE(iaww->overleg->region_wide.has_value());
  EXPECT_THAT(iaww->overleg->region_wide->new_states, IsEmpty());
  EXPECT_THAT(iaww->overleg->region_wide->awaiting_states, ElementsAre("opgeschaald_zvh"));
  EXPECT_THAT(iaww->overleg->region_wide->review_deadlines, IsEmpty());
  const DeadlineSpec* review = iaww->FindDeadline("monitoring_evaluatie");
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(review->kind, DeadlineSpec::Kind::kNorm);
  EXPECT_EQ(review->duration, (DurationSpec{DurationSpec::Unit::kCalendarDays, 42}));
  EXPECT_THAT(review->legal_basis, ::testing::StartsWith("werkafspraak"));
  EXPECT_FALSE(iaww->report_outcome.has_value());

  const WorkflowDefinition* jpp = find("jpp");
  ASSERT_NE(jpp, nullptr);
  ASSERT_TRUE(jpp->overleg.has_value());
  EXPECT_EQ(jpp->overleg->cadence_days, 14);
  EXPECT_THAT(jpp->overleg->local.review_deadlines, ElementsAre("monitoring_evaluatie"));
  EXPECT_NE(jpp->FindDeadline("monitoring_evaluatie"), nullptr);

  const WorkflowDefinition* topx = find("topx");
  ASSERT_NE(topx, nullptr);
  ASSERT_TRUE(topx->overleg.has_value());
  EXPECT_EQ(topx->overleg->cadence_days, 28);
  EXPECT_THAT(topx->overleg->local.awaiting_states, ElementsAre("selectie", "evaluatie"));
  EXPECT_THAT(topx->overleg->local.review_deadlines, ElementsAre("evaluatie"));

  const WorkflowDefinition* wvggz = find("wvggz");
  ASSERT_NE(wvggz, nullptr);
  ASSERT_TRUE(wvggz->overleg.has_value());
  EXPECT_EQ(wvggz->overleg->cadence_days, 14);
  EXPECT_THAT(wvggz->overleg->local.new_states, ElementsAre("melding_ontvangen"));
  ASSERT_TRUE(wvggz->report_outcome.has_value());
  EXPECT_EQ(wvggz->report_outcome->told_when, "melder_is_essentiele_naaste");
  EXPECT_THAT(wvggz->suggest_for.incident_codes, ElementsAre("E33", "E14"));
}

}  // namespace
}  // namespace casus::engine

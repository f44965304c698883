// ValidateDefinition on definitions built in code: one test per kind of
// semantic error, each starting from a valid definition and breaking one thing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/validate.h"

namespace casus::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr DurationSpec k14Days{DurationSpec::Unit::kCalendarDays, 14};

FieldSpec Field(std::string name, FieldType type, std::vector<std::string> values = {}) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  f.values = std::move(values);
  return f;
}

TransitionSpec Transition(std::string name, std::vector<std::string> from, std::string to,
                          std::vector<std::string> roles) {
  TransitionSpec t;
  t.name = std::move(name);
  t.label = t.name;
  t.from = std::move(from);
  t.to = std::move(to);
  t.roles = std::move(roles);
  return t;
}

GuardSpec Guard(std::string name, std::map<std::string, std::vector<std::string>> args) {
  return {std::move(name), std::move(args)};
}

// ontvangen -> verrijking -> afgesloten, plus an op-/afschaal transition
// that stays in place, and a 14-day deadline from opening.
WorkflowDefinition ValidDefinition() {
  WorkflowDefinition d;
  d.id = "wvggz";
  d.version = 1;
  d.label = "Wvggz-melding";
  d.source_file = "test.yaml";
  d.levels = {{"regulier", "Regulier"}, {"hoog", "Hoog"}};
  d.initial_level = "regulier";
  d.states = {{"ontvangen", "Ontvangen", true, false},
              {"verrijking", "Verrijking", false, false},
              {"afgesloten", "Afgesloten", false, true}};
  d.open.roles = {"meldpunt"};
  d.open.org_types = {"gemeente"};
  d.open.fields = {Field("melder_type", FieldType::kEnum, {"burger", "politie"}), Field("akkoord", FieldType::kBool)};
  d.transitions = {Transition("start", {"ontvangen"}, "verrijking", {"meldpunt"}),
                   Transition("afsluiten", {"verrijking"}, "afgesloten", {"regisseur"}),
                   Transition("opschalen", {"ontvangen", "verrijking"}, "", {"coordinator"})};
  d.transitions[1].guards = {Guard("all_true", {{"fields", {"akkoord"}}})};
  d.transitions[2].level.kind = LevelChange::Kind::kRaise;
  d.transitions[2].guards = {Guard("prior_transition", {{"any_of", {"start"}}})};
  DeadlineSpec deadline;
  deadline.id = "beslissing";
  deadline.label = "Besluit";
  deadline.legal_basis = "art. 5:2 Wvggz";
  deadline.duration = k14Days;
  deadline.start_on_open = true;
  deadline.cleared_by = {"afgesloten"};
  d.deadlines = {deadline};
  d.handling_norms = {{"woonoverlast", {DurationSpec::Unit::kWorkingDays, 5}}};
  return d;
}

std::vector<std::string> Errors(const WorkflowDefinition& d) {
  std::vector<std::string> lines;
  for (const auto& e : ValidateDefinition(d)) lines.push_back(e.ToString());
  return lines;
}

TEST(ValidateTest, ValidDefinitionHasNoErrors) { EXPECT_THAT(Errors(ValidDefinition()), IsEmpty()); }

TEST(ValidateTest, ErrorsNameTheSourceFile) {
  WorkflowDefinition d = ValidDefinition();
  d.version = 0;
  const auto errors = ValidateDefinition(d);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], (DefinitionError{"test.yaml", "version", "must be at least 1, got 0"}));
}

// The loaded files are the list of case types: any lowercase identifier is
// a type, and nothing else is.
TEST(ValidateTest, AnyLowercaseIdentifierIsACaseType) {
  for (const char* id : {"huisverbod", "overlast", "a", "zaak_2", "abcdefghijklmnopqrstuvwxyz012345"}) {
    WorkflowDefinition d = ValidDefinition();
    d.id = id;
    EXPECT_THAT(Errors(d), IsEmpty()) << id;
  }
}

TEST(ValidateTest, CaseTypeIdMustBeALowercaseIdentifier) {
  for (const char* id : {"", "Wvggz", "2wvggz", "_wvggz", "wvggz-melding", "wv ggz", "wvggzé",
                         "abcdefghijklmnopqrstuvwxyz0123456"}) {
    WorkflowDefinition d = ValidDefinition();
    d.id = id;
    EXPECT_THAT(Errors(d), ElementsAre("test.yaml: id: invalid case type \"" + std::string(id) +
                                       "\" (expected a lowercase identifier [a-z][a-z0-9_]{0,31})"))
        << id;
  }
}

TEST(ValidateTest, NoInitialState) {
  WorkflowDefinition d = ValidDefinition();
  d.states[0].initial = false;
  // Reachability is not judged without a starting point.
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: states: no initial state (mark exactly one with initial: true)"));
}

TEST(ValidateTest, TwoInitialStates) {
  WorkflowDefinition d = ValidDefinition();
  d.states[1].initial = true;
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: states[1].initial: second initial state (the first is \"ontvangen\")"));
}

TEST(ValidateTest, DuplicateStateId) {
  WorkflowDefinition d = ValidDefinition();
  d.states.push_back({"afgesloten", "Nog eens", false, true});
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: states[3].id: duplicate state \"afgesloten\" (first at states[2])"));
}

TEST(ValidateTest, EmptyStateId) {
  WorkflowDefinition d = ValidDefinition();
  d.states.push_back({"", "Naamloos", false, true});
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: states[3].id: state without id"));
}

TEST(ValidateTest, DuplicateLevelId) {
  WorkflowDefinition d = ValidDefinition();
  d.levels.push_back({"hoog", "Nog hoger"});
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: levels[2].id: duplicate level \"hoog\" (first at levels[1])"));
}

TEST(ValidateTest, DuplicateTransitionName) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions.push_back(d.transitions[1]);
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[3].name: duplicate transition \"afsluiten\" (first at "
                                     "transitions[1])"));
}

TEST(ValidateTest, DuplicateDeadlineId) {
  WorkflowDefinition d = ValidDefinition();
  d.deadlines.push_back(d.deadlines[0]);
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: deadlines[1].id: duplicate deadline \"beslissing\" (first at deadlines[0])"));
}

TEST(ValidateTest, DuplicateFieldWithinOneRequiresList) {
  WorkflowDefinition d = ValidDefinition();
  d.open.fields.push_back(Field("akkoord", FieldType::kText));
  d.transitions[0].fields = {Field("reden", FieldType::kText), Field("reden", FieldType::kText)};
  // The same name in two different lists is fine: opening and afsluiten both have "akkoord" then.
  d.transitions[1].fields = {Field("akkoord", FieldType::kBool)};
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: open.requires[2].name: duplicate field \"akkoord\" (first at open.requires[1])",
                          "test.yaml: transitions[0].requires[1].name: duplicate field \"reden\" (first at "
                          "transitions[0].requires[0])"));
}

TEST(ValidateTest, DuplicateHandlingNormCategory) {
  WorkflowDefinition d = ValidDefinition();
  d.handling_norms.push_back(d.handling_norms[0]);
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: handling_norms[1].category: duplicate handling norm \"woonoverlast\" "
                                     "(first at handling_norms[0])"));
}

TEST(ValidateTest, UnknownStatesInFromAndTo) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions.push_back(Transition("besluiten", {"verrijking", "onderzoek"}, "besluit", {"regisseur"}));
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[3].from[1]: unknown state \"onderzoek\"",
                                     "test.yaml: transitions[3].to: unknown state \"besluit\""));
}

TEST(ValidateTest, TransitionWithoutFrom) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[2].from.clear();
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[2].from: at least one state is required"));
}

TEST(ValidateTest, UnknownStatesInDeadlineStartAndClear) {
  WorkflowDefinition d = ValidDefinition();
  d.deadlines[0].start_on_open = false;
  d.deadlines[0].start_on_enter = {"verrijking", "onderzoek"};
  d.deadlines[0].cleared_by = {"gesloten", "afgesloten"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: deadlines[0].start.on_enter[1]: unknown state \"onderzoek\"",
                                     "test.yaml: deadlines[0].cleared_by[0]: unknown state \"gesloten\""));
}

TEST(ValidateTest, UnknownTransitionInDeadlineStart) {
  WorkflowDefinition d = ValidDefinition();
  d.deadlines[0].start_on_open = false;
  d.deadlines[0].start_on_transition = {"start", "verrijken"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: deadlines[0].start.on_transition[1]: unknown transition \"verrijken\""));
}

TEST(ValidateTest, UnknownTransitionInPriorTransitionGuard) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[2].guards[0].args["any_of"] = {"start", "bemiddeling_inzetten"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[2].guards[0].any_of[1]: unknown transition "
                                     "\"bemiddeling_inzetten\""));
}

TEST(ValidateTest, UnknownDeadlineInDeadlinePassedGuard) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[2].guards.push_back(Guard("deadline_passed", {{"deadline", {"crisismaatregel"}}}));
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[2].guards[1].deadline: unknown deadline \"crisismaatregel\""));
}

TEST(ValidateTest, DeadlineRunningGuardNamesAKnownDeadline) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[0].guards = {Guard("deadline_running", {{"deadline", {"beslissing"}}})};
  EXPECT_THAT(Errors(d), IsEmpty());
  d.transitions[0].guards = {Guard("deadline_running", {{"deadline", {"crisismaatregel"}}})};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[0].guards[0].deadline: unknown deadline \"crisismaatregel\""));
  d.transitions[0].guards = {Guard("deadline_running", {{"deadline", {"beslissing", "beslissing"}}})};
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: transitions[0].guards[0].deadline: argument \"deadline\" takes exactly one value"));
  d.transitions[0].guards = {Guard("deadline_running", {})};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[0].guards[0].deadline: missing argument \"deadline\" for "
                                     "guard \"deadline_running\""));
}

TEST(ValidateTest, UnknownRoles) {
  WorkflowDefinition d = ValidDefinition();
  d.open.roles = {"wethouder"};
  d.transitions[0].roles = {"meldpunt", "beheerder"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: open.roles[0]: unknown role \"wethouder\"",
                                     "test.yaml: transitions[0].roles[1]: unknown role \"beheerder\""));
}

TEST(ValidateTest, UnknownOrganisationTypes) {
  WorkflowDefinition d = ValidDefinition();
  d.open.org_types = {"brandweer"};
  d.transitions[1].org_types = {"ggz", "school"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: open.org_types[0]: unknown organisation type \"brandweer\"",
                                     "test.yaml: transitions[1].org_types[1]: unknown organisation type \"school\""));
}

TEST(ValidateTest, TransitionAndOpenWithoutRoles) {
  WorkflowDefinition d = ValidDefinition();
  d.open.roles.clear();
  d.transitions[0].roles.clear();
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: open.roles: at least one role is required",
                                     "test.yaml: transitions[0].roles: at least one role is required"));
}

TEST(ValidateTest, UnknownGuard) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[0].guards = {Guard("weekday", {{"day", {"monday"}}})};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[0].guards[0].name: unknown guard \"weekday\""));
}

TEST(ValidateTest, UnknownGuardArgument) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[0].guards = {Guard("config_enabled", {{"key", {"apv"}}, {"default", {"true"}}})};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[0].guards[0].default: unknown argument \"default\" for "
                                     "guard \"config_enabled\""));
}

TEST(ValidateTest, MissingGuardArgument) {
  WorkflowDefinition d = ValidDefinition();
  d.open.guards = {Guard("subject_age", {{"max_below", {"18"}}})};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: open.guards[0].at: missing argument \"at\" for guard \"subject_age\""));
}

TEST(ValidateTest, SingleValueGuardArgumentWithSeveralValues) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[0].guards = {Guard("config_enabled", {{"key", {"apv", "wet"}}})};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[0].guards[0].key: argument \"key\" takes exactly one value"));
}

TEST(ValidateTest, ListGuardArgumentWithoutValues) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[2].guards[0].args["any_of"] = {};
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: transitions[2].guards[0].any_of: argument \"any_of\" needs at least one value"));
}

TEST(ValidateTest, SubjectAgeArguments) {
  WorkflowDefinition d = ValidDefinition();
  d.open.guards = {Guard("subject_age", {{"max_below", {"18"}}, {"at", {"registration"}}}),
                   Guard("subject_age", {{"min", {"12"}}, {"at", {"now"}}}),
                   Guard("subject_age", {{"min", {"twaalf"}}, {"at", {"opening"}}}),
                   Guard("subject_age", {{"min", {"18"}}, {"max_below", {"12"}}, {"at", {"now"}}}),
                   Guard("subject_age", {{"at", {"now"}}})};
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: open.guards[2].at: expected registration or now, got \"opening\"",
                          "test.yaml: open.guards[2].min: expected a non-negative whole number of years, got \"twaalf\"",
                          "test.yaml: open.guards[3].max_below: max_below must be greater than min",
                          "test.yaml: open.guards[4]: subject_age needs min or max_below"));
}

TEST(ValidateTest, FieldGuardsNameDeclaredFields) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[1].guards = {Guard("all_true", {{"fields", {"akkoord", "melder_type", "instemming"}}}),
                             Guard("any_present", {{"fields", {"melder_type", "toelichting"}}})};
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: transitions[1].guards[0].fields[1]: field \"melder_type\" is not a bool field",
                          "test.yaml: transitions[1].guards[0].fields[2]: unknown field \"instemming\" (not required "
                          "anywhere in this workflow)",
                          "test.yaml: transitions[1].guards[1].fields[1]: unknown field \"toelichting\" (not required "
                          "anywhere in this workflow)"));
}

TEST(ValidateTest, LevelSetToUnknownLevel) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[2].level = {LevelChange::Kind::kSet, "zvh"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[2].level.set: unknown level \"zvh\""));
}

TEST(ValidateTest, RaiseAndLowerNeedTwoLevels) {
  WorkflowDefinition d = ValidDefinition();
  d.levels.pop_back();
  d.transitions.push_back(Transition("afschalen", {"verrijking"}, "", {"coordinator"}));
  d.transitions[3].level.kind = LevelChange::Kind::kLower;
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[2].level: raise/lower needs at least two levels",
                                     "test.yaml: transitions[3].level: raise/lower needs at least two levels"));
}

TEST(ValidateTest, UnknownInitialLevel) {
  WorkflowDefinition d = ValidDefinition();
  d.initial_level = "laag";
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: initial_level: unknown level \"laag\""));
}

TEST(ValidateTest, AtLeastOneLevel) {
  WorkflowDefinition d = ValidDefinition();
  d.levels.clear();
  d.initial_level.clear();
  d.transitions[2].level = {};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: levels: at least one level is required"));
}

TEST(ValidateTest, TransitionOutOfTerminalState) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions.push_back(Transition("heropenen", {"verrijking", "afgesloten"}, "verrijking", {"coordinator"}));
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: transitions[3].from[1]: transition out of terminal state \"afgesloten\""));
}

TEST(ValidateTest, UnreachableState) {
  WorkflowDefinition d = ValidDefinition();
  d.states.push_back({"vergeten", "Vergeten", false, false});
  d.transitions.push_back(Transition("vergeten_afsluiten", {"vergeten"}, "afgesloten", {"regisseur"}));
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: states[3]: state \"vergeten\" is unreachable from the initial state"));
}

TEST(ValidateTest, TransitionWithoutToReachesNothingNew) {
  WorkflowDefinition d = ValidDefinition();
  // "opschalen" (no `to`) is the only transition naming "wachten": it stays
  // wherever it is taken, so "wachten" is not reached through it.
  d.states.push_back({"wachten", "Wachten", false, false});
  d.transitions[2].from.push_back("wachten");
  d.transitions.push_back(Transition("verder", {"wachten"}, "afgesloten", {"regisseur"}));
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: states[3]: state \"wachten\" is unreachable from the initial state"));
}

TEST(ValidateTest, NonTerminalStateWithoutWayOut) {
  WorkflowDefinition d = ValidDefinition();
  d.states.push_back({"wachten", "Wachten", false, false});
  d.transitions.push_back(Transition("wacht", {"verrijking"}, "wachten", {"regisseur"}));
  // Staying in place (no `to`) or looping back to itself is no way out.
  d.transitions[2].from.push_back("wachten");
  d.transitions.push_back(Transition("blijf", {"wachten"}, "wachten", {"regisseur"}));
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: states[3]: non-terminal state \"wachten\" has no transition to another state"));
}

TEST(ValidateTest, EnumWithoutValuesAndValuesOnNonEnum) {
  WorkflowDefinition d = ValidDefinition();
  d.open.fields[0].values.clear();
  d.transitions[0].fields = {Field("reden", FieldType::kText, {"a", "b"})};
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: open.requires[0].values: enum field \"melder_type\" needs at least one value",
                          "test.yaml: transitions[0].requires[0].values: values are only allowed on enum fields"));
}

TEST(ValidateTest, FieldNamesMustBeLowercaseIdentifiers) {
  WorkflowDefinition d = ValidDefinition();
  d.transitions[0].fields = {Field("Samenvatting", FieldType::kText), Field("1e_gesprek", FieldType::kDate),
                             Field("met-streepje", FieldType::kText), Field("goed_2", FieldType::kText)};
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: transitions[0].requires[0].name: invalid field name \"Samenvatting\" (expected "
                          "[a-z][a-z0-9_]*)",
                          "test.yaml: transitions[0].requires[1].name: invalid field name \"1e_gesprek\" (expected "
                          "[a-z][a-z0-9_]*)",
                          "test.yaml: transitions[0].requires[2].name: invalid field name \"met-streepje\" (expected "
                          "[a-z][a-z0-9_]*)"));
}

TEST(ValidateTest, DeadlineWithoutLegalBasis) {
  WorkflowDefinition d = ValidDefinition();
  d.deadlines[0].legal_basis.clear();
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: deadlines[0].legal_basis: must not be empty (name the article or "
                                     "\"werkafspraak\")"));
}

TEST(ValidateTest, DeadlineNeedsExactlyOneStart) {
  WorkflowDefinition none = ValidDefinition();
  none.deadlines[0].start_on_open = false;
  EXPECT_THAT(Errors(none), ElementsAre("test.yaml: deadlines[0].start: exactly one of on_open, on_enter, "
                                        "on_transition is required"));
  WorkflowDefinition two = ValidDefinition();
  two.deadlines[0].start_on_transition = {"start"};
  EXPECT_THAT(Errors(two), ElementsAre("test.yaml: deadlines[0].start: exactly one of on_open, on_enter, "
                                       "on_transition is required"));
}

TEST(ValidateTest, DeadlineWithoutPositiveDuration) {
  WorkflowDefinition d = ValidDefinition();
  d.deadlines[0].duration = {};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: deadlines[0].duration: must be a positive duration"));
}

TEST(ValidateTest, LongerTermNeedsBothFieldAndDuration) {
  WorkflowDefinition only_field = ValidDefinition();
  only_field.deadlines[0].longer_when_field = "akkoord";
  EXPECT_THAT(Errors(only_field),
              ElementsAre("test.yaml: deadlines[0].longer: a longer term needs both when and duration"));
  WorkflowDefinition only_duration = ValidDefinition();
  only_duration.deadlines[0].longer_duration = k14Days;
  EXPECT_THAT(Errors(only_duration),
              ElementsAre("test.yaml: deadlines[0].longer: a longer term needs both when and duration"));
}

TEST(ValidateTest, LongerTermNeedsADeclaredBoolField) {
  WorkflowDefinition d = ValidDefinition();
  d.deadlines[0].longer_when_field = "melder_type";  // an enum, not a bool
  d.deadlines[0].longer_duration = DurationSpec{DurationSpec::Unit::kCalendarDays, 42};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: deadlines[0].longer.when: unknown bool field \"melder_type\""));
  d.deadlines[0].longer_when_field = "akkoord";
  EXPECT_THAT(Errors(d), IsEmpty());
}

TEST(ValidateTest, VersionMustBePositive) {
  WorkflowDefinition d = ValidDefinition();
  d.version = -3;
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: version: must be at least 1, got -3"));
}

// ---- overleg, report_outcome, suggest_for ----

OverlegSpec ValidOverleg() {
  OverlegSpec o;
  o.cadence_days = 7;
  o.local = {{"ontvangen"}, {"verrijking"}, {"beslissing"}};
  o.region_wide = AgendaRules{{}, {"verrijking"}, {}};
  return o;
}

TEST(ValidateTest, OverlegRulesNamingStatesAndDeadlinesAreValid) {
  WorkflowDefinition d = ValidDefinition();
  d.overleg = ValidOverleg();
  EXPECT_THAT(Errors(d), IsEmpty());
  d.overleg->region_wide.reset();
  EXPECT_THAT(Errors(d), IsEmpty());
}

TEST(ValidateTest, OverlegCadenceOutOfRange) {
  WorkflowDefinition d = ValidDefinition();
  d.overleg = ValidOverleg();
  d.overleg->cadence_days = 0;
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: overleg.cadence_days: must be between 1 and 366 days, got 0"));
  d.overleg->cadence_days = 367;
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: overleg.cadence_days: must be between 1 and 366 days, got 367"));
}

TEST(ValidateTest, OverlegUnknownStatesAndDeadlines) {
  WorkflowDefinition d = ValidDefinition();
  d.overleg = ValidOverleg();
  d.overleg->local.new_states.push_back("nieuw");
  d.overleg->local.review_deadlines = {"evaluatie"};
  d.overleg->region_wide->awaiting_states = {"opgeschaald_zvh"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: overleg.new_states[1]: unknown state \"nieuw\"",
                                     "test.yaml: overleg.review_deadlines[0]: unknown deadline \"evaluatie\"",
                                     "test.yaml: overleg.region_wide.awaiting_states[0]: unknown state \"opgeschaald_zvh\""));
}

TEST(ValidateTest, OverlegStateBothNewAndAwaiting) {
  WorkflowDefinition d = ValidDefinition();
  d.overleg = ValidOverleg();
  d.overleg->region_wide->new_states = {"verrijking"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: overleg.region_wide.awaiting_states[0]: state \"verrijking\" is "
                                     "already in new_states"));
}

TEST(ValidateTest, ReportOutcomeNamesABoolFieldTheWorkflowRecords) {
  WorkflowDefinition d = ValidDefinition();
  d.report_outcome = ReportOutcomeSpec{"akkoord"};  // a bool opening field
  EXPECT_THAT(Errors(d), IsEmpty());
  d.transitions[0].fields = {Field("naaste", FieldType::kBool)};
  d.report_outcome = ReportOutcomeSpec{"naaste"};  // a bool transition field
  EXPECT_THAT(Errors(d), IsEmpty());
  d.report_outcome = ReportOutcomeSpec{"melder_type"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: report_outcome.told_when: field \"melder_type\" is not a bool field"));
  d.report_outcome = ReportOutcomeSpec{"melder_is_essentiele_naaste"};
  EXPECT_THAT(Errors(d), ElementsAre("test.yaml: report_outcome.told_when: unknown field "
                                     "\"melder_is_essentiele_naaste\" (not required anywhere in this workflow)"));
}

TEST(ValidateTest, SuggestionsAreWellFormed) {
  WorkflowDefinition d = ValidDefinition();
  d.suggest_for = {{"woonoverlast", "verward_gedrag"}, {"E33", "e14"}};
  EXPECT_THAT(Errors(d), IsEmpty());
  d.suggest_for = {{"Woonoverlast"}, {"E 33"}};
  EXPECT_THAT(Errors(d),
              ElementsAre("test.yaml: suggest_for.categories[0]: invalid report category \"Woonoverlast\" (expected "
                          "[a-z][a-z0-9_]*)",
                          "test.yaml: suggest_for.incident_codes[0]: invalid incident code \"E 33\" (expected letters "
                          "and digits, e.g. E33)"));
}

TEST(ValidateTest, ReportsEveryErrorInOneRun) {
  WorkflowDefinition d = ValidDefinition();
  d.id = "Zorg";
  d.states[1].initial = true;
  d.transitions[0].to = "besluit";
  d.transitions[1].roles = {"wethouder"};
  d.deadlines[0].cleared_by = {"gesloten"};
  // With "start" pointing nowhere, "verrijking" is reached by nothing; being
  // a second initial state, reachability is not judged at all.
  EXPECT_THAT(Errors(d), UnorderedElementsAre(
                             "test.yaml: id: invalid case type \"Zorg\" (expected a lowercase identifier [a-z][a-z0-9_]{0,31})",
                             "test.yaml: states[1].initial: second initial state (the first is \"ontvangen\")",
                             "test.yaml: transitions[0].to: unknown state \"besluit\"",
                             "test.yaml: transitions[1].roles[0]: unknown role \"wethouder\"",
                             "test.yaml: deadlines[0].cleared_by[0]: unknown state \"gesloten\""));
}

}  // namespace
}  // namespace casus::engine

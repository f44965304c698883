// Loading workflow files: YAML structure, file and directory handling, and
// the hand-off to ValidateDefinition. Every error is asserted as the exact
// "file: path: message" line a functioneel beheerder would read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "loader/workflow_loader.h"
#include "tests/loader/fixtures.h"

namespace casus::engine {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
using loader_test::Fixture;
using loader_test::Lines;
using loader_test::ReadFixture;

// The minimal fixture plus one deadline whose duration is `duration`; the
// duration sits on line 27.
std::string WithDeadlineDuration(const std::string& duration) {
  return ReadFixture("minimal.yaml") +
         "deadlines:\n"
         "  - id: termijn\n"
         "    label: Termijn\n"
         "    legal_basis: werkafspraak\n"
         "    duration: " + duration + "\n"
         "    start: {on_open: true}\n"
         "    cleared_by: [afgesloten]\n";
}

// A scratch directory removed after each test.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("casus_loader_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void Write(const std::string& name, const std::string& text) const { std::ofstream(path_ / name) << text; }

 private:
  fs::path path_;
};

TEST(DefinitionErrorTest, ToStringJoinsFilePathAndMessage) {
  const DefinitionError e{"wvggz.yaml", "transitions[3].to", "unknown state \"besluit\""};
  EXPECT_EQ(e.ToString(), "wvggz.yaml: transitions[3].to: unknown state \"besluit\"");
}

TEST(LoadWorkflowFileTest, MinimalFileLoads) {
  const LoadResult r = LoadWorkflowFile(Fixture("minimal.yaml"));
  ASSERT_THAT(Lines(r), IsEmpty());
  ASSERT_THAT(r.definitions, SizeIs(1));
  const WorkflowDefinition& d = r.definitions[0];
  EXPECT_EQ(d.source_file, "minimal.yaml");
  EXPECT_EQ(d.initial_level, "regulier");  // defaults to the first level
  ASSERT_THAT(d.transitions, SizeIs(1));
  EXPECT_THAT(d.transitions[0].from, ElementsAre("ontvangen"));  // a string becomes a one-element list
  EXPECT_THAT(d.deadlines, IsEmpty());
  EXPECT_THAT(d.handling_norms, IsEmpty());
}

TEST(LoadWorkflowFileTest, FullFilePopulatesEveryField) {
  const LoadResult r = LoadWorkflowFile(Fixture("full.yaml"));
  ASSERT_THAT(Lines(r), IsEmpty());
  ASSERT_THAT(r.definitions, SizeIs(1));
  const WorkflowDefinition& d = r.definitions[0];
  EXPECT_EQ(d.id, "wvggz");
  EXPECT_EQ(d.version, 2);
  EXPECT_EQ(d.label, "Wvggz-melding");
  EXPECT_EQ(d.source_file, "full.yaml");

  ASSERT_THAT(d.levels, SizeIs(3));
  EXPECT_EQ(d.levels[2].id, "crisis");
  EXPECT_EQ(d.levels[2].label, "Crisis");
  EXPECT_EQ(d.initial_level, "verhoogd");

  ASSERT_THAT(d.states, SizeIs(3));
  EXPECT_EQ(d.states[0].id, "melding_ontvangen");
  EXPECT_EQ(d.states[0].label, "Melding ontvangen");
  EXPECT_TRUE(d.states[0].initial);
  EXPECT_FALSE(d.states[0].terminal);
  EXPECT_FALSE(d.states[1].initial);
  EXPECT_FALSE(d.states[1].terminal);
  EXPECT_TRUE(d.states[2].terminal);

  EXPECT_THAT(d.open.roles, ElementsAre("meldpunt", "regisseur"));
  EXPECT_THAT(d.open.org_types, ElementsAre("gemeente"));
  ASSERT_THAT(d.open.fields, SizeIs(2));
  EXPECT_EQ(d.open.fields[0].name, "melder_type");
  EXPECT_EQ(d.open.fields[0].type, FieldType::kEnum);
  EXPECT_THAT(d.open.fields[0].values, ElementsAre("burger", "professional", "politie"));
  EXPECT_EQ(d.open.fields[0].label, "Soort melder");
  EXPECT_FALSE(d.open.fields[0].optional);
  EXPECT_EQ(d.open.fields[1].type, FieldType::kBool);
  EXPECT_TRUE(d.open.fields[1].optional);
  ASSERT_THAT(d.open.guards, SizeIs(1));
  EXPECT_EQ(d.open.guards[0].name, "subject_age");
  const std::map<std::string, std::vector<std::string>> age_args = {
      {"min", {"12"}}, {"max_below", {"18"}}, {"at", {"registration"}}};
  EXPECT_EQ(d.open.guards[0].args, age_args);

  ASSERT_THAT(d.transitions, SizeIs(3));
  const TransitionSpec& start = d.transitions[0];
  EXPECT_EQ(start.name, "start_verrijking");
  EXPECT_EQ(start.label, "Start informatieverrijking");
  EXPECT_THAT(start.from, ElementsAre("melding_ontvangen"));
  EXPECT_EQ(start.to, "verrijking");
  EXPECT_THAT(start.roles, ElementsAre("meldpunt"));
  EXPECT_THAT(start.org_types, ElementsAre("gemeente", "ggz"));
  ASSERT_THAT(start.fields, SizeIs(4));
  EXPECT_EQ(start.fields[0].name, "samenvatting");
  EXPECT_EQ(start.fields[0].type, FieldType::kText);
  EXPECT_EQ(start.fields[0].label, "Samenvatting");
  EXPECT_EQ(start.fields[1].type, FieldType::kInteger);
  EXPECT_EQ(start.fields[2].type, FieldType::kDate);
  EXPECT_EQ(start.fields[3].type, FieldType::kDateTime);
  ASSERT_THAT(start.guards, SizeIs(1));
  EXPECT_EQ(start.guards[0].name, "config_enabled");
  EXPECT_THAT(start.guards[0].args.at("key"), ElementsAre("apv_gedragsaanwijzing"));
  EXPECT_EQ(start.level.kind, LevelChange::Kind::kRaise);

  const TransitionSpec& up = d.transitions[1];
  EXPECT_THAT(up.from, ElementsAre("melding_ontvangen", "verrijking"));
  EXPECT_EQ(up.to, "");  // stays in its state
  EXPECT_EQ(up.level.kind, LevelChange::Kind::kSet);
  EXPECT_EQ(up.level.level, "crisis");
  ASSERT_THAT(up.guards, SizeIs(2));
  EXPECT_THAT(up.guards[0].args.at("any_of"), ElementsAre("start_verrijking"));
  EXPECT_THAT(up.guards[1].args.at("deadline"), ElementsAre("beslissing"));

  const TransitionSpec& close = d.transitions[2];
  EXPECT_EQ(close.level.kind, LevelChange::Kind::kLower);
  EXPECT_THAT(close.roles, ElementsAre("regisseur", "system"));
  EXPECT_THAT(close.guards[1].args.at("fields"), ElementsAre("samenvatting", "aantal"));

  ASSERT_THAT(d.deadlines, SizeIs(3));
  const DeadlineSpec& decision = d.deadlines[0];
  EXPECT_EQ(decision.id, "beslissing");
  EXPECT_EQ(decision.label, "Verkennend onderzoek en besluit");
  EXPECT_EQ(decision.legal_basis, "art. 5:2 Wvggz");
  EXPECT_EQ(decision.kind, DeadlineSpec::Kind::kLegal);  // the default
  EXPECT_EQ(decision.duration, (DurationSpec{DurationSpec::Unit::kCalendarDays, 14}));
  EXPECT_TRUE(decision.start_on_open);
  EXPECT_EQ(decision.anchor, DeadlineSpec::Anchor::kReceived);
  EXPECT_THAT(decision.cleared_by, ElementsAre("afgesloten"));
  EXPECT_FALSE(decision.longer_when_field.has_value());

  const DeadlineSpec& ovj = d.deadlines[1];
  EXPECT_EQ(ovj.kind, DeadlineSpec::Kind::kMilestone);
  EXPECT_EQ(ovj.duration, (DurationSpec{DurationSpec::Unit::kCalendarDays, 28}));
  EXPECT_EQ(ovj.longer_when_field, "eigen_plan_van_aanpak");
  EXPECT_EQ(ovj.longer_duration, (DurationSpec{DurationSpec::Unit::kCalendarDays, 42}));
  EXPECT_FALSE(ovj.start_on_open);
  EXPECT_THAT(ovj.start_on_transition, ElementsAre("start_verrijking"));
  EXPECT_EQ(ovj.anchor, DeadlineSpec::Anchor::kTrigger);

  const DeadlineSpec& norm = d.deadlines[2];
  EXPECT_EQ(norm.kind, DeadlineSpec::Kind::kNorm);
  EXPECT_EQ(norm.duration, (DurationSpec{DurationSpec::Unit::kWorkingDays, 10}));
  EXPECT_THAT(norm.start_on_enter, ElementsAre("verrijking"));

  ASSERT_THAT(d.handling_norms, SizeIs(2));
  EXPECT_EQ(d.handling_norms[0].category, "woonoverlast");
  EXPECT_EQ(d.handling_norms[0].duration, (DurationSpec{DurationSpec::Unit::kWorkingDays, 5}));
  EXPECT_EQ(d.handling_norms[1].duration, (DurationSpec{DurationSpec::Unit::kHours, 24}));
}

TEST(LoadWorkflowFileTest, SyntaxErrorIsReportedWithLine) {
  const LoadResult r = LoadWorkflowFile(Fixture("syntax_error.yaml"));
  EXPECT_THAT(r.definitions, IsEmpty());
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_EQ(r.errors[0].file, "syntax_error.yaml");
  EXPECT_EQ(r.errors[0].path, "(document)");
  EXPECT_THAT(r.errors[0].message, HasSubstr("YAML syntax error: "));
  EXPECT_THAT(r.errors[0].message, HasSubstr("(line 6)"));  // where the unclosed list runs into the next key
}

TEST(LoadWorkflowFileTest, UnknownKeysAreReportedAtEveryLevel) {
  const LoadResult r = LoadWorkflowFile(Fixture("unknown_keys.yaml"));
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r),
              ElementsAre("unknown_keys.yaml: lable: unknown key \"lable\" (did you mean \"label\"?) (line 3)",
                          "unknown_keys.yaml: label: missing required key \"label\" (line 1)",
                          "unknown_keys.yaml: states[1].colour: unknown key \"colour\" (line 14)",
                          "unknown_keys.yaml: transitions[0].requires[0].optinal: unknown key \"optinal\" "
                          "(did you mean \"optional\"?) (line 24)",
                          "unknown_keys.yaml: deadlines[0].start.on_opne: unknown key \"on_opne\" "
                          "(did you mean \"on_open\"?) (line 31)"));
}

TEST(LoadWorkflowFileTest, MissingRequiredKeysAreReported) {
  const LoadResult r = LoadWorkflowFile(Fixture("missing_keys.yaml"));
  EXPECT_THAT(r.definitions, IsEmpty());
  // The validator's "version must be at least 1", "at least one role" and
  // "legal_basis must not be empty" would repeat these and are left out.
  EXPECT_THAT(Lines(r), ElementsAre("missing_keys.yaml: version: missing required key \"version\" (line 1)",
                                    "missing_keys.yaml: states[1].label: missing required key \"label\" (line 10)",
                                    "missing_keys.yaml: open.roles: missing required key \"roles\" (line 13)",
                                    "missing_keys.yaml: transitions[0].roles: missing required key \"roles\" (line 15)",
                                    "missing_keys.yaml: deadlines[0].legal_basis: missing required key "
                                    "\"legal_basis\" (line 20)"));
}

TEST(LoadWorkflowFileTest, WrongValueTypesAreReported) {
  const LoadResult r = LoadWorkflowFile(Fixture("wrong_types.yaml"));
  EXPECT_THAT(r.definitions, IsEmpty());
  // No "no initial state" or graph errors: they follow from the unread values.
  EXPECT_THAT(Lines(r),
              ElementsAre("wrong_types.yaml: version: expected a whole number, got \"abc\" (line 2)",
                          "wrong_types.yaml: label: expected a single value (line 3)",
                          "wrong_types.yaml: states[0].initial: expected true or false, got \"maybe\" (line 10)",
                          "wrong_types.yaml: open.roles: expected a list (line 15)",
                          "wrong_types.yaml: transitions[0].from: expected a value or a list (line 19)",
                          "wrong_types.yaml: transitions[0].level: expected raise, lower or {set: <level id>} (line 22)",
                          "wrong_types.yaml: transitions[1]: expected a map (line 23)"));
}

TEST(LoadWorkflowTextTest, UnreadableFromGivesNoGraphErrors) {
  // With the only transition's `from` unread, "ontvangen" would look like a
  // dead end and "afgesloten" unreachable: noise that hides the real problem.
  std::string text = ReadFixture("minimal.yaml");
  text.replace(text.find("from: ontvangen"), 15, "from: {state: ontvangen}");
  const LoadResult r = LoadWorkflowText(text, "from.yaml");
  EXPECT_THAT(Lines(r), ElementsAre("from.yaml: transitions[0].from: expected a value or a list (line 20)"));
}

TEST(LoadWorkflowFileTest, SemanticErrorsCarryFileAndLine) {
  const LoadResult r = LoadWorkflowFile(Fixture("semantic_errors.yaml"));
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r),
              ElementsAre("semantic_errors.yaml: transitions[0].to: unknown state \"besluit\" (line 20)",
                          "semantic_errors.yaml: states[1]: state \"afgesloten\" is unreachable from the initial "
                          "state (line 11)"));
}

TEST(LoadWorkflowFileTest, ReportsAllErrorsOfSeveralKinds) {
  const LoadResult r = LoadWorkflowFile(Fixture("several_errors.yaml"));
  EXPECT_THAT(r.definitions, IsEmpty());
  const std::string f = "several_errors.yaml: ";
  EXPECT_THAT(
      Lines(r),
      UnorderedElementsAre(
          f + "id: invalid case type \"Zorg\" (expected a lowercase identifier [a-z][a-z0-9_]{0,31}) (line 2)",
          f + "version: must be at least 1, got 0 (line 3)",
          f + "open.roles[1]: unknown role \"wethouder\" (line 18)",
          f + "transitions[0].gaurds: unknown key \"gaurds\" (did you mean \"guards\"?) (line 25)",
          f + "transitions[1].from[0]: transition out of terminal state \"afgesloten\" (line 28)",
          f + "deadlines[0].legal_basis: must not be empty (name the article or \"werkafspraak\") (line 34)",
          f + "deadlines[0].duration: malformed duration \"14 d\" (expected e.g. 14d, 10wd, 24h, 4w) (line 35)",
          f + "deadlines[0].cleared_by[0]: unknown state \"gesloten\" (line 37)",
          f + "states[1]: state \"verrijking\" is unreachable from the initial state (line 12)",
          f + "states[1]: non-terminal state \"verrijking\" has no transition to another state (line 12)"));
}

TEST(LoadWorkflowFileTest, MissingFileIsAnError) {
  const fs::path missing = Fixture("does_not_exist.yaml");
  const LoadResult r = LoadWorkflowFile(missing);
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("does_not_exist.yaml: (file): cannot read " + missing.string()));
}

// Found by fuzz/fuzz_workflow_loader: yaml-cpp 0.7's LoadAll never returns
// on a ',' that starts a token outside [ ] or { } (it allocates empty
// documents until memory runs out); the loader counts documents itself.
TEST(LoadWorkflowTextTest, AStrayCommaIsASyntaxErrorNotAHang) {
  const std::string refusal = "YAML syntax error: a ',' outside a [ ] list or { } map (line ";
  const std::string advice = "); a comma that separates items goes at the end of the previous line";
  const LoadResult minimal = LoadWorkflowText("- a:\n, b\n", "komma.yaml");
  EXPECT_THAT(minimal.definitions, IsEmpty());
  EXPECT_THAT(Lines(minimal), ElementsAre("komma.yaml: (document): " + refusal + "2" + advice));
  const LoadResult found = LoadWorkflowText(
      "id: topx\nstates:\n  - name: afwijzen\n    requires:\n    , label: Motivering}\n", "fuzz.yaml");
  // Inside a map yaml-cpp itself reports it.
  EXPECT_THAT(Lines(found), ElementsAre("fuzz.yaml: (document): YAML syntax error: end of map not found (line 5)"));
  // After a tag, not at the start of a line (the CI fuzz run of 2026-12-04).
  EXPECT_THAT(Lines(LoadWorkflowText("!a,", "tag.yaml")), ElementsAre("tag.yaml: (document): " + refusal + "1" + advice));
  EXPECT_THAT(Lines(LoadWorkflowText("id: x\nname: !a, b\n", "tag2.yaml")),
              ElementsAre("tag2.yaml: (document): YAML syntax error: end of map not found (line 2)"));
  EXPECT_THAT(Lines(LoadWorkflowText(",", "alleen.yaml")), ElementsAre("alleen.yaml: (document): " + refusal + "1" + advice));
  // A comma inside a plain scalar, a flow list or a comment is fine.
  EXPECT_TRUE(LoadWorkflowText(ReadFixture("minimal.yaml") + "# a, b\n", "ok.yaml").ok());
  std::string label_with_comma = ReadFixture("minimal.yaml");
  label_with_comma.replace(label_with_comma.find("Wvggz-melding"), 13, "Wvggz, melding");
  EXPECT_THAT(Lines(LoadWorkflowText(label_with_comma, "ok2.yaml")), IsEmpty());
}

TEST(LoadWorkflowTextTest, EmptyDocumentIsAnError) {
  const LoadResult r = LoadWorkflowText("", "leeg.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("leeg.yaml: (document): the file is empty"));
}

TEST(LoadWorkflowTextTest, SeveralDocumentsAreAnError) {
  const LoadResult r = LoadWorkflowText(ReadFixture("minimal.yaml") + "---\nid: jpp\n", "twee.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("twee.yaml: (document): expected one YAML document, found another (line 23)"));
}

TEST(LoadWorkflowTextTest, RootMustBeAMap) {
  const LoadResult r = LoadWorkflowText("- id: wvggz\n", "lijst.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("lijst.yaml: (document): expected a map of workflow keys (line 1)"));
}

TEST(LoadWorkflowTextTest, DuplicateKeyIsAnError) {
  const LoadResult r = LoadWorkflowText(ReadFixture("minimal.yaml") + "label: Nog een label\n", "dubbel.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("dubbel.yaml: label: duplicate key \"label\" (line 23)"));
}

TEST(LoadWorkflowTextTest, GuardArgumentShapes) {
  // A guard argument must be a value or a list of values, not a map.
  std::string text = ReadFixture("minimal.yaml");
  text += "    guards:\n      - {name: config_enabled, key: {a: b}}\n";
  const LoadResult r = LoadWorkflowText(text, "guard.yaml");
  EXPECT_THAT(Lines(r), ElementsAre("guard.yaml: transitions[0].guards[0].key: expected a value or a list (line 24)"));
}

// deadline_running names a deadline of the same file; any other is refused
// at load, with the line, and the file does not load.
TEST(LoadWorkflowTextTest, DeadlineRunningGuardOnUnknownDeadlineIsAnError) {
  std::string text = ReadFixture("minimal.yaml");
  text += "    guards:\n      - {name: deadline_running, deadline: huisverbod_duur}\n";
  const LoadResult unknown = LoadWorkflowText(text, "guard.yaml");
  EXPECT_THAT(unknown.definitions, IsEmpty());
  EXPECT_THAT(Lines(unknown),
              ElementsAre("guard.yaml: transitions[0].guards[0].deadline: unknown deadline \"huisverbod_duur\" (line 24)"));
  text += "deadlines:\n"
          "  - id: huisverbod_duur\n"
          "    label: Einde huisverbod\n"
          "    legal_basis: werkafspraak\n"
          "    duration: 10d\n"
          "    start: {on_open: true}\n"
          "    cleared_by: [afgesloten]\n";
  const LoadResult known = LoadWorkflowText(text, "guard.yaml");
  EXPECT_THAT(Lines(known), IsEmpty());
  ASSERT_THAT(known.definitions, SizeIs(1));
  const auto& guards = known.definitions[0].transitions[0].guards;
  ASSERT_THAT(guards, SizeIs(1));
  EXPECT_EQ(guards[0].name, "deadline_running");
  EXPECT_THAT(guards[0].args.at("deadline"), ElementsAre("huisverbod_duur"));
}

TEST(LoadWorkflowTextTest, GuardWithoutNameIsAnError) {
  std::string text = ReadFixture("minimal.yaml");
  text += "    guards:\n      - {key: apv}\n";
  const LoadResult r = LoadWorkflowText(text, "guard.yaml");
  EXPECT_THAT(Lines(r), ElementsAre("guard.yaml: transitions[0].guards[0].name: missing required key \"name\" (line 24)"));
}

TEST(LoadWorkflowTextTest, UnknownFieldTypeKindAndAnchor) {
  std::string text = ReadFixture("minimal.yaml");
  text += "    requires:\n      - {name: reden, type: txt}\n";
  text +=
      "deadlines:\n"
      "  - id: termijn\n"
      "    label: Termijn\n"
      "    legal_basis: werkafspraak\n"
      "    kind: wettelijk\n"
      "    duration: 14d\n"
      "    start: {on_open: true}\n"
      "    anchor: melding\n"
      "    cleared_by: [afgesloten]\n";
  const LoadResult r = LoadWorkflowText(text, "types.yaml");
  EXPECT_THAT(Lines(r),
              ElementsAre("types.yaml: transitions[0].requires[0].type: unknown field type \"txt\" (expected text, "
                          "bool, integer, date, datetime or enum) (line 24)",
                          "types.yaml: deadlines[0].kind: expected legal, milestone or norm, got \"wettelijk\" (line 29)",
                          "types.yaml: deadlines[0].anchor: expected trigger or received, got \"melding\" (line 32)"));
}

TEST(LoadWorkflowTextTest, LevelSetToUnknownLevelIsReportedAtSet) {
  std::string text = ReadFixture("minimal.yaml");
  text += "    level: {set: crisis}\n";
  const LoadResult r = LoadWorkflowText(text, "level.yaml");
  EXPECT_THAT(Lines(r), ElementsAre("level.yaml: transitions[0].level.set: unknown level \"crisis\" (line 23)"));
}

TEST(LoadDurationTest, ValidDurationsParse) {
  const std::pair<std::string, DurationSpec> cases[] = {
      {"14d", {DurationSpec::Unit::kCalendarDays, 14}},
      {"10wd", {DurationSpec::Unit::kWorkingDays, 10}},
      {"24h", {DurationSpec::Unit::kHours, 24}},
      {"4w", {DurationSpec::Unit::kCalendarDays, 28}},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    const LoadResult r = LoadWorkflowText(WithDeadlineDuration(text), "d.yaml");
    ASSERT_THAT(Lines(r), IsEmpty());
    ASSERT_THAT(r.definitions, SizeIs(1));
    EXPECT_EQ(r.definitions[0].deadlines.at(0).duration, expected);
  }
}

TEST(LoadDurationTest, MalformedDurationsAreReported) {
  for (const std::string text : {"14", "d", "-1d", "1.5d", "14 d", "0d"}) {
    SCOPED_TRACE(text);
    const LoadResult r = LoadWorkflowText(WithDeadlineDuration(text), "d.yaml");
    EXPECT_THAT(r.definitions, IsEmpty());
    EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].duration: malformed duration \"" + text +
                                      "\" (expected e.g. 14d, 10wd, 24h, 4w) (line 27)"));
  }
}

TEST(LoadDurationTest, MalformedLongerAndHandlingNormDurations) {
  std::string text = WithDeadlineDuration("4w");
  text += "    longer: {when: verlenging, duration: 6x}\n";
  text += "handling_norms:\n  - {category: woonoverlast, duration: 5 wd}\n";
  // The longer term's bool field must exist; declare it on opening.
  const std::string open_line = "  roles: [meldpunt]\n";
  text.replace(text.find(open_line), open_line.size(), open_line + "  requires: [{name: verlenging, type: bool}]\n");
  const LoadResult r = LoadWorkflowText(text, "d.yaml");
  EXPECT_THAT(Lines(r),
              ElementsAre("d.yaml: deadlines[0].longer.duration: malformed duration \"6x\" (expected e.g. 14d, 10wd, "
                          "24h, 4w) (line 31)",
                          "d.yaml: handling_norms[0].duration: malformed duration \"5 wd\" (expected e.g. 14d, 10wd, "
                          "24h, 4w) (line 33)"));
}

TEST(LoadWorkflowDirectoryTest, LoadsYamlAndYmlSortedByName) {
  TempDir dir;
  const std::string minimal = ReadFixture("minimal.yaml");
  auto as_type = [&](const std::string& type) {
    std::string text = minimal;
    text.replace(text.find("id: wvggz"), 9, "id: " + type);
    return text;
  };
  dir.Write("b_wvggz.yaml", minimal);
  dir.Write("a_jpp.yml", as_type("jpp"));
  dir.Write("c_topx.yaml", as_type("topx"));
  dir.Write("notes.txt", "not a workflow");
  const LoadResult r = LoadWorkflowDirectory(dir.path());
  ASSERT_THAT(Lines(r), IsEmpty());
  ASSERT_THAT(r.definitions, SizeIs(3));
  EXPECT_EQ(r.definitions[0].source_file, "a_jpp.yml");
  EXPECT_EQ(r.definitions[0].id, "jpp");
  EXPECT_EQ(r.definitions[1].source_file, "b_wvggz.yaml");
  EXPECT_EQ(r.definitions[2].source_file, "c_topx.yaml");
}

TEST(LoadWorkflowDirectoryTest, OnlyFilesWithoutErrorsAreReturned) {
  TempDir dir;
  dir.Write("jpp.yaml", "id: jpp\nversion: 1\nlabel: [x\n");
  dir.Write("wvggz.yaml", ReadFixture("minimal.yaml"));
  const LoadResult r = LoadWorkflowDirectory(dir.path());
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_EQ(r.errors[0].file, "jpp.yaml");
  EXPECT_EQ(r.errors[0].path, "(document)");
  ASSERT_THAT(r.definitions, SizeIs(1));
  EXPECT_EQ(r.definitions[0].source_file, "wvggz.yaml");
}

TEST(LoadWorkflowDirectoryTest, TwoFilesWithTheSameIdAreAnError) {
  TempDir dir;
  dir.Write("a.yaml", ReadFixture("minimal.yaml"));
  dir.Write("b.yaml", ReadFixture("minimal.yaml"));
  const LoadResult r = LoadWorkflowDirectory(dir.path());
  EXPECT_THAT(Lines(r), ElementsAre("b.yaml: id: case type \"wvggz\" is already defined in a.yaml"));
  ASSERT_THAT(r.definitions, SizeIs(1));
  EXPECT_EQ(r.definitions[0].source_file, "a.yaml");
}

TEST(LoadWorkflowDirectoryTest, MissingDirectoryIsAnError) {
  const fs::path missing = fs::temp_directory_path() / "casus_loader_test_no_such_dir";
  const LoadResult r = LoadWorkflowDirectory(missing);
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre(missing.string() + ": (directory): not a readable directory"));
}

TEST(LoadWorkflowDirectoryTest, DirectoryWithoutWorkflowFilesIsAnError) {
  TempDir dir;
  dir.Write("README.md", "nothing here");
  const LoadResult r = LoadWorkflowDirectory(dir.path());
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre(dir.path().string() + ": (directory): no workflow files (*.yaml, *.yml)"));
}

}  // namespace
}  // namespace casus::engine

// The deadline key `suspendable: {roles: [..]}` (opschorting): what it
// loads into, and every error a functioneel beheerder can make with it, as
// exact lines.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "loader/workflow_loader.h"
#include "tests/loader/fixtures.h"

namespace casus::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using loader_test::Lines;

// The minimal fixture plus one deadline ending in `extra` (which starts on line 30).
std::string WithSuspendableDeadline(const std::string& extra) {
  return loader_test::ReadFixture("minimal.yaml") +
         "deadlines:\n"
         "  - id: termijn\n"
         "    label: Termijn\n"
         "    legal_basis: werkafspraak\n"
         "    duration: 5wd\n"
         "    start: {on_open: true}\n"
         "    cleared_by: [afgesloten]\n" +
         extra;
}

TEST(SuspendableLoaderTest, AbsentMeansNotSuspendable) {
  const LoadResult r = LoadWorkflowText(WithSuspendableDeadline(""), "d.yaml");
  ASSERT_THAT(Lines(r), IsEmpty());
  EXPECT_FALSE(r.definitions.at(0).deadlines.at(0).suspendable.has_value());
}

TEST(SuspendableLoaderTest, RolesLoad) {
  const LoadResult r =
      LoadWorkflowText(WithSuspendableDeadline("    suspendable:\n      roles: [coordinator, regisseur]\n"), "d.yaml");
  ASSERT_THAT(Lines(r), IsEmpty());
  ASSERT_THAT(r.definitions, SizeIs(1));
  const DeadlineSpec& d = r.definitions[0].deadlines.at(0);
  ASSERT_TRUE(d.suspendable.has_value());
  EXPECT_THAT(d.suspendable->roles, ElementsAre("coordinator", "regisseur"));
}

TEST(SuspendableLoaderTest, NotAMap) {
  const LoadResult r = LoadWorkflowText(WithSuspendableDeadline("    suspendable: true\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].suspendable: expected a map with roles (who may suspend "
                                    "the term) (line 30)"));
}

TEST(SuspendableLoaderTest, UnknownKey) {
  const LoadResult r =
      LoadWorkflowText(WithSuspendableDeadline("    suspendable: {roles: [coordinator], reden: verplicht}\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].suspendable.reden: unknown key \"reden\" (line 30)"));
}

TEST(SuspendableLoaderTest, MisspelledRoles) {
  const LoadResult r = LoadWorkflowText(WithSuspendableDeadline("    suspendable: {role: [coordinator]}\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r),
              ElementsAre("d.yaml: deadlines[0].suspendable.role: unknown key \"role\" (did you mean \"roles\"?) (line 30)",
                          "d.yaml: deadlines[0].suspendable.roles: missing required key \"roles\" (line 30)"));
}

TEST(SuspendableLoaderTest, MissingRoles) {
  const LoadResult r = LoadWorkflowText(WithSuspendableDeadline("    suspendable: {}\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  // Reported once: validation does not add "at least one role" for the unread key.
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].suspendable.roles: missing required key \"roles\" (line 30)"));
}

TEST(SuspendableLoaderTest, EmptyRoles) {
  const LoadResult r = LoadWorkflowText(WithSuspendableDeadline("    suspendable: {roles: []}\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].suspendable.roles: at least one role is required (line 30)"));
}

TEST(SuspendableLoaderTest, RolesNotAList) {
  const LoadResult r = LoadWorkflowText(WithSuspendableDeadline("    suspendable: {roles: coordinator}\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].suspendable.roles: expected a list (line 30)"));
}

TEST(SuspendableLoaderTest, UnknownRole) {
  const LoadResult r = LoadWorkflowText(
      WithSuspendableDeadline("    suspendable:\n      roles: [coordinator, wijkagent]\n"), "d.yaml");
  EXPECT_THAT(r.definitions, IsEmpty());
  EXPECT_THAT(Lines(r), ElementsAre("d.yaml: deadlines[0].suspendable.roles[1]: unknown role \"wijkagent\" (line 31)"));
}

// The shipped files mark only werkafspraken (norms) as suspendable, never a
// statutory term (docs/workflow-format.md, "Opschorting").
TEST(SuspendableLoaderTest, TheShippedWorkflowsMarkOnlyNorms) {
  const LoadResult r = LoadWorkflowDirectory(std::filesystem::path(CASUS_SOURCE_DIR) / "workflows");
  ASSERT_THAT(Lines(r), IsEmpty());
  std::vector<std::string> marked;
  for (const WorkflowDefinition& def : r.definitions) {
    for (const DeadlineSpec& d : def.deadlines) {
      if (!d.suspendable) continue;
      marked.push_back(def.id + "." + d.id);
      EXPECT_EQ(d.kind, DeadlineSpec::Kind::kNorm) << def.id << "." << d.id;
      EXPECT_THAT(d.suspendable->roles, ElementsAre("coordinator", "regisseur")) << def.id << "." << d.id;
    }
  }
  EXPECT_THAT(marked, ElementsAre("iaww.agendering", "iaww.monitoring_evaluatie", "jpp.bespreking_jpp",
                                  "jpp.monitoring_evaluatie", "topx.evaluatie"));
}

}  // namespace
}  // namespace casus::engine

// Top-X (workflows/topx.yaml): only gemeente, politie or OM nominate; the
// overleg includes (integraal or sectoraal) or rejects; the plan is evaluated
// every 6 months, the term restarting each time uitvoering is entered.
#include "tests/workflows/harness.h"

namespace casus::workflows_test {
namespace {

class TopxTest : public WorkflowTest {
 protected:
  TopxTest() : WorkflowTest("topx") {}

  static FieldMap OpenData() {
    return {{"reden_voordracht", Text("Veelpleger: geweld en overlast in het centrum")},
            {"aantal_incidenten_afgelopen_jaar", FieldValue(std::int64_t{23})}};
  }
  Actor regisseur = MakeActor("regisseur", "zvh");
  Actor coordinator = MakeActor("coordinator", "zvh");
};

TEST_F(TopxTest, OnlyGemeentePolitieOrOmNominate) {
  EXPECT_EQ(def().open.org_types, (std::vector<std::string>{"gemeente", "politie", "om"}));
  TimePoint now = At("2026-04-03T10:00:00Z");
  for (const char* org : {"ggz", "veilig_thuis", "woningcorporatie", "halt", "jongerenwerk", "reclassering", "zvh"}) {
    auto out = OpenAt(now, OpenData(), MakeActor("partner", org));
    ASSERT_FALSE(out.ok()) << org;
    EXPECT_EQ(out.status().code(), StatusCode::kPermissionDenied) << org;
    EXPECT_EQ(Reason(out.status()), "org_refused") << org;
  }
  for (const auto& [role, org] : std::vector<std::pair<std::string, std::string>>{
           {"partner", "politie"}, {"partner", "om"}, {"regisseur", "gemeente"}, {"coordinator", "gemeente"}}) {
    auto out = OpenAt(now, OpenData(), MakeActor(role, org));
    ASSERT_TRUE(out.ok()) << role << "@" << org << ": " << out.status().ToString();
    EXPECT_EQ(out->state, "voorgedragen");
    EXPECT_EQ(out->data.at("aantal_incidenten_afgelopen_jaar"), FieldValue(std::int64_t{23}));
  }
  auto meldpunt = OpenAt(now, OpenData(), MakeActor("meldpunt", "gemeente"));
  EXPECT_EQ(Reason(meldpunt.status()), "role_refused");
  FieldMap not_a_number = OpenData();
  not_a_number["aantal_incidenten_afgelopen_jaar"] = Text("23");
  auto bad = OpenAt(now, not_a_number, MakeActor("partner", "politie"));
  EXPECT_EQ(FieldErrorNames(bad.status()), std::vector<std::string>{"aantal_incidenten_afgelopen_jaar"});
}

TEST_F(TopxTest, InclusionRecordsIntegraalOrSectoraal) {
  CaseState kase = CaseIn(def(), "selectie");
  TimePoint at = At("2026-04-14T10:00:00Z");
  for (const char* aanpak : {"integraal", "sectoraal"}) {
    auto out = Do(kase, "opnemen", {{"aanpak", Text(aanpak)}, {"casusregisseur", Text("J. Janssen (ZVH)")}}, coordinator, at);
    ASSERT_TRUE(out.ok()) << aanpak << ": " << out.status().ToString();
    EXPECT_EQ(out->state, "opgenomen");
    EXPECT_EQ(out->data.at("aanpak"), Text(aanpak));
  }
  auto sector = Do(kase, "opnemen",
                   {{"aanpak", Text("sectoraal")}, {"sector", Text("zorg")}, {"casusregisseur", Text("J. Janssen")}},
                   coordinator, at);
  EXPECT_TRUE(sector.ok()) << sector.status().ToString();
  auto mixed = Do(kase, "opnemen", {{"aanpak", Text("gemengd")}, {"casusregisseur", Text("J. Janssen")}}, coordinator, at);
  EXPECT_EQ(Reason(mixed.status()), "invalid_data");
  EXPECT_EQ(FieldErrorNames(mixed.status()), std::vector<std::string>{"aanpak"});
  auto none = Do(kase, "opnemen", {{"casusregisseur", Text("J. Janssen")}}, coordinator, at);
  EXPECT_EQ(FieldErrorNames(none.status()), std::vector<std::string>{"aanpak"});
  auto by_police = Do(kase, "opnemen", {{"aanpak", Text("integraal")}, {"casusregisseur", Text("J. Janssen")}},
                      MakeActor("partner", "politie"), at);
  EXPECT_EQ(Reason(by_police.status()), "role_refused");
}

TEST_F(TopxTest, RejectionIsFinal) {
  CaseState kase = CaseIn(def(), "selectie");
  auto out = Do(kase, "afwijzen", {{"motivering", Text("Valt buiten de criteria")}}, coordinator,
                At("2026-04-14T10:00:00Z"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "afgewezen");
  EXPECT_EQ(out->events.back().type, "case.closed");
  CaseState rejected = Applied(kase, *out, "afwijzen");
  auto again = Do(rejected, "opnemen", DataFor("opnemen"), coordinator, At("2026-04-15T10:00:00Z"));
  EXPECT_EQ(Reason(again.status()), "case_closed");
}

// Every 6 months (182 days): started on entering uitvoering, cleared by
// evaluatie, started afresh when uitvoering is resumed.
TEST_F(TopxTest, EvaluatieTermRestartsOnEachEntryIntoUitvoering) {
  const auto* spec = def().FindDeadline("evaluatie");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->duration.ToString(), "182d");
  EXPECT_EQ(spec->start_on_enter, std::vector<std::string>{"uitvoering"});

  CaseState kase = CaseIn(def(), "plan_van_aanpak");
  auto started = Do(kase, "plan_vaststellen", DataFor("plan_vaststellen"), regisseur, At("2026-03-02T10:00:00Z"));
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  const auto* first = ActiveDeadline(started->deadlines, "evaluatie");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->started_at, At("2026-03-02T10:00:00Z"));
  EXPECT_EQ(first->due_at, At("2026-08-31T22:00:00Z"));
  EXPECT_TRUE(HasEvent(started->events, "deadline.started", {{"deadline", "evaluatie"}, {"due_at", "2026-08-31T22:00:00Z"}}));
  kase = Applied(kase, *started, "plan_vaststellen");

  // Partner contributions keep the term running.
  auto progress = Do(kase, "voortgang_vastleggen", {{"voortgang", Text("Dagbesteding gestart")}},
                     MakeActor("partner", "reclassering"), At("2026-05-01T10:00:00Z"));
  ASSERT_TRUE(progress.ok()) << progress.status().ToString();
  EXPECT_EQ(progress->deadlines, kase.deadlines);
  kase = Applied(kase, *progress, "voortgang_vastleggen");

  auto evaluated = Do(kase, "evalueren", {}, regisseur, At("2026-08-20T08:00:00Z"));
  ASSERT_TRUE(evaluated.ok());
  EXPECT_EQ(ActiveDeadline(evaluated->deadlines, "evaluatie"), nullptr);
  EXPECT_TRUE(HasEvent(evaluated->events, "deadline.cleared", {{"deadline", "evaluatie"}}));
  kase = Applied(kase, *evaluated, "evalueren");

  auto resumed = Do(kase, "uitvoering_voortzetten", {{"evaluatie_uitkomst", Text("Doelen deels bereikt")}}, regisseur,
                    At("2026-08-27T10:00:00Z"));
  ASSERT_TRUE(resumed.ok());
  ASSERT_EQ(resumed->deadlines.size(), 2u);
  EXPECT_EQ(resumed->deadlines[0].cleared_at, std::optional<TimePoint>(At("2026-08-20T08:00:00Z")));
  EXPECT_TRUE(resumed->deadlines[1].active());
  EXPECT_EQ(resumed->deadlines[1].started_at, At("2026-08-27T10:00:00Z"));
  EXPECT_EQ(resumed->deadlines[1].due_at, At("2027-02-25T23:00:00Z"));
  kase = Applied(kase, *resumed, "uitvoering_voortzetten");

  auto second = Do(kase, "evalueren", {}, coordinator, At("2027-02-10T09:00:00Z"));
  ASSERT_TRUE(second.ok());
  kase = Applied(kase, *second, "evalueren");
  auto done = Do(kase, "afschalen", {{"afschaalreden", Text("doelen_bereikt")}}, coordinator, At("2027-02-11T09:00:00Z"));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->state, "afgeschaald");
  for (const auto& d : done->deadlines) EXPECT_FALSE(d.active());
  auto by_partner = Do(kase, "afschalen", {{"afschaalreden", Text("doelen_bereikt")}}, MakeActor("partner", "politie"),
                       At("2027-02-11T09:00:00Z"));
  EXPECT_EQ(Reason(by_partner.status()), "role_refused");
}

}  // namespace
}  // namespace casus::workflows_test

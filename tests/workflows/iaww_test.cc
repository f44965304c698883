// IAWW (workflows/iaww.yaml): the escalatiemodel woonoverlast, the
// gedragsaanwijzing (art. 151d Gemeentewet: burgemeester, APV power, milder
// step on record), the weekly overleg as a working-days norm and the
// handling norms per overlast category.
#include "tests/workflows/harness.h"

namespace casus::workflows_test {
namespace {

class IawwTest : public WorkflowTest {
 protected:
  IawwTest() : WorkflowTest("iaww") {}

  static FieldMap OpenData() {
    return {{"categorie", Text("woonoverlast")},
            {"melder_type", Text("burger")},
            {"wijk", Text("Bleijerheide")},
            {"omschrijving", Text("Nachtelijk lawaai en bedreiging van buren")}};
  }
  static FieldMap Aanwijzing() {
    return {{"besluitdatum", Text("2026-05-12")},
            {"gedragsaanwijzing_inhoud", Text("Geen geluidsoverlast tussen 22:00 en 07:00; geen contact met buren")},
            {"geldig_tot", Text("2026-11-12")}};
  }
  // A case in uitvoering at level `level` with `history` on record.
  CaseState InUitvoering(const std::string& level, std::vector<std::string> history) const {
    CaseState kase = CaseIn(def(), "uitvoering");
    kase.level = level;
    kase.history = std::move(history);
    return kase;
  }
  TimePoint Due(TimePoint received) {
    auto out = OpenAt(received, OpenData(), meldpunt);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    const DeadlineState* d = out.ok() ? ActiveDeadline(out->deadlines, "agendering") : nullptr;
    EXPECT_NE(d, nullptr);
    return d ? d->due_at : TimePoint{};
  }

  Actor meldpunt = MakeActor("meldpunt", "gemeente");
  Actor regisseur = MakeActor("regisseur", "gemeente");
  Actor coordinator = MakeActor("coordinator", "gemeente");
  Actor burgemeester = MakeActor("burgemeester", "gemeente");
};

TEST_F(IawwTest, LevelsFollowTheEscalatiemodelWoonoverlast) {
  std::vector<std::string> ids;
  for (const auto& l : def().levels) ids.push_back(l.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"eigen_oplossing", "bemiddeling", "interventies", "bestuurlijke_maatregel",
                                           "zvh"}));
  EXPECT_EQ(def().initial_level, "eigen_oplossing");
  // No generic raise: a level is only reached by the step that was taken.
  for (const auto& t : def().transitions) EXPECT_NE(t.level.kind, engine::LevelChange::Kind::kRaise) << t.name;
  const auto& g = T("gedragsaanwijzing_opleggen");
  EXPECT_EQ(g.roles, std::vector<std::string>{"burgemeester"});
  EXPECT_NE(g.label.find("art. 151d Gemeentewet"), std::string::npos);
  EXPECT_EQ(g.level.kind, engine::LevelChange::Kind::kSet);
  EXPECT_EQ(g.level.level, "bestuurlijke_maatregel");
}

TEST_F(IawwTest, GedragsaanwijzingRefusedWithoutTheApvPower) {
  CaseState kase = InUitvoering("interventies", {"plan_vaststellen", "uitvoering_starten", "interventie_inzetten"});
  auto out = Do(kase, "gedragsaanwijzing_opleggen", Aanwijzing(), burgemeester, At("2026-05-12T10:00:00Z"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(out.status()), "guard_failed");
  ASSERT_NE(out.status().detail(), nullptr);
  EXPECT_EQ(out.status().detail()->guard, "config_enabled");
  settings_.flags["apv_gedragsaanwijzing"] = false;
  auto off = Do(kase, "gedragsaanwijzing_opleggen", Aanwijzing(), burgemeester, At("2026-05-12T10:00:00Z"));
  ASSERT_NE(off.status().detail(), nullptr);
  EXPECT_EQ(off.status().detail()->guard, "config_enabled");
}

TEST_F(IawwTest, GedragsaanwijzingRefusedWithoutAMilderStepOnRecord) {
  settings_.flags["apv_gedragsaanwijzing"] = true;
  CaseState kase = InUitvoering("eigen_oplossing", {"verrijking_starten", "agenderen", "plan_vaststellen",
                                                    "uitvoering_starten", "afschalen"});
  auto out = Do(kase, "gedragsaanwijzing_opleggen", Aanwijzing(), burgemeester, At("2026-05-12T10:00:00Z"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(Reason(out.status()), "guard_failed");
  ASSERT_NE(out.status().detail(), nullptr);
  EXPECT_EQ(out.status().detail()->guard, "prior_transition");
}

TEST_F(IawwTest, GedragsaanwijzingWithApvPowerAndAMilderStepSetsBestuurlijkeMaatregel) {
  settings_.flags["apv_gedragsaanwijzing"] = true;
  for (const char* milder : {"bemiddeling_inzetten", "interventie_inzetten"}) {
    CaseState kase = InUitvoering("interventies", {"plan_vaststellen", "uitvoering_starten", milder});
    auto out = Do(kase, "gedragsaanwijzing_opleggen", Aanwijzing(), burgemeester, At("2026-05-12T10:00:00Z"));
    ASSERT_TRUE(out.ok()) << milder << ": " << out.status().ToString();
    EXPECT_EQ(out->state, "uitvoering");
    EXPECT_EQ(out->level, "bestuurlijke_maatregel");
    std::vector<DomainEvent> want = {
        {"case.transitioned", {{"transition", "gedragsaanwijzing_opleggen"}, {"from", "uitvoering"}, {"to", "uitvoering"}}},
        {"case.escalated", {{"from_level", "interventies"}, {"to_level", "bestuurlijke_maatregel"}}}};
    EXPECT_EQ(out->events, want);
  }
  CaseState kase = InUitvoering("interventies", {"interventie_inzetten"});
  auto regisseur_tries = Do(kase, "gedragsaanwijzing_opleggen", Aanwijzing(), regisseur, At("2026-05-12T10:00:00Z"));
  EXPECT_EQ(Reason(regisseur_tries.status()), "role_refused");
  auto elsewhere = Do(kase, "gedragsaanwijzing_opleggen", Aanwijzing(), MakeActor("burgemeester", "zvh"),
                      At("2026-05-12T10:00:00Z"));
  EXPECT_EQ(Reason(elsewhere.status()), "org_refused");
  FieldMap no_content = Aanwijzing();
  no_content.erase("gedragsaanwijzing_inhoud");
  auto empty = Do(kase, "gedragsaanwijzing_opleggen", no_content, burgemeester, At("2026-05-12T10:00:00Z"));
  EXPECT_EQ(FieldErrorNames(empty.status()), std::vector<std::string>{"gedragsaanwijzing_inhoud"});
}

// The steps of the ladder, lowering, opschaling to the ZVH and back.
TEST_F(IawwTest, EscalationStepsMoveTheLevel) {
  settings_.flags["apv_gedragsaanwijzing"] = true;
  CaseState kase = InUitvoering("eigen_oplossing", {});
  TimePoint at = At("2026-05-01T10:00:00Z");
  struct Step {
    std::string transition;
    FieldMap data;
    Actor actor;
    std::string state, level;
  };
  const FieldMap why{{"motivering", Text("Afspraken niet nagekomen")}};
  const Step steps[] = {
      {"bemiddeling_inzetten", {{"bemiddeling_vorm", Text("buurtbemiddeling")}}, regisseur, "uitvoering", "bemiddeling"},
      {"interventie_inzetten", {{"interventie", Text("waarschuwing")}}, coordinator, "uitvoering", "interventies"},
      {"gedragsaanwijzing_opleggen", Aanwijzing(), burgemeester, "uitvoering", "bestuurlijke_maatregel"},
      {"afschalen", why, regisseur, "uitvoering", "interventies"},
      {"opschalen_naar_zvh", why, coordinator, "opgeschaald_zvh", "zvh"},
      {"terugleggen_bij_iaww", why, coordinator, "uitvoering", "interventies"},
      {"afschalen", why, regisseur, "uitvoering", "bemiddeling"},
      {"afschalen", why, regisseur, "uitvoering", "eigen_oplossing"},
  };
  for (const auto& s : steps) {
    auto out = Do(kase, s.transition, s.data, s.actor, at);
    ASSERT_TRUE(out.ok()) << s.transition << ": " << out.status().ToString();
    EXPECT_EQ(out->state, s.state) << s.transition;
    EXPECT_EQ(out->level, s.level) << s.transition;
    kase = Applied(kase, *out, s.transition);
    at += std::chrono::hours(24);
  }
  auto below = Do(kase, "afschalen", why, regisseur, at);
  ASSERT_FALSE(below.ok());
  EXPECT_EQ(Reason(below.status()), "level_bound");
  auto zvh_by_regisseur = Do(kase, "opschalen_naar_zvh", why, regisseur, at);
  EXPECT_EQ(Reason(zvh_by_regisseur.status()), "role_refused");
}

// The weekly overleg: a new melding is on the agenda within 5 working days of
// receipt. Goede Vrijdag counts, Tweede Paasdag, Koningsdag, Bevrijdingsdag,
// the Kerstdagen and Nieuwjaarsdag do not.
TEST_F(IawwTest, AgenderingNormCountsWorkingDaysAcrossHolidays) {
  const auto* spec = def().FindDeadline("agendering");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->kind, engine::DeadlineSpec::Kind::kNorm);
  EXPECT_EQ(spec->duration.ToString(), "5wd");
  EXPECT_EQ(spec->anchor, engine::DeadlineSpec::Anchor::kReceived);
  EXPECT_EQ(Due(At("2026-03-02T09:00:00Z")), At("2026-03-09T23:00:00Z"));   // plain week, winter time
  EXPECT_EQ(Due(At("2026-04-02T09:00:00Z")), At("2026-04-10T22:00:00Z"));   // Easter: Fri 3 counts, Mon 6 not
  EXPECT_EQ(Due(At("2026-04-04T09:00:00Z")), At("2026-04-13T22:00:00Z"));   // received on Easter Saturday
  EXPECT_EQ(Due(At("2026-04-24T09:00:00Z")), At("2026-05-04T22:00:00Z"));   // Koningsdag Mon 27 April
  EXPECT_EQ(Due(At("2026-04-28T09:00:00Z")), At("2026-05-06T22:00:00Z"));   // Bevrijdingsdag Tue 5 May
  EXPECT_EQ(Due(At("2026-12-23T09:00:00Z")), At("2026-12-31T23:00:00Z"));   // Kerstdagen Fri 25, Sat 26
  EXPECT_EQ(Due(At("2026-12-24T09:00:00Z")), At("2027-01-04T23:00:00Z"));   // and Nieuwjaarsdag Fri 1 January
  // Received late on Thursday 2 April UTC = Friday 3 April in Amsterdam.
  EXPECT_EQ(Due(At("2026-04-02T22:30:00Z")), At("2026-04-13T22:00:00Z"));
}

TEST_F(IawwTest, AgenderingNormIsClearedWhenGeagendeerd) {
  Walker w(def(), At("2026-04-02T08:00:00Z"));
  ASSERT_TRUE(w.Open());
  ASSERT_TRUE(w.Take("verrijking_starten"));
  ASSERT_TRUE(w.Take("partnerinformatie_toevoegen"));
  EXPECT_NE(ActiveDeadline(w.kase().deadlines, "agendering"), nullptr);
  ASSERT_TRUE(w.Take("agenderen"));
  EXPECT_EQ(w.kase().state, "geagendeerd");
  EXPECT_EQ(ActiveDeadline(w.kase().deadlines, "agendering"), nullptr);
}

TEST_F(IawwTest, OnlyTheMeldpuntOfTheGemeenteRegisters) {
  auto ok = OpenAt(At("2026-04-02T09:00:00Z"), OpenData(), meldpunt);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->state, "aangemeld");
  EXPECT_EQ(ok->level, "eigen_oplossing");
  EXPECT_EQ(Reason(OpenAt(At("2026-04-02T09:00:00Z"), OpenData(), MakeActor("partner", "politie")).status()),
            "role_refused");
  EXPECT_EQ(Reason(OpenAt(At("2026-04-02T09:00:00Z"), OpenData(), MakeActor("meldpunt", "woningcorporatie")).status()),
            "org_refused");
  FieldMap other = OpenData();
  other["categorie"] = Text("vuurwerkoverlast");
  EXPECT_EQ(FieldErrorNames(OpenAt(At("2026-04-02T09:00:00Z"), other, meldpunt).status()),
            std::vector<std::string>{"categorie"});
}

TEST_F(IawwTest, HandlingNormsCoverTheKerkradeCategories) {
  std::map<std::string, std::string> got;
  for (const auto& n : def().handling_norms) got[n.category] = n.duration.ToString();
  std::map<std::string, std::string> want = {
      {"drugsoverlast", "5wd"},
      {"georganiseerde_criminaliteit_en_ondermijning", "10wd"},
      {"verward_gedrag", "2wd"},
      {"jeugdoverlast", "5wd"},
      {"prostitutie_en_mensenhandel", "5wd"},
      {"huiselijk_geweld", "1wd"},
      {"sociale_veiligheid_openbare_ruimte", "10wd"},
      {"verkeersveiligheid", "20wd"},
      {"woonoverlast", "5wd"},
  };
  EXPECT_EQ(got, want);
  // Every category a melding can have has a norm.
  const FieldSpec* categorie = nullptr;
  for (const auto& f : def().open.fields)
    if (f.name == "categorie") categorie = &f;
  ASSERT_NE(categorie, nullptr);
  std::set<std::string> categories(categorie->values.begin(), categorie->values.end());
  std::set<std::string> normed;
  for (const auto& [k, v] : want) normed.insert(k);
  EXPECT_EQ(categories, normed);
}

}  // namespace
}  // namespace casus::workflows_test

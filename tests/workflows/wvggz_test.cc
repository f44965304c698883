// Wvggz-melding (workflows/wvggz.yaml): the 14-day term from receipt
// (art. 5:2), the OvJ milestone (art. 5:16), the crisismaatregel (art. 7:1:
// burgemeester, five conditions, medische verklaring, 24 hours; art. 7:7:
// lapse after three days unless the OvJ asks for voortzetting) and telling
// the outcome only to an essentiële naaste.
#include "tests/workflows/harness.h"

namespace casus::workflows_test {
namespace {

const char* const kConditions[] = {"onmiddellijk_dreigend_ernstig_nadeel", "ernstig_vermoeden_psychische_stoornis",
                                   "maatregel_kan_nadeel_wegnemen", "te_urgent_voor_zorgmachtiging",
                                   "betrokkene_verzet_zich_tegen_zorg"};

class WvggzTest : public WorkflowTest {
 protected:
  WvggzTest() : WorkflowTest("wvggz") {}

  static FieldMap OpenData(bool essentiele_naaste = true) {
    return {{"melder_type", Text("naaste")},
            {"melder_is_essentiele_naaste", FieldValue(essentiele_naaste)},
            {"aanleiding", Text("Buurman bedreigt voorbijgangers en weigert hulp")}};
  }
  FieldMap Crisis(const FieldMap& overrides = {}) const {
    FieldMap data{{"medische_verklaring_kenmerk", Text("MV-2026-0142")},
                  {"medische_verklaring_datum", Text("2026-04-10")},
                  {"toegestane_zorgvormen", Text("toedienen van medicatie; opname in een accommodatie")}};
    for (const char* c : kConditions) data[c] = FieldValue(true);
    for (const auto& [k, v] : overrides) data[k] = v;
    return data;
  }
  // A case that had a crisismaatregel taken at `at` from verrijking.
  CaseState AfterCrisis(TimePoint at) {
    CaseState kase = CaseIn(def(), "verrijking");
    auto out = Do(kase, "crisismaatregel_nemen", Crisis(), burgemeester, at);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? Applied(kase, *out, "crisismaatregel_nemen") : kase;
  }

  Actor meldpunt = MakeActor("meldpunt", "gemeente");
  Actor regisseur = MakeActor("regisseur", "gemeente");
  Actor coordinator = MakeActor("coordinator", "gemeente");
  Actor burgemeester = MakeActor("burgemeester", "gemeente");
  Actor ovj = MakeActor("partner", "om");
  Actor ggz = MakeActor("partner", "ggz");
  Actor system = MakeActor("system", "");
};

TEST_F(WvggzTest, DefinitionEncodesTheTerms) {
  const auto* d = def().FindDeadline("wvggz_beslissing");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->legal_basis, "art. 5:2 Wvggz");
  EXPECT_EQ(d->kind, engine::DeadlineSpec::Kind::kLegal);
  EXPECT_EQ(d->duration.ToString(), "14d");
  EXPECT_TRUE(d->start_on_open);
  EXPECT_EQ(d->anchor, engine::DeadlineSpec::Anchor::kReceived);
  EXPECT_EQ(d->cleared_by, (std::vector<std::string>{"geen_vervolg", "vrijwillige_zorg",
                                                      "aanvraag_zorgmachtiging_ingediend", "afgesloten"}));
  const auto* ovj_term = def().FindDeadline("ovj_beslissing");
  ASSERT_NE(ovj_term, nullptr);
  EXPECT_EQ(ovj_term->kind, engine::DeadlineSpec::Kind::kMilestone);
  EXPECT_EQ(ovj_term->legal_basis, "art. 5:16 Wvggz");
  EXPECT_EQ(ovj_term->duration.ToString(), "28d");
  EXPECT_EQ(ovj_term->longer_when_field, std::optional<std::string>("eigen_plan_van_aanpak"));
  ASSERT_TRUE(ovj_term->longer_duration.has_value());
  EXPECT_EQ(ovj_term->longer_duration->ToString(), "42d");
  EXPECT_EQ(ovj_term->start_on_transition, std::vector<std::string>{"aanvraag_zorgmachtiging_indienen"});
  const auto* uitvoering = def().FindDeadline("crisismaatregel_tenuitvoerlegging");
  ASSERT_NE(uitvoering, nullptr);
  EXPECT_EQ(uitvoering->duration.ToString(), "24h");
  EXPECT_EQ(uitvoering->legal_basis, "art. 7:1 Wvggz");
  const auto* verval = def().FindDeadline("crisismaatregel_verval");
  ASSERT_NE(verval, nullptr);
  EXPECT_EQ(verval->duration.ToString(), "3d");
  EXPECT_EQ(verval->legal_basis, "art. 7:7 Wvggz");
  EXPECT_EQ(T("crisismaatregel_nemen").roles, std::vector<std::string>{"burgemeester"});
  EXPECT_EQ(T("verlenging_aangevraagd").org_types, std::vector<std::string>{"om"});
  EXPECT_EQ(T("crisismaatregel_vervallen").roles, (std::vector<std::string>{"system", "coordinator"}));
}

// Received Friday 2026-04-03, opened the next Monday: due at the end of
// Friday 2026-04-17, Amsterdam summer time.
TEST_F(WvggzTest, DecisionIsDueFourteenDaysAfterReceipt) {
  TimePoint received = At("2026-04-03T10:00:00Z");
  auto out = OpenAt(At("2026-04-06T09:00:00Z"), OpenData(), meldpunt, std::nullopt, received);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "melding_ontvangen");
  EXPECT_EQ(out->level, "regulier");
  ASSERT_EQ(out->deadlines.size(), 1u);
  EXPECT_EQ(out->deadlines[0].id, "wvggz_beslissing");
  EXPECT_EQ(out->deadlines[0].started_at, received);
  EXPECT_EQ(out->deadlines[0].due_at, At("2026-04-17T22:00:00Z"));
  EXPECT_TRUE(out->deadlines[0].active());
  ASSERT_EQ(out->events.size(), 2u);
  EXPECT_EQ(out->events[0].type, "case.created");
  EXPECT_EQ(out->events[1], (DomainEvent{"deadline.started",
                                         {{"deadline", "wvggz_beslissing"}, {"due_at", "2026-04-17T22:00:00Z"}}}));
}

TEST_F(WvggzTest, ReceiptDefaultsToOpeningAndCountsInAmsterdamDays) {
  auto same_day = OpenAt(At("2026-04-03T10:00:00Z"), OpenData(), meldpunt);
  ASSERT_TRUE(same_day.ok()) << same_day.status().ToString();
  EXPECT_EQ(same_day->deadlines.at(0).due_at, At("2026-04-17T22:00:00Z"));
  // 23:30 UTC on Friday is already Saturday 01:30 in Amsterdam. The 14th
  // day, Saturday 18 April, runs on to Monday (Algemene termijnenwet).
  auto late = OpenAt(At("2026-04-06T09:00:00Z"), OpenData(), meldpunt, std::nullopt, At("2026-04-03T23:30:00Z"));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->deadlines.at(0).due_at, At("2026-04-20T22:00:00Z"));
  // Winter time, and a term that crosses into summer time.
  auto winter = OpenAt(At("2026-01-05T12:00:00Z"), OpenData(), meldpunt);
  ASSERT_TRUE(winter.ok());
  EXPECT_EQ(winter->deadlines.at(0).due_at, At("2026-01-19T23:00:00Z"));
  // The 14th day is Goede Vrijdag 3 April (art. 3(2) Atw): on past Easter
  // Monday to Tuesday 7 April.
  auto across = OpenAt(At("2026-03-20T12:00:00Z"), OpenData(), meldpunt);
  ASSERT_TRUE(across.ok());
  EXPECT_EQ(across->deadlines.at(0).due_at, At("2026-04-07T22:00:00Z"));
}

TEST_F(WvggzTest, OpeningRecordsWhetherTheMelderIsAnEssentieleNaaste) {
  FieldMap data = OpenData();
  data.erase("melder_is_essentiele_naaste");
  auto out = OpenAt(At("2026-04-03T10:00:00Z"), data, meldpunt);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(Reason(out.status()), "invalid_data");
  EXPECT_EQ(FieldErrorNames(out.status()), std::vector<std::string>{"melder_is_essentiele_naaste"});
  auto not_naaste = OpenAt(At("2026-04-03T10:00:00Z"), OpenData(false), meldpunt);
  ASSERT_TRUE(not_naaste.ok()) << not_naaste.status().ToString();
  EXPECT_EQ(not_naaste->data.at("melder_is_essentiele_naaste"), FieldValue(false));
  auto politie = OpenAt(At("2026-04-03T10:00:00Z"), OpenData(), MakeActor("meldpunt", "politie"));
  EXPECT_EQ(Reason(politie.status()), "org_refused");
}

// The term is cleared by each state that means the decision was taken, and
// not by merely starting the verkennend onderzoek.
TEST_F(WvggzTest, DecisionTermIsClearedByEachDecision) {
  struct Case {
    std::vector<std::string> steps;
    std::string decided_in;
  };
  const Case cases[] = {
      {{"verrijking_starten", "geen_vervolg_besluiten"}, "geen_vervolg"},
      {{"verrijking_starten", "vrijwillige_zorg_inzetten"}, "vrijwillige_zorg"},
      {{"verrijking_starten", "verkennend_onderzoek_starten", "vrijwillige_zorg_inzetten"}, "vrijwillige_zorg"},
      {{"verrijking_starten", "verkennend_onderzoek_starten", "geen_vervolg_besluiten"}, "geen_vervolg"},
      {{"verrijking_starten", "verkennend_onderzoek_starten", "aanvraag_zorgmachtiging_indienen"},
       "aanvraag_zorgmachtiging_ingediend"},
  };
  for (const auto& c : cases) {
    Walker w(def());
    ASSERT_TRUE(w.Open());
    for (size_t i = 0; i < c.steps.size(); ++i) {
      TimePoint at = w.now();
      ASSERT_TRUE(w.Take(c.steps[i]));
      const DeadlineState* term = LastDeadline(w.kase().deadlines, "wvggz_beslissing");
      ASSERT_NE(term, nullptr);
      if (i + 1 < c.steps.size()) {
        EXPECT_TRUE(term->active()) << c.steps[i];
      } else {
        EXPECT_EQ(w.kase().state, c.decided_in);
        EXPECT_EQ(term->cleared_at, std::optional<TimePoint>(at));
        EXPECT_TRUE(HasEvent(w.last().events, "deadline.cleared", {{"deadline", "wvggz_beslissing"}}));
      }
    }
  }
}

// The OvJ decides within 4 weeks, 6 with an eigen plan van aanpak (art. 5:16).
TEST_F(WvggzTest, OvjMilestoneIsFourWeeksOrSixWithEigenPlanVanAanpak) {
  CaseState kase = CaseIn(def(), "verkennend_onderzoek");
  TimePoint at = At("2026-04-10T10:00:00Z");
  auto four = Do(kase, "aanvraag_zorgmachtiging_indienen",
                 {{"datum_aanvraag", Text("2026-04-10")}, {"eigen_plan_van_aanpak", FieldValue(false)}}, regisseur, at);
  ASSERT_TRUE(four.ok()) << four.status().ToString();
  const auto* d4 = ActiveDeadline(four->deadlines, "ovj_beslissing");
  ASSERT_NE(d4, nullptr);
  EXPECT_EQ(d4->started_at, at);
  EXPECT_EQ(d4->due_at, At("2026-05-08T22:00:00Z"));
  EXPECT_TRUE(HasEvent(four->events, "deadline.started",
                       {{"deadline", "ovj_beslissing"}, {"due_at", "2026-05-08T22:00:00Z"}}));
  auto six = Do(kase, "aanvraag_zorgmachtiging_indienen",
                {{"datum_aanvraag", Text("2026-04-10")}, {"eigen_plan_van_aanpak", FieldValue(true)}}, regisseur, at);
  ASSERT_TRUE(six.ok());
  const auto* d6 = ActiveDeadline(six->deadlines, "ovj_beslissing");
  ASSERT_NE(d6, nullptr);
  EXPECT_EQ(d6->due_at, At("2026-05-22T22:00:00Z"));
  // Recording the OvJ's decision ends the milestone.
  CaseState filed = Applied(kase, *six, "aanvraag_zorgmachtiging_indienen");
  auto decided = Do(filed, "ovj_besluit_vastleggen",
                    {{"ovj_besluit", Text("verzoekschrift_ingediend")}, {"datum_ovj_besluit", Text("2026-05-01")}}, ovj,
                    At("2026-05-01T09:00:00Z"));
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(decided->state, "ovj_besluit_genomen");
  EXPECT_EQ(ActiveDeadline(decided->deadlines, "ovj_beslissing"), nullptr);
}

TEST_F(WvggzTest, CrisismaatregelIsOnlyForTheBurgemeester) {
  CaseState kase = CaseIn(def(), "verrijking");
  for (const char* role : {"meldpunt", "regisseur", "partner", "coordinator", "privacy_officer", "admin", "system"}) {
    auto out = Do(kase, "crisismaatregel_nemen", Crisis(), MakeActor(role, "gemeente"), At("2026-04-10T14:00:00Z"));
    ASSERT_FALSE(out.ok()) << role;
    EXPECT_EQ(out.status().code(), StatusCode::kPermissionDenied) << role;
    EXPECT_EQ(Reason(out.status()), "role_refused") << role;
  }
  auto elsewhere = Do(kase, "crisismaatregel_nemen", Crisis(), MakeActor("burgemeester", "politie"),
                      At("2026-04-10T14:00:00Z"));
  EXPECT_EQ(Reason(elsewhere.status()), "org_refused");
  auto ok = Do(kase, "crisismaatregel_nemen", Crisis(), burgemeester, At("2026-04-10T14:00:00Z"));
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
}

TEST_F(WvggzTest, CrisismaatregelNeedsEachOfTheFiveConditions) {
  CaseState kase = CaseIn(def(), "verrijking");
  for (const char* condition : kConditions) {
    auto out = Do(kase, "crisismaatregel_nemen", Crisis({{condition, FieldValue(false)}}), burgemeester,
                  At("2026-04-10T14:00:00Z"));
    ASSERT_FALSE(out.ok()) << condition;
    EXPECT_EQ(out.status().code(), StatusCode::kFailedPrecondition) << condition;
    EXPECT_EQ(Reason(out.status()), "guard_failed") << condition;
    ASSERT_NE(out.status().detail(), nullptr);
    EXPECT_EQ(out.status().detail()->guard, "all_true") << condition;
    EXPECT_NE(out.status().message().find(condition), std::string::npos) << out.status().message();

    FieldMap missing = Crisis();
    missing.erase(condition);
    auto absent = Do(kase, "crisismaatregel_nemen", missing, burgemeester, At("2026-04-10T14:00:00Z"));
    EXPECT_EQ(Reason(absent.status()), "invalid_data") << condition;
    EXPECT_EQ(FieldErrorNames(absent.status()), std::vector<std::string>{condition});
  }
}

TEST_F(WvggzTest, CrisismaatregelNeedsTheMedischeVerklaringAndTheAllowedCare) {
  CaseState kase = CaseIn(def(), "melding_ontvangen");
  for (const char* field : {"medische_verklaring_kenmerk", "medische_verklaring_datum", "toegestane_zorgvormen"}) {
    FieldMap data = Crisis();
    data.erase(field);
    auto out = Do(kase, "crisismaatregel_nemen", data, burgemeester, At("2026-04-10T14:00:00Z"));
    ASSERT_FALSE(out.ok()) << field;
    EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Reason(out.status()), "invalid_data");
    EXPECT_EQ(FieldErrorNames(out.status()), std::vector<std::string>{field});
  }
  FieldMap neither = Crisis();
  neither.erase("medische_verklaring_kenmerk");
  neither.erase("medische_verklaring_datum");
  auto out = Do(kase, "crisismaatregel_nemen", neither, burgemeester, At("2026-04-10T14:00:00Z"));
  EXPECT_EQ(FieldErrorNames(out.status()),
            (std::vector<std::string>{"medische_verklaring_datum", "medische_verklaring_kenmerk"}));
  auto bad_date = Do(kase, "crisismaatregel_nemen", Crisis({{"medische_verklaring_datum", Text("2026-02-30")}}),
                     burgemeester, At("2026-04-10T14:00:00Z"));
  EXPECT_EQ(FieldErrorNames(bad_date.status()), std::vector<std::string>{"medische_verklaring_datum"});
}

// Taken at 16:37:12 local time: carried out within exactly 24 hours; lapses
// at the end of the third day after the day it was taken.
TEST_F(WvggzTest, CrisismaatregelStartsTheTwentyFourHourAndThreeDayTerms) {
  CaseState kase = CaseIn(def(), "verrijking");
  TimePoint at = At("2026-04-10T14:37:12Z");
  auto out = Do(kase, "crisismaatregel_nemen", Crisis(), burgemeester, at);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "crisismaatregel_genomen");
  EXPECT_EQ(out->level, "crisismaatregel");
  const auto* uitvoering = ActiveDeadline(out->deadlines, "crisismaatregel_tenuitvoerlegging");
  ASSERT_NE(uitvoering, nullptr);
  EXPECT_EQ(uitvoering->started_at, at);
  EXPECT_EQ(uitvoering->due_at, At("2026-04-11T14:37:12Z"));
  const auto* verval = ActiveDeadline(out->deadlines, "crisismaatregel_verval");
  ASSERT_NE(verval, nullptr);
  EXPECT_EQ(verval->due_at, At("2026-04-13T22:00:00Z"));
  std::vector<DomainEvent> want = {
      {"case.transitioned", {{"transition", "crisismaatregel_nemen"}, {"from", "verrijking"}, {"to", "crisismaatregel_genomen"}}},
      {"case.escalated", {{"from_level", "regulier"}, {"to_level", "crisismaatregel"}}},
      {"deadline.started", {{"deadline", "crisismaatregel_tenuitvoerlegging"}, {"due_at", "2026-04-11T14:37:12Z"}}},
      {"deadline.started", {{"deadline", "crisismaatregel_verval"}, {"due_at", "2026-04-13T22:00:00Z"}}},
  };
  EXPECT_EQ(out->events, want);
  EXPECT_EQ(out->data.at("toegestane_zorgvormen"), Text("toedienen van medicatie; opname in een accommodatie"));
}

TEST_F(WvggzTest, TwentyFourHoursAreRealHoursAcrossTheClockChange) {
  // Saturday 28 March 2026 13:00 CET; the clocks go forward that night.
  CaseState kase = AfterCrisis(At("2026-03-28T12:00:00Z"));
  const auto* uitvoering = ActiveDeadline(kase.deadlines, "crisismaatregel_tenuitvoerlegging");
  ASSERT_NE(uitvoering, nullptr);
  EXPECT_EQ(uitvoering->due_at, At("2026-03-29T12:00:00Z"));
  const auto* verval = ActiveDeadline(kase.deadlines, "crisismaatregel_verval");
  ASSERT_NE(verval, nullptr);
  EXPECT_EQ(verval->due_at, At("2026-03-31T22:00:00Z"));
}

TEST_F(WvggzTest, ExecutionClearsOnlyTheTwentyFourHourTerm) {
  CaseState kase = AfterCrisis(At("2026-04-10T14:37:12Z"));
  auto out = Do(kase, "tenuitvoerlegging_vastleggen", {{"tijdstip_tenuitvoerlegging", Text("2026-04-10T18:05:00+02:00")}},
                ggz, At("2026-04-10T16:10:00Z"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "crisismaatregel_uitgevoerd");
  const auto* uitvoering = LastDeadline(out->deadlines, "crisismaatregel_tenuitvoerlegging");
  ASSERT_NE(uitvoering, nullptr);
  EXPECT_EQ(uitvoering->cleared_at, std::optional<TimePoint>(At("2026-04-10T16:10:00Z")));
  EXPECT_NE(ActiveDeadline(out->deadlines, "crisismaatregel_verval"), nullptr);
  auto by_housing = Do(kase, "tenuitvoerlegging_vastleggen",
                       {{"tijdstip_tenuitvoerlegging", Text("2026-04-10T18:05:00+02:00")}},
                       MakeActor("partner", "woningcorporatie"), At("2026-04-10T16:10:00Z"));
  EXPECT_EQ(Reason(by_housing.status()), "org_refused");
}

// Lapse (art. 7:7): only once the three days have passed, by the system or a
// coordinator; the level returns to regulier.
TEST_F(WvggzTest, CrisismaatregelLapsesOnlyAfterThreeDays) {
  CaseState taken = AfterCrisis(At("2026-04-10T14:37:12Z"));
  auto executed = Do(taken, "tenuitvoerlegging_vastleggen",
                     {{"tijdstip_tenuitvoerlegging", Text("2026-04-10T18:05:00+02:00")}}, ggz, At("2026-04-10T16:10:00Z"));
  ASSERT_TRUE(executed.ok());
  CaseState kase = Applied(taken, *executed, "tenuitvoerlegging_vastleggen");

  for (const CaseState* c : {&taken, &kase}) {
    auto early = Do(*c, "crisismaatregel_vervallen", {}, system, At("2026-04-13T21:59:59Z"));
    ASSERT_FALSE(early.ok()) << c->state;
    EXPECT_EQ(early.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(Reason(early.status()), "guard_failed");
    ASSERT_NE(early.status().detail(), nullptr);
    EXPECT_EQ(early.status().detail()->guard, "deadline_passed");

    auto lapsed = Do(*c, "crisismaatregel_vervallen", {}, system, At("2026-04-13T22:00:00Z"));
    ASSERT_TRUE(lapsed.ok()) << c->state << ": " << lapsed.status().ToString();
    EXPECT_EQ(lapsed->state, "maatregel_vervallen");
    EXPECT_EQ(lapsed->level, "regulier");
    EXPECT_TRUE(HasEvent(lapsed->events, "case.deescalated", {{"from_level", "crisismaatregel"}, {"to_level", "regulier"}}));
    EXPECT_EQ(ActiveDeadline(lapsed->deadlines, "crisismaatregel_verval"), nullptr);
    EXPECT_EQ(ActiveDeadline(lapsed->deadlines, "crisismaatregel_tenuitvoerlegging"), nullptr);
  }
  auto by_coordinator = Do(kase, "crisismaatregel_vervallen", {}, coordinator, At("2026-04-14T08:00:00Z"));
  EXPECT_TRUE(by_coordinator.ok()) << by_coordinator.status().ToString();
  auto by_regisseur = Do(kase, "crisismaatregel_vervallen", {}, regisseur, At("2026-04-14T08:00:00Z"));
  EXPECT_EQ(Reason(by_regisseur.status()), "role_refused");
  auto by_burgemeester = Do(kase, "crisismaatregel_vervallen", {}, burgemeester, At("2026-04-14T08:00:00Z"));
  EXPECT_EQ(Reason(by_burgemeester.status()), "role_refused");
}

// The OvJ's verzoek stops the lapse: the term is cleared and the lapse is no
// longer possible, however late.
TEST_F(WvggzTest, VerlengingAangevraagdPreventsTheLapse) {
  CaseState taken = AfterCrisis(At("2026-04-10T14:37:12Z"));
  auto executed = Do(taken, "tenuitvoerlegging_vastleggen",
                     {{"tijdstip_tenuitvoerlegging", Text("2026-04-10T18:05:00+02:00")}}, ggz, At("2026-04-10T16:10:00Z"));
  ASSERT_TRUE(executed.ok());
  CaseState kase = Applied(taken, *executed, "tenuitvoerlegging_vastleggen");

  auto by_gemeente = Do(kase, "verlenging_aangevraagd", {{"datum_verzoekschrift", Text("2026-04-12")}},
                        MakeActor("partner", "gemeente"), At("2026-04-12T09:00:00Z"));
  EXPECT_EQ(Reason(by_gemeente.status()), "org_refused");
  auto asked = Do(kase, "verlenging_aangevraagd", {{"datum_verzoekschrift", Text("2026-04-12")}}, ovj,
                  At("2026-04-12T09:00:00Z"));
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  EXPECT_EQ(asked->state, "verzoek_voortzetting_ingediend");
  const auto* verval = LastDeadline(asked->deadlines, "crisismaatregel_verval");
  ASSERT_NE(verval, nullptr);
  EXPECT_EQ(verval->cleared_at, std::optional<TimePoint>(At("2026-04-12T09:00:00Z")));
  EXPECT_TRUE(HasEvent(asked->events, "deadline.cleared", {{"deadline", "crisismaatregel_verval"}}));

  CaseState extended = Applied(kase, *asked, "verlenging_aangevraagd");
  auto lapse = Do(extended, "crisismaatregel_vervallen", {}, system, At("2026-04-20T00:00:00Z"));
  ASSERT_FALSE(lapse.ok());
  EXPECT_EQ(Reason(lapse.status()), "not_allowed_in_state");
  // Even with the verzoek on record in the measure's own state, a cleared
  // term never counts as passed.
  CaseState odd = extended;
  odd.state = "crisismaatregel_uitgevoerd";
  auto guarded = Do(odd, "crisismaatregel_vervallen", {}, system, At("2026-04-20T00:00:00Z"));
  EXPECT_EQ(Reason(guarded.status()), "guard_failed");
}

// Only a melder who is an essentiële naaste may be told the outcome.
TEST_F(WvggzTest, OutcomeIsToldOnlyToAnEssentieleNaaste) {
  CaseState kase = CaseIn(def(), "vrijwillige_zorg");
  FieldMap data{{"datum_mededeling", Text("2026-04-15")}};
  auto unknown = Do(kase, "uitkomst_meegedeeld_aan_melder", data, meldpunt, At("2026-04-15T09:00:00Z"));
  EXPECT_EQ(Reason(unknown.status()), "guard_failed");
  kase.data["melder_is_essentiele_naaste"] = FieldValue(false);
  auto other = Do(kase, "uitkomst_meegedeeld_aan_melder", data, meldpunt, At("2026-04-15T09:00:00Z"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(Reason(other.status()), "guard_failed");
  ASSERT_NE(other.status().detail(), nullptr);
  EXPECT_EQ(other.status().detail()->guard, "all_true");
  kase.data["melder_is_essentiele_naaste"] = FieldValue(true);
  auto naaste = Do(kase, "uitkomst_meegedeeld_aan_melder", data, meldpunt, At("2026-04-15T09:00:00Z"));
  ASSERT_TRUE(naaste.ok()) << naaste.status().ToString();
  EXPECT_EQ(naaste->state, "vrijwillige_zorg");
  auto partner = Do(kase, "uitkomst_meegedeeld_aan_melder", data, ggz, At("2026-04-15T09:00:00Z"));
  EXPECT_EQ(Reason(partner.status()), "role_refused");
}

// A whole crisis episode, opened from a real melding, ending in afgesloten.
TEST_F(WvggzTest, CrisisEpisodeFromMeldingToAfgesloten) {
  Walker w(def(), At("2026-04-03T08:00:00Z"));
  ASSERT_TRUE(w.Open());
  ASSERT_TRUE(w.Take("verrijking_starten"));
  ASSERT_TRUE(w.Take("crisismaatregel_nemen"));
  EXPECT_EQ(w.kase().level, "crisismaatregel");
  EXPECT_NE(ActiveDeadline(w.kase().deadlines, "wvggz_beslissing"), nullptr);
  ASSERT_TRUE(w.Take("tenuitvoerlegging_vastleggen"));
  ASSERT_TRUE(w.Take("verlenging_aangevraagd"));
  ASSERT_TRUE(w.Take("afsluiten"));
  EXPECT_EQ(w.kase().state, "afgesloten");
  for (const auto& d : w.kase().deadlines) EXPECT_FALSE(d.active()) << d.id;
  EXPECT_EQ(w.last().events.back().type, "case.closed");
}

}  // namespace
}  // namespace casus::workflows_test

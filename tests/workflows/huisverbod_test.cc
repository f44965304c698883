// Tijdelijk huisverbod (workflows/huisverbod.yaml), the case type defined by
// YAML alone: the police prepare, only the burgemeester imposes (10 days,
// art. 2 Wth), extends once before the 10 days run out to at most 4 weeks
// after imposition (art. 9 Wth) — decided while the ban is in force, not
// merely before the tick records its end — or withdraws; the system ends the
// ban when its term passes; help starts during the ban (art. 3 Wth), and a
// case without help closes only with a motivation.
#include <algorithm>
#include <map>

#include "tests/workflows/harness.h"

namespace casus::workflows_test {
namespace {

class HuisverbodTest : public WorkflowTest {
 protected:
  HuisverbodTest() : WorkflowTest("huisverbod") {}

  static FieldMap OpenData() {
    return {{"aanleiding", Text("Mishandeling partner, kinderen aanwezig")},
            {"risicotaxatie_rihg", FieldValue(true)},
            {"kinderen_in_huishouden", FieldValue(true)}};
  }
  static FieldMap Impose() {
    return {{"besluitdatum", Text("2026-04-01")}, {"gronden", Text("Ernstig en onmiddellijk gevaar voor de partner")}};
  }
  static FieldMap Extend() {
    return {{"verlengingsdatum", Text("2026-04-09")}, {"motivering", Text("De dreiging duurt voort")}};
  }
  // A case whose ban the burgemeester imposed at `at`.
  CaseState Imposed(TimePoint at) {
    CaseState kase = CaseIn(def(), "voorbereiding");
    auto out = Do(kase, "huisverbod_opleggen", Impose(), burgemeester, at);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? Applied(kase, *out, "huisverbod_opleggen") : kase;
  }
  // The same, extended at `extended`.
  CaseState Extended(TimePoint imposed, TimePoint extended) {
    CaseState kase = Imposed(imposed);
    auto out = Do(kase, "huisverbod_verlengen", Extend(), burgemeester, extended);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? Applied(kase, *out, "huisverbod_verlengen") : kase;
  }

  Actor police = MakeActor("partner", "politie");
  Actor veilig_thuis = MakeActor("partner", "veilig_thuis");
  Actor regisseur = MakeActor("regisseur", "gemeente");
  Actor coordinator = MakeActor("coordinator", "gemeente");
  Actor burgemeester = MakeActor("burgemeester", "gemeente");
  Actor system = MakeActor("system", "");

  // Wednesday 1 April 2026, 16:37:12 Amsterdam summer time.
  const TimePoint imposed_at = At("2026-04-01T14:37:12Z");
  // The 10th day is Saturday 11 April; the 28th Wednesday 29 April.
  const TimePoint ten_days = At("2026-04-11T22:00:00Z");
  const TimePoint four_weeks = At("2026-04-29T22:00:00Z");
};

TEST_F(HuisverbodTest, DefinitionEncodesTheWet) {
  EXPECT_EQ(def().label, "Tijdelijk huisverbod");
  EXPECT_EQ(def().version, 2);
  EXPECT_FALSE(def().subject_bsn);
  const auto* duur = def().FindDeadline("huisverbod_duur");
  ASSERT_NE(duur, nullptr);
  EXPECT_EQ(duur->legal_basis, "art. 2 lid 1 Wet tijdelijk huisverbod");
  EXPECT_EQ(duur->kind, engine::DeadlineSpec::Kind::kLegal);
  EXPECT_EQ(duur->duration.ToString(), "10d");
  EXPECT_FALSE(duur->atw) << "the length of the measure is no term to act within";
  EXPECT_EQ(duur->start_on_transition, std::vector<std::string>{"huisverbod_opleggen"});
  EXPECT_EQ(duur->on_overdue, (std::vector<engine::OverdueConsequence>{
                                  {engine::OverdueConsequence::Kind::kTake, "huisverbod_afgelopen"}}));
  const auto* max = def().FindDeadline("huisverbod_maximale_duur");
  ASSERT_NE(max, nullptr);
  EXPECT_EQ(max->legal_basis, "art. 9 Wet tijdelijk huisverbod");
  EXPECT_EQ(max->duration.ToString(), "28d");
  EXPECT_FALSE(max->atw);
  EXPECT_EQ(max->start_on_transition, std::vector<std::string>{"huisverbod_opleggen"});
  EXPECT_EQ(max->on_overdue, (std::vector<engine::OverdueConsequence>{
                                 {engine::OverdueConsequence::Kind::kTake, "verlengd_huisverbod_afgelopen"}}));
  for (const char* t : {"huisverbod_opleggen", "afzien_van_huisverbod", "huisverbod_verlengen", "huisverbod_intrekken"}) {
    EXPECT_EQ(T(t).roles, std::vector<std::string>{"burgemeester"}) << t;
    EXPECT_EQ(T(t).org_types, std::vector<std::string>{"gemeente"}) << t;
  }
  const auto& extend_guards = T("huisverbod_verlengen").guards;
  ASSERT_EQ(extend_guards.size(), 1u);
  EXPECT_EQ(extend_guards[0].name, "deadline_running");
  EXPECT_EQ(extend_guards[0].args, (std::map<std::string, std::vector<std::string>>{{"deadline", {"huisverbod_duur"}}}));
  const auto& close_guards = T("afsluiten").guards;
  ASSERT_EQ(close_guards.size(), 1u);
  EXPECT_EQ(close_guards[0].name, "prior_transition");
  EXPECT_EQ(close_guards[0].args,
            (std::map<std::string, std::vector<std::string>>{{"any_of", {"hulpverlening_starten"}}}));
  const auto& without_help = T("afsluiten_zonder_hulpverlening");
  EXPECT_EQ(without_help.label, "Afsluiten zonder hulpverlening");
  EXPECT_EQ(without_help.from, std::vector<std::string>{"huisverbod_beeindigd"});
  EXPECT_EQ(without_help.to, "afgesloten");
  EXPECT_EQ(without_help.roles, (std::vector<std::string>{"regisseur", "coordinator"}));
  EXPECT_EQ(without_help.org_types, std::vector<std::string>{"gemeente"});
  EXPECT_TRUE(without_help.guards.empty());
  ASSERT_EQ(without_help.fields.size(), 1u);
  EXPECT_EQ(without_help.fields[0].name, "motivering_geen_hulpverlening");
  EXPECT_EQ(without_help.fields[0].type, engine::FieldType::kText);
  EXPECT_FALSE(without_help.fields[0].optional);
  EXPECT_EQ(T("huisverbod_afgelopen").roles, std::vector<std::string>{"system"});
  EXPECT_EQ(T("verlengd_huisverbod_afgelopen").roles, std::vector<std::string>{"system"});
  EXPECT_EQ(def().open.roles, std::vector<std::string>{"partner"});
  EXPECT_EQ(def().open.org_types, std::vector<std::string>{"politie"});
  ASSERT_TRUE(def().overleg.has_value());
  EXPECT_EQ(def().overleg->cadence_days, 3);
  EXPECT_EQ(def().overleg->local.new_states, std::vector<std::string>{"huisverbod_opgelegd"});
  EXPECT_EQ(def().overleg->local.awaiting_states, std::vector<std::string>{"huisverbod_beeindigd"});
  EXPECT_EQ(def().overleg->local.review_deadlines, std::vector<std::string>{"huisverbod_maximale_duur"});
  EXPECT_GE(def().levels.size(), 1u);
}

TEST_F(HuisverbodTest, ThePolicePrepareTheDecision) {
  auto out = OpenAt(At("2026-04-01T12:00:00Z"), OpenData(), police);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "voorbereiding");
  EXPECT_EQ(out->level, "voorbereiding");
  EXPECT_TRUE(out->deadlines.empty()) << "no term runs before the burgemeester decides";
  EXPECT_EQ(Reason(OpenAt(At("2026-04-01T12:00:00Z"), OpenData(), MakeActor("meldpunt", "politie")).status()),
            "role_refused");
  EXPECT_EQ(Reason(OpenAt(At("2026-04-01T12:00:00Z"), OpenData(), MakeActor("partner", "veilig_thuis")).status()),
            "org_refused");
  FieldMap data = OpenData();
  data.erase("risicotaxatie_rihg");
  auto missing = OpenAt(At("2026-04-01T12:00:00Z"), data, police);
  EXPECT_EQ(Reason(missing.status()), "invalid_data");
  EXPECT_EQ(FieldErrorNames(missing.status()), std::vector<std::string>{"risicotaxatie_rihg"});
}

// The 10 days end at the end of the 10th day after the decision, and are not
// moved off the Saturday: no Algemene termijnenwet on a measure's length.
TEST_F(HuisverbodTest, ImposingStartsTheTenDaysAndTheFourWeeks) {
  CaseState kase = CaseIn(def(), "voorbereiding");
  auto out = Do(kase, "huisverbod_opleggen", Impose(), burgemeester, imposed_at);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "huisverbod_opgelegd");
  EXPECT_EQ(out->level, "huisverbod");
  const auto* duur = ActiveDeadline(out->deadlines, "huisverbod_duur");
  ASSERT_NE(duur, nullptr);
  EXPECT_EQ(duur->started_at, imposed_at);
  EXPECT_EQ(duur->due_at, ten_days);
  const auto* max = ActiveDeadline(out->deadlines, "huisverbod_maximale_duur");
  ASSERT_NE(max, nullptr);
  EXPECT_EQ(max->due_at, four_weeks);
  std::vector<DomainEvent> want = {
      {"case.transitioned", {{"transition", "huisverbod_opleggen"}, {"from", "voorbereiding"}, {"to", "huisverbod_opgelegd"}}},
      {"case.escalated", {{"from_level", "voorbereiding"}, {"to_level", "huisverbod"}}},
      {"deadline.started", {{"deadline", "huisverbod_duur"}, {"due_at", "2026-04-11T22:00:00Z"}}},
      {"deadline.started", {{"deadline", "huisverbod_maximale_duur"}, {"due_at", "2026-04-29T22:00:00Z"}}},
  };
  EXPECT_EQ(out->events, want);
  // Imposed on Monday 30 March: the 28th day is Koningsdag, and stays so.
  auto koningsdag = Do(kase, "huisverbod_opleggen", Impose(), burgemeester, At("2026-03-30T08:00:00Z"));
  ASSERT_TRUE(koningsdag.ok());
  EXPECT_EQ(ActiveDeadline(koningsdag->deadlines, "huisverbod_maximale_duur")->due_at, At("2026-04-27T22:00:00Z"));
  EXPECT_EQ(ActiveDeadline(koningsdag->deadlines, "huisverbod_duur")->due_at, At("2026-04-09T22:00:00Z"));
}

TEST_F(HuisverbodTest, OnlyTheBurgemeesterImposesExtendsAndWithdraws) {
  CaseState preparing = CaseIn(def(), "voorbereiding");
  CaseState imposed = Imposed(imposed_at);
  struct Step {
    const CaseState* kase;
    std::string transition;
    FieldMap data;
  };
  const Step steps[] = {
      {&preparing, "huisverbod_opleggen", Impose()},
      {&preparing, "afzien_van_huisverbod", {{"motivering", Text("Geen onmiddellijk gevaar")}}},
      {&imposed, "huisverbod_verlengen", Extend()},
      {&imposed, "huisverbod_intrekken", {{"reden_beeindiging", Text("ingetrokken_door_burgemeester")}}},
  };
  for (const auto& s : steps) {
    for (const char* role : {"meldpunt", "regisseur", "partner", "coordinator", "privacy_officer", "admin", "system"}) {
      auto out = Do(*s.kase, s.transition, s.data, MakeActor(role, "gemeente"), imposed_at + std::chrono::hours(24));
      ASSERT_FALSE(out.ok()) << s.transition << " " << role;
      EXPECT_EQ(out.status().code(), StatusCode::kPermissionDenied);
      EXPECT_EQ(Reason(out.status()), "role_refused") << s.transition << " " << role;
    }
    for (const char* org : {"politie", "veilig_thuis", "om"}) {
      auto out = Do(*s.kase, s.transition, s.data, MakeActor("burgemeester", org), imposed_at + std::chrono::hours(24));
      EXPECT_EQ(Reason(out.status()), "org_refused") << s.transition << " " << org;
    }
    auto ok = Do(*s.kase, s.transition, s.data, burgemeester, imposed_at + std::chrono::hours(24));
    EXPECT_TRUE(ok.ok()) << s.transition << ": " << ok.status().ToString();
  }
}

TEST_F(HuisverbodTest, NotImposingEndsTheCase) {
  auto out = Do(CaseIn(def(), "voorbereiding"), "afzien_van_huisverbod", {{"motivering", Text("Geen gevaar")}},
                burgemeester, imposed_at);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "geen_huisverbod");
  EXPECT_EQ(out->events.back().type, "case.closed");
  auto without = Do(CaseIn(def(), "voorbereiding"), "afzien_van_huisverbod", {}, burgemeester, imposed_at);
  EXPECT_EQ(FieldErrorNames(without.status()), std::vector<std::string>{"motivering"});
}

// Extended on day 8: the 10-day term is cleared, the ban now ends 4 weeks
// after it was imposed (not 4 weeks after the extension).
TEST_F(HuisverbodTest, ExtensionWithinTheTenDaysRunsToFourWeeksAfterImposition) {
  CaseState kase = Imposed(imposed_at);
  TimePoint at = At("2026-04-09T10:00:00Z");
  auto out = Do(kase, "huisverbod_verlengen", Extend(), burgemeester, at);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "huisverbod_verlengd");
  EXPECT_EQ(out->level, "huisverbod");
  const auto* duur = LastDeadline(out->deadlines, "huisverbod_duur");
  ASSERT_NE(duur, nullptr);
  EXPECT_EQ(duur->cleared_at, std::optional<TimePoint>(at));
  EXPECT_TRUE(HasEvent(out->events, "deadline.cleared", {{"deadline", "huisverbod_duur"}}));
  const auto* max = ActiveDeadline(out->deadlines, "huisverbod_maximale_duur");
  ASSERT_NE(max, nullptr);
  EXPECT_EQ(max->started_at, imposed_at);
  EXPECT_EQ(max->due_at, four_weeks);
  // The last minute of the 10th day (Saturday 11 April, 23:59 Amsterdam)
  // and its last second still allow it.
  auto last_minute = Do(kase, "huisverbod_verlengen", Extend(), burgemeester, At("2026-04-11T21:59:00Z"));
  ASSERT_TRUE(last_minute.ok()) << last_minute.status().ToString();
  EXPECT_EQ(last_minute->state, "huisverbod_verlengd");
  EXPECT_EQ(ActiveDeadline(last_minute->deadlines, "huisverbod_maximale_duur")->due_at, four_weeks);
  auto last_moment = Do(kase, "huisverbod_verlengen", Extend(), burgemeester, ten_days - std::chrono::seconds(1));
  EXPECT_TRUE(last_moment.ok()) << last_moment.status().ToString();
  FieldMap no_reason = Extend();
  no_reason.erase("motivering");
  auto unmotivated = Do(kase, "huisverbod_verlengen", no_reason, burgemeester, at);
  EXPECT_EQ(FieldErrorNames(unmotivated.status()), std::vector<std::string>{"motivering"});
}

TEST_F(HuisverbodTest, ASecondExtensionIsRefused) {
  CaseState kase = Extended(imposed_at, At("2026-04-09T10:00:00Z"));
  auto again = Do(kase, "huisverbod_verlengen", Extend(), burgemeester, At("2026-04-20T10:00:00Z"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(again.status()), "not_allowed_in_state");
  ASSERT_NE(again.status().detail(), nullptr);
  EXPECT_EQ(std::set<std::string>(again.status().detail()->allowed_transitions.begin(),
                                  again.status().detail()->allowed_transitions.end()),
            (std::set<std::string>{"huisverbod_intrekken"}));
}

// Art. 9 Wth: the extension is decided while the ban is in force. From the
// end of the 10 days on it is refused, also while the case still sits in
// huisverbod_opgelegd because the deadline tick has not yet recorded the
// lapse: the guard reads the clock, not the tick.
TEST_F(HuisverbodTest, ExtensionAfterTheTenDaysIsRefusedBeforeAnyTick) {
  const CaseState kase = Imposed(imposed_at);
  ASSERT_EQ(kase.state, "huisverbod_opgelegd");
  for (TimePoint late : {ten_days, ten_days + std::chrono::seconds(1), ten_days + std::chrono::hours(30)}) {
    auto out = Do(kase, "huisverbod_verlengen", Extend(), burgemeester, late);
    ASSERT_FALSE(out.ok()) << FormatRfc3339(late);
    EXPECT_EQ(out.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(Reason(out.status()), "guard_failed");
    ASSERT_NE(out.status().detail(), nullptr);
    EXPECT_EQ(out.status().detail()->guard, "deadline_running");
    EXPECT_NE(out.status().message().find("huisverbod_duur"), std::string::npos) << out.status().message();
  }
  // The case is untouched: the system can still record the lapse.
  auto ended = Do(kase, "huisverbod_afgelopen", {}, system, ten_days + std::chrono::seconds(1));
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_EQ(ended->state, "huisverbod_beeindigd");
}

TEST_F(HuisverbodTest, ExtensionAfterTheBanEndedIsRefused) {
  CaseState kase = Imposed(imposed_at);
  auto ended = Do(kase, "huisverbod_afgelopen", {}, system, ten_days);
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  CaseState after = Applied(kase, *ended, "huisverbod_afgelopen");
  auto late = Do(after, "huisverbod_verlengen", Extend(), burgemeester, ten_days + std::chrono::hours(10));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(Reason(late.status()), "not_allowed_in_state");

  auto withdrawn = Do(kase, "huisverbod_intrekken", {{"reden_beeindiging", Text("vernietigd_door_rechter")}},
                      burgemeester, At("2026-04-03T10:00:00Z"));
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status().ToString();
  EXPECT_EQ(withdrawn->state, "huisverbod_beeindigd");
  EXPECT_EQ(withdrawn->level, "voorbereiding");
  EXPECT_EQ(ActiveDeadline(withdrawn->deadlines, "huisverbod_duur"), nullptr);
  EXPECT_EQ(ActiveDeadline(withdrawn->deadlines, "huisverbod_maximale_duur"), nullptr);
  CaseState gone = Applied(kase, *withdrawn, "huisverbod_intrekken");
  EXPECT_EQ(Reason(Do(gone, "huisverbod_verlengen", Extend(), burgemeester, At("2026-04-04T10:00:00Z")).status()),
            "not_allowed_in_state");
  auto bad_reason = Do(kase, "huisverbod_intrekken", {{"reden_beeindiging", Text("verhuisd")}}, burgemeester,
                       At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(FieldErrorNames(bad_reason.status()), std::vector<std::string>{"reden_beeindiging"});
}

// The system ends the ban exactly when the 10 days have passed, and not a
// second earlier; nobody else records the lapse.
TEST_F(HuisverbodTest, TheSystemEndsTheBanWhenTheTenDaysPass) {
  CaseState kase = Imposed(imposed_at);
  auto early = Do(kase, "huisverbod_afgelopen", {}, system, ten_days - std::chrono::seconds(1));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(Reason(early.status()), "guard_failed");
  ASSERT_NE(early.status().detail(), nullptr);
  EXPECT_EQ(early.status().detail()->guard, "deadline_passed");
  auto ended = Do(kase, "huisverbod_afgelopen", {}, system, ten_days);
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_EQ(ended->state, "huisverbod_beeindigd");
  EXPECT_EQ(ended->level, "voorbereiding");
  EXPECT_TRUE(HasEvent(ended->events, "case.deescalated", {{"from_level", "huisverbod"}, {"to_level", "voorbereiding"}}));
  EXPECT_EQ(ActiveDeadline(ended->deadlines, "huisverbod_duur"), nullptr);
  EXPECT_EQ(ActiveDeadline(ended->deadlines, "huisverbod_maximale_duur"), nullptr);
  for (const Actor& a : {coordinator, regisseur, burgemeester, police}) {
    auto out = Do(kase, "huisverbod_afgelopen", {}, a, ten_days + std::chrono::hours(1));
    EXPECT_EQ(Reason(out.status()), "role_refused") << a.roles.front();
  }
  // The 4-week lapse is not the one for a ban that was never extended.
  auto wrong = Do(kase, "verlengd_huisverbod_afgelopen", {}, system, four_weeks);
  EXPECT_EQ(Reason(wrong.status()), "not_allowed_in_state");
}

TEST_F(HuisverbodTest, TheSystemEndsAnExtendedBanFourWeeksAfterImposition) {
  CaseState kase = Extended(imposed_at, At("2026-04-09T10:00:00Z"));
  // Past the original 10 days the extended ban stays in force.
  auto ten = Do(kase, "huisverbod_afgelopen", {}, system, ten_days + std::chrono::hours(1));
  EXPECT_EQ(Reason(ten.status()), "not_allowed_in_state");
  auto early = Do(kase, "verlengd_huisverbod_afgelopen", {}, system, four_weeks - std::chrono::seconds(1));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(Reason(early.status()), "guard_failed");
  auto ended = Do(kase, "verlengd_huisverbod_afgelopen", {}, system, four_weeks);
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_EQ(ended->state, "huisverbod_beeindigd");
  EXPECT_EQ(ended->level, "voorbereiding");
  EXPECT_EQ(ActiveDeadline(ended->deadlines, "huisverbod_maximale_duur"), nullptr);
  auto by_coordinator = Do(kase, "verlengd_huisverbod_afgelopen", {}, coordinator, four_weeks);
  EXPECT_EQ(Reason(by_coordinator.status()), "role_refused");
}

// Help starts during the ban (art. 3 Wth): not before it is imposed, not
// after it ended; a case closes only with help on record.
TEST_F(HuisverbodTest, HelpStartsDuringTheBan) {
  FieldMap help{{"hulpverlening", Text("Ambulante hulp voor beide partners, steun voor de kinderen")},
                {"veilig_thuis_betrokken", FieldValue(true)}};
  EXPECT_EQ(Reason(Do(CaseIn(def(), "voorbereiding"), "hulpverlening_starten", help, veilig_thuis, imposed_at).status()),
            "not_allowed_in_state");
  CaseState imposed = Imposed(imposed_at);
  auto started = Do(imposed, "hulpverlening_starten", help, veilig_thuis, imposed_at + std::chrono::hours(20));
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->state, "huisverbod_opgelegd");
  EXPECT_EQ(started->data.at("veilig_thuis_betrokken"), FieldValue(true));
  EXPECT_NE(ActiveDeadline(started->deadlines, "huisverbod_duur"), nullptr) << "help does not end the ban";
  EXPECT_TRUE(Do(imposed, "hulpverlening_starten", help, regisseur, imposed_at).ok());
  EXPECT_EQ(Reason(Do(imposed, "hulpverlening_starten", help, police, imposed_at).status()), "org_refused");
  EXPECT_EQ(Reason(Do(imposed, "hulpverlening_starten", help, coordinator, imposed_at).status()), "role_refused");
  CaseState extended = Extended(imposed_at, At("2026-04-09T10:00:00Z"));
  EXPECT_TRUE(Do(extended, "hulpverlening_starten", help, veilig_thuis, At("2026-04-10T10:00:00Z")).ok());

  // Ended without help on record: it cannot start now, and the case cannot
  // close as one with help (afsluiten_zonder_hulpverlening is the way then).
  auto ended = Do(imposed, "huisverbod_afgelopen", {}, system, ten_days);
  ASSERT_TRUE(ended.ok());
  CaseState after = Applied(imposed, *ended, "huisverbod_afgelopen");
  EXPECT_EQ(Reason(Do(after, "hulpverlening_starten", help, veilig_thuis, ten_days).status()), "not_allowed_in_state");
  FieldMap closing{{"afsluitreden", Text("Nazorg afgesproken met Veilig Thuis")}};
  auto refused = Do(after, "afsluiten", closing, regisseur, ten_days + std::chrono::hours(30));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(Reason(refused.status()), "guard_failed");
  ASSERT_NE(refused.status().detail(), nullptr);
  EXPECT_EQ(refused.status().detail()->guard, "prior_transition");
  after.history.push_back("hulpverlening_starten");
  auto closed = Do(after, "afsluiten", closing, regisseur, ten_days + std::chrono::hours(30));
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->state, "afgesloten");
  EXPECT_EQ(Reason(Do(after, "afsluiten", closing, MakeActor("partner", "gemeente"), ten_days).status()), "role_refused");
}

// Art. 3 Wth: help is offered, it cannot be forced. A ban that ended without
// help on record closes with a motivation, and only once the ban has ended.
TEST_F(HuisverbodTest, WithoutHelpTheCaseClosesOnlyWithAMotivation) {
  const CaseState imposed = Imposed(imposed_at);
  auto ended = Do(imposed, "huisverbod_afgelopen", {}, system, ten_days);
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  const CaseState after = Applied(imposed, *ended, "huisverbod_afgelopen");
  ASSERT_EQ(std::count(after.history.begin(), after.history.end(), "hulpverlening_starten"), 0);
  const TimePoint later = ten_days + std::chrono::hours(30);
  const FieldMap motivation{{"motivering_geen_hulpverlening", Text("Huishouden weigerde elke hulp; verhuisd naar Duitsland")}};

  auto unmotivated = Do(after, "afsluiten_zonder_hulpverlening", {}, regisseur, later);
  ASSERT_FALSE(unmotivated.ok());
  EXPECT_EQ(Reason(unmotivated.status()), "invalid_data");
  EXPECT_EQ(FieldErrorNames(unmotivated.status()), std::vector<std::string>{"motivering_geen_hulpverlening"});
  auto empty = Do(after, "afsluiten_zonder_hulpverlening", {{"motivering_geen_hulpverlening", Text("")}}, regisseur, later);
  EXPECT_EQ(FieldErrorNames(empty.status()), std::vector<std::string>{"motivering_geen_hulpverlening"});
  // The closing reason of afsluiten does not stand in for the motivation.
  auto wrong_field = Do(after, "afsluiten_zonder_hulpverlening", {{"afsluitreden", Text("Nazorg afgesproken")}},
                        regisseur, later);
  EXPECT_EQ(FieldErrorNames(wrong_field.status()),
            (std::vector<std::string>{"afsluitreden", "motivering_geen_hulpverlening"}));

  for (const Actor& a : {regisseur, coordinator}) {
    auto closed = Do(after, "afsluiten_zonder_hulpverlening", motivation, a, later);
    ASSERT_TRUE(closed.ok()) << a.roles.front() << ": " << closed.status().ToString();
    EXPECT_EQ(closed->state, "afgesloten");
    EXPECT_EQ(closed->level, "voorbereiding");
    EXPECT_EQ(closed->data.at("motivering_geen_hulpverlening"), motivation.at("motivering_geen_hulpverlening"));
    EXPECT_EQ(closed->events.front(),
              (DomainEvent{"case.transitioned", {{"transition", "afsluiten_zonder_hulpverlening"},
                                                 {"from", "huisverbod_beeindigd"},
                                                 {"to", "afgesloten"}}}));
    EXPECT_EQ(closed->events.back().type, "case.closed");
  }
  for (const char* role : {"partner", "burgemeester", "meldpunt", "privacy_officer", "admin", "system"}) {
    auto out = Do(after, "afsluiten_zonder_hulpverlening", motivation, MakeActor(role, "gemeente"), later);
    ASSERT_FALSE(out.ok()) << role;
    EXPECT_EQ(out.status().code(), StatusCode::kPermissionDenied) << role;
    EXPECT_EQ(Reason(out.status()), "role_refused") << role;
  }
  for (const char* org : {"veilig_thuis", "politie", "zvh"}) {
    EXPECT_EQ(Reason(Do(after, "afsluiten_zonder_hulpverlening", motivation, MakeActor("regisseur", org), later).status()),
              "org_refused")
        << org;
  }
}

// Only an ended ban closes this way: not while it is in force (first
// 10 days or extended), not before it was imposed, not once closed.
TEST_F(HuisverbodTest, ClosingWithoutHelpOnlyFromAnEndedBan) {
  const FieldMap motivation{{"motivering_geen_hulpverlening", Text("Hulp geweigerd")}};
  const CaseState preparing = CaseIn(def(), "voorbereiding");
  const CaseState imposed = Imposed(imposed_at);
  const CaseState extended = Extended(imposed_at, At("2026-04-09T10:00:00Z"));
  for (const CaseState* kase : {&preparing, &imposed, &extended}) {
    auto out = Do(*kase, "afsluiten_zonder_hulpverlening", motivation, regisseur, At("2026-04-10T10:00:00Z"));
    ASSERT_FALSE(out.ok()) << kase->state;
    EXPECT_EQ(Reason(out.status()), "not_allowed_in_state") << kase->state;
  }
  for (const char* terminal : {"afgesloten", "geen_huisverbod"}) {
    auto out = Do(CaseIn(def(), terminal), "afsluiten_zonder_hulpverlening", motivation, regisseur,
                  At("2026-04-10T10:00:00Z"));
    ASSERT_FALSE(out.ok()) << terminal;
    EXPECT_EQ(Reason(out.status()), "case_closed") << terminal;
  }
  // Withdrawn by the burgemeester, help never started: closes the same way.
  auto withdrawn = Do(imposed, "huisverbod_intrekken", {{"reden_beeindiging", Text("ingetrokken_door_burgemeester")}},
                      burgemeester, At("2026-04-03T10:00:00Z"));
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status().ToString();
  const CaseState gone = Applied(imposed, *withdrawn, "huisverbod_intrekken");
  auto out = Do(gone, "afsluiten_zonder_hulpverlening", motivation, coordinator, At("2026-04-03T11:00:00Z"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "afgesloten");
}

// The whole journey through the engine: opened by the police, imposed,
// help started, extended, ended by the system after 4 weeks, closed.
TEST_F(HuisverbodTest, JourneyFromPoliceReportToAfgesloten) {
  Walker w(def(), imposed_at - std::chrono::hours(3));
  ASSERT_TRUE(w.Open());
  ASSERT_TRUE(w.Take("informatie_toevoegen"));
  ASSERT_TRUE(w.Take("huisverbod_opleggen"));
  ASSERT_TRUE(w.Take("hulpverlening_starten"));
  ASSERT_TRUE(w.Take("huisverbod_verlengen"));
  ASSERT_TRUE(w.Take("verlengd_huisverbod_afgelopen"));
  ASSERT_TRUE(w.Take("afsluiten"));
  EXPECT_EQ(w.kase().state, "afgesloten");
  EXPECT_EQ(w.last().events.back().type, "case.closed");
  for (const auto& d : w.kase().deadlines) EXPECT_FALSE(d.active()) << d.id;
}

// The journey of a household that refused all help: imposed, ended by the
// system after the 10 days, closed with the motivation.
TEST_F(HuisverbodTest, JourneyWithoutHelpToAfgesloten) {
  Walker w(def(), imposed_at - std::chrono::hours(3));
  ASSERT_TRUE(w.Open());
  ASSERT_TRUE(w.Take("huisverbod_opleggen"));
  ASSERT_TRUE(w.Take("huisverbod_afgelopen"));
  ASSERT_TRUE(w.Take("afsluiten_zonder_hulpverlening"));
  EXPECT_EQ(w.kase().state, "afgesloten");
  EXPECT_EQ(std::count(w.kase().history.begin(), w.kase().history.end(), "hulpverlening_starten"), 0);
  EXPECT_EQ(w.last().events.back().type, "case.closed");
  for (const auto& d : w.kase().deadlines) EXPECT_FALSE(d.active()) << d.id;
}

}  // namespace
}  // namespace casus::workflows_test

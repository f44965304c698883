// JPP (workflows/jpp.yaml): younger than 18 at registration, a Halt
// afdoening only from 12, a notificatiebrief or the reason why not when the
// case is discussed, and op-/afschalen between JPP, LJA and PGA.
#include "tests/workflows/harness.h"

namespace casus::workflows_test {
namespace {

class JppTest : public WorkflowTest {
 protected:
  JppTest() : WorkflowTest("jpp") {}

  static FieldMap OpenData() {
    return {{"aanmelder", Text("politie")}, {"reden_aanmelding", Text("Betrokken bij vernielingen, spijbelt")}};
  }
  static FieldMap Bespreking(const FieldMap& extra = {}) {
    FieldMap data{{"bespreekdatum", Text("2026-04-14")}, {"conclusie", Text("Jongerenwerk en school betrekken")}};
    for (const auto& [k, v] : extra) data[k] = v;
    return data;
  }
  // A case discussed in the JPP, of a subject born on `birth`.
  CaseState Besproken(Date birth) const {
    CaseState kase = CaseIn(def(), "besproken");
    kase.subject_birth_date = birth;
    kase.received_at = At("2026-03-02T09:00:00Z");
    return kase;
  }

  Actor politie = MakeActor("partner", "politie");
  Actor regisseur = MakeActor("regisseur", "gemeente");
  Actor coordinator = MakeActor("coordinator", "zvh");
};

TEST_F(JppTest, DefinitionEncodesTheRules) {
  ASSERT_EQ(def().levels.size(), 3u);
  EXPECT_EQ(def().levels[0].id, "jpp");
  EXPECT_EQ(def().levels[1].id, "lja");
  EXPECT_EQ(def().levels[2].id, "pga");
  ASSERT_EQ(def().open.guards.size(), 1u);
  EXPECT_EQ(def().open.guards[0].name, "subject_age");
  EXPECT_EQ(def().open.guards[0].args.at("max_below"), std::vector<std::string>{"18"});
  EXPECT_EQ(def().open.guards[0].args.at("at"), std::vector<std::string>{"registration"});
  const auto& halt = T("halt_afdoening_inzetten");
  ASSERT_EQ(halt.guards.size(), 1u);
  EXPECT_EQ(halt.guards[0].args.at("min"), std::vector<std::string>{"12"});
  EXPECT_EQ(halt.guards[0].args.at("at"), std::vector<std::string>{"now"});
  EXPECT_TRUE(T("halt_preventief_inzetten").guards.empty());
}

// 18th birthday on the day of registration: refused; one day younger: accepted.
TEST_F(JppTest, OpenRequiresASubjectYoungerThanEighteenAtRegistration) {
  TimePoint now = At("2026-04-03T10:00:00Z");
  auto eighteen = OpenAt(now, OpenData(), politie, D("2008-04-03"));
  ASSERT_FALSE(eighteen.ok());
  EXPECT_EQ(eighteen.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(eighteen.status()), "guard_failed");
  ASSERT_NE(eighteen.status().detail(), nullptr);
  EXPECT_EQ(eighteen.status().detail()->guard, "subject_age");

  auto seventeen = OpenAt(now, OpenData(), politie, D("2008-04-04"));
  ASSERT_TRUE(seventeen.ok()) << seventeen.status().ToString();
  EXPECT_EQ(seventeen->state, "aangemeld");
  EXPECT_EQ(seventeen->level, "jpp");

  auto unknown = OpenAt(now, OpenData(), politie, std::nullopt);
  EXPECT_EQ(Reason(unknown.status()), "guard_failed");
}

// The age at registration (Amsterdam date of receipt) counts, not the age when the case is opened.
TEST_F(JppTest, AgeIsTakenOnTheAmsterdamDateOfRegistration) {
  Date birth = D("2008-04-03");
  auto day_before = OpenAt(At("2026-04-03T10:00:00Z"), OpenData(), politie, birth, At("2026-04-02T10:00:00Z"));
  EXPECT_TRUE(day_before.ok()) << day_before.status().ToString();
  // 22:30 UTC on 2 April is 00:30 on 3 April in Amsterdam: the birthday.
  auto after_midnight = OpenAt(At("2026-04-03T10:00:00Z"), OpenData(), politie, birth, At("2026-04-02T22:30:00Z"));
  EXPECT_EQ(Reason(after_midnight.status()), "guard_failed");
}

TEST_F(JppTest, HaltAfdoeningOnlyFromTwelve) {
  CaseState kase = Besproken(D("2014-04-10"));
  FieldMap data = DataFor("halt_afdoening_inzetten");
  auto eleven = Do(kase, "halt_afdoening_inzetten", data, regisseur, At("2026-04-09T10:00:00Z"));
  ASSERT_FALSE(eleven.ok());
  EXPECT_EQ(eleven.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(eleven.status()), "guard_failed");
  ASSERT_NE(eleven.status().detail(), nullptr);
  EXPECT_EQ(eleven.status().detail()->guard, "subject_age");

  auto twelve = Do(kase, "halt_afdoening_inzetten", data, regisseur, At("2026-04-10T10:00:00Z"));
  ASSERT_TRUE(twelve.ok()) << twelve.status().ToString();
  EXPECT_EQ(twelve->state, "plan");
  // 22:30 UTC on the 9th is already the 10th in Amsterdam.
  auto midnight = Do(kase, "halt_afdoening_inzetten", data, regisseur, At("2026-04-09T22:30:00Z"));
  EXPECT_TRUE(midnight.ok()) << midnight.status().ToString();
}

TEST_F(JppTest, HaltPreventiefIsTheRouteForYoungerChildren) {
  CaseState kase = Besproken(D("2016-09-01"));  // 9 years old
  auto afdoening = Do(kase, "halt_afdoening_inzetten", DataFor("halt_afdoening_inzetten"), regisseur,
                      At("2026-04-09T10:00:00Z"));
  EXPECT_EQ(Reason(afdoening.status()), "guard_failed");
  auto preventief = Do(kase, "halt_preventief_inzetten", DataFor("halt_preventief_inzetten"), regisseur,
                       At("2026-04-09T10:00:00Z"));
  ASSERT_TRUE(preventief.ok()) << preventief.status().ToString();
  EXPECT_EQ(preventief->state, "plan");
}

TEST_F(JppTest, BesprokenNeedsANotificatiebriefOrTheReasonWhyNot) {
  CaseState kase = CaseIn(def(), "aangemeld");
  TimePoint at = At("2026-04-14T10:00:00Z");
  auto neither = Do(kase, "bespreken", Bespreking(), regisseur, at);
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(neither.status()), "guard_failed");
  ASSERT_NE(neither.status().detail(), nullptr);
  EXPECT_EQ(neither.status().detail()->guard, "any_present");

  auto not_sent = Do(kase, "bespreken", Bespreking({{"notificatiebrief_verzonden", FieldValue(false)}}), regisseur, at);
  EXPECT_EQ(Reason(not_sent.status()), "guard_failed");

  auto sent = Do(kase, "bespreken", Bespreking({{"notificatiebrief_verzonden", FieldValue(true)}}), regisseur, at);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->state, "besproken");
  EXPECT_EQ(sent->data.at("notificatiebrief_verzonden"), FieldValue(true));

  for (const char* reason : {"lopend_strafrechtelijk_onderzoek", "veiligheid_jeugdige", "veiligheid_melder_of_anderen"}) {
    auto why_not = Do(kase, "bespreken",
                      Bespreking({{"notificatiebrief_verzonden", FieldValue(false)},
                                  {"notificatiebrief_geen_reden", Text(reason)}}),
                      regisseur, at);
    ASSERT_TRUE(why_not.ok()) << reason << ": " << why_not.status().ToString();
    EXPECT_EQ(why_not->data.at("notificatiebrief_geen_reden"), Text(reason));
  }
  auto bad = Do(kase, "bespreken", Bespreking({{"notificatiebrief_geen_reden", Text("geen_zin")}}), regisseur, at);
  EXPECT_EQ(Reason(bad.status()), "invalid_data");
  EXPECT_EQ(FieldErrorNames(bad.status()), std::vector<std::string>{"notificatiebrief_geen_reden"});
}

TEST_F(JppTest, BesprekingIsDueWithinTwoWeeksAndClearedWhenDiscussed) {
  Walker w(def(), At("2026-04-03T08:00:00Z"));
  ASSERT_TRUE(w.Open());
  const auto* norm = ActiveDeadline(w.kase().deadlines, "bespreking_jpp");
  ASSERT_NE(norm, nullptr);
  EXPECT_EQ(norm->due_at, At("2026-04-17T22:00:00Z"));  // received 07:00 UTC on Friday 3 April
  EXPECT_EQ(def().FindDeadline("bespreking_jpp")->kind, engine::DeadlineSpec::Kind::kNorm);
  ASSERT_TRUE(w.Take("bespreken"));
  EXPECT_EQ(ActiveDeadline(w.kase().deadlines, "bespreking_jpp"), nullptr);
}

// JPP -> LJA -> PGA and back; no higher than PGA, no lower than JPP.
TEST_F(JppTest, OpAndAfschalenBetweenJppLjaAndPga) {
  CaseState kase = CaseIn(def(), "plan");
  TimePoint at = At("2026-04-14T10:00:00Z");
  FieldMap why{{"motivering", Text("Signalen van criminele uitbuiting")}};
  struct Step {
    std::string transition, from, to, event;
  };
  const Step steps[] = {{"opschalen", "jpp", "lja", "case.escalated"},
                        {"opschalen", "lja", "pga", "case.escalated"},
                        {"afschalen", "pga", "lja", "case.deescalated"},
                        {"opschalen", "lja", "pga", "case.escalated"}};
  for (const auto& s : steps) {
    ASSERT_EQ(kase.level, s.from);
    auto out = Do(kase, s.transition, why, coordinator, at);
    ASSERT_TRUE(out.ok()) << s.transition << " at " << s.from << ": " << out.status().ToString();
    EXPECT_EQ(out->state, "plan");
    EXPECT_EQ(out->level, s.to);
    std::vector<DomainEvent> want = {
        {"case.transitioned", {{"transition", s.transition}, {"from", "plan"}, {"to", "plan"}}},
        {s.event, {{"from_level", s.from}, {"to_level", s.to}}}};
    EXPECT_EQ(out->events, want);
    kase = Applied(kase, *out, s.transition);
  }
  auto above = Do(kase, "opschalen", why, coordinator, at);
  ASSERT_FALSE(above.ok());
  EXPECT_EQ(above.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(above.status()), "level_bound");

  CaseState bottom = CaseIn(def(), "monitoring");
  auto below = Do(bottom, "afschalen", why, regisseur, at);
  EXPECT_EQ(Reason(below.status()), "level_bound");
  auto by_partner = Do(bottom, "opschalen", why, politie, at);
  EXPECT_EQ(Reason(by_partner.status()), "role_refused");
}

}  // namespace
}  // namespace casus::workflows_test

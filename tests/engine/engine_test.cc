// The engine against a small hand-built definition: every refusal reason,
// level changes, deadline start/clear/restart, guards and data checks.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include "engine/field_check.h"
#include "tests/support/sample_workflow.h"
#include "tz/tzdb_civil_time.h"

namespace casus::engine {
namespace {

using namespace std::chrono_literals;

TimePoint At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

class EngineTest : public ::testing::Test {
 protected:
  WorkflowDefinition def = casus::testing::SampleWorkflow();
  DutchCalendar calendar{tz::Amsterdam()};
  Settings settings;
  Context ctx{At("2026-03-02T09:00:00Z"), &calendar, &settings};
  Actor meldpunt{"u1", {"meldpunt"}, "o1", "gemeente", "Kerkrade"};
  Actor regisseur{"u2", {"regisseur"}, "o2", "zvh", "Kerkrade"};
  Actor coordinator{"u3", {"coordinator"}, "o1", "gemeente", "Kerkrade"};
  Actor burgemeester{"u4", {"burgemeester"}, "o1", "gemeente", "Kerkrade"};

  CaseState InState(const std::string& state, const std::string& level = "laag") {
    CaseState c;
    c.id = "case_1";
    c.type = "iaww";
    c.definition_version = 3;
    c.state = state;
    c.level = level;
    c.version = 4;
    c.municipality = "Kerkrade";
    c.received_at = At("2026-02-27T10:00:00Z");
    c.opened_at = At("2026-03-01T10:00:00Z");
    return c;
  }
};

TEST_F(EngineTest, OpenStartsInInitialStateAndLevelWithDeadlineFromReceipt) {
  OpenRequest req{"Kerkrade", std::nullopt, At("2026-02-27T10:00:00Z"), {{"bron", std::string("burger")}}};
  auto out = Open(def, req, meldpunt, ctx);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "nieuw");
  EXPECT_EQ(out->level, "laag");
  ASSERT_EQ(out->deadlines.size(), 1u);
  EXPECT_EQ(out->deadlines[0].id, "besluit");
  EXPECT_EQ(out->deadlines[0].started_at, At("2026-02-27T10:00:00Z"));
  // 14 days after Friday 27 February: end of Friday 13 March, Amsterdam (UTC+1).
  EXPECT_EQ(FormatRfc3339(out->deadlines[0].due_at), "2026-03-13T23:00:00Z");
  ASSERT_EQ(out->events.size(), 2u);
  EXPECT_EQ(out->events[0].type, "case.created");
  EXPECT_EQ(out->events[1].type, "deadline.started");
  EXPECT_EQ(out->events[1].attrs.at("due_at"), "2026-03-13T23:00:00Z");
}

TEST_F(EngineTest, OpenRefusesWrongRoleOrgAndData) {
  OpenRequest req{"Kerkrade", std::nullopt, std::nullopt, {{"bron", std::string("burger")}}};
  auto by_regisseur = Open(def, req, regisseur, ctx);
  EXPECT_EQ(by_regisseur.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalName(by_regisseur.status().detail()->reason), "role_refused");
  Actor meldpunt_politie = meldpunt;
  meldpunt_politie.org_type = "politie";
  auto by_police = Open(def, req, meldpunt_politie, ctx);
  EXPECT_EQ(RefusalName(by_police.status().detail()->reason), "org_refused");
  OpenRequest bad{"Kerkrade", std::nullopt, std::nullopt, {{"bron", std::string("buurman")}}};
  auto bad_enum = Open(def, bad, meldpunt, ctx);
  ASSERT_EQ(bad_enum.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_enum.status().detail()->field_errors, (std::vector<FieldError>{{"bron", "must be one of: burger, politie"}}));
}

TEST_F(EngineTest, TransitionMovesStateStartsAndClearsDeadlines) {
  auto c = InState("nieuw");
  auto out = Transition(def, c, {"start", {{"plan", std::string("gesprek met melder")}}}, regisseur, ctx);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, "bezig");
  EXPECT_EQ(out->level, "laag");
  ASSERT_EQ(out->deadlines.size(), 1u);
  EXPECT_EQ(out->deadlines[0].id, "uitvoering");
  EXPECT_EQ(out->deadlines[0].due_at, ctx.now + 24h);
  EXPECT_EQ(std::get<std::string>(out->data.at("plan")), "gesprek met melder");
  ASSERT_EQ(out->events.size(), 2u);
  EXPECT_EQ(out->events[0], (DomainEvent{"case.transitioned", {{"transition", "start"}, {"from", "nieuw"}, {"to", "bezig"}}}));

  c.state = "bezig";
  c.deadlines = out->deadlines;
  auto done = Transition(def, c, {"afronden", {}}, regisseur, ctx);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, "klaar");
  ASSERT_EQ(done->deadlines.size(), 1u);
  EXPECT_EQ(done->deadlines[0].cleared_at, ctx.now);
  EXPECT_EQ(done->events.back().type, "case.closed");
  EXPECT_EQ(done->events[1], (DomainEvent{"deadline.cleared", {{"deadline", "uitvoering"}}}));
}

TEST_F(EngineTest, RefusalsSayWhy) {
  auto c = InState("nieuw");
  auto unknown = Transition(def, c, {"vliegen", {}}, regisseur, ctx);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);

  auto wrong_state = Transition(def, c, {"afronden", {}}, regisseur, ctx);
  ASSERT_EQ(wrong_state.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(RefusalName(wrong_state.status().detail()->reason), "not_allowed_in_state");
  EXPECT_EQ(wrong_state.status().detail()->allowed_transitions, std::vector<std::string>{"start"});

  auto wrong_role = Transition(def, c, {"start", {{"plan", std::string("x")}}}, meldpunt, ctx);
  EXPECT_EQ(wrong_role.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalName(wrong_role.status().detail()->reason), "role_refused");

  auto missing = Transition(def, c, {"start", {}}, regisseur, ctx);
  ASSERT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().detail()->field_errors, (std::vector<FieldError>{{"plan", "is required"}}));

  auto extra = Transition(def, c, {"start", {{"plan", std::string("x")}, {"bsn", std::string("123")}}}, regisseur, ctx);
  ASSERT_EQ(extra.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(extra.status().detail()->field_errors[0].field, "bsn");

  auto closed = Transition(def, InState("klaar"), {"start", {}}, regisseur, ctx);
  EXPECT_EQ(RefusalName(closed.status().detail()->reason), "case_closed");
}

TEST_F(EngineTest, OrgTypeRefusedEvenWithTheRole) {
  Actor burgemeester_elsewhere = burgemeester;
  burgemeester_elsewhere.org_type = "zvh";
  auto out = Transition(def, InState("bezig"), {"maatregel", {{"c1", true}, {"c2", true}}}, burgemeester_elsewhere, ctx);
  EXPECT_EQ(RefusalName(out.status().detail()->reason), "org_refused");
}

TEST_F(EngineTest, LevelsRaiseLowerSetAndStopAtTheEnds) {
  auto up = Transition(def, InState("nieuw", "laag"), {"opschalen", {}}, coordinator, ctx);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->level, "midden");
  EXPECT_EQ(up->state, "nieuw");
  EXPECT_EQ(up->events[1], (DomainEvent{"case.escalated", {{"from_level", "laag"}, {"to_level", "midden"}}}));
  auto down = Transition(def, InState("nieuw", "midden"), {"afschalen", {}}, coordinator, ctx);
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->level, "laag");
  EXPECT_EQ(down->events[1].type, "case.deescalated");
  auto top = Transition(def, InState("nieuw", "hoog"), {"opschalen", {}}, coordinator, ctx);
  EXPECT_EQ(RefusalName(top.status().detail()->reason), "level_bound");
  auto bottom = Transition(def, InState("nieuw", "laag"), {"afschalen", {}}, coordinator, ctx);
  EXPECT_EQ(RefusalName(bottom.status().detail()->reason), "level_bound");
}

TEST_F(EngineTest, DeadlineStartedByTransitionTakesLongerTermWhenFieldTrueAndRestarts) {
  auto c = InState("bezig", "laag");
  auto first = Transition(def, c, {"opschalen", {}}, coordinator, ctx);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->deadlines.size(), 1u);
  EXPECT_EQ(FormatRfc3339(first->deadlines[0].due_at), "2026-03-30T22:00:00Z");  // 28 days, CEST by then

  c.level = "midden";
  c.deadlines = first->deadlines;
  c.data["eigen_plan"] = true;
  auto second = Transition(def, c, {"opschalen", {}}, coordinator, ctx);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->deadlines.size(), 2u);
  EXPECT_EQ(second->deadlines[0].cleared_at, ctx.now);  // replaced
  EXPECT_TRUE(second->deadlines[1].active());
  EXPECT_EQ(FormatRfc3339(second->deadlines[1].due_at), "2026-04-13T22:00:00Z");  // 42 days
}

TEST_F(EngineTest, GuardsAreCheckedInOrderAndNamed) {
  auto c = InState("bezig");
  FieldMap ok_data{{"c1", true}, {"c2", true}};
  auto no_config = Transition(def, c, {"maatregel", ok_data}, burgemeester, ctx);
  ASSERT_EQ(no_config.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(no_config.status().detail()->guard, "config_enabled");

  settings.flags["apv"] = true;
  auto no_history = Transition(def, c, {"maatregel", ok_data}, burgemeester, ctx);
  EXPECT_EQ(no_history.status().detail()->guard, "prior_transition");

  c.history = {"start", "opschalen"};
  auto one_false = Transition(def, c, {"maatregel", {{"c1", true}, {"c2", false}}}, burgemeester, ctx);
  EXPECT_EQ(one_false.status().detail()->guard, "all_true");
  EXPECT_NE(one_false.status().message().find("c2"), std::string::npos);

  auto ok = Transition(def, c, {"maatregel", ok_data}, burgemeester, ctx);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->level, "hoog");
  EXPECT_EQ(ok->state, "bezig");
}

TEST_F(EngineTest, AllowedTransitionsFollowStateRoleAndOrg) {
  auto names = [](const std::vector<AllowedTransition>& v) {
    std::vector<std::string> out;
    for (const auto& a : v) out.push_back(a.name);
    return out;
  };
  EXPECT_EQ(names(AllowedTransitions(def, InState("bezig"), regisseur)), std::vector<std::string>{"afronden"});
  EXPECT_EQ(names(AllowedTransitions(def, InState("bezig"), coordinator)),
            (std::vector<std::string>{"opschalen", "afschalen"}));
  EXPECT_EQ(names(AllowedTransitions(def, InState("bezig"), burgemeester)), std::vector<std::string>{"maatregel"});
  EXPECT_TRUE(AllowedTransitions(def, InState("klaar"), regisseur).empty());
  auto start = AllowedTransitions(def, InState("nieuw"), regisseur);
  ASSERT_EQ(start.size(), 1u);
  EXPECT_EQ(start[0].fields[0].name, "plan");
}

TEST_F(EngineTest, OverdueDeadlinesAreActiveAndPastDue) {
  auto c = InState("bezig");
  c.deadlines = {{"a", ctx.now, ctx.now + 1h, std::nullopt},
                 {"b", ctx.now, ctx.now - 1h, std::nullopt},
                 {"c", ctx.now, ctx.now - 1h, ctx.now}};
  auto overdue = OverdueDeadlines(c, ctx.now);
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].id, "b");
}

TEST(FieldCheckTest, EveryTypeIsChecked) {
  std::vector<FieldSpec> specs = {{"t", FieldType::kText, {}, "", false},     {"b", FieldType::kBool, {}, "", false},
                                  {"i", FieldType::kInteger, {}, "", false},  {"d", FieldType::kDate, {}, "", false},
                                  {"dt", FieldType::kDateTime, {}, "", false}, {"e", FieldType::kEnum, {"x"}, "", false},
                                  {"o", FieldType::kText, {}, "", true}};
  FieldMap good{{"t", std::string("a")}, {"b", false},
                {"i", std::int64_t{3}},  {"d", std::string("2024-02-29")},
                {"dt", std::string("2026-11-23T10:00:00+01:00")}, {"e", std::string("x")}};
  EXPECT_TRUE(CheckFields(specs, good).empty());
  FieldMap bad{{"t", std::string("")},   {"b", std::string("true")}, {"i", true},
               {"d", std::string("2023-02-29")}, {"dt", std::string("2026-11-23 10:00")}, {"e", std::string("y")},
               {"o", std::string(kMaxTextFieldBytes + 1, 'a')}};
  auto errors = CheckFields(specs, bad);
  ASSERT_EQ(errors.size(), 7u);
  EXPECT_EQ(errors[0], (FieldError{"t", "must not be empty"}));
  EXPECT_EQ(errors[1], (FieldError{"b", "must be true or false"}));
  EXPECT_EQ(errors[2], (FieldError{"i", "must be a whole number"}));
  EXPECT_EQ(errors[3], (FieldError{"d", "must be a date (YYYY-MM-DD)"}));
  EXPECT_EQ(errors[4].field, "dt");
  EXPECT_EQ(errors[5].field, "e");
  EXPECT_EQ(errors[6].field, "o");
}

}  // namespace
}  // namespace casus::engine

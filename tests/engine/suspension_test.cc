// Opschorting (engine::SuspendDeadline / ResumeDeadline): a werkafspraak
// marked suspendable in the shipped workflows stops and moves on by the
// suspended time; statutory terms are refused with their legal basis; every
// documented refusal, in its documented order; and the edge cases (terms in
// hours, the Atw, restarts, deadlines stored before terms were recorded) on
// small definitions built here.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "engine/engine.h"
#include "engine/guard_eval.h"
#include "loader/workflow_loader.h"
#include "tests/support/sample_workflow.h"
#include "tz/tzdb_civil_time.h"

namespace casus::engine {
namespace {

using ::testing::HasSubstr;

TimePoint T(const char* rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(TimePoint{});
}

// A shipped workflow file, loaded once per test binary.
const WorkflowDefinition& Shipped(const std::string& id) {
  static std::map<std::string, WorkflowDefinition> loaded;
  auto it = loaded.find(id);
  if (it == loaded.end()) {
    LoadResult r = LoadWorkflowFile(std::filesystem::path(CASUS_SOURCE_DIR) / "workflows" / (id + ".yaml"));
    for (const auto& e : r.errors) ADD_FAILURE() << e.ToString();
    if (r.definitions.size() != 1) {
      ADD_FAILURE() << id << ".yaml did not load";
      r.definitions.resize(1);
    }
    it = loaded.emplace(id, std::move(r.definitions.front())).first;
  }
  return it->second;
}

const DeadlineState* Active(const std::vector<DeadlineState>& deadlines, const std::string& id) {
  for (const auto& d : deadlines)
    if (d.id == id && d.active()) return &d;
  return nullptr;
}

std::string Reason(const Status& s) { return s.detail() ? std::string(RefusalName(s.detail()->reason)) : ""; }

class SuspensionTest : public ::testing::Test {
 protected:
  Context At(const char* now) const { return Context{T(now), &calendar, &settings}; }

  // The case after `out`.
  static CaseState Apply(CaseState c, const Outcome& out) {
    c.state = out.state;
    c.level = out.level;
    c.data = out.data;
    c.deadlines = out.deadlines;
    ++c.version;
    return c;
  }

  // An IAWW case opened (and its report received) at `now`: agendering runs, 5 working days.
  CaseState OpenIaww(const char* now) {
    const WorkflowDefinition& def = Shipped("iaww");
    OpenRequest req{"Kerkrade", std::nullopt, std::nullopt,
                    {{"categorie", std::string("woonoverlast")},
                     {"melder_type", std::string("burger")},
                     {"wijk", std::string("Bleijerheide")},
                     {"omschrijving", std::string("Geluidsoverlast 's nachts")}}};
    auto out = Open(def, req, meldpunt, At(now));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    CaseState c;
    c.id = "case_1";
    c.type = def.id;
    c.definition_version = def.version;
    c.municipality = "Kerkrade";
    c.received_at = T(now);
    c.opened_at = T(now);
    return out.ok() ? Apply(c, *out) : c;
  }

  CaseState Suspended(CaseState c, const std::string& deadline, const char* now) {
    auto out = SuspendDeadline(Shipped(c.type), c, deadline, "In detentie tot nader order", coordinator, At(now));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? Apply(c, *out) : c;
  }

  CaseState Resumed(CaseState c, const std::string& deadline, const char* now) {
    auto out = ResumeDeadline(Shipped(c.type), c, deadline, coordinator, At(now));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? Apply(c, *out) : c;
  }

  DutchCalendar calendar{tz::Amsterdam()};
  Settings settings;
  Actor meldpunt{"u1", {"meldpunt"}, "o1", "gemeente", "Kerkrade"};
  Actor regisseur{"u2", {"regisseur"}, "o2", "zvh", "Kerkrade"};
  Actor coordinator{"u3", {"coordinator"}, "o1", "gemeente", "Kerkrade"};
};

// Opened Thursday 2 April 2026: agendering (5wd) ends Friday 10 April
// (Tweede Paasdag does not count).
constexpr const char* kOpened = "2026-04-02T10:00:00Z";
constexpr const char* kAgenderingDue = "2026-04-10T22:00:00Z";

TEST_F(SuspensionTest, StartingADeadlineRecordsItsTerm) {
  const CaseState c = OpenIaww(kOpened);
  const DeadlineState* d = Active(c.deadlines, "agendering");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->term, (DurationSpec{DurationSpec::Unit::kWorkingDays, 5}));
  EXPECT_EQ(d->extended_by, 0);
  EXPECT_FALSE(d->suspended());
  EXPECT_EQ(FormatRfc3339(d->due_at), kAgenderingDue);
}

TEST_F(SuspensionTest, SuspendKeepsStateLevelDataAndRecordsWhenAndWhy) {
  const CaseState c = OpenIaww(kOpened);
  auto out = SuspendDeadline(Shipped("iaww"), c, "agendering", "Betrokkene is klinisch opgenomen", coordinator,
                             At("2026-04-03T10:00:00Z"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, c.state);
  EXPECT_EQ(out->level, c.level);
  EXPECT_EQ(out->data, c.data);
  ASSERT_EQ(out->deadlines.size(), c.deadlines.size());
  const DeadlineState* d = Active(out->deadlines, "agendering");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->suspended());
  EXPECT_EQ(d->suspended_at, T("2026-04-03T10:00:00Z"));
  EXPECT_EQ(d->suspension_reason, "Betrokkene is klinisch opgenomen");
  EXPECT_EQ(FormatRfc3339(d->due_at), kAgenderingDue);  // moves only on resumption
  EXPECT_EQ(out->events, (std::vector<DomainEvent>{{"deadline.suspended", {{"deadline", "agendering"}}}}));
}

TEST_F(SuspensionTest, ResumeMovesTheEndByTheWorkingDaysLost) {
  const CaseState suspended = Suspended(OpenIaww(kOpened), "agendering", "2026-04-03T10:00:00Z");
  // Resumed Wednesday 8 April: Tuesday 7 and Wednesday 8 were lost (the
  // weekend and Tweede Paasdag were no working days anyway).
  auto out = ResumeDeadline(Shipped("iaww"), suspended, "agendering", regisseur, At("2026-04-08T10:00:00Z"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->state, suspended.state);
  EXPECT_EQ(out->level, suspended.level);
  EXPECT_EQ(out->data, suspended.data);
  const DeadlineState* d = Active(out->deadlines, "agendering");
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(d->suspended());
  EXPECT_FALSE(d->suspended_at.has_value());
  EXPECT_EQ(d->suspension_reason, "");
  EXPECT_EQ(d->extended_by, 2);
  EXPECT_EQ(d->started_at, T(kOpened));
  EXPECT_EQ(FormatRfc3339(d->due_at), "2026-04-14T22:00:00Z");  // Friday 10 -> Tuesday 14 April
  EXPECT_EQ(out->events, (std::vector<DomainEvent>{{"deadline.resumed",
                                                     {{"deadline", "agendering"}, {"due_at", "2026-04-14T22:00:00Z"}}}}));
}

TEST_F(SuspensionTest, ASuspendedDeadlineIsNeverOverdueNorPassed) {
  const CaseState c = Suspended(OpenIaww(kOpened), "agendering", "2026-04-03T10:00:00Z");
  const TimePoint long_after = T("2026-05-01T10:00:00Z");
  EXPECT_TRUE(OverdueDeadlines(c, long_after).empty());
  const Context ctx{long_after, &calendar, &settings};
  std::string why;
  EXPECT_FALSE(EvaluateGuard({"deadline_passed", {{"deadline", {"agendering"}}}}, GuardInput{c, {}, ctx}, why));

  // Resumed a week after the original end, Friday 17 April: nine working
  // days lost (7-10 and 13-17 April), so 14 working days from 2 April end on
  // Thursday 23 April, and that end is what counts from then on.
  const CaseState resumed = Resumed(c, "agendering", "2026-04-17T10:00:00Z");
  const DeadlineState* d = Active(resumed.deadlines, "agendering");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->extended_by, 9);
  EXPECT_EQ(FormatRfc3339(d->due_at), "2026-04-23T22:00:00Z");
  EXPECT_TRUE(OverdueDeadlines(resumed, T("2026-04-17T10:00:00Z")).empty());
  EXPECT_EQ(OverdueDeadlines(resumed, d->due_at).size(), 1u);
}

TEST_F(SuspensionTest, SuspendingTwiceAccumulates) {
  CaseState c = OpenIaww(kOpened);
  c = Suspended(c, "agendering", "2026-04-03T10:00:00Z");  // Friday
  c = Resumed(c, "agendering", "2026-04-07T10:00:00Z");    // Tuesday: 1 working day
  ASSERT_NE(Active(c.deadlines, "agendering"), nullptr);
  EXPECT_EQ(Active(c.deadlines, "agendering")->extended_by, 1);
  EXPECT_EQ(FormatRfc3339(Active(c.deadlines, "agendering")->due_at), "2026-04-13T22:00:00Z");
  c = Suspended(c, "agendering", "2026-04-09T10:00:00Z");  // Thursday
  c = Resumed(c, "agendering", "2026-04-13T10:00:00Z");    // Monday: Friday and Monday
  const DeadlineState* d = Active(c.deadlines, "agendering");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->extended_by, 3);
  // 5 + 3 working days from Thursday 2 April: Tuesday 15 April.
  EXPECT_EQ(FormatRfc3339(d->due_at), "2026-04-15T22:00:00Z");
}

TEST_F(SuspensionTest, ASuspendedDeadlineMayBeResumedAfterItsOriginalEnd) {
  const CaseState c = Suspended(OpenIaww(kOpened), "agendering", "2026-04-09T10:00:00Z");
  auto out = ResumeDeadline(Shipped("iaww"), c, "agendering", coordinator, At("2026-04-20T10:00:00Z"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_GT(Active(out->deadlines, "agendering")->due_at, T("2026-04-20T10:00:00Z"));
}

TEST_F(SuspensionTest, ClearingASuspendedDeadlineEndsTheSuspension) {
  CaseState c = Suspended(OpenIaww(kOpened), "agendering", "2026-04-03T10:00:00Z");
  const WorkflowDefinition& def = Shipped("iaww");
  auto enriched = Transition(def, c, {"verrijking_starten", {}}, meldpunt, At("2026-04-03T11:00:00Z"));
  ASSERT_TRUE(enriched.ok()) << enriched.status().ToString();
  c = Apply(c, *enriched);
  auto scheduled = Transition(def, c, {"agenderen", {{"overleg_datum", std::string("2026-04-09")}}}, meldpunt,
                              At("2026-04-03T12:00:00Z"));
  ASSERT_TRUE(scheduled.ok()) << scheduled.status().ToString();
  ASSERT_EQ(scheduled->deadlines.size(), 1u);
  const DeadlineState& cleared = scheduled->deadlines[0];
  EXPECT_EQ(cleared.cleared_at, T("2026-04-03T12:00:00Z"));
  EXPECT_FALSE(cleared.suspended_at.has_value());
  EXPECT_EQ(cleared.suspension_reason, "");
}

// ---- Refusals, in the order engine.h documents them ----

TEST_F(SuspensionTest, UnknownDeadlineIsNotFound) {
  const CaseState c = OpenIaww(kOpened);
  auto s = SuspendDeadline(Shipped("iaww"), c, "beslistermijn", "reden", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Reason(s.status()), "unknown_deadline");
  EXPECT_THAT(s.status().message(), HasSubstr("\"beslistermijn\""));
  auto r = ResumeDeadline(Shipped("iaww"), c, "beslistermijn", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Reason(r.status()), "unknown_deadline");
}

TEST_F(SuspensionTest, AClosedCaseIsRefused) {
  CaseState c = Suspended(OpenIaww(kOpened), "agendering", "2026-04-03T10:00:00Z");
  c.state = "afgesloten";
  auto s = SuspendDeadline(Shipped("iaww"), c, "agendering", "reden", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(s.status()), "case_closed");
  auto r = ResumeDeadline(Shipped("iaww"), c, "agendering", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(r.status()), "case_closed");
}

TEST_F(SuspensionTest, TheWvggzFourteenDaysMayNotBeSuspended) {
  const WorkflowDefinition& def = Shipped("wvggz");
  OpenRequest req{"Kerkrade", std::nullopt, std::nullopt,
                  {{"melder_type", std::string("naaste")},
                   {"melder_is_essentiele_naaste", true},
                   {"aanleiding", std::string("Verward gedrag op straat")}}};
  auto opened = Open(def, req, meldpunt, At(kOpened));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  CaseState c;
  c.type = "wvggz";
  c = Apply(c, *opened);
  ASSERT_NE(Active(c.deadlines, "wvggz_beslissing"), nullptr);

  auto s = SuspendDeadline(def, c, "wvggz_beslissing", "Betrokkene is opgenomen", coordinator,
                           At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(s.status()), "not_suspendable");
  EXPECT_THAT(s.status().message(), HasSubstr("art. 5:2 Wvggz"));
  EXPECT_THAT(s.status().message(), HasSubstr(def.FindDeadline("wvggz_beslissing")->label));
  auto r = ResumeDeadline(def, c, "wvggz_beslissing", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(Reason(r.status()), "not_suspendable");
}

TEST_F(SuspensionTest, TheCrisismaatregelTermsMayNotBeSuspended) {
  const WorkflowDefinition& def = Shipped("wvggz");
  CaseState c;
  c.type = "wvggz";
  c.state = "crisismaatregel_uitgevoerd";
  c.level = "crisismaatregel";
  c.deadlines = {{"crisismaatregel_verval", T(kOpened), T("2026-04-05T22:00:00Z"), std::nullopt}};
  for (const auto& [id, basis] : {std::pair<std::string, std::string>{"crisismaatregel_verval", "art. 7:7 Wvggz"},
                                  {"crisismaatregel_tenuitvoerlegging", "art. 7:1 Wvggz"}}) {
    auto s = SuspendDeadline(def, c, id, "reden", coordinator, At("2026-04-03T10:00:00Z"));
    EXPECT_EQ(Reason(s.status()), "not_suspendable") << id;
    EXPECT_THAT(s.status().message(), HasSubstr(basis)) << id;
  }
}

TEST_F(SuspensionTest, ARoleNotNamedMayNotSuspendOrResume) {
  const CaseState c = OpenIaww(kOpened);
  auto s = SuspendDeadline(Shipped("iaww"), c, "agendering", "reden", meldpunt, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(s.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(s.status()), "role_refused");
  EXPECT_THAT(s.status().message(), HasSubstr("coordinator"));
  const CaseState suspended = Suspended(c, "agendering", "2026-04-03T10:00:00Z");
  auto r = ResumeDeadline(Shipped("iaww"), suspended, "agendering", meldpunt, At("2026-04-06T10:00:00Z"));
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(r.status()), "role_refused");
}

TEST_F(SuspensionTest, AnEmptyReasonIsRefused) {
  const CaseState c = OpenIaww(kOpened);
  for (const std::string reason : {"", "  \n\t"}) {
    auto s = SuspendDeadline(Shipped("iaww"), c, "agendering", reason, coordinator, At("2026-04-03T10:00:00Z"));
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Reason(s.status()), "invalid_data");
    ASSERT_NE(s.status().detail(), nullptr);
    EXPECT_EQ(s.status().detail()->field_errors, (std::vector<FieldError>{{"reason", "must not be empty"}}));
  }
}

TEST_F(SuspensionTest, AReasonLongerThan2000BytesIsRefused) {
  const CaseState c = OpenIaww(kOpened);
  auto too_long =
      SuspendDeadline(Shipped("iaww"), c, "agendering", std::string(2001, 'x'), coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(too_long.status()), "invalid_data");
  ASSERT_NE(too_long.status().detail(), nullptr);
  ASSERT_EQ(too_long.status().detail()->field_errors.size(), 1u);
  EXPECT_EQ(too_long.status().detail()->field_errors[0].field, "reason");
  auto longest =
      SuspendDeadline(Shipped("iaww"), c, "agendering", std::string(2000, 'x'), coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_TRUE(longest.ok()) << longest.status().ToString();
}

TEST_F(SuspensionTest, ADeadlineNeverStartedIsNotRunning) {
  const CaseState c = OpenIaww(kOpened);  // monitoring_evaluatie starts only with monitoring
  auto s = SuspendDeadline(Shipped("iaww"), c, "monitoring_evaluatie", "reden", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(s.status()), "deadline_not_running");
  auto r = ResumeDeadline(Shipped("iaww"), c, "monitoring_evaluatie", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(Reason(r.status()), "deadline_not_running");
}

TEST_F(SuspensionTest, AClearedDeadlineIsNotRunning) {
  CaseState c = OpenIaww(kOpened);
  ASSERT_EQ(c.deadlines.size(), 1u);
  c.deadlines[0].cleared_at = T("2026-04-03T09:00:00Z");
  auto s = SuspendDeadline(Shipped("iaww"), c, "agendering", "reden", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(Reason(s.status()), "deadline_not_running");
  // A suspension left on a cleared entry (as stored) does not make it resumable.
  c.deadlines[0].suspended_at = T("2026-04-03T08:00:00Z");
  auto r = ResumeDeadline(Shipped("iaww"), c, "agendering", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(Reason(r.status()), "deadline_not_running");
}

TEST_F(SuspensionTest, ADeadlinePastItsEndCannotBeSuspended) {
  const CaseState c = OpenIaww(kOpened);
  for (const char* now : {kAgenderingDue, "2026-04-13T08:00:00Z"}) {
    auto s = SuspendDeadline(Shipped("iaww"), c, "agendering", "reden", coordinator, At(now));
    EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition) << now;
    EXPECT_EQ(Reason(s.status()), "deadline_not_running") << now;
  }
}

TEST_F(SuspensionTest, SuspendingASuspendedDeadlineIsRefused) {
  const CaseState c = Suspended(OpenIaww(kOpened), "agendering", "2026-04-03T10:00:00Z");
  auto s = SuspendDeadline(Shipped("iaww"), c, "agendering", "nog een reden", coordinator, At("2026-04-06T10:00:00Z"));
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(s.status()), "already_suspended");
  // Also once the original end has passed: it is suspended, not over.
  auto later = SuspendDeadline(Shipped("iaww"), c, "agendering", "nog een reden", coordinator, At("2026-04-20T10:00:00Z"));
  EXPECT_EQ(Reason(later.status()), "already_suspended");
}

TEST_F(SuspensionTest, ResumingARunningDeadlineIsRefused) {
  const CaseState c = OpenIaww(kOpened);
  auto r = ResumeDeadline(Shipped("iaww"), c, "agendering", coordinator, At("2026-04-03T10:00:00Z"));
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(r.status()), "not_suspended");
}

TEST_F(SuspensionTest, RefusalsComeInTheDocumentedOrder) {
  CaseState c = OpenIaww(kOpened);
  const WorkflowDefinition& def = Shipped("iaww");
  const Context ctx = At("2026-04-03T10:00:00Z");
  // Unknown deadline before a closed case.
  CaseState closed = c;
  closed.state = "afgesloten";
  EXPECT_EQ(Reason(SuspendDeadline(def, closed, "x", "", meldpunt, ctx).status()), "unknown_deadline");
  // A closed case before the role.
  EXPECT_EQ(Reason(SuspendDeadline(def, closed, "agendering", "", meldpunt, ctx).status()), "case_closed");
  // Not suspendable before the role.
  CaseState wvggz = c;
  wvggz.type = "wvggz";
  wvggz.state = "melding_ontvangen";
  EXPECT_EQ(Reason(SuspendDeadline(Shipped("wvggz"), wvggz, "wvggz_beslissing", "", meldpunt, ctx).status()),
            "not_suspendable");
  // The role before the reason.
  EXPECT_EQ(Reason(SuspendDeadline(def, c, "agendering", "", meldpunt, ctx).status()), "role_refused");
  // The reason before whether it runs.
  EXPECT_EQ(Reason(SuspendDeadline(def, c, "monitoring_evaluatie", "", coordinator, ctx).status()), "invalid_data");
}

TEST_F(SuspensionTest, ARestartLeavesTheClearedEntriesAlone) {
  // JPP monitoring_evaluatie restarts with each monitoring_evalueren.
  const WorkflowDefinition& def = Shipped("jpp");
  CaseState c;
  c.type = "jpp";
  c.state = "monitoring";
  c.level = "jpp";
  c.deadlines = {{"monitoring_evaluatie", T("2026-02-02T10:00:00Z"), T("2026-03-16T23:00:00Z"), T("2026-03-10T10:00:00Z")},
                 {"monitoring_evaluatie", T("2026-03-10T10:00:00Z"), T("2026-04-21T22:00:00Z"), std::nullopt}};
  c.deadlines[1].term = DurationSpec{DurationSpec::Unit::kCalendarDays, 42};
  auto out = SuspendDeadline(def, c, "monitoring_evaluatie", "Jongere in jeugdinrichting", regisseur,
                             At("2026-04-01T10:00:00Z"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->deadlines.size(), 2u);
  EXPECT_EQ(out->deadlines[0], c.deadlines[0]);
  EXPECT_TRUE(out->deadlines[1].suspended());

  // Restarting the suspended term: the replaced entry is no longer
  // suspended, the new one runs from now, unsuspended.
  c = Apply(c, *out);
  auto restarted = Transition(def, c, {"monitoring_evalueren", {{"evaluatie_uitkomst", std::string("Gaat goed")}}},
                              regisseur, At("2026-04-02T10:00:00Z"));
  ASSERT_TRUE(restarted.ok()) << restarted.status().ToString();
  ASSERT_EQ(restarted->deadlines.size(), 3u);
  EXPECT_EQ(restarted->deadlines[1].cleared_at, T("2026-04-02T10:00:00Z"));
  EXPECT_FALSE(restarted->deadlines[1].suspended_at.has_value());
  EXPECT_EQ(restarted->deadlines[1].suspension_reason, "");
  EXPECT_TRUE(restarted->deadlines[2].active());
  EXPECT_FALSE(restarted->deadlines[2].suspended());
  EXPECT_EQ(restarted->deadlines[2].extended_by, 0);
}

// ---- Small definitions for terms the shipped files do not have ----

class SuspensionEdgeTest : public SuspensionTest {
 protected:
  void SetUp() override {
    def = casus::testing::SampleWorkflow();
    for (auto& d : def.deadlines) d.suspendable = SuspensionSpec{{"coordinator"}};
  }

  CaseState InState(const std::string& state) const {
    CaseState c;
    c.id = "case_1";
    c.type = "iaww";
    c.definition_version = def.version;
    c.state = state;
    c.level = "laag";
    return c;
  }

  WorkflowDefinition def;
};

TEST_F(SuspensionEdgeTest, ATermInHoursMovesByTheExactSecondsSuspended) {
  CaseState c = InState("bezig");
  c.deadlines = {{"uitvoering", T("2026-03-28T11:00:00Z"), T("2026-03-29T11:00:00Z"), std::nullopt}};
  c.deadlines[0].term = DurationSpec{DurationSpec::Unit::kHours, 24};
  auto s = SuspendDeadline(def, c, "uitvoering", "reden", coordinator, At("2026-03-28T20:00:00Z"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  c = Apply(c, *s);
  // Resumed across the switch to summer time, 1 h 30 min 7 s later.
  auto r = ResumeDeadline(def, c, "uitvoering", coordinator, At("2026-03-28T21:30:07Z"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->deadlines[0].extended_by, 5407);
  EXPECT_EQ(r->deadlines[0].due_at, T("2026-03-29T12:30:07Z"));
}

TEST_F(SuspensionEdgeTest, TheAtwAppliesToTheMovedEnd) {
  def.deadlines[0].atw = true;  // besluit, 14 days
  CaseState c = InState("nieuw");
  // Started Wednesday 3 June 2026: ends Wednesday 17 June.
  c.deadlines = {{"besluit", T("2026-06-03T10:00:00Z"), T("2026-06-17T22:00:00Z"), std::nullopt}};
  c.deadlines[0].term = DurationSpec{DurationSpec::Unit::kCalendarDays, 14};
  auto s = SuspendDeadline(def, c, "besluit", "reden", coordinator, At("2026-06-08T09:00:00Z"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  // Four days later: the moved end would be Sunday 21 June; the Atw runs it on to Monday.
  auto r = ResumeDeadline(def, Apply(c, *s), "besluit", coordinator, At("2026-06-12T09:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->deadlines[0].extended_by, 4);
  EXPECT_EQ(FormatRfc3339(r->deadlines[0].due_at), "2026-06-22T22:00:00Z");
}

TEST_F(SuspensionEdgeTest, StartingTheLongerTermRecordsIt) {
  CaseState c = InState("bezig");
  c.data["eigen_plan"] = true;
  auto out = Transition(def, c, {"opschalen", {}}, coordinator, At("2026-03-02T09:00:00Z"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const DeadlineState* d = Active(out->deadlines, "evaluatie");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->term, (DurationSpec{DurationSpec::Unit::kCalendarDays, 42}));
}

// Deadlines stored before terms were recorded have no `term`: the engine
// takes it from the definition as it was resolved at the start.
TEST_F(SuspensionEdgeTest, ALegacyDeadlineWithoutTermResolvesItFromTheDefinition) {
  for (const bool eigen_plan : {false, true}) {
    CaseState c = InState("bezig");
    if (eigen_plan) c.data["eigen_plan"] = true;
    const int days = eigen_plan ? 42 : 28;
    // Started Monday 2 March 2026, 10:00 CET.
    const TimePoint start = T("2026-03-02T09:00:00Z");
    c.deadlines = {{"evaluatie", start, calendar.DueAt(start, {DurationSpec::Unit::kCalendarDays, days}), std::nullopt}};
    ASSERT_FALSE(c.deadlines[0].term.has_value());
    auto s = SuspendDeadline(def, c, "evaluatie", "reden", coordinator, At("2026-03-10T09:00:00Z"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    c = Apply(c, *s);
    auto r = ResumeDeadline(def, c, "evaluatie", coordinator, At("2026-03-13T09:00:00Z"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->deadlines[0].term, (DurationSpec{DurationSpec::Unit::kCalendarDays, days})) << eigen_plan;
    EXPECT_EQ(r->deadlines[0].extended_by, 3) << eigen_plan;
    EXPECT_EQ(r->deadlines[0].due_at, calendar.DueAt(start, {DurationSpec::Unit::kCalendarDays, days + 3}))
        << eigen_plan;
  }
}

}  // namespace
}  // namespace casus::engine

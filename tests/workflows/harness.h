// Shared helpers for the tests of the authored workflow files
// (workflows/*.yaml): loading them once, building actors and valid data from
// a definition, and walking a case through the engine step by step while
// satisfying guards the way a real case would (settings on, a fitting birth
// date, the milder step actually taken, time moved past a deadline).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.h"
#include "engine/engine.h"
#include "loader/workflow_loader.h"
#include "tz/tzdb_civil_time.h"

namespace casus::workflows_test {

using engine::Actor;
using engine::CaseState;
using engine::Command;
using engine::Context;
using engine::DeadlineState;
using engine::DomainEvent;
using engine::FieldMap;
using engine::FieldSpec;
using engine::FieldType;
using engine::FieldValue;
using engine::GuardSpec;
using engine::OpenRequest;
using engine::Outcome;
using engine::Settings;
using engine::TransitionSpec;
using engine::WorkflowDefinition;

// Every workflows/*.yaml; the huisverbod is the type added by YAML alone (issue 16).
inline constexpr const char* kCaseTypes[] = {"huisverbod", "iaww", "jpp", "topx", "wvggz"};

// The result of loading workflows/ once for the whole test binary.
const engine::LoadResult& Loaded();
// The loaded definition of a case type; null when it did not load.
const WorkflowDefinition* Find(std::string_view id);

TimePoint At(const char* rfc3339);
Date D(const char* yyyy_mm_dd);
FieldValue Text(std::string s);

// An actor with exactly one role at an organisation of `org_type` ("" for the system).
Actor MakeActor(const std::string& role, const std::string& org_type);
// The first role and organisation type a transition / the open spec admits.
Actor PermittedActor(const std::vector<std::string>& roles, const std::vector<std::string>& org_types);

// A well-formed value for the field, and one its type refuses.
FieldValue ValidValue(const FieldSpec& f);
FieldValue InvalidValue(const FieldSpec& f);
// Every required field with a valid value; for an any_present guard the
// first listed field is added too.
FieldMap ValidData(const std::vector<FieldSpec>& fields, const std::vector<GuardSpec>& guards = {});

// The subject's age bounds that satisfy every subject_age guard in `guards`:
// an age in [lo, hi).
struct AgeBounds {
  int lo = 0;
  int hi = 120;
  void Add(const std::vector<GuardSpec>& guards);
  int Pick() const { return lo + (hi - lo - 1) / 2; }
};
// A birth date that makes the subject `age` on `on` and for 100 days after.
Date BirthDateForAge(int age, Date on);

// Every config_enabled key of the definition switched on.
Settings AllFlagsOn(const WorkflowDefinition& def);

// The wire name of the reason a refused status carries ("" when none).
std::string Reason(const Status& s);
// The fields named by an invalid_data refusal, sorted.
std::vector<std::string> FieldErrorNames(const Status& s);

// Applies a successful outcome to a case, as the application would.
CaseState Applied(const CaseState& before, const Outcome& out, const std::string& transition);

// A case of `def` sitting in `state` (for refusal tests that do not need history).
CaseState CaseIn(const WorkflowDefinition& def, const std::string& state);

// The transition names from `state` an actor may take, computed from the definition.
std::set<std::string> ExpectedAllowed(const WorkflowDefinition& def, const std::string& state, const Actor& actor);

// Simple paths (no state twice) from the initial state to any terminal
// state, as lists of state-changing transition names.
std::vector<std::vector<std::string>> SimplePathsToTerminals(const WorkflowDefinition& def);
// A shortest list of state-changing transitions from the initial state to `state`.
std::optional<std::vector<std::string>> PathTo(const WorkflowDefinition& def, const std::string& state);

// Drives one case through the engine.
class Walker {
 public:
  explicit Walker(const WorkflowDefinition& def, TimePoint start = At("2026-03-02T08:00:00Z"));

  // Opens the case with valid open data and a birth date that satisfies
  // every subject_age guard of the open spec and of `planned` transitions.
  ::testing::AssertionResult Open(const std::vector<std::string>& planned = {});
  // Takes `transition` with its first permitted actor and valid data,
  // first satisfying its guards (prior step taken, deadline run out).
  ::testing::AssertionResult Take(const std::string& transition);

  const CaseState& kase() const { return kase_; }
  CaseState& mutable_kase() { return kase_; }
  const Outcome& last() const { return last_; }
  TimePoint now() const { return now_; }
  void set_now(TimePoint t) { now_ = t; }
  Settings& settings() { return settings_; }
  Context ctx() const { return Context{now_, &calendar_, &settings_}; }

 private:
  ::testing::AssertionResult CheckStep(const CaseState& before, const TransitionSpec& t, const Outcome& out);

  const WorkflowDefinition& def_;
  engine::DutchCalendar calendar_{tz::Amsterdam()};
  Settings settings_;
  TimePoint now_;
  CaseState kase_;
  Outcome last_;
  int depth_ = 0;
};

// A fixture for one workflow's rule tests: the definition, a calendar,
// settings and helpers to open and transition cases directly.
class WorkflowTest : public ::testing::Test {
 protected:
  explicit WorkflowTest(std::string id) : id_(std::move(id)) {}
  void SetUp() override {
    def_ = Find(id_);
    ASSERT_NE(def_, nullptr) << id_ << ".yaml did not load";
  }
  const WorkflowDefinition& def() const { return *def_; }
  Context CtxAt(TimePoint now) const { return Context{now, &calendar_, &settings_}; }

  StatusOr<Outcome> OpenAt(TimePoint now, const FieldMap& data, const Actor& actor,
                           std::optional<Date> birth = std::nullopt,
                           std::optional<TimePoint> received = std::nullopt) const {
    OpenRequest req{"Kerkrade", birth, received, data};
    return engine::Open(*def_, req, actor, CtxAt(now));
  }
  StatusOr<Outcome> Do(const CaseState& kase, const std::string& transition, const FieldMap& data,
                       const Actor& actor, TimePoint now) const {
    return engine::Transition(*def_, kase, Command{transition, data}, actor, CtxAt(now));
  }
  // Valid data for a transition of this workflow, with overrides.
  FieldMap DataFor(const std::string& transition, const FieldMap& overrides = {}) const;
  const TransitionSpec& T(const std::string& name) const;
  // The active deadline instance with this id, or null.
  static const DeadlineState* ActiveDeadline(const std::vector<DeadlineState>& ds, const std::string& id);
  static const DeadlineState* LastDeadline(const std::vector<DeadlineState>& ds, const std::string& id);
  static bool HasEvent(const std::vector<DomainEvent>& events, const std::string& type,
                       const std::map<std::string, std::string>& attrs = {});

  std::string id_;
  const WorkflowDefinition* def_ = nullptr;
  engine::DutchCalendar calendar_{tz::Amsterdam()};
  Settings settings_;
};

}  // namespace casus::workflows_test

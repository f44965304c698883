#include "engine/engine.h"

#include <algorithm>

#include "engine/actor_check.h"
#include "engine/deadline_term.h"
#include "engine/field_check.h"
#include "engine/guard_eval.h"
#include "engine/refuse.h"

namespace casus::engine {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Status CheckData(const std::vector<FieldSpec>& specs, const FieldMap& data) {
  std::vector<FieldError> errors = CheckFields(specs, data);
  if (errors.empty()) return Status::Ok();
  std::string names;
  for (const auto& e : errors) names += (names.empty() ? "" : ", ") + e.field;
  StatusDetail detail;
  detail.field_errors = std::move(errors);
  return Refuse(StatusCode::kInvalidArgument, Refusal::kInvalidData, "invalid or missing data: " + names,
                std::move(detail));
}

Status CheckGuards(const std::vector<GuardSpec>& guards, const GuardInput& input) {
  for (const auto& guard : guards) {
    std::string why;
    if (!EvaluateGuard(guard, input, why)) {
      StatusDetail detail;
      detail.guard = guard.name;
      return Refuse(StatusCode::kFailedPrecondition, Refusal::kGuardFailed, "guard " + guard.name + " failed: " + why,
                    std::move(detail));
    }
  }
  return Status::Ok();
}

FieldMap Merge(FieldMap base, const FieldMap& update) {
  for (const auto& [k, v] : update) base[k] = v;
  return base;
}

// Ends a running term (cleared, or replaced by a restart). A term that no
// longer runs is not suspended either.
void EndTerm(DeadlineState& d, TimePoint now) {
  d.cleared_at = now;
  d.suspended_at.reset();
  d.suspension_reason.clear();
}

// Applies the deadline rules for reaching `state` (entered: whether the state
// changed) by `transition` (empty when opening) to `deadlines`.
void UpdateDeadlines(const WorkflowDefinition& def, const std::string& state, bool entered,
                     const std::string& transition, bool opening, TimePoint received_at, const FieldMap& data,
                     const Context& ctx, std::vector<DeadlineState>& deadlines, std::vector<DomainEvent>& events) {
  if (entered) {
    for (auto& d : deadlines) {
      if (!d.active()) continue;
      const DeadlineSpec* spec = def.FindDeadline(d.id);
      if (spec && Contains(spec->cleared_by, state)) {
        EndTerm(d, ctx.now);
        events.push_back({"deadline.cleared", {{"deadline", d.id}}});
      }
    }
  }
  for (const auto& spec : def.deadlines) {
    bool starts = (opening && spec.start_on_open) || (entered && Contains(spec.start_on_enter, state)) ||
                  (!transition.empty() && Contains(spec.start_on_transition, transition));
    if (!starts) continue;
    for (auto& d : deadlines) {
      if (d.id == spec.id && d.active()) EndTerm(d, ctx.now);  // a restart replaces the running term
    }
    TimePoint anchor = spec.anchor == DeadlineSpec::Anchor::kReceived ? received_at : ctx.now;
    const DurationSpec term = ResolveTerm(spec, data);
    DeadlineState started;
    started.id = spec.id;
    started.started_at = anchor;
    started.due_at = ctx.calendar->DueAt(anchor, term, spec.atw);
    started.term = term;
    events.push_back({"deadline.started", {{"deadline", spec.id}, {"due_at", FormatRfc3339(started.due_at)}}});
    deadlines.push_back(started);
  }
}

}  // namespace

bool Settings::Flag(const std::string& key) const {
  auto it = flags.find(key);
  return it != flags.end() && it->second;
}

StatusOr<Outcome> Open(const WorkflowDefinition& def, const OpenRequest& request, const Actor& actor,
                       const Context& ctx) {
  const StateSpec* initial = def.InitialState();
  if (!initial || def.levels.empty()) return Status::Internal("workflow " + def.id + " is not valid");
  RETURN_IF_ERROR(CheckActor(def.open.roles, def.open.org_types, actor, "opening a " + def.id + " case"));
  RETURN_IF_ERROR(CheckData(def.open.fields, request.data));

  CaseState draft;
  draft.type = def.id;
  draft.definition_version = def.version;
  draft.state = initial->id;
  draft.municipality = request.municipality;
  draft.subject_birth_date = request.subject_birth_date;
  draft.received_at = request.received_at.value_or(ctx.now);
  draft.opened_at = ctx.now;
  draft.data = request.data;
  RETURN_IF_ERROR(CheckGuards(def.open.guards, GuardInput{draft, request.data, ctx}));

  Outcome out;
  out.state = initial->id;
  out.level = def.initial_level.empty() ? def.levels.front().id : def.initial_level;
  out.data = request.data;
  out.events.push_back({"case.created", {{"state", out.state}, {"level", out.level}}});
  UpdateDeadlines(def, out.state, /*entered=*/true, /*transition=*/"", /*opening=*/true, draft.received_at,
                  out.data, ctx, out.deadlines, out.events);
  return out;
}

StatusOr<Outcome> Transition(const WorkflowDefinition& def, const CaseState& kase, const Command& command,
                             const Actor& actor, const Context& ctx) {
  const TransitionSpec* t = def.FindTransition(command.transition);
  if (!t)
    return Refuse(StatusCode::kNotFound, Refusal::kUnknownTransition,
                  "workflow " + def.id + " has no transition \"" + command.transition + "\"");
  const StateSpec* current = def.FindState(kase.state);
  if (!current) return Status::Internal("case " + kase.id + " is in unknown state " + kase.state);
  if (current->terminal)
    return Refuse(StatusCode::kFailedPrecondition, Refusal::kCaseClosed,
                  "the case is closed (" + kase.state + "); nothing can be done with it");
  if (!Contains(t->from, kase.state)) {
    StatusDetail detail;
    detail.allowed_transitions = TransitionNames(AllowedTransitions(def, kase, actor));
    return Refuse(StatusCode::kFailedPrecondition, Refusal::kNotAllowedInState,
                  "\"" + t->name + "\" is not possible in state \"" + kase.state + "\"", std::move(detail));
  }
  RETURN_IF_ERROR(CheckActor(t->roles, t->org_types, actor, "\"" + t->name + "\""));
  RETURN_IF_ERROR(CheckData(t->fields, command.data));
  RETURN_IF_ERROR(CheckGuards(t->guards, GuardInput{kase, command.data, ctx}));

  Outcome out;
  out.state = t->to.empty() ? kase.state : t->to;
  out.level = kase.level;
  int index = def.LevelIndex(kase.level);
  int top = static_cast<int>(def.levels.size()) - 1;
  switch (t->level.kind) {
    case LevelChange::Kind::kNone: break;
    case LevelChange::Kind::kRaise:
      if (index >= top)
        return Refuse(StatusCode::kFailedPrecondition, Refusal::kLevelBound,
                      "the case is already at the highest level");
      out.level = def.levels[index + 1].id;
      break;
    case LevelChange::Kind::kLower:
      if (index <= 0)
        return Refuse(StatusCode::kFailedPrecondition, Refusal::kLevelBound,
                      "the case is already at the lowest level");
      out.level = def.levels[index - 1].id;
      break;
    case LevelChange::Kind::kSet: out.level = t->level.level; break;
  }
  out.data = Merge(kase.data, command.data);
  out.deadlines = kase.deadlines;
  out.events.push_back({"case.transitioned", {{"transition", t->name}, {"from", kase.state}, {"to", out.state}}});
  if (out.level != kase.level) {
    bool up = def.LevelIndex(out.level) > index;
    out.events.push_back(
        {up ? "case.escalated" : "case.deescalated", {{"from_level", kase.level}, {"to_level", out.level}}});
  }
  bool entered = out.state != kase.state;
  UpdateDeadlines(def, out.state, entered, t->name, /*opening=*/false, kase.received_at, out.data, ctx,
                  out.deadlines, out.events);
  const StateSpec* next = def.FindState(out.state);
  if (next && next->terminal) out.events.push_back({"case.closed", {{"state", out.state}}});
  return out;
}

std::vector<std::string> TransitionNames(const std::vector<AllowedTransition>& allowed) {
  std::vector<std::string> names;
  for (const auto& a : allowed) names.push_back(a.name);
  return names;
}

std::vector<AllowedTransition> AllowedTransitions(const WorkflowDefinition& def, const CaseState& kase,
                                                  const Actor& actor) {
  std::vector<AllowedTransition> out;
  for (const auto& t : def.transitions) {
    if (!Contains(t.from, kase.state) || !RoleAdmitted(t.roles, actor) || !OrgAdmitted(t.org_types, actor)) continue;
    out.push_back({t.name, t.label, t.to, t.fields});
  }
  return out;
}

std::vector<DeadlineState> OverdueDeadlines(const CaseState& kase, TimePoint now) {
  std::vector<DeadlineState> out;
  for (const auto& d : kase.deadlines)
    if (d.active() && !d.suspended() && d.due_at <= now) out.push_back(d);
  return out;
}

}  // namespace casus::engine

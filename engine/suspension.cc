// Opschorting: suspending and resuming a running deadline (engine.h,
// SuspendDeadline / ResumeDeadline).
#include "engine/engine.h"

#include <algorithm>
#include <cctype>

#include "engine/actor_check.h"
#include "engine/deadline_term.h"
#include "engine/refuse.h"

namespace casus::engine {
namespace {

// Longest reason accepted, in bytes: a short motivation, not a report.
constexpr size_t kMaxSuspensionReasonBytes = 2000;

enum class Action { kSuspend, kResume };

std::string TermName(const DeadlineSpec& spec) { return "the term \"" + spec.label + "\""; }

// The running entry of the deadline: a restart leaves cleared entries with
// the same id behind, which belong to the case's history and stay as they are.
DeadlineState* ActiveEntry(std::vector<DeadlineState>& deadlines, const std::string& id) {
  for (auto it = deadlines.rbegin(); it != deadlines.rend(); ++it)
    if (it->id == id && it->active()) return &*it;
  return nullptr;
}

bool IsBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

Status CheckReason(const std::string& reason) {
  std::string problem;
  if (IsBlank(reason))
    problem = "must not be empty";
  else if (reason.size() > kMaxSuspensionReasonBytes)
    problem = "is longer than " + std::to_string(kMaxSuspensionReasonBytes) + " bytes";
  if (problem.empty()) return Status::Ok();
  StatusDetail detail;
  detail.field_errors = {{"reason", problem}};
  return Refuse(StatusCode::kInvalidArgument, Refusal::kInvalidData, "invalid or missing data: reason",
                std::move(detail));
}

// The checks both actions share, in the documented order: the deadline
// exists, the case is open, the term may be suspended, the actor may do it.
StatusOr<const DeadlineSpec*> CheckSuspendable(const WorkflowDefinition& def, const CaseState& kase,
                                               const std::string& deadline_id, const Actor& actor, Action action) {
  const DeadlineSpec* spec = def.FindDeadline(deadline_id);
  if (!spec)
    return Refuse(StatusCode::kNotFound, Refusal::kUnknownDeadline,
                  "workflow " + def.id + " has no deadline \"" + deadline_id + "\"");
  const StateSpec* state = def.FindState(kase.state);
  if (!state) return Status::Internal("case " + kase.id + " is in unknown state " + kase.state);
  if (state->terminal)
    return Refuse(StatusCode::kFailedPrecondition, Refusal::kCaseClosed,
                  "the case is closed (" + kase.state + "); nothing can be done with it");
  if (!spec->suspendable)
    return Refuse(StatusCode::kFailedPrecondition, Refusal::kNotSuspendable,
                  TermName(*spec) + " (" + spec->legal_basis + ") may not be suspended");
  RETURN_IF_ERROR(CheckActor(spec->suspendable->roles, /*org_types=*/{}, actor,
                             std::string(action == Action::kSuspend ? "suspending" : "resuming") + " \"" +
                                 spec->id + "\""));
  return spec;
}

Outcome Unchanged(const CaseState& kase) {
  Outcome out;
  out.state = kase.state;
  out.level = kase.level;
  out.data = kase.data;
  out.deadlines = kase.deadlines;
  return out;
}

}  // namespace

StatusOr<Outcome> SuspendDeadline(const WorkflowDefinition& def, const CaseState& kase,
                                  const std::string& deadline_id, const std::string& reason, const Actor& actor,
                                  const Context& ctx) {
  ASSIGN_OR_RETURN(const DeadlineSpec* spec, CheckSuspendable(def, kase, deadline_id, actor, Action::kSuspend));
  RETURN_IF_ERROR(CheckReason(reason));
  Outcome out = Unchanged(kase);
  DeadlineState* d = ActiveEntry(out.deadlines, deadline_id);
  if (!d)
    return Refuse(StatusCode::kFailedPrecondition, Refusal::kDeadlineNotRunning,
                  TermName(*spec) + " is not running on this case");
  if (d->suspended())
    return Refuse(StatusCode::kFailedPrecondition, Refusal::kAlreadySuspended,
                  TermName(*spec) + " is already suspended (since " + FormatRfc3339(*d->suspended_at) + ")");
  // A term that has run out cannot be stopped any more: its lapse is a fact.
  if (d->due_at <= ctx.now)
    return Refuse(StatusCode::kFailedPrecondition, Refusal::kDeadlineNotRunning,
                  TermName(*spec) + " is not running: it ended at " + FormatRfc3339(d->due_at));
  // Fix the term now, so that data recorded later cannot change which one is moved.
  d->term = TermOf(*d, *spec, kase.data);
  d->suspended_at = ctx.now;
  d->suspension_reason = reason;
  out.events.push_back({"deadline.suspended", {{"deadline", deadline_id}}});
  return out;
}

StatusOr<Outcome> ResumeDeadline(const WorkflowDefinition& def, const CaseState& kase,
                                 const std::string& deadline_id, const Actor& actor, const Context& ctx) {
  ASSIGN_OR_RETURN(const DeadlineSpec* spec, CheckSuspendable(def, kase, deadline_id, actor, Action::kResume));
  Outcome out = Unchanged(kase);
  DeadlineState* d = ActiveEntry(out.deadlines, deadline_id);
  if (!d)
    return Refuse(StatusCode::kFailedPrecondition, Refusal::kDeadlineNotRunning,
                  TermName(*spec) + " is not running on this case");
  if (!d->suspended())
    return Refuse(StatusCode::kFailedPrecondition, Refusal::kNotSuspended, TermName(*spec) + " is not suspended");
  const DurationSpec term = TermOf(*d, *spec, kase.data);
  d->term = term;
  d->extended_by += ctx.calendar->SuspendedUnits(term, *d->suspended_at, ctx.now);
  d->due_at = ctx.calendar->ExtendedDueAt(d->started_at, term, d->extended_by, spec->atw);
  d->suspended_at.reset();
  d->suspension_reason.clear();
  out.events.push_back({"deadline.resumed", {{"deadline", deadline_id}, {"due_at", FormatRfc3339(d->due_at)}}});
  return out;
}

}  // namespace casus::engine

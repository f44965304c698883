// The workflow engine: a pure function from (definition, case, command,
// actor, context) to the case's next state, level, deadlines and domain
// events, or a Status that says exactly why not. No I/O, no clock of its
// own, no globals: everything it knows comes in through its arguments.
//
// Refusals (each carries a StatusDetail whose `reason` is the Refusal named):
//   kNotFound            unknown transition name                kUnknownTransition
//   kFailedPrecondition  case in a terminal state               kCaseClosed
//   kFailedPrecondition  not allowed from the current state     kNotAllowedInState (+ allowed_transitions)
//   kPermissionDenied    none of the actor's roles may          kRoleRefused
//   kPermissionDenied    the actor's organisation type may not  kOrgRefused
//   kInvalidArgument     required data missing or malformed     kInvalidData (+ field_errors)
//   kFailedPrecondition  a guard failed                         kGuardFailed (+ guard, message says why)
//   kFailedPrecondition  level already at the top/bottom        kLevelBound
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "engine/calendar.h"
#include "engine/definition.h"

namespace casus::engine {

// A value of a data field. Dates and datetimes travel as their text forms
// ("2026-11-23", "2026-11-23T15:00:00Z") and are validated against the spec.
using FieldValue = std::variant<bool, std::int64_t, std::string>;
using FieldMap = std::map<std::string, FieldValue>;

struct Actor {
  std::string user_id;              // "system" for automatic consequences
  std::vector<std::string> roles;   // e.g. {"meldpunt"}
  std::string org_id;
  std::string org_type;             // one of kOrgTypes; empty for the system
  std::string municipality;
};

struct DeadlineState {
  std::string id;  // DeadlineSpec::id
  TimePoint started_at;  // the moment the term runs from (its anchor)
  TimePoint due_at;      // the term's end, moved on by every completed suspension
  std::optional<TimePoint> cleared_at;  // set when a clearing state was reached
  // The term as started (the longer one when it applied), so that a
  // suspension moves the right end. Absent only for deadlines stored before
  // suspension existed; the engine then resolves it from the definition.
  std::optional<DurationSpec> term{};
  // Opschorting: the suspended time added so far, in the term's own unit:
  // calendar days, working days, or seconds for a term in hours.
  std::int64_t extended_by = 0;
  std::optional<TimePoint> suspended_at{};  // suspended now, since then
  std::string suspension_reason{};          // why, as given (only while suspended)
  bool active() const { return !cleared_at.has_value(); }
  bool suspended() const { return active() && suspended_at.has_value(); }
  bool operator==(const DeadlineState&) const = default;
};

// What the engine needs to know about a case.
struct CaseState {
  std::string id;
  std::string type;
  int definition_version = 0;
  std::string state;
  std::string level;
  std::int64_t version = 0;
  std::string municipality;
  std::optional<Date> subject_birth_date;
  TimePoint received_at{};  // receipt of the underlying report (or opening)
  TimePoint opened_at{};
  std::vector<DeadlineState> deadlines;  // started ones, active and cleared
  std::vector<std::string> history;      // transition names taken, oldest first
  FieldMap data;                         // latest value of every field recorded so far
};

// Settings that guards may consult, already resolved for the case's
// municipality (e.g. "apv_gedragsaanwijzing" -> true when the APV grants it).
struct Settings {
  std::map<std::string, bool> flags;
  bool Flag(const std::string& key) const;
};

struct Context {
  TimePoint now{};
  const DutchCalendar* calendar = nullptr;  // required
  const Settings* settings = nullptr;       // required
};

struct Command {
  std::string transition;
  FieldMap data;
};

struct OpenRequest {
  std::string municipality;
  std::optional<Date> subject_birth_date;
  std::optional<TimePoint> received_at;  // defaults to now
  FieldMap data;
};

struct DomainEvent {
  // "case.created", "case.transitioned", "case.escalated", "case.deescalated",
  // "deadline.started", "deadline.cleared", "deadline.suspended",
  // "deadline.resumed", "case.closed"
  std::string type;
  std::map<std::string, std::string> attrs;  // e.g. {"from": "aangemeld", "to": "verrijking"}
  bool operator==(const DomainEvent&) const = default;
};

struct Outcome {
  std::string state;
  std::string level;
  std::vector<DeadlineState> deadlines;  // the complete new list
  FieldMap data;                         // the case's data after merging the command's
  std::vector<DomainEvent> events;       // in order
};

struct AllowedTransition {
  std::string name;
  std::string label;
  std::string to;  // empty when the state does not change
  std::vector<FieldSpec> fields;  // "requires:" in the file
};

// A case of this type in its initial state and level, with its opening
// deadlines started. Checks the open spec's roles, org types, data, guards.
StatusOr<Outcome> Open(const WorkflowDefinition& def, const OpenRequest& request, const Actor& actor,
                       const Context& ctx);

// Takes `command` on `kase`. The case must have been opened under `def`.
StatusOr<Outcome> Transition(const WorkflowDefinition& def, const CaseState& kase, const Command& command,
                             const Actor& actor, const Context& ctx);

// The transitions this actor may take from the case's current state, judged
// by state, role and organisation type (guards depend on data and are
// checked when the transition is taken).
std::vector<AllowedTransition> AllowedTransitions(const WorkflowDefinition& def, const CaseState& kase,
                                                  const Actor& actor);
// Their names, as a refusal's detail lists them.
std::vector<std::string> TransitionNames(const std::vector<AllowedTransition>& allowed);

// Deadlines of the case that are active, not suspended and past due at `now`.
std::vector<DeadlineState> OverdueDeadlines(const CaseState& kase, TimePoint now);

// Opschorting (engine/suspension.cc). Suspends the case's running deadline
// `deadline_id` at ctx.now, for `reason` (1..2000 bytes). The outcome keeps
// state, level and data; its deadlines hold the suspended one; its event is
// "deadline.suspended" {deadline}. While suspended a deadline is neither
// due soon nor overdue. Refusals (StatusDetail reason):
//   kNotFound            the workflow has no such deadline       kUnknownDeadline
//   kFailedPrecondition  case in a terminal state                kCaseClosed
//   kFailedPrecondition  not marked suspendable; the message     kNotSuspendable
//                        names the term and its legal basis
//   kFailedPrecondition  not running (never started, cleared,    kDeadlineNotRunning
//                        or already past due)
//   kFailedPrecondition  already suspended                       kAlreadySuspended
//   kPermissionDenied    none of the actor's roles may           kRoleRefused
//   kInvalidArgument     reason empty or too long                kInvalidData (field "reason")
StatusOr<Outcome> SuspendDeadline(const WorkflowDefinition& def, const CaseState& kase,
                                  const std::string& deadline_id, const std::string& reason, const Actor& actor,
                                  const Context& ctx);

// Resumes a suspended deadline at ctx.now: its end moves on by the
// suspended time in the term's unit (DutchCalendar::SuspendedUnits), and is
// computed again from the start as a term of term + extended_by
// (DutchCalendar::ExtendedDueAt), so the Algemene termijnenwet applies to
// the moved end as to the original. Event "deadline.resumed" {deadline,
// due_at}. Refusals as SuspendDeadline, with kNotSuspended instead of
// kAlreadySuspended and no reason to check; a deadline that is suspended
// may be resumed even though its original end has passed.
StatusOr<Outcome> ResumeDeadline(const WorkflowDefinition& def, const CaseState& kase,
                                 const std::string& deadline_id, const Actor& actor, const Context& ctx);

}  // namespace casus::engine

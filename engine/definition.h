// A workflow definition: the plain structs a workflow file parses into.
// Loading (loader/) fills them; ValidateDefinition (validate.h) checks
// them; the engine (engine.h) only ever sees validated definitions.
// Roles, organisation types, states, levels, deadlines and transitions are
// referred to by their string ids, exactly as written in the file.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/duration.h"

namespace casus::engine {

struct StateSpec {
  std::string id;
  std::string label;  // Dutch, for people
  bool initial = false;
  bool terminal = false;
};

struct LevelSpec {
  std::string id;
  std::string label;
};

enum class FieldType { kText, kBool, kInteger, kDate, kDateTime, kEnum };
const char* FieldTypeName(FieldType t);  // "text", "bool", "integer", "date", "datetime", "enum"
std::optional<FieldType> ParseFieldType(std::string_view name);

// A data field a transition (or opening a case) requires. Bool fields are
// present when given as true or false; a guard decides whether false is ok.
struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kText;
  std::vector<std::string> values;  // allowed values, enum only
  std::string label;
  bool optional = false;            // recorded when given, not required
};

// A named guard with its arguments, as in the file:
//   guards: [{name: prior_transition, any_of: [bemiddeling_inzetten]}]
// Scalar arguments are stored as one-element lists.
struct GuardSpec {
  std::string name;
  std::map<std::string, std::vector<std::string>> args;
};

// op-/afschalen: how a transition moves the escalation level.
struct LevelChange {
  enum class Kind { kNone, kRaise, kLower, kSet };
  Kind kind = Kind::kNone;
  std::string level;  // kSet only
};

struct TransitionSpec {
  std::string name;
  std::string label;
  std::vector<std::string> from;       // one or more states
  std::string to;                      // empty: the case stays in its state (e.g. pure op-/afschalen)
  std::vector<std::string> roles;      // at least one
  std::vector<std::string> org_types;  // empty: any organisation type
  std::vector<FieldSpec> fields;  // "requires:" in the file
  std::vector<GuardSpec> guards;
  LevelChange level;
};

// Who may open a case of this type and what opening requires.
struct OpenSpec {
  std::vector<std::string> roles;
  std::vector<std::string> org_types;  // empty: any
  std::vector<FieldSpec> fields;  // "requires:" in the file
  std::vector<GuardSpec> guards;
};

// What happens, automatically and exactly once, when a deadline becomes
// overdue: `take` a transition as the system actor (e.g. the lapse of a
// crisismaatregel), or `notify` the coordinators of the case's municipality.
struct OverdueConsequence {
  enum class Kind { kTake, kNotify };
  Kind kind = Kind::kTake;
  std::string target;  // the transition name (take) or "coordinator" (notify)
  bool operator==(const OverdueConsequence&) const = default;
};

// Opschorting: who may suspend a running term (with a reason) and resume
// it. A term is suspendable only when its file says so; statutory terms
// that the law does not let anyone suspend (the Wvggz 14 days, the
// crisismaatregel's 3 days) are never marked (docs/workflow-format.md).
struct SuspensionSpec {
  std::vector<std::string> roles;  // at least one
  bool operator==(const SuspensionSpec&) const = default;
};

struct DeadlineSpec {
  std::string id;
  std::string label;
  std::string legal_basis;                 // e.g. "art. 5:2 Wvggz"; required, may say "werkafspraak"
  enum class Kind { kLegal, kMilestone, kNorm };
  Kind kind = Kind::kLegal;                // milestone: an external party's term (OvJ), tracked not enforced
  DurationSpec duration;
  // A longer term when a bool field recorded on the case is true
  // (e.g. OvJ: 4 weeks, 6 weeks with an eigen plan van aanpak).
  std::optional<std::string> longer_when_field;
  std::optional<DurationSpec> longer_duration;
  // The Algemene termijnenwet applies: a term of calendar days or weeks
  // ending on a Saturday, Sunday or public holiday runs on to the next
  // working day (DutchCalendar::DueAt). Only for statutory terms in days.
  bool atw = false;
  // What starts it: opening the case, entering a state, or taking a transition.
  bool start_on_open = false;
  std::vector<std::string> start_on_enter;
  std::vector<std::string> start_on_transition;
  // The term runs from the moment of the trigger, or from the receipt of
  // the underlying report (Wvggz: "within 14 days of receipt").
  enum class Anchor { kTrigger, kReceived };
  Anchor anchor = Anchor::kTrigger;
  std::vector<std::string> cleared_by;     // reaching any of these states clears it
  // How long before the due moment the due-soon warning goes out; absent:
  // the configured default (deadlines.due_soon).
  std::optional<DurationSpec> due_soon;
  std::vector<OverdueConsequence> on_overdue;  // in file order
  // Absent: the term may not be suspended (engine::SuspendDeadline refuses,
  // naming legal_basis).
  std::optional<SuspensionSpec> suspendable;
};

// The handling norm (afhandeltermijn) for reports of one category.
struct HandlingNorm {
  std::string category;
  DurationSpec duration;
};

// Which cases of a type an overleg puts on a generated agenda, and why
// (app/meetings.h): the first rule that matches gives the reason.
struct AgendaRules {
  std::vector<std::string> new_states;        // "new": not yet discussed
  std::vector<std::string> awaiting_states;   // "awaiting_overleg": waiting for the overleg's decision
  std::vector<std::string> review_deadlines;  // "review_due": one of these deadlines is due by the meeting day
};

// The recurring case meeting of a type (IAWW-overleg, JPP, Top-X overleg).
struct OverlegSpec {
  int cadence_days = 0;  // a new meeting's default: every N days (1..366)
  AgendaRules local;     // a municipality's own overleg
  // The region-wide ZVH casusoverleg (municipality "regio"); absent: the
  // same rules as a municipality's overleg, over every municipality.
  std::optional<AgendaRules> region_wide;
};

// Who learns the outcome of the report a case was opened from: the melder,
// as the label of the case's state, only when the bool field `told_when`
// is true on the case (Wvggz: a melder who is an essentiële naaste).
struct ReportOutcomeSpec {
  std::string told_when;
};

// Which reports the meldpunt's triage form proposes this type for. An
// incident code match outranks a category match; see docs/workflow-format.md.
struct SuggestionSpec {
  std::vector<std::string> categories;      // report categories, e.g. verward_gedrag
  std::vector<std::string> incident_codes;  // police incident codes, e.g. E33
};

struct WorkflowDefinition {
  std::string id;  // the case type, e.g. iaww: a lowercase identifier; the loaded files are the list of types
  int version = 0;
  std::string label;
  std::string source_file;  // for messages; not part of the definition's identity
  std::vector<StateSpec> states;
  std::vector<LevelSpec> levels;  // ordered, lowest first
  std::string initial_level;      // defaults to levels[0]
  OpenSpec open;
  std::vector<TransitionSpec> transitions;
  std::vector<DeadlineSpec> deadlines;
  std::vector<HandlingNorm> handling_norms;
  // The workflow needs the subject's BSN (e.g. the Wvggz: the OvJ and the
  // court identify the person by it). Only then is a BSN given at opening
  // stored; for other types it is checked and discarded (docs/privacy.md).
  bool subject_bsn = false;
  // Absent: no agenda rules (a meeting of this type can still be created,
  // with an explicit cadence, and its generated agendas are empty).
  std::optional<OverlegSpec> overleg;
  // Absent: no melder is ever told the outcome.
  std::optional<ReportOutcomeSpec> report_outcome;
  SuggestionSpec suggest_for;  // empty: never proposed

  const StateSpec* FindState(std::string_view id) const;
  const TransitionSpec* FindTransition(std::string_view name) const;
  const DeadlineSpec* FindDeadline(std::string_view id) const;
  int LevelIndex(std::string_view id) const;  // -1 when unknown
  const StateSpec* InitialState() const;      // null only for an invalid definition
};

}  // namespace casus::engine

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
};

// The handling norm (afhandeltermijn) for reports of one category.
struct HandlingNorm {
  std::string category;
  DurationSpec duration;
};

struct WorkflowDefinition {
  std::string id;  // the case type: iaww, jpp, topx, wvggz
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

  const StateSpec* FindState(std::string_view id) const;
  const TransitionSpec* FindTransition(std::string_view name) const;
  const DeadlineSpec* FindDeadline(std::string_view id) const;
  int LevelIndex(std::string_view id) const;  // -1 when unknown
  const StateSpec* InitialState() const;      // null only for an invalid definition
};

}  // namespace casus::engine

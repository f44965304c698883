// Named guards: pure predicates a workflow file attaches to a transition or
// to opening a case. The file names them; the registry here is the closed
// list the loader checks names and arguments against.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace casus::engine {

struct GuardArgSpec {
  std::string_view name;
  bool required;
  bool list;  // several values allowed
};

struct GuardInfo {
  std::string_view name;
  std::string_view description;
  std::vector<GuardArgSpec> args;
};

// All guards the engine implements:
//  config_enabled {key}             a setting of the case's municipality is on (e.g. APV basis)
//  prior_transition {any_of: [..]}  one of these transitions is on the case's record
//  subject_age {min?, max_below?, at: registration|now}
//                                   the subject's age (birth date required) within bounds
//  all_true {fields: [..]}          every listed bool field (this command or on record) is true
//  any_present {fields: [..]}       at least one listed field is given and non-empty / true
//  deadline_passed {deadline}       the named deadline on the case is overdue now
//  deadline_running {deadline}      the named deadline on the case is active and not yet at its end
//                                   now (a suspended one is running)
const std::vector<GuardInfo>& KnownGuards();
const GuardInfo* FindGuard(std::string_view name);

}  // namespace casus::engine

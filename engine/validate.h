// Semantic validation of a parsed workflow definition. Reports every error,
// each with the file and the path inside it, so that a functioneel beheerder
// can fix them all in one go.
#pragma once

#include <string>
#include <vector>

#include "engine/definition.h"

namespace casus::engine {

struct DefinitionError {
  std::string file;  // e.g. "wvggz.yaml"
  std::string path;  // e.g. "transitions[3].to"
  std::string message;
  std::string ToString() const;  // "wvggz.yaml: transitions[3].to: unknown state \"besluit\""
  bool operator==(const DefinitionError&) const = default;
};

// Checks: exactly one initial state; unknown/duplicate state, transition,
// level and deadline ids; unknown roles, organisation types and guards (and
// their arguments); transitions out of terminal states; states unreachable
// from the initial state; non-terminal states with no way out; level
// changes to unknown levels; deadlines started or cleared by unknown
// states/transitions; fields with unknown types or enums without values;
// a suspendable deadline without roles or with an unknown one.
std::vector<DefinitionError> ValidateDefinition(const WorkflowDefinition& def);

}  // namespace casus::engine

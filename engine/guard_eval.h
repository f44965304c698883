// Evaluation of the named guards listed in guards.h. Pure: everything a
// guard may look at is in GuardInput.
#pragma once

#include <string>

#include "engine/definition.h"
#include "engine/engine.h"

namespace casus::engine {

struct GuardInput {
  const CaseState& kase;
  const FieldMap& command_data;  // the data of the command being checked
  const Context& ctx;
};

// True when the guard passes; otherwise `why` says what is missing, in
// words a regisseur understands.
bool EvaluateGuard(const GuardSpec& guard, const GuardInput& input, std::string& why);

}  // namespace casus::engine

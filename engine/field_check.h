// Checks command data against the fields a transition declares.
#pragma once

#include <vector>

#include "common/status.h"
#include "engine/definition.h"
#include "engine/engine.h"

namespace casus::engine {

// Longest text value accepted in a field, in bytes. Free text about persons
// belongs in notes, not in transition data.
inline constexpr size_t kMaxTextFieldBytes = 10000;

// One error per offending field: required and absent, wrong type, bad
// date/datetime, enum value not listed, text empty or too long, and fields
// the transition does not declare. Empty when the data is acceptable.
std::vector<FieldError> CheckFields(const std::vector<FieldSpec>& specs, const FieldMap& data);

}  // namespace casus::engine

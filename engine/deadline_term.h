// Which term a deadline runs: the spec's duration, or its longer duration
// when the bool field that selects it is true on the case. Shared by
// starting a deadline (engine.cc) and suspending one (suspension.cc), so
// both read the same term.
#pragma once

#include "engine/definition.h"
#include "engine/engine.h"

namespace casus::engine {

// The term as it applies to a case carrying `data` (e.g. the OvJ's 6 weeks
// when eigen_plan_van_aanpak is true, 4 weeks otherwise).
DurationSpec ResolveTerm(const DeadlineSpec& spec, const FieldMap& data);

// The term a started deadline runs: as recorded when it started, or, for a
// deadline stored before terms were recorded, resolved from the spec.
DurationSpec TermOf(const DeadlineState& deadline, const DeadlineSpec& spec, const FieldMap& data);

}  // namespace casus::engine

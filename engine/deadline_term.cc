#include "engine/deadline_term.h"

#include <variant>

namespace casus::engine {

DurationSpec ResolveTerm(const DeadlineSpec& spec, const FieldMap& data) {
  if (!spec.longer_when_field || !spec.longer_duration) return spec.duration;
  auto it = data.find(*spec.longer_when_field);
  const bool longer = it != data.end() && std::holds_alternative<bool>(it->second) && std::get<bool>(it->second);
  return longer ? *spec.longer_duration : spec.duration;
}

DurationSpec TermOf(const DeadlineState& deadline, const DeadlineSpec& spec, const FieldMap& data) {
  return deadline.term.value_or(ResolveTerm(spec, data));
}

}  // namespace casus::engine

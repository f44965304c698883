// Membership in a small list (roles, states, organisation ids), where a
// linear scan is the right cost.
#pragma once

#include <algorithm>
#include <iterator>

namespace casus {

template <class Range, class Value>
bool Contains(const Range& values, const Value& value) {
  return std::ranges::find(values, value) != std::ranges::end(values);
}

}  // namespace casus

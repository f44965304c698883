// Durations as written in workflow files: "14d" calendar days, "10wd"
// working days, "24h" hours, "4w" weeks (= 28 calendar days).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace casus::engine {

struct DurationSpec {
  enum class Unit { kCalendarDays, kWorkingDays, kHours };
  Unit unit = Unit::kCalendarDays;
  int amount = 0;  // > 0

  std::string ToString() const;  // canonical: "14d", "10wd", "24h"
  bool operator==(const DurationSpec&) const = default;
};

// nullopt on anything else: no sign, no spaces, amount 1..3650 (days) / 1..8760 (hours).
std::optional<DurationSpec> ParseDuration(std::string_view text);

}  // namespace casus::engine

#include "engine/guards.h"

namespace casus::engine {

const std::vector<GuardInfo>& KnownGuards() {
  static const std::vector<GuardInfo> kGuards = {
      {"config_enabled", "a setting of the case's municipality is switched on", {{"key", true, false}}},
      {"prior_transition", "one of the named transitions is on the case's record", {{"any_of", true, true}}},
      {"subject_age",
       "the subject's age is within bounds (min: at least; max_below: younger than)",
       {{"min", false, false}, {"max_below", false, false}, {"at", true, false}}},
      {"all_true", "every listed bool field is true", {{"fields", true, true}}},
      {"any_present", "at least one listed field is given", {{"fields", true, true}}},
      {"deadline_passed", "the named deadline of the case is overdue", {{"deadline", true, false}}},
      {"deadline_running",
       "the named deadline of the case is active and its end has not come (or it is suspended)",
       {{"deadline", true, false}}},
  };
  return kGuards;
}

const GuardInfo* FindGuard(std::string_view name) {
  for (const auto& g : KnownGuards())
    if (g.name == name) return &g;
  return nullptr;
}

}  // namespace casus::engine

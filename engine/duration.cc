// STUB: replaced by the duration implementation.
#include "engine/duration.h"
namespace casus::engine {
std::string DurationSpec::ToString() const { return ""; }
std::optional<DurationSpec> ParseDuration(std::string_view) { return std::nullopt; }
}  // namespace casus::engine

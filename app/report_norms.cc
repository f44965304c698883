#include "app/report_norms.h"

#include <algorithm>
#include <utility>

namespace casus::app {

ReportNorms::ReportNorms(const engine::DefinitionRegistry& registry, engine::DutchCalendar calendar)
    : registry_(registry), calendar_(std::move(calendar)) {}

const std::vector<std::string>& ReportNorms::OpenStatuses() {
  static const std::vector<std::string> kOpen{"ontvangen", "getrieerd"};
  return kOpen;
}

bool ReportNorms::IsOpen(std::string_view status) {
  const auto& open = OpenStatuses();
  return std::find(open.begin(), open.end(), status) != open.end();
}

std::vector<engine::DurationSpec> ReportNorms::NormsFor(std::string_view category) const {
  std::vector<engine::DurationSpec> out;
  for (const engine::WorkflowDefinition* def : registry_.LatestOfEach())
    for (const engine::HandlingNorm& n : def->handling_norms)
      if (n.category == category) out.push_back(n.duration);
  return out;
}

std::optional<ReportHandling> ReportNorms::Evaluate(std::string_view category, TimePoint received_at,
                                                    std::string_view status, TimePoint now) const {
  std::optional<ReportHandling> best;
  for (const engine::DurationSpec& norm : NormsFor(category)) {
    const TimePoint due = calendar_.DueAt(received_at, norm);
    if (!best || due < best->due_at) best = ReportHandling{norm, due, false, false};
  }
  if (!best) return std::nullopt;
  if (IsOpen(status)) {
    const auto term = best->due_at - received_at;
    best->late = now > best->due_at;
    best->late3 = now > received_at + 3 * term;
  }
  return best;
}

bool ReportNorms::IsLate(const storage::Report& report, TimePoint now) const {
  auto h = Evaluate(report, now);
  return h && h->late;
}

}  // namespace casus::app

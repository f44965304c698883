// Handling norms (afhandeltermijnen) for reports, DOMAIN.md §3: each report
// category has a term from the workflow files' `handling_norms`; a report is
// *late* once the term has passed while it is still open, and *3× late*
// (Signalen's "3x te laat") once three times the term has passed.
//
// When several case types define a norm for the same category, the shortest
// applies: at intake the meldpunt does not yet know which case type the
// report will lead to, so it must meet the strictest term any of them sets.
// "Shortest" is decided per report, by the earliest due moment from its
// receipt, because working days and calendar days only compare on a real
// date (5wd across Easter is longer than 7d across an ordinary week).
//
// Thread-safe: reads the registry (filled at start, read-only after) on
// every call, so norms follow the latest definitions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "engine/calendar.h"
#include "engine/duration.h"
#include "engine/registry.h"
#include "storage/records.h"

namespace casus::app {

struct ReportHandling {
  engine::DurationSpec norm;  // the term that applies ("5wd")
  TimePoint due_at{};         // calendar.DueAt(received_at, norm)
  bool late = false;          // open and now > due_at
  bool late3 = false;         // open and now > received_at + 3 × (due_at − received_at)
};

class ReportNorms {
 public:
  ReportNorms(const engine::DefinitionRegistry& registry, engine::DutchCalendar calendar);

  // Every norm the latest definitions declare for `category`, in registry
  // order; empty when none does.
  std::vector<engine::DurationSpec> NormsFor(std::string_view category) const;

  // The applicable norm for a report of `category` received at
  // `received_at`, and its due moment; nullopt when the category has none.
  std::optional<ReportHandling> Evaluate(std::string_view category, TimePoint received_at,
                                         std::string_view status, TimePoint now) const;
  std::optional<ReportHandling> Evaluate(const storage::Report& report, TimePoint now) const {
    return Evaluate(report.category, report.received_at, report.status, now);
  }
  bool IsLate(const storage::Report& report, TimePoint now) const;

  // Open reports are still being handled: ontvangen or getrieerd. Linked,
  // forwarded and closed reports are never late (their handling ended).
  static bool IsOpen(std::string_view status);
  static const std::vector<std::string>& OpenStatuses();

 private:
  const engine::DefinitionRegistry& registry_;
  engine::DutchCalendar calendar_;
};

}  // namespace casus::app

// Statistics over reports and cases (DOMAIN.md §2 coordinators: "counts per
// category/wijk/type, export"): counts grouped by one dimension over a
// range of civil dates (Europe/Amsterdam), plus the total. Aggregated in
// the app from repository lists.
//
// Scope: the caller's municipality; a caller of the ZVH organisation the
// whole region (every municipality in the store, like ReportService::List).
// Roles: meldpunt, coordinator, burgemeester; others PermissionDenied.
// Every answer is audited (stats.read, or stats.export for a CSV download)
// before it is handed out; the entry names the query, never case content.
//
// Known limit: at most kStatsRowLimit rows are read per request (reports:
// those received since `from`, including any after `to`; cases: those of the
// scope). A range over more rows is refused with InvalidArgument
// (reason "invalid_data", HTTP 422) asking for a shorter range.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/calendar.h"
#include "storage/store.h"

namespace casus::app {

inline constexpr int kStatsRowLimit = 10000;

// category, wijk, type, source, month
const std::vector<std::string>& StatsGroupings();
// reports, cases
const std::vector<std::string>& StatsSubjects();
// The roles that may ask for statistics.
const std::vector<std::string>& StatsRoles();

struct StatsQuery {
  Date from;  // inclusive, local civil date
  Date to;    // inclusive
  std::string group_by = "category";
  std::string subject = "reports";
};

struct StatsGroup {
  std::string key;  // "onbekend" when the row has no value for the grouping
  std::int64_t count = 0;
};

struct StatsResult {
  StatsQuery query;
  std::vector<StatsGroup> groups;  // ordered by key; only keys with rows
  std::int64_t total = 0;          // the number of rows counted (= the sum of the groups)
  std::string scope;               // the municipality, or "regio" for the ZVH
};

// The key a row falls under when it has no value.
inline constexpr const char* kUnknownKey = "onbekend";
// Reports grouped by type: the type of the linked case, or this when unlinked.
inline constexpr const char* kNotLinkedKey = "niet_gekoppeld";

class StatisticsService {
 public:
  StatisticsService(storage::Store& store, const Clock& clock, const engine::DutchCalendar& calendar);

  // `for_export`: audited as stats.export (reason "export") instead of stats.read.
  StatusOr<StatsResult> Compute(const StatsQuery& query, const Caller& caller, bool for_export);

 private:
  storage::Store& store_;
  const Clock& clock_;
  const engine::DutchCalendar& calendar_;  // civil dates in Europe/Amsterdam
};

}  // namespace casus::app

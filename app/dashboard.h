// The coordinators' dashboard (DOMAIN.md §2 "monitor escalations and
// overdue deadlines across all cases"): for the cases the caller may read
// (engine::DecideCaseRead: a gemeente coordinator/meldpunt/burgemeester
// their municipality, a ZVH coordinator the region, everyone else their
// team cases; break-the-glass grants do not widen the dashboard), counts
// per type, state and level, overdue and due-soon deadlines, recent
// escalations, open cases without a regisseur and overdue open afspraken.
// privacy_officer and admin are refused. One audit entry (dashboard.read)
// per request, without per-case content. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/calendar.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::app {

inline constexpr int kDueSoonWorkingDays = 2;
inline constexpr int kRecentEscalationDays = 14;
inline constexpr int kDashboardMaxCases = 50000;  // bounds one request over a very large region

struct DashboardDeadline {
  std::string case_id;
  std::string type;
  std::string deadline;  // DeadlineSpec::id
  std::string label;     // DeadlineSpec::label (the id when the definition is not loaded)
  TimePoint due_at{};
  std::string case_number;  // the zaaknummer
};

struct DashboardEscalation {
  std::int64_t event_id = 0;
  std::string case_id;
  std::string type;
  TimePoint at{};
  std::string from_level;
  std::string to_level;
  std::string case_number;  // the zaaknummer
};

struct DashboardCase {
  std::string case_id;
  std::string type;
  std::string state;
  std::string level;
  std::string case_number;  // the zaaknummer
};

struct DashboardAction {
  std::string action_id;
  std::string case_id;
  std::string owner_org_id;
  TimePoint due_at{};
  std::string case_number;  // the zaaknummer of the afspraak's case
};

struct Dashboard {
  TimePoint now{};
  TimePoint due_soon_until{};  // end of the local day kDueSoonWorkingDays working days from today
  std::int64_t open_cases = 0;
  std::int64_t closed_cases = 0;
  std::map<std::string, std::int64_t> by_type;                               // open cases
  std::map<std::string, std::map<std::string, std::int64_t>> by_state;      // type -> state -> open cases
  std::map<std::string, std::map<std::string, std::int64_t>> by_level;      // type -> level -> open cases
  std::vector<DashboardDeadline> overdue;                                   // oldest first
  std::vector<DashboardDeadline> due_soon;                                  // soonest first
  std::vector<DashboardEscalation> recent_escalations;                      // newest first
  std::vector<DashboardCase> without_regisseur;                             // open cases, by id
  std::vector<DashboardAction> overdue_actions;                             // oldest first
  bool truncated = false;  // more than kDashboardMaxCases cases in scope
};

class DashboardService {
 public:
  DashboardService(storage::Store& store, const engine::DefinitionRegistry& registry, const Clock& clock,
                   const engine::DutchCalendar& calendar);

  // PermissionDenied (audited) for privacy_officer and admin.
  StatusOr<Dashboard> Build(const Caller& caller);

 private:
  storage::Store& store_;
  const engine::DefinitionRegistry& registry_;
  const Clock& clock_;
  engine::DutchCalendar calendar_;
};

}  // namespace casus::app

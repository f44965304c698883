// Reports (meldingen, DOMAIN.md §3): the public form with its tracking
// code, staff intake, and the staff list. Every report stored and every
// report listed is audited in the same transaction / before it is handed
// out. Thread-safe.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/case_service.h"
#include "app/config.h"
#include "app/stored_throttle.h"
#include "app/report_norms.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::app {

struct ReportLocation {
  std::string street;
  std::string wijk;
  std::string municipality;
};

struct ReporterContact {
  std::string name;
  std::string email;
  std::string phone;
};

struct PublicReportInput {
  std::string category;
  std::string description;
  ReportLocation location;
  ReporterContact reporter;  // all empty: anonymous
};

struct StaffReportInput {
  std::string source;  // burger, professional, politie, landelijk_meldpunt
  std::string category;
  std::string description;
  std::string incident_code;  // E33, E14 or empty
  ReportLocation location;
  std::optional<SubjectInput> subject;
  ReporterContact reporter;
};

// What a citizen may learn about their report: nothing but a coarse status.
struct PublicReportStatus {
  std::string status;  // ontvangen, in_behandeling, afgehandeld
  TimePoint updated_at{};
  // Wvggz only, and only when the case records the melder as an essentiële
  // naaste (DOMAIN.md §4, AVG): the label of the linked case's state.
  std::optional<std::string> outcome;
};

struct ReportListQuery {
  std::optional<std::string> status;
  std::optional<std::string> category;
  std::optional<TimePoint> since;
  // Only reports past their handling norm (app/report_norms.h). Needs the
  // service to have been given norms; without them nothing is late.
  bool late = false;
  int limit = 50;  // 1..200
};

// The categories of the Kerkrade meldpunt (DOMAIN.md §3), as identifiers.
const std::vector<std::string>& ReportCategories();
const std::vector<std::string>& ReportSources();
const std::vector<std::string>& ReportStatuses();
// The staff roles that handle reports.
const std::vector<std::string>& ReportRoles();

// "ABCD-EFGH-JKMN": 12 characters of an alphabet without 0/O and 1/I
// (60 random bits from RAND_bytes), grouped by four.
std::string NewTrackingCode();
// Accepts any case and without or with hyphens/spaces; nullopt when malformed.
std::optional<std::string> NormalizeTrackingCode(std::string_view text);

class ReportService {
 public:
  // `norms` (may be null: no report is late) and `registry` (may be null:
  // no melder is ever told an outcome) must outlive the service.
  ReportService(storage::Store& store, const Config& config, const Clock& clock, IdGenerator& ids,
                const ReportNorms* norms = nullptr, const engine::DefinitionRegistry* registry = nullptr);

  const ReportNorms* norms() const { return norms_; }

  // ResourceExhausted when `client_address` submitted public_reports_per_hour
  // reports within the last hour; InvalidArgument (reason invalid_data,
  // naming the field) for an unknown category or municipality.
  StatusOr<std::string> SubmitPublic(const PublicReportInput& input, const std::string& client_address);
  // NotFound (the same for every unknown or malformed code). The outcome is
  // given only as the workflow's `report_outcome` allows (OutcomeForMelder).
  StatusOr<PublicReportStatus> PublicStatus(const std::string& tracking_code);

  // PermissionDenied unless the caller has a report role; staff outside the
  // ZVH register reports of their own municipality only.
  StatusOr<storage::Report> CreateStaff(const StaffReportInput& input, const Caller& caller);
  // Newest first; the caller's municipality only unless their organisation is the ZVH.
  // With query.late: only open reports past their norm at clock.Now(); the
  // candidates read are the newest 10000 open reports of the scope.
  StatusOr<std::vector<storage::Report>> List(const ReportListQuery& query, const Caller& caller);

 private:
  StatusOr<std::string> UnusedTrackingCode(storage::Transaction& tx);
  StatusOr<std::optional<std::string>> OutcomeForMelder(storage::Transaction& tx, const storage::Report& report) const;
  void CheckCommon(const std::string& category, const std::string& description, const ReportLocation& location,
                     std::vector<FieldError>& errors) const;

  storage::Store& store_;
  const Config& config_;
  const Clock& clock_;
  IdGenerator& ids_;
  const ReportNorms* norms_;
  const engine::DefinitionRegistry* registry_;
  // Public reports per client address per hour, counted in the database
  // (every node counts the same).
  StoredThrottle public_limit_;
};

}  // namespace casus::app

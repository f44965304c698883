// The privacy officer's view of the audit log (DOMAIN.md §6): search, and
// the access overview per person (who, organisation, when, what, why).
// Only the privacy_officer role may use it; every use is itself audited.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace casus::app {

struct AuditQuery {
  std::optional<std::string> case_id;
  std::optional<std::string> person_id;
  std::optional<std::string> user_id;
  std::optional<std::string> action;
  std::optional<TimePoint> since;
  std::int64_t after_seq = 0;  // paging cursor
  int limit = 100;             // 1..1000
};

// An audit entry with the names a person reading the overview needs.
struct AccessLogEntry {
  storage::AuditEntry entry;
  std::string username;  // empty for the system, the public or an unknown id
  std::string org_name;
};

// PermissionDenied (reason role_refused) unless the caller is a privacy officer.
Status RequirePrivacyOfficer(const Caller& caller);

// The entries concerning `person_id` after `after_seq`, at most `limit`, with names.
StatusOr<std::vector<AccessLogEntry>> LoadAccessLog(storage::Transaction& tx, const std::string& person_id,
                                                    std::int64_t after_seq, int limit);

class AuditQueries {
 public:
  AuditQueries(storage::Store& store, const Clock& clock);

  // Audited as audit.search.
  StatusOr<std::vector<storage::AuditEntry>> Search(const AuditQuery& query, const Caller& caller);
  // NotFound for an unknown person. Audited as person.access_log.
  StatusOr<std::vector<AccessLogEntry>> AccessLog(const std::string& person_id, std::int64_t after_seq, int limit,
                                                  const Caller& caller);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace casus::app

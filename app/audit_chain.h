// The audit chain's state for the privacy officer (DOMAIN.md §6): the same
// verification as `casus audit verify`, over the live store, so that the
// privacy officer sees in the web application whether the chain is intact.
// Only the privacy_officer role may ask; every check is itself audited
// (audit.verify, result "success" or "broken"). Thread-safe.
#pragma once

#include "app/case_service.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/records.h"
#include "storage/store.h"

namespace casus::app {

struct AuditChainStatus {
  storage::AuditVerification verification;
  TimePoint checked_at{};
};

class AuditChain {
 public:
  AuditChain(storage::Store& store, const Clock& clock);

  // PermissionDenied (audited as denied) unless the caller is a privacy officer.
  StatusOr<AuditChainStatus> Verify(const Caller& caller);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace casus::app

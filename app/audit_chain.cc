#include "app/audit_chain.h"

#include "app/audit_queries.h"
#include "app/case_access.h"

namespace casus::app {

AuditChain::AuditChain(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

StatusOr<AuditChainStatus> AuditChain::Verify(const Caller& caller) {
  if (Status allowed = RequirePrivacyOfficer(caller); !allowed.ok()) {
    // A refused look at the chain is worth knowing about too.
    RETURN_IF_ERROR(AppendAudit(store_, {MakeAudit(caller, clock_.Now(), "audit.verify", "denied", "audit", "", "")}));
    return allowed;
  }
  AuditChainStatus out;
  ASSIGN_OR_RETURN(out.verification, store_.VerifyAudit());
  out.checked_at = clock_.Now();
  // Appended after the check: the answer describes the chain as it was read.
  RETURN_IF_ERROR(AppendAudit(store_, {MakeAudit(caller, out.checked_at, "audit.verify",
                                                 out.verification.intact ? "success" : "broken", "audit", "", "")}));
  return out;
}

}  // namespace casus::app

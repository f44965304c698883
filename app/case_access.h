// Shared pieces for the read-side services (case queries, person view,
// break-the-glass): the access facts of a stored case, NEN 7513 audit
// entries for a caller, and the audit append that makes a read durable
// before its data is handed out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/case_service.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/access_policy.h"
#include "storage/store.h"

namespace casus::app {

bool HasRole(const engine::Actor& actor, std::string_view role);
bool HasAnyRole(const engine::Actor& actor, const std::vector<std::string>& roles);

// The caller of automatic consequences (deadlines, retention, provisioning
// at login) and of operator commands: user and role "system", never a person.
Caller SystemCaller(std::string client = "");

// An audit entry for `caller` (roles joined with ","). Ids only, never names.
storage::AuditEntry MakeAudit(const Caller& caller, TimePoint now, std::string action, std::string result,
                              std::string object_type, std::string object_id, std::string person_id,
                              std::string reason = "");

engine::CaseAccessFacts FactsFor(const storage::CaseRecord& record, const std::vector<storage::TeamMember>& team,
                                 bool break_glass_active);

// The facts for `record` as seen by `user_id` at `now`: its team and whether
// the user holds an unexpired break-the-glass grant for it.
StatusOr<engine::CaseAccessFacts> LoadAccessFacts(storage::Transaction& tx, const storage::CaseRecord& record,
                                                  const std::string& user_id, TimePoint now);

// PermissionDenied carrying reason "access_denied" and the policy's rule.
Status AccessDenied(const engine::AccessDecision& decision);

// Appends a read's entries (no-op when empty) and returns once they are
// durable: chained with the other reads of the writer's group, without a
// job of their own; they still commit when the disk is full (storage::WriteKind).
Status AppendAudit(storage::Store& store, std::vector<storage::AuditEntry> entries);

}  // namespace casus::app

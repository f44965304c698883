#include "app/case_access.h"

#include <algorithm>

namespace casus::app {

bool HasRole(const engine::Actor& actor, std::string_view role) {
  return std::find(actor.roles.begin(), actor.roles.end(), role) != actor.roles.end();
}

bool HasAnyRole(const engine::Actor& actor, const std::vector<std::string>& roles) {
  return std::any_of(roles.begin(), roles.end(), [&](const std::string& r) { return HasRole(actor, r); });
}

Caller SystemCaller(std::string client) {
  return Caller{engine::Actor{"system", {"system"}, "", "", ""}, std::move(client), "", ""};
}

storage::AuditEntry MakeAudit(const Caller& caller, TimePoint now, std::string action, std::string result,
                              std::string object_type, std::string object_id, std::string person_id,
                              std::string reason) {
  storage::AuditEntry e;
  e.at = now;
  e.action = std::move(action);
  e.result = std::move(result);
  e.user_id = caller.actor.user_id;
  for (const auto& r : caller.actor.roles) e.role += (e.role.empty() ? "" : ",") + r;
  e.org_id = caller.actor.org_id;
  e.on_behalf_of = caller.on_behalf_of;
  e.client = caller.client;
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.person_id = std::move(person_id);
  e.reason = std::move(reason);
  return e;
}

engine::CaseAccessFacts FactsFor(const storage::CaseRecord& record, const std::vector<storage::TeamMember>& team,
                                 bool break_glass_active) {
  engine::CaseAccessFacts facts;
  facts.municipality = record.municipality;
  facts.confidentiality = record.confidentiality;
  for (const auto& m : team) facts.team.push_back({m.org_id, m.user_id, m.role});
  facts.break_glass_active = break_glass_active;
  return facts;
}

StatusOr<engine::CaseAccessFacts> LoadAccessFacts(storage::Transaction& tx, const storage::CaseRecord& record,
                                                  const std::string& user_id, TimePoint now) {
  ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(record.id));
  ASSIGN_OR_RETURN(auto grants, tx.grants().ListActive(record.id, user_id, now));
  return FactsFor(record, team, !grants.empty());
}

Status AccessDenied(const engine::AccessDecision& decision) {
  return Status(StatusCode::kPermissionDenied, "access to this case is denied: " + decision.why,
                StatusDetail{Refusal::kAccessDenied, {}, {}, ""});
}

Status AppendAudit(storage::Store& store, std::vector<storage::AuditEntry> entries) {
  return store.AppendAudit(std::move(entries));
}

}  // namespace casus::app

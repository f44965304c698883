#include "app/audit_queries.h"

#include <map>

#include "app/case_access.h"

namespace casus::app {

Status RequirePrivacyOfficer(const Caller& caller) {
  if (HasRole(caller.actor, "privacy_officer")) return Status::Ok();
  return Status(StatusCode::kPermissionDenied, "only the privacy officer may read the audit log",
                StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
}

StatusOr<std::vector<AccessLogEntry>> LoadAccessLog(storage::Transaction& tx, const std::string& person_id,
                                                    std::int64_t after_seq, int limit) {
  storage::AuditFilter filter;
  filter.person_id = person_id;
  filter.after_seq = after_seq;
  filter.limit = limit;
  ASSIGN_OR_RETURN(auto entries, tx.audit().Search(filter));
  std::map<std::string, std::string> usernames;
  std::map<std::string, std::string> org_names;
  std::vector<AccessLogEntry> out;
  for (auto& e : entries) {
    AccessLogEntry row{std::move(e), "", ""};
    const std::string& uid = row.entry.user_id;
    if (!uid.empty() && !usernames.count(uid)) {
      auto user = tx.users().Get(uid);
      usernames[uid] = user.ok() ? user->username : "";
    }
    if (!uid.empty()) row.username = usernames[uid];
    const std::string& oid = row.entry.org_id;
    if (!oid.empty() && !org_names.count(oid)) {
      auto org = tx.organisations().Get(oid);
      org_names[oid] = org.ok() ? org->name : "";
    }
    if (!oid.empty()) row.org_name = org_names[oid];
    out.push_back(std::move(row));
  }
  return out;
}

AuditQueries::AuditQueries(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

StatusOr<std::vector<storage::AuditEntry>> AuditQueries::Search(const AuditQuery& query, const Caller& caller) {
  RETURN_IF_ERROR(RequirePrivacyOfficer(caller));
  if (query.limit < 1 || query.limit > 1000) return Status::InvalidArgument("limit must be between 1 and 1000");
  storage::AuditFilter filter;
  if (query.case_id) {
    filter.object_type = "case";
    filter.object_id = query.case_id;
  }
  filter.person_id = query.person_id;
  filter.user_id = query.user_id;
  filter.action = query.action;
  filter.since = query.since;
  filter.after_seq = query.after_seq;
  filter.limit = query.limit;
  std::vector<storage::AuditEntry> out;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(out, tx.audit().Search(filter));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(AppendAudit(store_, {MakeAudit(caller, clock_.Now(), "audit.search", "success", "audit",
                                                 query.case_id.value_or(""), query.person_id.value_or(""))}));
  return out;
}

StatusOr<std::vector<AccessLogEntry>> AuditQueries::AccessLog(const std::string& person_id, std::int64_t after_seq,
                                                              int limit, const Caller& caller) {
  RETURN_IF_ERROR(RequirePrivacyOfficer(caller));
  if (limit < 1 || limit > 1000) return Status::InvalidArgument("limit must be between 1 and 1000");
  std::vector<AccessLogEntry> out;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN([[maybe_unused]] auto person, tx.persons().Get(person_id));
    ASSIGN_OR_RETURN(out, LoadAccessLog(tx, person_id, after_seq, limit));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(AppendAudit(
      store_, {MakeAudit(caller, clock_.Now(), "person.access_log", "success", "person", person_id, person_id)}));
  return out;
}

}  // namespace casus::app

#include "app/person_queries.h"

#include <algorithm>

#include "app/case_access.h"
#include "engine/access_policy.h"

namespace casus::app {
namespace {

StatusOr<std::vector<storage::CaseRecord>> CasesOf(storage::Transaction& tx, const std::string& person_id) {
  storage::CaseFilter filter;
  filter.subject_person_id = person_id;
  filter.limit = kMaxCasesPerPerson;
  return tx.cases().List(filter);
}

}  // namespace

PersonQueries::PersonQueries(storage::Store& store, const CaseQueries& cases, const Clock& clock)
    : store_(store), cases_(cases), clock_(clock) {}

StatusOr<PersonView> PersonQueries::View(const std::string& person_id, const Caller& caller) {
  if (engine::ActorMaxConfidentiality(caller.actor) == 0)
    return Status(StatusCode::kPermissionDenied, "this role has no access to case content",
                  StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
  const TimePoint now = clock_.Now();
  PersonView view;
  bool exists = false;
  bool via_glass = false;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    auto person = tx.persons().Get(person_id);
    if (!person.ok()) return person.status().code() == StatusCode::kNotFound ? Status::Ok() : person.status();
    exists = true;
    view.person = std::move(person).value();
    ASSIGN_OR_RETURN(auto records, CasesOf(tx, person_id));
    for (auto& rec : records) {
      ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(rec.id));
      ASSIGN_OR_RETURN(auto grants, tx.grants().ListActive(rec.id, caller.actor.user_id, now));
      auto decision = engine::DecideCaseRead(caller.actor, FactsFor(rec, team, !grants.empty()));
      if (!decision.allowed) continue;
      via_glass = via_glass || decision.via_break_glass;
      PersonCaseView pc;
      ASSIGN_OR_RETURN(pc.actions, tx.actions().ListForCase(rec.id));
      ASSIGN_OR_RETURN(pc.kase, cases_.BuildView(tx, std::move(rec), team, caller.actor, decision.via_break_glass, now));
      view.cases.push_back(std::move(pc));
    }
    return Status::Ok();
  }));
  const Status not_found = Status::NotFound("person " + person_id + " not found");
  if (!exists) return not_found;
  const bool allowed = !view.cases.empty();
  // One entry for the person and one per case shown, so that the case's
  // own audit trail shows this read too.
  std::vector<storage::AuditEntry> audit{MakeAudit(caller, now, "person.read", allowed ? "success" : "denied",
                                                   "person", person_id, person_id,
                                                   via_glass ? "break-the-glass access" : "")};
  for (const auto& pc : view.cases)
    audit.push_back(MakeAudit(caller, now, "case.read", "success", "case", pc.kase.record.id, person_id,
                              pc.kase.via_break_glass ? "break-the-glass access" : ""));
  RETURN_IF_ERROR(AppendAudit(store_, std::move(audit)));
  if (!allowed) return not_found;
  return view;
}

StatusOr<PersonExport> PersonQueries::Export(const std::string& person_id, const std::string& reason,
                                             const std::string& format, const Caller& caller) {
  RETURN_IF_ERROR(RequirePrivacyOfficer(caller));
  const TimePoint now = clock_.Now();
  PersonExport out;
  out.generated_at = now;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(out.person, tx.persons().Get(person_id));
    ASSIGN_OR_RETURN(auto records, CasesOf(tx, person_id));
    // The reports the cases came from and those naming the person as subject.
    ASSIGN_OR_RETURN(std::vector<std::string> report_ids, tx.privacy().ReportIdsAbout(person_id, kMaxCasesPerPerson));
    for (auto& rec : records) {
      ExportedCase ec;
      ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(rec.id));
      ASSIGN_OR_RETURN(ec.events, tx.events().ListForCase(rec.id));
      ASSIGN_OR_RETURN(ec.notes, tx.notes().ListForCase(rec.id));
      ASSIGN_OR_RETURN(ec.actions, tx.actions().ListForCase(rec.id));
      ASSIGN_OR_RETURN(ec.grants, tx.grants().ListForCase(rec.id));
      if (rec.report_id) report_ids.push_back(*rec.report_id);
      ASSIGN_OR_RETURN(ec.kase, cases_.BuildView(tx, std::move(rec), team, caller.actor, false, now));
      ec.kase.allowed_transitions.clear();
      ec.kase.complete = true;
      out.cases.push_back(std::move(ec));
    }
    std::sort(report_ids.begin(), report_ids.end());
    report_ids.erase(std::unique(report_ids.begin(), report_ids.end()), report_ids.end());
    for (const auto& rid : report_ids) {
      ASSIGN_OR_RETURN(storage::Report report, tx.reports().Get(rid));
      out.reports.push_back(std::move(report));
    }
    std::int64_t after = 0;
    while (static_cast<int>(out.access_log.size()) < kMaxExportedAccessEntries) {
      ASSIGN_OR_RETURN(auto page, LoadAccessLog(tx, person_id, after, 1000));
      if (page.empty()) break;
      after = page.back().entry.seq;
      const bool last = page.size() < 1000;
      for (auto& e : page) out.access_log.push_back(std::move(e));
      if (last) break;
    }
    out.access_log_truncated = static_cast<int>(out.access_log.size()) >= kMaxExportedAccessEntries;
    return Status::Ok();
  }));
  storage::AuditEntry audit = MakeAudit(caller, now, "person.export", "success", "person", person_id, person_id, reason);
  audit.detail = "{\"format\":\"" + format + "\"}";
  RETURN_IF_ERROR(AppendAudit(store_, {std::move(audit)}));
  return out;
}

}  // namespace casus::app

#include "app/report_triage.h"

#include <algorithm>
#include <map>

#include "app/case_access.h"
#include "app/report_service.h"

namespace casus::app {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

Status RoleRefused() {
  return Status(StatusCode::kPermissionDenied, "this role does not handle reports",
                StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
}

// The reports a caller may handle: their municipality, or all for the ZVH
// (as ReportService::List).
bool InReportScope(const engine::Actor& actor, const storage::Report& report) {
  return actor.org_type == "zvh" || (!actor.municipality.empty() && actor.municipality == report.municipality);
}

}  // namespace

ReportTriage::ReportTriage(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

StatusOr<std::vector<KnownCase>> ReportTriage::FindKnown(const KnownQuery& query, const Caller& caller) {
  if (!HasAnyRole(caller.actor, ReportRoles())) return RoleRefused();
  const std::string name = Trimmed(query.name);
  const std::string street = Lower(Trimmed(query.street));
  if (name.empty() && (street.empty() || query.municipality.empty()))
    return Status(StatusCode::kInvalidArgument, "give a name, or a street with its municipality",
                  StatusDetail{Refusal::kInvalidRequest, {}, {{"name", "give a name, or a street with its municipality"}}, ""});
  const TimePoint now = clock_.Now();
  std::map<std::string, KnownCase> found;  // by case id

  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    auto consider = [&](const std::string& case_id, bool by_person, bool by_address) -> Status {
      auto it = found.find(case_id);
      if (it != found.end()) {
        it->second.by_person |= by_person;
        it->second.by_address |= by_address;
        return Status::Ok();
      }
      ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(case_id));
      ASSIGN_OR_RETURN(auto facts, LoadAccessFacts(tx, rec, caller.actor.user_id, now));
      if (!engine::DecideCaseRead(caller.actor, facts).allowed) return Status::Ok();
      KnownCase k;
      ASSIGN_OR_RETURN(k.subject, tx.persons().Get(rec.subject_person_id));
      k.kase = std::move(rec);
      k.by_person = by_person;
      k.by_address = by_address;
      found.emplace(case_id, std::move(k));
      return Status::Ok();
    };
    if (!name.empty()) {
      ASSIGN_OR_RETURN(auto persons, tx.persons().FindByName(name, query.birth_date));
      for (const auto& p : persons) {
        storage::CaseFilter filter;
        filter.subject_person_id = p.id;
        filter.limit = kMaxKnownCases * 4;
        ASSIGN_OR_RETURN(auto cases, tx.cases().List(filter));
        for (const auto& c : cases) RETURN_IF_ERROR(consider(c.id, true, false));
      }
    }
    if (!street.empty() && !query.municipality.empty()) {
      storage::ReportFilter filter;
      filter.municipality = query.municipality;
      filter.limit = kMaxAddressReportsScanned;
      ASSIGN_OR_RETURN(auto reports, tx.reports().List(filter));
      for (const auto& r : reports)
        if (r.case_id && Lower(Trimmed(r.street)) == street) RETURN_IF_ERROR(consider(*r.case_id, false, true));
    }
    return Status::Ok();
  }));

  std::vector<KnownCase> out;
  for (auto& [id, k] : found) out.push_back(std::move(k));
  std::sort(out.begin(), out.end(),
            [](const KnownCase& a, const KnownCase& b) { return a.kase.created_at > b.kase.created_at; });
  if (out.size() > static_cast<std::size_t>(kMaxKnownCases)) out.resize(kMaxKnownCases);

  // On record before anything is handed out: who learned of which case.
  std::vector<storage::AuditEntry> entries;
  for (const auto& k : out)
    entries.push_back(MakeAudit(caller, now, "case.match", "success", "case", k.kase.id, k.kase.subject_person_id,
                                "meldpunt duplicate check"));
  if (entries.empty()) entries.push_back(MakeAudit(caller, now, "case.match", "none", "case", "", "", "meldpunt duplicate check"));
  RETURN_IF_ERROR(AppendAudit(store_, std::move(entries)));
  return out;
}

StatusOr<storage::Report> ReportTriage::LinkToCase(const std::string& report_id, const std::string& case_id,
                                                   const Caller& caller) {
  if (!HasAnyRole(caller.actor, ReportRoles())) return RoleRefused();
  const TimePoint now = clock_.Now();
  std::optional<storage::Report> linked;
  Status domain = Status::Ok();
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    auto deny = [&](Status why, const std::string& person_id) -> Status {
      domain = std::move(why);
      ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                       tx.audit().Append(MakeAudit(caller, now, "report.link", "denied", "report", report_id, person_id)));
      return Status::Ok();
    };
    auto report = tx.reports().Get(report_id);
    if (!report.ok()) {
      if (report.status().code() != StatusCode::kNotFound) return report.status();
      return deny(Status::NotFound("unknown report"), "");
    }
    if (!InReportScope(caller.actor, *report)) return deny(Status::NotFound("unknown report"), "");
    if (report->case_id)
      return deny(Status(StatusCode::kFailedPrecondition, "the report is already linked to a case",
                         StatusDetail{Refusal::kAlreadyLinked, {}, {}, ""}), "");
    auto rec = tx.cases().Get(case_id);
    if (!rec.ok()) {
      if (rec.status().code() != StatusCode::kNotFound) return rec.status();
      return deny(Status::NotFound("unknown case"), "");
    }
    ASSIGN_OR_RETURN(auto facts, LoadAccessFacts(tx, *rec, caller.actor.user_id, now));
    // A case the caller may not read is answered like an unknown one.
    if (!engine::DecideCaseRead(caller.actor, facts).allowed) return deny(Status::NotFound("unknown case"), "");
    report->case_id = rec->id;
    report->subject_person_id = rec->subject_person_id;
    report->status = "gekoppeld";
    report->updated_at = now;
    RETURN_IF_ERROR(tx.reports().Update(*report));
    ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                     tx.audit().Append(MakeAudit(caller, now, "report.link", "success", "case", rec->id,
                                                 rec->subject_person_id, "report " + report->id)));
    linked = std::move(report).value();
    return Status::Ok();
  }));
  if (!domain.ok()) return domain;
  return std::move(*linked);
}

}  // namespace casus::app

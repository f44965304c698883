#include "app/privacy_service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "app/audit_queries.h"
#include "app/case_access.h"
#include "app/report_service.h"

namespace casus::app {
namespace {

Status NeedReason(const std::string& reason) {
  if (!reason.empty()) return Status::Ok();
  return Status(StatusCode::kInvalidArgument, "reason: is required",
                StatusDetail{Refusal::kInvalidData, {}, {{"reason", "is required"}}, ""});
}

Status NothingChanged() {
  return Status(StatusCode::kInvalidArgument, "nothing to correct: every value is as stored",
                StatusDetail{Refusal::kInvalidData, {}, {}, ""});
}

// {"field": {"old": ..., "new": ...}, ...} for each field that changes.
void Change(boost::json::object& detail, const char* field, const std::string& old_value,
            const std::string& new_value) {
  if (old_value != new_value) detail[field] = {{"old", old_value}, {"new", new_value}};
}

std::string DateText(const std::optional<Date>& d) { return d ? FormatDate(*d) : ""; }

}  // namespace

PrivacyService::PrivacyService(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

StatusOr<storage::Person> PrivacyService::CorrectPerson(const std::string& person_id,
                                                        const PersonCorrection& correction, const Caller& caller) {
  RETURN_IF_ERROR(RequirePrivacyOfficer(caller));
  RETURN_IF_ERROR(NeedReason(correction.reason));
  const TimePoint now = clock_.Now();
  storage::Person out;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::Person person, tx.persons().Get(person_id));
    storage::Person updated = person;
    if (correction.name) updated.name = *correction.name;
    if (correction.birth_date) updated.birth_date = *correction.birth_date;
    boost::json::object detail;
    Change(detail, "name", person.name, updated.name);
    Change(detail, "birth_date", DateText(person.birth_date), DateText(updated.birth_date));
    if (detail.empty()) return NothingChanged();
    RETURN_IF_ERROR(tx.privacy().UpdatePerson(updated));
    storage::AuditEntry e =
        MakeAudit(caller, now, "person.correct", "success", "person", person_id, person_id, correction.reason);
    e.detail = boost::json::serialize(detail);
    RETURN_IF_ERROR(tx.audit().Append(std::move(e)).status());
    out = std::move(updated);
    return Status::Ok();
  }));
  return out;
}

StatusOr<storage::Report> PrivacyService::CorrectReport(const std::string& report_id,
                                                        const ReportCorrection& correction, const Caller& caller) {
  if (!HasRole(caller.actor, "meldpunt"))
    return Status(StatusCode::kPermissionDenied, "only the meldpunt corrects reports",
                  StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
  RETURN_IF_ERROR(NeedReason(correction.reason));
  if (correction.category) {
    const auto& known = ReportCategories();
    if (std::find(known.begin(), known.end(), *correction.category) == known.end())
      return Status(StatusCode::kInvalidArgument, "category: unknown category",
                    StatusDetail{Refusal::kInvalidData, {}, {{"category", "unknown category"}}, ""});
  }
  const TimePoint now = clock_.Now();
  storage::Report out;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::Report report, tx.reports().Get(report_id));
    // Outside the caller's municipality the report does not exist for them.
    if (caller.actor.org_type != "zvh" && report.municipality != caller.actor.municipality)
      return Status::NotFound("report " + report_id + " not found");
    storage::Report updated = report;
    if (correction.category) updated.category = *correction.category;
    if (correction.description) updated.description = *correction.description;
    if (correction.street) updated.street = *correction.street;
    if (correction.wijk) updated.wijk = *correction.wijk;
    boost::json::object detail;
    Change(detail, "category", report.category, updated.category);
    Change(detail, "description", report.description, updated.description);
    Change(detail, "street", report.street, updated.street);
    Change(detail, "wijk", report.wijk, updated.wijk);
    if (detail.empty()) return NothingChanged();
    updated.updated_at = now;
    RETURN_IF_ERROR(tx.reports().Update(updated));
    storage::AuditEntry e = MakeAudit(caller, now, "report.correct", "success", "report", report_id,
                                      report.subject_person_id.value_or(""), correction.reason);
    e.detail = boost::json::serialize(detail);
    RETURN_IF_ERROR(tx.audit().Append(std::move(e)).status());
    out = std::move(updated);
    return Status::Ok();
  }));
  return out;
}

StatusOr<storage::Person> PrivacyService::SetObjection(const std::string& person_id, bool objected,
                                                       const std::string& reason, const Caller& caller) {
  RETURN_IF_ERROR(RequirePrivacyOfficer(caller));
  RETURN_IF_ERROR(NeedReason(reason));
  const TimePoint now = clock_.Now();
  storage::Person out;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::Person person, tx.persons().Get(person_id));
    const std::optional<TimePoint> at = objected ? std::optional<TimePoint>(now) : std::nullopt;
    RETURN_IF_ERROR(tx.privacy().SetObjection(person_id, at));
    RETURN_IF_ERROR(tx.audit()
                        .Append(MakeAudit(caller, now, objected ? "person.objection" : "person.objection_withdrawn",
                                          "success", "person", person_id, person_id, reason))
                        .status());
    person.objected_at = at;
    out = std::move(person);
    return Status::Ok();
  }));
  return out;
}

}  // namespace casus::app

#include "storage/write_set.h"

#include <algorithm>

namespace casus::storage {
namespace {

Status ExpectPersonMatches(Transaction& tx, const PersonMatchGuard& guard) {
  ASSIGN_OR_RETURN(auto matches, tx.persons().FindByName(guard.name, guard.birth_date));
  std::vector<std::string> ids;
  for (const auto& p : matches) ids.push_back(p.id);
  std::sort(ids.begin(), ids.end());
  if (ids == guard.person_ids) return Status::Ok();
  return Status(StatusCode::kAborted, "stale version: the persons matching the subject changed",
                StatusDetail{Refusal::kStaleVersion, {}, {}, ""});
}

}  // namespace

Status ApplyWriteSet(Transaction& tx, WriteSet& writes) {
  for (const auto& guard : writes.case_guards) RETURN_IF_ERROR(tx.cases().ExpectVersion(guard.case_id, guard.version));
  for (const auto& guard : writes.person_guards) RETURN_IF_ERROR(ExpectPersonMatches(tx, guard));
  for (const auto& firing : writes.deadline_firings) {
    ASSIGN_OR_RETURN(bool fresh, tx.deadline_firings().TryRecord(firing));
    if (!fresh)
      return Status(StatusCode::kAborted, "stale version: deadline " + firing.deadline_id + " " + firing.kind +
                                              " was recorded meanwhile",
                    StatusDetail{Refusal::kStaleVersion, {}, {}, ""});
  }
  for (const auto& person : writes.persons) RETURN_IF_ERROR(tx.persons().Insert(person));
  for (auto& kase : writes.cases) {
    ASSIGN_OR_RETURN(kase.case_number, tx.cases().InsertNumbered(kase));
  }
  for (const auto& progress : writes.case_progress) RETURN_IF_ERROR(tx.cases().UpdateProgress(progress));
  for (const auto& link : writes.report_links)
    RETURN_IF_ERROR(tx.reports().LinkCase(link.report_id, link.case_id, link.subject_person_id, link.at));
  for (const auto& note : writes.notes) RETURN_IF_ERROR(tx.notes().Insert(note));
  for (const auto& action : writes.actions) RETURN_IF_ERROR(tx.actions().Insert(action));
  for (const auto& member : writes.team) RETURN_IF_ERROR(tx.team().Add(member));
  for (const auto& decision : writes.agenda_decisions) RETURN_IF_ERROR(tx.meetings().InsertDecision(decision));
  for (auto& event : writes.events) {
    ASSIGN_OR_RETURN(event.id, tx.events().Append(event));
  }
  for (auto& entry : writes.audit) {
    ASSIGN_OR_RETURN(entry, tx.audit().Append(entry));
  }
  return Status::Ok();
}

bool IsStaleVersion(const Status& status) {
  return status.code() == StatusCode::kAborted && status.detail() && status.detail()->reason == Refusal::kStaleVersion;
}

}  // namespace casus::storage

#include "storage/write_set.h"

namespace casus::storage {

Status ApplyWriteSet(Transaction& tx, WriteSet& writes) {
  for (const auto& guard : writes.case_guards) RETURN_IF_ERROR(tx.cases().ExpectVersion(guard.case_id, guard.version));
  for (const auto& progress : writes.case_progress) RETURN_IF_ERROR(tx.cases().UpdateProgress(progress));
  for (const auto& note : writes.notes) RETURN_IF_ERROR(tx.notes().Insert(note));
  for (const auto& action : writes.actions) RETURN_IF_ERROR(tx.actions().Insert(action));
  for (const auto& member : writes.team) RETURN_IF_ERROR(tx.team().Add(member));
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

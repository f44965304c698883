#include "storage/write_set.h"

namespace casus::storage {

Status ApplyWriteSet(Transaction& tx, WriteSet& writes) {
  for (const auto& progress : writes.case_progress) RETURN_IF_ERROR(tx.cases().UpdateProgress(progress));
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

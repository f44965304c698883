#include "storage/store.h"

#include <future>

namespace casus::storage {

Status Store::Write(WorkFn work, WriteKind kind) {
  // shared_ptr: `done` is copied into the queue's std::function, and a
  // std::promise is move-only.
  auto promise = std::make_shared<std::promise<Status>>();
  std::future<Status> answer = promise->get_future();
  RETURN_IF_ERROR(SubmitWrite(std::move(work), [promise](Status st) { promise->set_value(std::move(st)); }, kind));
  return answer.get();
}

Status Store::AppendAudit(std::vector<AuditEntry> entries) {
  if (entries.empty()) return Status::Ok();
  auto promise = std::make_shared<std::promise<Status>>();
  std::future<Status> answer = promise->get_future();
  RETURN_IF_ERROR(SubmitAudit(std::move(entries), [promise](Status st) { promise->set_value(std::move(st)); }));
  return answer.get();
}

}  // namespace casus::storage

#include "storage/store.h"

#include <exception>
#include <functional>
#include <future>
#include <thread>

namespace casus::storage {
namespace {

// Submits through `submit` and waits for the writer's answer.
Status Await(const std::function<Status(DoneFn)>& submit) {
  // shared_ptr: `done` is copied into the queue's std::function, and a
  // std::promise is move-only.
  auto promise = std::make_shared<std::promise<Status>>();
  std::future<Status> answer = promise->get_future();
  RETURN_IF_ERROR(submit([promise](Status st) { promise->set_value(std::move(st)); }));
  return answer.get();
}

}  // namespace

Status Store::Write(WorkFn work, WriteKind kind) {
  return Await([&](DoneFn done) { return SubmitWrite(std::move(work), std::move(done), kind); });
}

Status Store::AppendAudit(std::vector<AuditEntry> entries) {
  if (entries.empty()) return Status::Ok();
  return Await([&](DoneFn done) { return SubmitAudit(std::move(entries), std::move(done)); });
}

bool Store::WaitForCommits(std::chrono::milliseconds timeout) {
  std::this_thread::sleep_for(timeout);
  return false;
}

Status RunCatching(const std::function<Status()>& work, const std::string& what) {
  try {
    return work();
  } catch (const std::exception& e) {
    return Status::Internal(what + " threw: " + e.what());
  } catch (...) {
    return Status::Internal(what + " threw a non-standard exception");
  }
}

StatusOr<AuditEntry> AuditLog::Append(AuditEntry entry) {
  std::vector<AuditEntry> one;
  one.push_back(std::move(entry));
  ASSIGN_OR_RETURN(one, AppendAll(std::move(one)));
  return std::move(one.front());
}

}  // namespace casus::storage

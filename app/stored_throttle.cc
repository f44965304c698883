#include "app/stored_throttle.h"

#include "app/auth/tokens.h"

namespace casus::app {

StoredThrottle::StoredThrottle(storage::Store& store, IdGenerator& ids, std::string scope, int max_attempts,
                               std::chrono::seconds window)
    : store_(store), ids_(ids), scope_(std::move(scope)), max_attempts_(max_attempts), window_(window) {}

std::string StoredThrottle::Digest(const std::string& key) const { return auth::Sha256Hex(scope_ + "\n" + key); }

StatusOr<std::optional<std::string>> StoredThrottle::TryAcquireIn(storage::Transaction& tx, const std::string& key,
                                                                  TimePoint now) {
  const std::string digest = Digest(key);
  const TimePoint window_start = now - window_ + std::chrono::seconds(1);  // (now - window, now] in whole seconds
  RETURN_IF_ERROR(tx.rate_limits().PurgeBefore(scope_, window_start));
  ASSIGN_OR_RETURN(int attempts, tx.rate_limits().CountSince(scope_, digest, window_start));
  if (attempts >= max_attempts_) return std::optional<std::string>();
  std::string attempt = ids_.NewId("attempt_");
  RETURN_IF_ERROR(tx.rate_limits().Record(attempt, scope_, digest, now));
  return std::optional<std::string>(std::move(attempt));
}

Status StoredThrottle::ForgiveIn(storage::Transaction& tx, const std::string& attempt_id) {
  return tx.rate_limits().Remove(attempt_id);
}

Status StoredThrottle::ClearIn(storage::Transaction& tx, const std::string& key) {
  return tx.rate_limits().RemoveKey(scope_, Digest(key));
}

StatusOr<std::optional<std::string>> StoredThrottle::TryAcquire(const std::string& key, TimePoint now) {
  std::optional<std::string> attempt;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(attempt, TryAcquireIn(tx, key, now));
    return Status::Ok();
  }));
  return attempt;
}

Status StoredThrottle::Forgive(const std::string& attempt_id) {
  return store_.Write([&](storage::Transaction& tx) { return ForgiveIn(tx, attempt_id); });
}

Status StoredThrottle::Clear(const std::string& key) {
  return store_.Write([&](storage::Transaction& tx) { return ClearIn(tx, key); });
}

StatusOr<int> StoredThrottle::Attempts(const std::string& key, TimePoint now) {
  const std::string digest = Digest(key);
  int attempts = 0;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(attempts, tx.rate_limits().CountSince(scope_, digest, now - window_ + std::chrono::seconds(1)));
    return Status::Ok();
  }));
  return attempts;
}

}  // namespace casus::app

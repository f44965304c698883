// A sliding-window attempt limit kept in the database, so that every node
// on one database counts the same attempts (login throttles, the public
// report limit). Attempts are counted when they start (TryAcquire) and may
// be taken back when they succeed (Forgive), so a burst of parallel
// guesses cannot slip past the limit while the first ones are still being
// checked. Count and record are one write job: two nodes (or threads)
// cannot both take the last free attempt. Keys are stored as SHA-256
// digests, and attempts older than the window are removed as new ones come.
// Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace casus::app {

class StoredThrottle {
 public:
  // `scope` names the limit in the database ("login.account", ...).
  StoredThrottle(storage::Store& store, IdGenerator& ids, std::string scope, int max_attempts,
                 std::chrono::seconds window);

  // Whether `key` has fewer than max_attempts attempts in (now - window,
  // now]; if so, records this attempt and returns its id (for Forgive),
  // else nullopt. A refused attempt is not counted: the limit ends when
  // the window passes.
  StatusOr<std::optional<std::string>> TryAcquire(const std::string& key, TimePoint now);
  // Takes back one attempt (it succeeded).
  Status Forgive(const std::string& attempt_id);
  // Forgets every attempt of `key`.
  Status Clear(const std::string& key);

  // The same inside a write job the caller runs (several limits, or a
  // limit and the work it guards, in one commit).
  StatusOr<std::optional<std::string>> TryAcquireIn(storage::Transaction& tx, const std::string& key, TimePoint now);
  Status ForgiveIn(storage::Transaction& tx, const std::string& attempt_id);
  Status ClearIn(storage::Transaction& tx, const std::string& key);
  // Attempts of `key` within the window ending at `now`.
  StatusOr<int> Attempts(const std::string& key, TimePoint now);

 private:
  std::string Digest(const std::string& key) const;

  storage::Store& store_;
  IdGenerator& ids_;
  const std::string scope_;
  const int max_attempts_;
  const std::chrono::seconds window_;
};

}  // namespace casus::app

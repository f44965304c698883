#include "app/auth/throttle.h"

#include <algorithm>

namespace casus::app::auth {

FailureThrottle::FailureThrottle(int max_failures, std::chrono::seconds window, std::size_t max_keys)
    : max_failures_(std::max(1, max_failures)), window_(window), max_keys_(std::max<std::size_t>(1, max_keys)) {}

void FailureThrottle::PruneLocked(Entry& entry, TimePoint now) const {
  while (!entry.failures.empty() && entry.failures.front() + window_ <= now) entry.failures.pop_front();
}

void FailureThrottle::EraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

bool FailureThrottle::TryAcquire(std::string_view key, TimePoint now) {
  std::lock_guard lock(mu_);
  std::string k(key);
  auto it = entries_.find(k);
  if (it == entries_.end()) {
    // Evict before inserting so that the map never exceeds max_keys_.
    // Evicting forgets a key's failures: an attacker who floods with fresh
    // keys can reset others' counters, which is why the limit is large and
    // the per-address counter backs up the per-account one.
    while (entries_.size() >= max_keys_) EraseLocked(entries_.find(lru_.front()));
    lru_.push_back(k);
    it = entries_.emplace(std::move(k), Entry{{}, std::prev(lru_.end())}).first;
  }
  Entry& entry = it->second;
  PruneLocked(entry, now);
  if (static_cast<int>(entry.failures.size()) >= max_failures_) return false;
  // Kept sorted: a clock that moved backwards must not break pruning.
  entry.failures.insert(std::upper_bound(entry.failures.begin(), entry.failures.end(), now), now);
  lru_.splice(lru_.end(), lru_, entry.lru);
  return true;
}

void FailureThrottle::Forgive(std::string_view key, TimePoint at) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return;
  auto& failures = it->second.failures;
  auto pos = std::find(failures.rbegin(), failures.rend(), at);
  if (pos != failures.rend()) failures.erase(std::next(pos).base());
  if (failures.empty()) EraseLocked(it);
}

void FailureThrottle::Clear(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it != entries_.end()) EraseLocked(it);
}

int FailureThrottle::Failures(std::string_view key, TimePoint now) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return 0;
  int count = 0;
  for (TimePoint t : it->second.failures)
    if (t + window_ > now) ++count;
  return count;
}

std::size_t FailureThrottle::KeyCount() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace casus::app::auth

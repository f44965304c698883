// Failed-login throttling: a sliding-window failure counter per key (an
// account or a client address), in memory. Attempts are counted when they
// start (TryAcquire) and forgiven when they succeed, so a burst of parallel
// guesses cannot slip past the limit while the first ones are still being
// hashed. Memory is bounded: beyond `max_keys` keys the least recently
// failed key is forgotten. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/time.h"

namespace casus::app::auth {

class FailureThrottle {
 public:
  FailureThrottle(int max_failures, std::chrono::seconds window, std::size_t max_keys = 100000);

  // Whether `key` has fewer than max_failures failures in (now - window, now];
  // if so, records this attempt as a failure at `now` and returns true.
  // A refused attempt is not counted: the lock ends when the window passes.
  bool TryAcquire(std::string_view key, TimePoint now);

  // Takes back one attempt recorded at `at` (the attempt succeeded).
  void Forgive(std::string_view key, TimePoint at);

  // Forgets every failure of `key`.
  void Clear(std::string_view key);

  // Failures of `key` within the window ending at `now`.
  int Failures(std::string_view key, TimePoint now) const;

  std::size_t KeyCount() const;

 private:
  struct Entry {
    std::deque<TimePoint> failures;  // oldest first, at most max_failures_
    std::list<std::string>::iterator lru;
  };
  void PruneLocked(Entry& entry, TimePoint now) const;
  void EraseLocked(std::unordered_map<std::string, Entry>::iterator it);

  const int max_failures_;
  const std::chrono::seconds window_;
  const std::size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // least recently failed first
};

}  // namespace casus::app::auth

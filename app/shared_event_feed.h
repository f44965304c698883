// Live events when several nodes share one database (Store::Shared): each
// node publishes what any node committed, read from the events table in id
// order — commit order across nodes (storage/postgres/locks.h) — woken by
// the database's commit signal, and at least every kPoll without one, so
// a missed signal delays an event but never loses it. The node's own
// writer then publishes nothing itself: one order holds for every node.
// Starts after the last event committed before it; older ones are the
// replay's (a client's ?after=).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "app/event_bus.h"
#include "app/event_replay.h"
#include "common/status.h"
#include "storage/store.h"

namespace casus::app {

class SharedEventFeed {
 public:
  static constexpr std::chrono::milliseconds kPoll{500};

  // Reads where the events end now; then starts the thread.
  static StatusOr<std::unique_ptr<SharedEventFeed>> Start(storage::Store& store, EventReplay& replay,
                                                          EventPublisher& publisher);
  ~SharedEventFeed();  // stops the thread (within kPoll)
  SharedEventFeed(const SharedEventFeed&) = delete;
  SharedEventFeed& operator=(const SharedEventFeed&) = delete;

 private:
  SharedEventFeed(storage::Store& store, EventReplay& replay, EventPublisher& publisher, std::int64_t after);
  void Run();
  // Publishes every event committed after last_, in id order.
  Status CatchUp();

  storage::Store& store_;
  EventReplay& replay_;
  EventPublisher& publisher_;
  std::int64_t last_;  // feed thread only
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: started after every member above exists
};

}  // namespace casus::app

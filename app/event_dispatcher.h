// Live events off the writer thread. The writer's commit callback hands
// each command's events to Publish, in commit order, and goes on with the
// next group; one dispatcher thread encodes every event once into an
// immutable shared buffer and delivers the events to the bus in the same
// order. Subscribers then only filter (need-to-know) and queue the shared
// buffer; slow ones are cut off by their own bounded queue.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/event_bus.h"

namespace casus::app {

class EventDispatcher final : public EventPublisher {
 public:
  using Encoder = std::function<std::string(const PublishedEvent&)>;
  // `encode` makes the message a client receives (api/events: EventMessageJson).
  EventDispatcher(EventBus& bus, Encoder encode);
  // Delivers what was published before, then stops the thread.
  ~EventDispatcher() override;
  EventDispatcher(const EventDispatcher&) = delete;
  EventDispatcher& operator=(const EventDispatcher&) = delete;

  // Queues the events of one commit; returns at once.
  void Publish(std::vector<PublishedEvent> events) override;
  // Returns when everything published before the call was delivered.
  void WaitDelivered();

 private:
  void Run();

  EventBus& bus_;
  const Encoder encode_;
  std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable delivered_;
  std::deque<std::vector<PublishedEvent>> queue_;
  std::uint64_t published_ = 0;
  std::uint64_t delivered_count_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: started after every member above exists
};

}  // namespace casus::app

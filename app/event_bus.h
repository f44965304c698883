// Committed case events, fanned out to live subscribers (the WebSocket
// connections). Publishers call Publish only after their transaction
// committed, so a subscriber never sees an event that could still vanish.
// Each event carries the facts the access policy needs, so filtering per
// subscriber needs no database work on the delivering thread.
// Thread-safe; listeners run on the publisher's thread and must be quick
// (queue, never block).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/time.h"
#include "engine/access_policy.h"
#include "storage/records.h"

namespace casus::app {

struct PublishedEvent {
  std::int64_t id = 0;  // storage::CaseEvent::id: the replay cursor
  std::string case_id;
  std::string type;
  TimePoint at{};
  std::string actor_user_id;
  std::string payload_json;
  engine::CaseAccessFacts facts;  // of the case at commit time (break_glass_active unused)
  // The client's message, encoded once for every subscriber by the
  // dispatcher (app/event_dispatcher.h); null when published without one.
  std::shared_ptr<const std::string> message{};
};

// The published form of a stored timeline row, with its case's facts.
PublishedEvent ToPublished(const storage::CaseEvent& row, engine::CaseAccessFacts facts);

// Where services hand the events of a commit, in commit order.
class EventPublisher {
 public:
  virtual ~EventPublisher() = default;
  virtual void Publish(std::vector<PublishedEvent> events) = 0;
};

// Delivers on the publisher's thread. In `casus serve` the publisher is
// the dispatcher's thread, never the writer's.
class EventBus final : public EventPublisher {
 public:
  using Listener = std::function<void(const std::vector<PublishedEvent>&)>;
  std::uint64_t Subscribe(Listener listener);
  void Unsubscribe(std::uint64_t id);
  void Publish(std::vector<PublishedEvent> events) override;
  std::size_t SubscriberCount() const;

 private:
  mutable std::mutex mu_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Listener> listeners_;
};

}  // namespace casus::app

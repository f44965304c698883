#include "app/event_bus.h"

namespace casus::app {

PublishedEvent ToPublished(const storage::CaseEvent& row, engine::CaseAccessFacts facts) {
  return {row.id, row.case_id, row.type, row.at, row.actor_user_id, row.payload_json, std::move(facts)};
}

std::uint64_t EventBus::Subscribe(Listener listener) {
  std::lock_guard lock(mu_);
  std::uint64_t id = next_id_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void EventBus::Unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mu_);
  listeners_.erase(id);
}

void EventBus::Publish(std::vector<PublishedEvent> events) {
  if (events.empty()) return;
  // Snapshot under the lock, call outside it: a listener may unsubscribe.
  std::vector<Listener> snapshot;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, l] : listeners_) snapshot.push_back(l);
  }
  for (const auto& l : snapshot) l(events);
}

std::size_t EventBus::SubscriberCount() const {
  std::lock_guard lock(mu_);
  return listeners_.size();
}

}  // namespace casus::app

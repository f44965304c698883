#include "app/event_dispatcher.h"

#include <memory>

namespace casus::app {

EventDispatcher::EventDispatcher(EventBus& bus, Encoder encode)
    : bus_(bus), encode_(std::move(encode)), thread_([this] { Run(); }) {}

EventDispatcher::~EventDispatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  thread_.join();
}

void EventDispatcher::Publish(std::vector<PublishedEvent> events) {
  if (events.empty()) return;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(events));
    ++published_;
  }
  work_ready_.notify_one();
}

void EventDispatcher::WaitDelivered() {
  std::unique_lock lock(mu_);
  const std::uint64_t target = published_;
  delivered_.wait(lock, [&] { return delivered_count_ >= target; });
}

void EventDispatcher::Run() {
  for (;;) {
    std::deque<std::vector<PublishedEvent>> batch;
    {
      std::unique_lock lock(mu_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      batch.swap(queue_);
    }
    for (auto& events : batch) {
      for (auto& event : events) {
        if (!event.message && encode_) event.message = std::make_shared<const std::string>(encode_(event));
      }
      bus_.Publish(std::move(events));
    }
    {
      std::lock_guard lock(mu_);
      delivered_count_ += batch.size();
    }
    delivered_.notify_all();
  }
}

}  // namespace casus::app

#include "app/shared_event_feed.h"

namespace casus::app {
namespace {

constexpr int kBatch = 1000;

}  // namespace

StatusOr<std::unique_ptr<SharedEventFeed>> SharedEventFeed::Start(storage::Store& store, EventReplay& replay,
                                                                  EventPublisher& publisher) {
  std::int64_t last = 0;
  RETURN_IF_ERROR(store.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(last, tx.events().LastId());
    return Status::Ok();
  }));
  return std::unique_ptr<SharedEventFeed>(new SharedEventFeed(store, replay, publisher, last));
}

SharedEventFeed::SharedEventFeed(storage::Store& store, EventReplay& replay, EventPublisher& publisher,
                                 std::int64_t after)
    : store_(store), replay_(replay), publisher_(publisher), last_(after), thread_([this] { Run(); }) {}

SharedEventFeed::~SharedEventFeed() {
  stopping_ = true;
  thread_.join();
}

void SharedEventFeed::Run() {
  while (!stopping_) {
    store_.WaitForCommits(kPoll);
    if (stopping_) return;
    // A failed read (the database away) is tried again at the next wake:
    // last_ has not moved, so nothing is skipped.
    (void)CatchUp();
  }
}

Status SharedEventFeed::CatchUp() {
  while (true) {
    ASSIGN_OR_RETURN(MissedEvents missed, replay_.After(last_, kBatch));
    if (missed.last_examined > last_) last_ = missed.last_examined;
    if (!missed.events.empty()) publisher_.Publish(std::move(missed.events));
    if (!missed.truncated) return Status::Ok();
  }
}

}  // namespace casus::app

// The live event stream behind GET /api/v1/events (WebSocket). A client
// authenticates like any API call (Bearer token or session cookie), may
// pass ?after=<last event id> to replay what it missed, and then receives
// every committed event of the cases it may see — the need-to-know policy
// decides per event, with the case's facts at commit time.
//
// No event is lost across a reconnect: the subscription listens to the bus
// before it replays from the database, holds live events back until the
// replay is done, and then sends only those with a higher id.
#pragma once

#include <memory>

#include "api/event_stream.h"
#include "app/auth_service.h"
#include "app/event_bus.h"
#include "common/time.h"
#include "app/event_replay.h"

namespace casus::api {

class LiveEventStream final : public EventStreamHandler {
 public:
  // At most `replay_limit` events are replayed; a client that is further
  // behind gets {"type":"replay.truncated"} and should reload its views.
  LiveEventStream(app::AuthService& auth, app::EventBus& bus, app::EventReplay& replay, const Clock& clock,
                  int replay_limit = 10000);
  Acceptance Accept(const HttpRequest& upgrade_request) override;

 private:
  app::AuthService& auth_;
  app::EventBus& bus_;
  app::EventReplay& replay_;
  const Clock& clock_;
  int replay_limit_;
};

// The message a client receives for one event:
// {"id":"42","type":"case.transitioned","case_id":"case_1","at":"...Z","data":{...}}
std::string EventMessageJson(const app::PublishedEvent& event);

}  // namespace casus::api

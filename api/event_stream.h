// The contract between the WebSocket transport and the live-event logic.
// The transport owns sockets, queues and pings; the event stream decides
// who may connect and which events each connection receives.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "api/http_types.h"

namespace casus::api {

// One connected WebSocket as the event stream sees it. Thread-safe.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // Queues a text message. Returns false (and the transport closes the
  // connection as a slow consumer) when the bounded send queue is full, or
  // when the connection is already closed.
  virtual bool Send(std::shared_ptr<const std::string> message) = 0;
  // Closes the connection (normal closure).
  virtual void Close() = 0;
  // Messages accepted by Send and not yet written, and how many may be
  // (beyond that Send closes the connection). A replay of many missed
  // events paces itself by these instead of overflowing the queue.
  virtual std::size_t Backlog() const = 0;
  virtual std::size_t Capacity() const = 0;
};

// The server side of one connection's subscription.
class EventSubscription {
 public:
  virtual ~EventSubscription() = default;
  // After the WebSocket handshake: replay what the client missed (from
  // ?after=) and then deliver live events through `sink`. Called on a worker
  // thread; may block on the database.
  virtual void Start(std::shared_ptr<EventSink> sink) = 0;
  // The connection is gone; stop delivering. Idempotent.
  virtual void Stop() = 0;
};

class EventStreamHandler {
 public:
  virtual ~EventStreamHandler() = default;
  struct Acceptance {
    std::optional<HttpResponse> refusal;                // set: answer this instead of upgrading (401, 403, 400)
    std::shared_ptr<EventSubscription> subscription;    // set when accepted
  };
  // Called on a worker thread with the upgrade request (GET /api/v1/events).
  virtual Acceptance Accept(const HttpRequest& upgrade_request) = 0;
};

}  // namespace casus::api

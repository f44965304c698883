// The HTTPS + WebSocket server: accepts TLS connections, enforces the
// limits in ServerConfig, answers /healthz, /readyz and /metrics itself,
// and hands every other request to an HttpHandler (and WebSocket upgrades
// of GET /api/v1/events to an EventStreamHandler) on a worker thread.
//
// Threads: `io_threads` run the sockets; `worker_threads` run handlers
// (never an I/O thread), with at most `worker_queue` requests waiting;
// beyond that requests get 503 with Retry-After at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "api/event_stream.h"
#include "api/http_types.h"
#include "api/server/metrics.h"
#include "api/server/server_config.h"
#include "common/status.h"

namespace boost::asio::ssl {
class context;
}

namespace casus::api::server {

class HttpsServer {
 public:
  // Whether the process is ready to serve (GET /readyz: 200 or 503). Called
  // on I/O threads, possibly concurrently, so it must be thread-safe, cheap
  // and non-blocking (read an atomic flag).
  using ReadinessCheck = std::function<bool()>;

  // `ssl` from MakeServerContext. `handler`, `events` and `metrics` must
  // outlive the server. A null `ready` means always ready.
  HttpsServer(ServerConfig config, std::shared_ptr<boost::asio::ssl::context> ssl, HttpHandler& handler,
              EventStreamHandler& events, Metrics& metrics, ReadinessCheck ready = nullptr);
  ~HttpsServer();  // Stop()
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // Binds `config.listen` ("HOST:PORT", "[v6]:PORT"; port 0 picks a free
  // one), listens and starts the threads. InvalidArgument for a malformed
  // address, Unavailable when it cannot be bound (e.g. in use). Call once.
  Status Start();

  // Graceful: stops accepting, lets requests in flight finish and closes
  // idle keep-alive connections, sends WebSockets a going-away close; after
  // `grace` closes whatever is left; then joins workers and I/O threads.
  // Idempotent. Handlers blocked forever would block the join.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // The bound port after a successful Start(), else 0.
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace casus::api::server

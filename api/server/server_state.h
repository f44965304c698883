// What every connection of one HttpsServer shares: configuration, the
// handlers, the worker pool, and the registry of open connections that
// admission control and graceful shutdown work from. Sessions hold it by
// shared_ptr so it outlives the last of them, whatever the shutdown order.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "api/event_stream.h"
#include "api/http_types.h"
#include "api/server/metrics.h"
#include "api/server/worker_pool.h"
#include "api/server/server_config.h"

namespace casus::api::server {

// A connection as shutdown sees it. Shutdown posts to the connection's own
// strand, so it may be called from any thread.
class Connection {
 public:
  virtual ~Connection() = default;
  // graceful: finish the request in flight (HTTP) or send a going-away
  // close (WebSocket); forced: close the socket now.
  virtual void Shutdown(bool forced) = 0;
};

struct ServerState {
  ServerState(ServerConfig c, std::shared_ptr<boost::asio::ssl::context> s, HttpHandler& h,
              EventStreamHandler& e, Metrics& m, std::function<bool()> r)
      : config(std::move(c)),
        ssl(std::move(s)),
        handler(h),
        events(e),
        metrics(m),
        ready(std::move(r)),
        workers(config.worker_threads, static_cast<std::size_t>(config.worker_queue > 0 ? config.worker_queue : 0)) {}

  const ServerConfig config;
  const std::shared_ptr<boost::asio::ssl::context> ssl;
  HttpHandler& handler;
  EventStreamHandler& events;
  Metrics& metrics;
  const std::function<bool()> ready;
  WorkerPool workers;
  std::atomic<bool> stopping{false};

  // Registry of open connections (one entry per TCP connection, from accept
  // until its last handler is gone).
  std::mutex mu;
  std::condition_variable all_closed;
  std::map<std::uint64_t, std::weak_ptr<Connection>> connections;
  std::uint64_t next_connection_id = 1;
  std::atomic<int> open_connections{0};

  std::vector<std::shared_ptr<Connection>> SnapshotConnections() {
    std::vector<std::shared_ptr<Connection>> out;
    std::lock_guard lock(mu);
    for (auto& [id, weak] : connections)
      if (auto c = weak.lock()) out.push_back(std::move(c));
    return out;
  }

  // True when every connection closed before `deadline`.
  bool WaitAllClosed(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mu);
    return all_closed.wait_until(lock, deadline, [this] { return connections.empty(); });
  }
};

// Holds one connection's place in the registry and the gauges; released
// when the last owner (the HTTP session, then the WebSocket session it
// became) is destroyed.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<ServerState> state) : state_(std::move(state)) {
    std::lock_guard lock(state_->mu);
    id_ = state_->next_connection_id++;
    state_->connections.emplace(id_, std::weak_ptr<Connection>());
    state_->open_connections.fetch_add(1);
    state_->metrics.ConnectionOpened();
  }
  ~ConnectionSlot() {
    state_->metrics.ConnectionClosed();
    std::lock_guard lock(state_->mu);
    state_->connections.erase(id_);
    state_->open_connections.fetch_sub(1);
    if (state_->connections.empty()) state_->all_closed.notify_all();
  }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

  // Who shutdown should talk to; changes when HTTP upgrades to WebSocket.
  void Bind(std::weak_ptr<Connection> owner) {
    std::lock_guard lock(state_->mu);
    state_->connections[id_] = std::move(owner);
  }

 private:
  std::shared_ptr<ServerState> state_;
  std::uint64_t id_ = 0;
};

}  // namespace casus::api::server

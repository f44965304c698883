// A connection after a successful upgrade of GET /api/v1/events: the
// WebSocket handshake, a bounded send queue fed through an EventSink, a
// read loop that discards client messages, and pings that detect dead
// peers.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "api/event_stream.h"
#include "api/server/server_state.h"

namespace casus::api::server {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// What the request log line of the upgrade needs.
struct UpgradeInfo {
  std::string request_id;
  std::string client_address;
  std::chrono::steady_clock::time_point started;
};

// Takes over `stream` (TLS established, upgrade request read) and answers
// the upgrade. `subscription` is Start()ed on a worker once the handshake
// completes and Stop()ped when the connection ends.
void StartWebSocketSession(std::shared_ptr<ServerState> state, TlsStream stream,
                           boost::beast::http::request<boost::beast::http::string_body> request,
                           std::shared_ptr<EventSubscription> subscription, std::unique_ptr<ConnectionSlot> slot,
                           UpgradeInfo info);

}  // namespace casus::api::server

// One accepted TCP connection: TLS handshake, then HTTP/1.1 requests one at
// a time under the configured deadlines and limits, until it closes or
// upgrades to a WebSocket.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "api/server/server_state.h"

namespace casus::api::server {

// `socket` must have a strand as its executor; `slot` is the connection's
// registry entry, held for as long as the connection lives.
void StartHttpSession(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket,
                      std::unique_ptr<ConnectionSlot> slot);

}  // namespace casus::api::server

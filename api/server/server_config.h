// The HTTPS transport's configuration: the keys under `server:` in the
// configuration file that the transport reads (listen address, TLS files,
// limits, timeouts, threads, the web root) and CASUS_LISTEN, CASUS_TLS_CERT,
// CASUS_TLS_KEY and CASUS_WEB_ROOT. The app keeps these settings as text
// (app::Config::server_settings) without knowing them; they are checked
// here. The session, break-the-glass and public-report limits under the
// same `server:` key are app rules (app::AccessLimits).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "app/config.h"
#include "common/status.h"

namespace casus::api::server {

struct ServerConfig {
  std::string listen = "127.0.0.1:8443";  // HOST:PORT; IPv6 as [::1]:8443
  std::filesystem::path tls_cert;         // PEM; empty: self-signed cert in data_dir on first start
  std::filesystem::path tls_key;          // PEM, mode 0600
  std::size_t body_limit = 1024 * 1024;   // bytes; 413 above
  std::size_t header_limit = 16 * 1024;   // bytes; 431 above
  int max_connections = 512;              // further connections are closed at accept
  int io_threads = 2;
  int worker_threads = 4;                 // handlers (and their SQLite work) run here
  int worker_queue = 256;                 // requests waiting for a worker; 503 above
  int handshake_timeout_s = 10;
  int read_timeout_s = 30;                // a whole request (headers and body) must arrive within this
  int idle_timeout_s = 60;                // keep-alive connection without a request
  int max_requests_per_connection = 1000; // then the connection closes (bounded pipelining)
  int websocket_queue = 256;              // messages queued per WebSocket; slow consumers are closed above
  int websocket_ping_s = 20;
  // The web application (served at /) and the npm packages it may load
  // from /vendor/. Relative paths are taken from the working directory
  // when they exist there, else from the source tree (ResolveBesideSource).
  std::filesystem::path web_root = "web";
  std::filesystem::path vendor_dir = "node_modules";
};

// The defaults with `settings` applied in order (later ones win).
// InvalidArgument naming the source and the key ("casus.yaml: server.x: …")
// for an unknown key or a value out of range.
StatusOr<ServerConfig> ParseServerConfig(const std::vector<app::ConfigSetting>& settings);

}  // namespace casus::api::server

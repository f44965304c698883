#include "api/server/server_config.h"

#include <charconv>
#include <functional>
#include <map>

namespace casus::api::server {
namespace {

Status Bad(const app::ConfigSetting& s, const std::string& message) {
  return Status::InvalidArgument(s.source + ": server." + s.key + ": " + message);
}

template <typename T>
Status ReadNumber(const app::ConfigSetting& s, T min, T max, T& out) {
  T value{};
  const char* end = s.value.data() + s.value.size();
  auto [ptr, ec] = std::from_chars(s.value.data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max)
    return Bad(s, "must be a number from " + std::to_string(min) + " to " + std::to_string(max));
  out = value;
  return Status::Ok();
}

using Apply = std::function<Status(const app::ConfigSetting&, ServerConfig&)>;

Apply Text(std::string ServerConfig::*field) {
  return [field](const app::ConfigSetting& s, ServerConfig& c) {
    if (s.value.empty()) return Bad(s, "must not be empty");
    c.*field = s.value;
    return Status::Ok();
  };
}

Apply Path(std::filesystem::path ServerConfig::*field) {
  return [field](const app::ConfigSetting& s, ServerConfig& c) {
    if (s.value.empty()) return Bad(s, "must not be empty");
    c.*field = s.value;
    return Status::Ok();
  };
}

template <typename T>
Apply Number(T ServerConfig::*field, T min, T max) {
  return [field, min, max](const app::ConfigSetting& s, ServerConfig& c) { return ReadNumber(s, min, max, c.*field); };
}

const std::map<std::string, Apply>& Keys() {
  static const std::map<std::string, Apply> keys{
      {"listen", Text(&ServerConfig::listen)},
      {"tls_cert", Path(&ServerConfig::tls_cert)},
      {"tls_key", Path(&ServerConfig::tls_key)},
      {"web_root", Path(&ServerConfig::web_root)},
      {"vendor_dir", Path(&ServerConfig::vendor_dir)},
      {"body_limit", Number<std::size_t>(&ServerConfig::body_limit, 1024, 64u << 20)},
      {"header_limit", Number<std::size_t>(&ServerConfig::header_limit, 1024, 1u << 20)},
      {"max_connections", Number(&ServerConfig::max_connections, 1, 100000)},
      {"io_threads", Number(&ServerConfig::io_threads, 1, 64)},
      {"worker_threads", Number(&ServerConfig::worker_threads, 1, 256)},
      {"worker_queue", Number(&ServerConfig::worker_queue, 1, 100000)},
      {"handshake_timeout_s", Number(&ServerConfig::handshake_timeout_s, 1, 600)},
      {"read_timeout_s", Number(&ServerConfig::read_timeout_s, 1, 600)},
      {"idle_timeout_s", Number(&ServerConfig::idle_timeout_s, 1, 3600)},
      {"max_requests_per_connection", Number(&ServerConfig::max_requests_per_connection, 1, 1000000)},
      {"websocket_queue", Number(&ServerConfig::websocket_queue, 1, 100000)},
      {"websocket_ping_s", Number(&ServerConfig::websocket_ping_s, 1, 3600)},
  };
  return keys;
}

}  // namespace

StatusOr<ServerConfig> ParseServerConfig(const std::vector<app::ConfigSetting>& settings) {
  ServerConfig config;
  for (const auto& s : settings) {
    auto key = Keys().find(s.key);
    if (key == Keys().end()) return Bad(s, "unknown setting");
    RETURN_IF_ERROR(key->second(s, config));
  }
  return config;
}

}  // namespace casus::api::server

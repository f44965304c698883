#include "api/server/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace casus::api::server {

void ConfigureLogging() {
  // stderr and not a file: the process supervisor (systemd, container
  // runtime) owns log routing and rotation. The mt sink because requests
  // are logged from every I/O thread.
  auto logger = std::make_shared<spdlog::logger>("casus", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);

  spdlog::level::level_enum level = spdlog::level::info;
  if (const char* env = std::getenv("CASUS_LOG_LEVEL"); env != nullptr && *env != '\0') {
    // from_str answers "off" for unknown names; keep info instead so a typo
    // does not silence the server.
    const std::string name(env);
    const auto parsed = spdlog::level::from_str(name);
    if (parsed != spdlog::level::off || name == "off") level = parsed;
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace casus::api::server

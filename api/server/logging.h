// Process-wide spdlog setup: plain text to stderr, level from the
// CASUS_LOG_LEVEL environment variable (trace, debug, info, warn, error,
// critical, off; default info). Call once at startup, before threads start.
#pragma once

namespace casus::api::server {

void ConfigureLogging();

}  // namespace casus::api::server

// `casus serve`: the HTTPS/WebSocket server. Refuses to start on invalid
// workflow definitions or configuration; stops gracefully on SIGTERM or
// SIGINT (stop accepting, finish in-flight requests, flush the writer,
// exit 0).
#pragma once

#include <optional>
#include <string>

#include "cli/commands.h"

namespace casus::cli {

int Serve(const CommonOptions& options, const std::optional<std::string>& listen);

}  // namespace casus::cli

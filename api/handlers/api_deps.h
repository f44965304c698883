// What the REST handlers need from the rest of Casus; main wires it. The
// services, never the store: the app layer is the only door to storage.
#pragma once

#include <functional>
#include <string>

#include "app/services.h"

namespace casus::api::handlers {

struct ApiDeps {
  app::Services& services;
  // Metrics: one call per transition attempt; result "ok" or the outcome word.
  std::function<void(const std::string& case_type, const std::string& result)> count_transition;
};

}  // namespace casus::api::handlers

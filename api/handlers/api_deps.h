// What the REST handlers need from the rest of Casus; main wires it.
#pragma once

#include <functional>
#include <string>

#include "app/auth_service.h"
#include "app/case_service.h"
#include "app/config.h"
#include "common/ids.h"
#include "common/time.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::api::handlers {

struct ApiDeps {
  app::AuthService& auth;
  app::CaseService& cases;
  storage::Store& store;
  const engine::DefinitionRegistry& registry;
  const app::Config& config;
  const Clock& clock;
  IdGenerator& ids;
  // Metrics: one call per transition attempt; result "ok" or the outcome word.
  std::function<void(const std::string& case_type, const std::string& result)> count_transition;
};

}  // namespace casus::api::handlers

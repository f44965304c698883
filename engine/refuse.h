// How the engine words a refusal: a Status whose detail names the Refusal
// (engine.h lists them). Shared by the engine's translation units, which a
// unity build may compile as one.
#pragma once

#include <string>
#include <utility>

#include "common/refusal.h"
#include "common/status.h"

namespace casus::engine {

inline Status Refuse(StatusCode code, Refusal reason, std::string message, StatusDetail detail = {}) {
  detail.reason = reason;
  return Status(code, std::move(message), std::move(detail));
}

}  // namespace casus::engine

#include "tests/hostile/hostile_server.h"

#include <string>

#include "tests/api/server_fixture.h"

namespace casus::hostile {
namespace {

// Runs before main(), so before the environment starts the server.
[[maybe_unused]] const bool kConfigured = [] {
  apitest::ApiServer::SetConfigOverride("server:\n  read_timeout_s: " + std::to_string(kReadTimeout.count()) + "\n");
  return true;
}();

}  // namespace
}  // namespace casus::hostile

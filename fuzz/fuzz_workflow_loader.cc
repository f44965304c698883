// libFuzzer target: YAML text -> workflow definitions and their validation.
// Workflow files come from administrators, but a malformed one must still
// be refused with errors, never crash or hang the server at start.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "loader/workflow_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = casus::engine::LoadWorkflowText(text, "fuzz.yaml");
  // A definition comes back only for an error-free file.
  if (!result.ok() && !result.definitions.empty()) __builtin_trap();
  return 0;
}

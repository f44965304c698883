// STUB: replaced by the loader implementation.
#include "engine/loader/workflow_loader.h"
namespace casus::engine {
LoadResult LoadWorkflowText(std::string_view, const std::string&) { return {}; }
LoadResult LoadWorkflowFile(const std::filesystem::path&) { return {}; }
LoadResult LoadWorkflowDirectory(const std::filesystem::path&) { return {}; }
}  // namespace casus::engine

// Reads workflow files (YAML) into WorkflowDefinitions and validates them.
// Every problem is reported, each with file and path; a definition is only
// returned when its file had no errors.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/definition.h"
#include "engine/validate.h"

namespace casus::engine {

struct LoadResult {
  std::vector<WorkflowDefinition> definitions;  // only those without errors
  std::vector<DefinitionError> errors;
  bool ok() const { return errors.empty(); }
};

// Parses and validates one document. `file_name` is used in messages only.
LoadResult LoadWorkflowText(std::string_view yaml_text, const std::string& file_name);
LoadResult LoadWorkflowFile(const std::filesystem::path& path);
// Every *.yaml / *.yml directly in `dir`, sorted by name; also reports two
// files defining the same case type, and a missing or unreadable directory.
LoadResult LoadWorkflowDirectory(const std::filesystem::path& dir);

}  // namespace casus::engine

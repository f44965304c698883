#include "app/workflow_catalog.h"

#include <fstream>
#include <sstream>

#include "loader/workflow_loader.h"

namespace casus::app {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

StatusOr<engine::DefinitionRegistry> SyncWorkflows(storage::Store& store, const std::filesystem::path& dir) {
  engine::LoadResult loaded = engine::LoadWorkflowDirectory(dir);
  if (!loaded.ok()) {
    std::string all;
    for (const auto& e : loaded.errors) all += (all.empty() ? "" : "\n") + e.ToString();
    return Status::InvalidArgument(all);
  }
  std::vector<std::pair<const engine::WorkflowDefinition*, std::string>> sources;
  for (const auto& def : loaded.definitions) sources.emplace_back(&def, ReadFile(dir / def.source_file));

  RETURN_IF_ERROR(store.Write([&](storage::Transaction& tx) -> Status {
    for (const auto& [def, source] : sources) {
      Status put = tx.definitions().Put(def->id, def->version, source);
      if (!put.ok())
        return Status::FailedPrecondition(def->source_file + ": version " + std::to_string(def->version) + " of " +
                                          def->id + " is already in use with different content; raise `version`");
    }
    return Status::Ok();
  }));

  engine::DefinitionRegistry registry;
  for (const auto& def : loaded.definitions) RETURN_IF_ERROR(registry.Add(def));
  std::vector<storage::DefinitionRepository::Stored> stored;
  RETURN_IF_ERROR(store.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(stored, tx.definitions().List());
    return Status::Ok();
  }));
  for (const auto& old : stored) {
    if (registry.Find(old.type, old.version)) continue;
    engine::LoadResult parsed = engine::LoadWorkflowText(old.source, old.type + " v" + std::to_string(old.version));
    if (!parsed.ok() || parsed.definitions.size() != 1)
      return Status::Internal("stored definition " + old.type + " v" + std::to_string(old.version) +
                              " no longer loads; cases pinned to it cannot be handled");
    RETURN_IF_ERROR(registry.Add(std::move(parsed.definitions.front())));
  }
  return registry;
}

}  // namespace casus::app

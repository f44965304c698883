#include "engine/registry.h"

#include <limits>

namespace casus::engine {

Status DefinitionRegistry::Add(WorkflowDefinition def) {
  auto key = std::make_pair(def.id, def.version);
  if (defs_.contains(key))
    return Status::FailedPrecondition("workflow " + def.id + " version " + std::to_string(def.version) +
                                      " is already registered");
  defs_.emplace(std::move(key), std::move(def));
  return Status::Ok();
}

const WorkflowDefinition* DefinitionRegistry::Find(const std::string& type, int version) const {
  auto it = defs_.find({type, version});
  return it == defs_.end() ? nullptr : &it->second;
}

const WorkflowDefinition* DefinitionRegistry::Latest(const std::string& type) const {
  const WorkflowDefinition* latest = nullptr;
  for (const auto& [key, def] : defs_)
    if (key.first == type) latest = &def;  // map order: versions ascending
  return latest;
}

std::vector<const WorkflowDefinition*> DefinitionRegistry::LatestOfEach() const {
  std::vector<const WorkflowDefinition*> out;
  for (const auto& [key, def] : defs_) {
    if (!out.empty() && out.back()->id == key.first)
      out.back() = &def;
    else
      out.push_back(&def);
  }
  return out;
}

std::vector<int> DefinitionRegistry::Versions(const std::string& type) const {
  std::vector<int> out;
  // The map is ordered by (type, version): this type's entries are adjacent, ascending.
  for (auto it = defs_.lower_bound({type, std::numeric_limits<int>::min()});
       it != defs_.end() && it->first.first == type; ++it)
    out.push_back(it->first.second);
  return out;
}

}  // namespace casus::engine

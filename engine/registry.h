// The workflow definitions known to a running Casus, by case type and
// version. Cases pin the version they were opened under, so older versions
// stay registered (the store keeps their source) while new cases use the
// latest. Not thread-safe for writes: fill it at start, then only read.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "engine/definition.h"

namespace casus::engine {

class DefinitionRegistry {
 public:
  // AlreadyExists-like FailedPrecondition when (type, version) is present.
  Status Add(WorkflowDefinition def);
  const WorkflowDefinition* Find(const std::string& type, int version) const;  // null when unknown
  const WorkflowDefinition* Latest(const std::string& type) const;             // null when unknown
  std::vector<const WorkflowDefinition*> LatestOfEach() const;
  // Every registered version of `type`, ascending (cases may be pinned to
  // any of them); empty when the type is unknown.
  std::vector<int> Versions(const std::string& type) const;

 private:
  std::map<std::pair<std::string, int>, WorkflowDefinition> defs_;
};

}  // namespace casus::engine

// Brings the workflow files and the database's record of definitions
// together: every definition in the files is recorded (type, version,
// source) so that cases can keep the version they were opened under, and
// every version the database knows is registered — the files' ones and the
// older ones still pinned by cases.
#pragma once

#include <filesystem>

#include "common/status.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::app {

// Fails with every loader error (one per line, with file and path) when
// the directory holds an invalid definition, and with FailedPrecondition
// when a file changed a definition without raising its version.
StatusOr<engine::DefinitionRegistry> SyncWorkflows(storage::Store& store, const std::filesystem::path& dir);

}  // namespace casus::app

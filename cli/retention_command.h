// `casus retention run [--dry-run]`: the retention job by hand (the server
// also runs it daily). Prints what was (or would be) erased, by id and
// kind only.
#pragma once

#include "cli/commands.h"

namespace casus::cli {

int RetentionRun(const CommonOptions& options, bool dry_run);

}  // namespace casus::cli

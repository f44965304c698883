// The casus subcommands. Each returns the process exit code: 0 success,
// 1 the check failed (invalid workflows, broken audit chain), 2 could not run.
#pragma once

#include <optional>
#include <string>

namespace casus::cli {

struct CommonOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
};

int WorkflowsCheck(const CommonOptions& options, const std::optional<std::string>& dir);
int Init(const CommonOptions& options, bool demo);
int AuditVerify(const CommonOptions& options);

}  // namespace casus::cli

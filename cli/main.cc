// The casus command: one binary for the server (next) and its tools.
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Casus: case coordination for zorg-en-veiligheid casuistry"};
  app.require_subcommand(1);
  casus::cli::CommonOptions common;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--config", common.config_file, "configuration file (overrides config/casus.yaml)");
    cmd->add_option("--data-dir", common.data_dir, "data directory (database, keys)");
  };

  auto* workflows = app.add_subcommand("workflows", "workflow definitions");
  workflows->require_subcommand(1);
  auto* check = workflows->add_subcommand("check", "validate workflow files, report every error");
  std::optional<std::string> check_dir;
  check->add_option("DIR", check_dir, "directory with *.yaml (default: workflows_dir from the configuration)");
  add_common(check);

  auto* init = app.add_subcommand("init", "create or migrate the database and record the workflow definitions");
  bool demo = false;
  init->add_flag("--demo", demo, "also load the demo data set (only into a new database)");
  add_common(init);

  auto* audit = app.add_subcommand("audit", "audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "verify the audit hash chain; non-zero names the first bad entry");
  add_common(verify);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (check->parsed()) return casus::cli::WorkflowsCheck(common, check_dir);
  if (init->parsed()) return casus::cli::Init(common, demo);
  if (verify->parsed()) return casus::cli::AuditVerify(common);
  std::cerr << app.help();
  return 2;
}

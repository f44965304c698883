// The casus command: one binary for the server (next) and its tools.
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

#include "cli/backup_command.h"
#include "cli/commands.h"
#include "cli/demo_command.h"
#include "cli/migrate_command.h"
#include "cli/retention_command.h"
#include "cli/serve_command.h"
#include "cli/user_block_command.h"
#include "cli/user_link_command.h"
#include "cli/user_command.h"

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

  auto* backup = app.add_subcommand("backup", "write a consistent copy of the database to FILE (safe while serving)");
  std::string backup_file;
  backup->add_option("FILE", backup_file, "the backup file to create (must not exist)")->required();
  add_common(backup);

  auto* restore = app.add_subcommand("restore", "restore a backup FILE into a data directory without a database, "
                                                "then verify its audit chain");
  std::string restore_file;
  restore->add_option("FILE", restore_file, "a file written by `casus backup`")->required();
  add_common(restore);
  auto* migrate = app.add_subcommand("migrate", "copy a SQLite database into the configured, empty PostgreSQL "
                                                "database, verifying the audit chain on both sides");
  std::string migrate_from;
  migrate->add_option("--from-sqlite", migrate_from, "the SQLite database file (data_dir/casus.db)")->required();
  add_common(migrate);

  auto* retention = app.add_subcommand("retention", "retention after closure (docs/privacy.md)");
  retention->require_subcommand(1);
  auto* retention_run =
      retention->add_subcommand("run", "erase what passed its retention period (the server does this daily)");
  bool dry_run = false;
  retention_run->add_flag("--dry-run", dry_run, "only list what would be erased");
  add_common(retention_run);

  auto* user = app.add_subcommand("user", "accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "create an account; reads the password from standard input and "
                                                "prints the TOTP secret as an otpauth:// URI");
  casus::cli::UserAddArgs user_args;
  user_add->add_option("--username", user_args.username, "login name: 3 to 64 of a-z 0-9 . _ -")->required();
  user_add->add_option("--role", user_args.roles, "role (repeat for several)")->required();
  user_add->add_option("--org", user_args.org, "organisation name (created when new)")->required();
  user_add->add_option("--org-type", user_args.org_type, "organisation type, e.g. gemeente, politie, ggz")->required();
  user_add->add_option("--municipality", user_args.municipality, "municipality of the organisation (required for gemeente)");
  add_common(user_add);
  auto* user_link = user->add_subcommand("link", "link an account to the person's identity at a configured "
                                                  "OpenID provider (login.oidc; docs/login.md)");
  std::string link_username, link_provider, link_subject;
  user_link->add_option("USERNAME", link_username, "the account's login name")->required();
  user_link->add_option("--provider", link_provider, "the provider's id in login.oidc")->required();
  user_link->add_option("--subject", link_subject, "the person's `sub` at that provider")->required();
  add_common(user_link);
  auto* user_roles = user->add_subcommand("roles", "replace an account's roles (no --role: none; audited as the "
                                                    "system)");
  std::string roles_username;
  std::vector<std::string> roles_list;
  user_roles->add_option("USERNAME", roles_username, "the account's login name")->required();
  user_roles->add_option("--role", roles_list, "role (repeat for several)");
  add_common(user_roles);
  auto* user_block = user->add_subcommand("block", "block an account: its sessions end at once and it cannot log "
                                                    "in until unblocked (audited as the system)");
  std::string block_username, block_reason;
  user_block->add_option("USERNAME", block_username, "the account's login name")->required();
  user_block->add_option("--reason", block_reason, "why (recorded in the audit log; at most 500 bytes)")->required();
  add_common(user_block);
  auto* user_unblock = user->add_subcommand("unblock", "unblock an account: it may log in again");
  std::string unblock_username, unblock_reason;
  user_unblock->add_option("USERNAME", unblock_username, "the account's login name")->required();
  user_unblock->add_option("--reason", unblock_reason, "why (optional; recorded in the audit log)");
  add_common(user_unblock);

  auto* serve = app.add_subcommand("serve", "run the HTTPS/WebSocket server");
  std::optional<std::string> listen;
  serve->add_option("--listen", listen, "HOST:PORT (default from the configuration: 127.0.0.1:8443)");
  add_common(serve);

  auto* demo_cmd = app.add_subcommand("demo", "demo data set helpers");
  demo_cmd->require_subcommand(1);
  auto* demo_totp = demo_cmd->add_subcommand("totp", "print the current TOTP code of a demo account");
  std::string demo_username;
  demo_totp->add_option("--username", demo_username, "a demo account")->required();
  add_common(demo_totp);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (check->parsed()) return casus::cli::WorkflowsCheck(common, check_dir);
  if (init->parsed()) return casus::cli::Init(common, demo);
  if (verify->parsed()) return casus::cli::AuditVerify(common);
  if (backup->parsed()) return casus::cli::Backup(common, backup_file);
  if (restore->parsed()) return casus::cli::Restore(common, restore_file);
  if (migrate->parsed()) return casus::cli::MigrateFromSqlite(common, migrate_from);
  if (retention_run->parsed()) return casus::cli::RetentionRun(common, dry_run);
  if (user_add->parsed()) return casus::cli::UserAdd(common, user_args);
  if (user_roles->parsed()) return casus::cli::UserRoles(common, roles_username, roles_list);
  if (user_link->parsed()) return casus::cli::UserLink(common, link_username, link_provider, link_subject);
  if (user_block->parsed()) return casus::cli::UserBlock(common, block_username, block_reason);
  if (user_unblock->parsed()) return casus::cli::UserUnblock(common, unblock_username, unblock_reason);
  if (serve->parsed()) return casus::cli::Serve(common, listen);
  if (demo_totp->parsed()) return casus::cli::DemoTotp(common, demo_username);
  std::cerr << app.help();
  return 2;
}

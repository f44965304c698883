#include "cli/user_block_command.h"

#include <iostream>

#include "app/user_admin.h"
#include "cli/store_access.h"
#include "common/time.h"

namespace casus::cli {
namespace {

int RunUserBlock(const CommonOptions& options, const std::string& username, const std::string& reason, bool block) {
  const char* command = block ? "user block" : "user unblock";
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  // Never create a database: there is nobody to block in a new one.
  auto store = OpenStoreOrReport(*config, /*create=*/false);
  if (!store) return 2;
  SystemClock clock;
  app::UserAdmin admin(*store, clock);
  Status done = block ? admin.BlockAsOperator(username, reason) : admin.UnblockAsOperator(username, reason);
  if (!done.ok()) {
    std::cerr << command << ": " << done.message() << "\n";
    const bool refused = done.code() == StatusCode::kInvalidArgument || done.code() == StatusCode::kNotFound;
    return refused ? 1 : 2;
  }
  std::cout << "user " << username << (block ? " blocked; its sessions have ended\n" : " unblocked\n");
  return 0;
}

}  // namespace

int UserBlock(const CommonOptions& options, const std::string& username, const std::string& reason) {
  return RunUserBlock(options, username, reason, /*block=*/true);
}

int UserUnblock(const CommonOptions& options, const std::string& username, const std::string& reason) {
  return RunUserBlock(options, username, reason, /*block=*/false);
}

int UserRoles(const CommonOptions& options, const std::string& username, const std::vector<std::string>& roles) {
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  auto store = OpenStoreOrReport(*config, /*create=*/false);
  if (!store) return 2;
  SystemClock clock;
  app::UserAdmin admin(*store, clock);
  Status done = admin.SetRolesAsOperator(username, roles);
  if (!done.ok()) {
    std::cerr << "user roles: " << done.message() << "\n";
    const bool refused = done.code() == StatusCode::kInvalidArgument || done.code() == StatusCode::kNotFound;
    return refused ? 1 : 2;
  }
  std::cout << "user " << username << " now has " << (roles.empty() ? std::string("no roles") : std::to_string(roles.size()) + " role(s)") << "\n";
  return 0;
}

}  // namespace casus::cli

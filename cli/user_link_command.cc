#include "cli/user_link_command.h"

#include <iostream>

#include "app/oidc/identity_link.h"
#include "cli/store_access.h"
#include "common/time.h"

namespace casus::cli {

int UserLink(const CommonOptions& options, const std::string& username, const std::string& provider,
             const std::string& subject) {
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  auto store = OpenStoreOrReport(*config, /*create=*/false);
  if (!store) return 2;
  SystemClock clock;
  Status linked = app::oidc::LinkIdentity(*store, clock, config->login, username, provider, subject);
  if (!linked.ok()) {
    std::cerr << "user link: " << linked.message() << "\n";
    const bool refused = linked.code() == StatusCode::kInvalidArgument || linked.code() == StatusCode::kNotFound ||
                         linked.code() == StatusCode::kFailedPrecondition;
    return refused ? 1 : 2;
  }
  std::cout << "user " << username << " now logs in through provider " << provider << "\n";
  return 0;
}

}  // namespace casus::cli

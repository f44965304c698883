#include "cli/demo_command.h"

#include <iostream>

#include "app/auth/password.h"
#include "app/auth/totp.h"
#include "app/demo_data.h"
#include "cli/store_access.h"

namespace casus::cli {

int DemoTotp(const CommonOptions& options, const std::string& username) {
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  auto store = OpenStoreOrReport(*config, /*create=*/false);
  if (!store) return 2;
  std::optional<storage::User> user;
  Status st = store->Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(user, tx.users().FindByUsername(username));
    return Status::Ok();
  });
  if (!st.ok()) {
    std::cerr << "demo totp: " << st.message() << "\n";
    return 2;
  }
  if (!user || user->password_hash.empty() || !app::auth::VerifyPassword(app::kDemoPassword, user->password_hash)) {
    std::cerr << "demo totp: only for demo accounts (created by `casus init --demo`)\n";
    return 1;
  }
  SystemClock clock;
  auto code = app::auth::TotpCodeAt(user->totp_secret, app::auth::TotpStep(clock.Now()));
  if (!code) {
    std::cerr << "demo totp: the account has no usable TOTP secret\n";
    return 2;
  }
  std::cout << *code << "\n";
  return 0;
}

}  // namespace casus::cli

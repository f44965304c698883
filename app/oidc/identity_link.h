// Linking a Casus account to a person's identity at an OpenID provider
// (`casus user link`): how an admin prepares an account when the provider
// provisions nobody itself, or gives an existing account (with its TOTP
// secret) a way in through its organisation.
#pragma once

#include <string>

#include "app/login_config.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace casus::app::oidc {

// Sets the account's (issuer, subject). NotFound for an unknown username
// or provider; FailedPrecondition when the account's organisation is not
// one the provider signs into, or another account has the identity;
// InvalidArgument for an empty or over-long subject. Audited as
// `user.link` with the system as actor.
Status LinkIdentity(storage::Store& store, const Clock& clock, const LoginConfig& login, const std::string& username,
                    const std::string& provider_id, const std::string& subject);

}  // namespace casus::app::oidc

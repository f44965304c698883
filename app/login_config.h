// How staff log in (`login:` in the configuration file; docs/login.md):
// the OpenID providers of the organisations, and which organisations may
// still use local accounts (password + TOTP).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace YAML {
class Node;
}


namespace casus::app {

// What a provider does with a person it has no account for.
enum class Provisioning {
  kOff,           // refused: an admin creates the account first (`casus user add`, then `casus user link`)
  kWithoutRoles,  // an account without roles in the provider's first organisation; an admin assigns roles (`casus user roles`)
  kRolesClaim,    // roles from a claim of the ID token, mapped by `role_map`; unmapped values are ignored
};

struct OidcProviderConfig {
  std::string id;     // [a-z0-9-]{1,32}: in the provider's URLs
  std::string label;  // the login button's text
  std::string issuer; // exact `iss`; discovery at issuer + /.well-known/openid-configuration
  std::string client_id;
  std::string client_secret;            // from client_secret_file or client_secret_env; never logged
  std::vector<std::string> scopes;      // always starts with "openid"
  std::vector<std::string> organisations;  // names; users of this provider belong to one of these
  Provisioning provisioning = Provisioning::kOff;
  std::string roles_claim;              // for kRolesClaim, e.g. "roles" or "groups"
  std::map<std::string, std::string> role_map;  // claim value -> Casus role
  std::vector<std::string> mfa_acr;     // acr values that assert a second factor (besides amr mfa/otp/hwk)
  std::filesystem::path ca_file;        // trust anchors for the provider's TLS; empty: the system's
  std::chrono::seconds clock_skew{60};
};

struct LoginConfig {
  // The address staff reach Casus at (https://…, no trailing slash): the
  // redirect and back-channel logout URIs the providers register are
  // built from it. Required when a provider is configured.
  std::string public_url;
  std::vector<OidcProviderConfig> providers;
  // Organisations (by name) whose staff may not log in with a local
  // password: they use their provider. Break-glass admins of other
  // organisations keep local accounts.
  std::vector<std::string> local_accounts_disabled_for;

  const OidcProviderConfig* Provider(const std::string& id) const;
  bool LocalAccountsAllowedFor(const std::string& org_name) const;
};

// Applies a `login:` section over `login` (providers replace earlier ones
// with the same id). Reads client secrets from their files or environment
// variables now, so a missing secret stops the start. InvalidArgument
// naming the file and key; never repeats a secret.
Status ApplyLoginSection(const YAML::Node& node, const std::string& file, LoginConfig& login);

// Checks what needs the whole configuration: a public_url when providers
// exist, and distinct issuers per provider id.
Status CheckLoginConfig(const LoginConfig& login);

}  // namespace casus::app

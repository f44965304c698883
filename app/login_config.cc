#include "app/login_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "engine/vocabulary.h"

namespace casus::app {
namespace {

constexpr std::size_t kMaxSecretBytes = 4096;

Status LoginBad(const std::string& file, const std::string& key, const std::string& message) {
  return Status::InvalidArgument(file + ": " + key + ": " + message);
}

bool IsProviderId(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool IsHttpsUrl(const std::string& url) { return url.rfind("https://", 0) == 0 && url.size() > 8 && url.size() <= 512; }

StatusOr<std::vector<std::string>> LoginTextList(const YAML::Node& node, const std::string& file, const std::string& key) {
  if (!node.IsSequence()) return LoginBad(file, key, "must be a list");
  std::vector<std::string> out;
  for (const auto& item : node) {
    if (!item.IsScalar()) return LoginBad(file, key, "must be a list of text values");
    out.push_back(item.as<std::string>());
  }
  return out;
}

// The secret's file is read whole; a trailing newline (as `echo` writes)
// is not part of it.
StatusOr<std::string> ReadSecretFile(const std::string& path, const std::string& file, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return LoginBad(file, key, "cannot read the secret file");
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty() || secret.size() > kMaxSecretBytes) return LoginBad(file, key, "the secret file is empty or too long");
  return secret;
}

StatusOr<OidcProviderConfig> ReadProvider(const YAML::Node& node, const std::string& file, const std::string& at) {
  if (!node.IsMap()) return LoginBad(file, at, "must be a map");
  OidcProviderConfig p;
  bool has_secret = false;
  for (const auto& entry : node) {
    const std::string k = entry.first.as<std::string>();
    const std::string key = at + "." + k;
    const YAML::Node& v = entry.second;
    if (k == "scopes" || k == "organisations" || k == "mfa_acr") {
      ASSIGN_OR_RETURN(auto list, LoginTextList(v, file, key));
      (k == "scopes" ? p.scopes : k == "organisations" ? p.organisations : p.mfa_acr) = std::move(list);
      continue;
    }
    if (k == "role_map") {
      if (!v.IsMap()) return LoginBad(file, key, "must be a map of claim values to roles");
      for (const auto& m : v) {
        const std::string role = m.second.IsScalar() ? m.second.as<std::string>() : "";
        if (role == "system" || !engine::IsKnownRole(role))
          return LoginBad(file, key + "." + m.first.as<std::string>(), "unknown role \"" + role.substr(0, 64) + "\"");
        p.role_map[m.first.as<std::string>()] = role;
      }
      continue;
    }
    if (!v.IsScalar()) return LoginBad(file, key, "unknown setting or wrong kind of value");
    const std::string value = v.as<std::string>();
    if (k == "id") {
      if (!IsProviderId(value)) return LoginBad(file, key, "must be 1 to 32 characters of a-z, 0-9 or '-'");
      p.id = value;
    } else if (k == "label") {
      if (value.empty() || value.size() > 100) return LoginBad(file, key, "must be 1 to 100 bytes");
      p.label = value;
    } else if (k == "issuer") {
      if (!IsHttpsUrl(value)) return LoginBad(file, key, "must be an https:// URL");
      p.issuer = value;
    } else if (k == "client_id") {
      if (value.empty() || value.size() > 256) return LoginBad(file, key, "must be 1 to 256 bytes");
      p.client_id = value;
    } else if (k == "client_secret_file") {
      ASSIGN_OR_RETURN(p.client_secret, ReadSecretFile(value, file, key));
      has_secret = true;
    } else if (k == "client_secret_env") {
      const char* secret = std::getenv(value.c_str());
      if (!secret || !*secret || std::string_view(secret).size() > kMaxSecretBytes)
        return LoginBad(file, key, "the environment variable " + value.substr(0, 64) + " is not set");
      p.client_secret = secret;
      has_secret = true;
    } else if (k == "client_secret") {
      // Secrets do not belong in a configuration file that is copied around.
      return LoginBad(file, key, "use client_secret_file or client_secret_env");
    } else if (k == "provisioning") {
      if (value == "off") p.provisioning = Provisioning::kOff;
      else if (value == "without_roles") p.provisioning = Provisioning::kWithoutRoles;
      else if (value == "roles_claim") p.provisioning = Provisioning::kRolesClaim;
      else return LoginBad(file, key, "must be off, without_roles or roles_claim");
    } else if (k == "roles_claim") {
      if (value.empty() || value.size() > 100) return LoginBad(file, key, "must be 1 to 100 bytes");
      p.roles_claim = value;
    } else if (k == "ca_file") {
      p.ca_file = value;
    } else if (k == "clock_skew_seconds") {
      int skew = -1;
      try {
        skew = v.as<int>();
      } catch (const YAML::Exception&) {
      }
      if (skew < 0 || skew > 300) return LoginBad(file, key, "must be a number of seconds from 0 to 300");
      p.clock_skew = std::chrono::seconds(skew);
    } else {
      return LoginBad(file, key, "unknown setting");
    }
  }
  if (p.id.empty()) return LoginBad(file, at + ".id", "is required");
  const std::string named = "login.oidc." + p.id;
  if (p.issuer.empty()) return LoginBad(file, named + ".issuer", "is required");
  if (p.client_id.empty()) return LoginBad(file, named + ".client_id", "is required");
  if (!has_secret) return LoginBad(file, named + ".client_secret_file", "client_secret_file or client_secret_env is required");
  if (p.organisations.empty()) return LoginBad(file, named + ".organisations", "at least one organisation is required");
  if (p.label.empty()) p.label = p.id;
  if (p.provisioning == Provisioning::kRolesClaim && p.roles_claim.empty())
    return LoginBad(file, named + ".roles_claim", "is required for provisioning: roles_claim");
  if (std::find(p.scopes.begin(), p.scopes.end(), "openid") == p.scopes.end()) p.scopes.insert(p.scopes.begin(), "openid");
  return p;
}

}  // namespace

const OidcProviderConfig* LoginConfig::Provider(const std::string& id) const {
  for (const auto& p : providers)
    if (p.id == id) return &p;
  return nullptr;
}

bool LoginConfig::LocalAccountsAllowedFor(const std::string& org_name) const {
  return std::find(local_accounts_disabled_for.begin(), local_accounts_disabled_for.end(), org_name) ==
         local_accounts_disabled_for.end();
}

Status ApplyLoginSection(const YAML::Node& node, const std::string& file, LoginConfig& login) {
  if (!node.IsMap()) return LoginBad(file, "login", "must be a map");
  for (const auto& entry : node) {
    const std::string k = entry.first.as<std::string>();
    const YAML::Node& v = entry.second;
    if (k == "public_url" && v.IsScalar()) {
      std::string url = v.as<std::string>();
      while (!url.empty() && url.back() == '/') url.pop_back();
      if (!IsHttpsUrl(url)) return LoginBad(file, "login.public_url", "must be an https:// URL");
      login.public_url = url;
    } else if (k == "local_accounts_disabled_for") {
      ASSIGN_OR_RETURN(login.local_accounts_disabled_for, LoginTextList(v, file, "login." + k));
    } else if (k == "oidc") {
      if (v.IsNull()) continue;
      if (!v.IsSequence()) return LoginBad(file, "login.oidc", "must be a list of providers");
      int index = 0;
      for (const auto& item : v) {
        ASSIGN_OR_RETURN(OidcProviderConfig provider,
                         ReadProvider(item, file, "login.oidc[" + std::to_string(index++) + "]"));
        auto same = std::find_if(login.providers.begin(), login.providers.end(),
                                 [&](const OidcProviderConfig& p) { return p.id == provider.id; });
        if (same != login.providers.end()) *same = std::move(provider);
        else login.providers.push_back(std::move(provider));
      }
    } else {
      return LoginBad(file, "login." + k, "unknown setting or wrong kind of value");
    }
  }
  return Status::Ok();
}

Status CheckLoginConfig(const LoginConfig& login) {
  if (login.providers.empty()) return Status::Ok();
  if (login.public_url.empty())
    return Status::InvalidArgument("login.public_url: is required when OpenID providers are configured");
  for (std::size_t i = 0; i < login.providers.size(); ++i)
    for (std::size_t j = i + 1; j < login.providers.size(); ++j)
      if (login.providers[i].issuer == login.providers[j].issuer)
        return Status::InvalidArgument("login.oidc: providers " + login.providers[i].id + " and " +
                                       login.providers[j].id + " have the same issuer");
  return Status::Ok();
}

}  // namespace casus::app

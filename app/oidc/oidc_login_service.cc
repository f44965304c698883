#include "app/oidc/oidc_login_service.h"

#include <boost/json.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <set>

#include "app/auth/tokens.h"
#include "app/case_access.h"
#include "oidc/pkce.h"
#include "oidc/token_checks.h"

namespace casus::app::oidc {
namespace {

using namespace std::chrono_literals;
namespace jose = casus::oidc;

constexpr std::chrono::seconds kAuthorizationLifetime = 10min;  // the person may have to type a password at the provider
constexpr std::chrono::seconds kHandoverLifetime = 5min;        // time to type the TOTP code
constexpr std::size_t kMaxCodeBytes = 2048;
constexpr std::size_t kMaxStateBytes = 256;
constexpr std::size_t kMaxLogoutTokenBytes = 16 * 1024;
constexpr const char* kAuthorization = "authorization";
constexpr const char* kVerified = "verified";

// amr values (RFC 8176) that mean the provider checked a second factor.
bool AssertsSecondFactor(const jose::IdTokenClaims& claims, const OidcProviderConfig& provider) {
  static const std::set<std::string> kMfaMethods = {"mfa", "otp", "hwk"};
  for (const auto& method : claims.amr)
    if (kMfaMethods.count(method)) return true;
  return !claims.acr.empty() &&
         std::find(provider.mfa_acr.begin(), provider.mfa_acr.end(), claims.acr) != provider.mfa_acr.end();
}

// Casus roles from the configured claim (a text or a list of texts);
// values without a mapping are ignored, so a provider cannot hand out a
// role the configuration does not name.
std::vector<std::string> MappedRoles(const jose::IdTokenClaims& claims, const OidcProviderConfig& provider) {
  std::vector<std::string> roles;
  const auto* claim = claims.claims.if_contains(provider.roles_claim);
  auto add = [&](const boost::json::value& v) {
    if (!v.is_string()) return;
    auto mapped = provider.role_map.find(std::string(v.as_string()));
    if (mapped != provider.role_map.end() &&
        std::find(roles.begin(), roles.end(), mapped->second) == roles.end())
      roles.push_back(mapped->second);
  };
  if (claim && claim->is_array())
    for (const auto& v : claim->as_array()) add(v);
  else if (claim)
    add(*claim);
  std::sort(roles.begin(), roles.end());
  return roles;
}

storage::AuditEntry RefusalEntry(TimePoint now, const std::string& provider, const std::string& reason,
                                 const std::string& client, const std::string& user_id) {
  storage::AuditEntry e;
  e.at = now;
  e.action = "login.failed";
  e.result = "denied";
  e.user_id = user_id;
  e.client = client;
  e.object_type = "user";
  e.object_id = user_id;
  e.detail = boost::json::serialize(boost::json::object{{"provider", provider}, {"reason", reason}});
  return e;
}

// What the system did to an account on a provider's word.
storage::AuditEntry SystemEntry(TimePoint now, std::string action, std::string object_id,
                                const std::string& provider, std::string client = "") {
  storage::AuditEntry e =
      MakeAudit(SystemCaller(std::move(client)), now, std::move(action), "success", "user", std::move(object_id), "");
  e.detail = boost::json::serialize(boost::json::object{{"provider", provider}});
  return e;
}

}  // namespace

struct OidcLoginService::Impl {
  storage::Store& store;
  const Clock& clock;
  IdGenerator& ids;
  const LoginConfig& config;
  ProviderDirectory& directory;
  AuthService& auth;

  CallbackOutcome Refuse(const std::string& provider, std::string reason, const std::string& client,
                         const std::string& user_id = "") {
    (void)store.Write([&](storage::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN([[maybe_unused]] auto entry,
                       tx.audit().Append(RefusalEntry(clock.Now(), provider, reason, client, user_id)));
      return Status::Ok();
    });
    CallbackOutcome out;
    out.refusal = std::move(reason);
    out.user_id = user_id;
    return out;
  }

  // Finds or provisions the account for a verified identity and stores
  // the handover, in one write. The refusal reason, or "" on success.
  Status MapAndHandOver(const OidcProviderConfig& provider, const jose::IdTokenClaims& claims, bool mfa,
                        const std::string& handover_hash, TimePoint now, std::string& refusal, std::string& user_id) {
    return store.Write([&](storage::Transaction& tx) -> Status {
      refusal.clear();
      ASSIGN_OR_RETURN(std::optional<storage::User> user,
                       tx.users().FindByOidcSubject(provider.issuer, claims.subject));
      if (user) {
        user_id = user->id;
        ASSIGN_OR_RETURN(storage::Organisation org, tx.organisations().Get(user->org_id));
        // The organisation comes from configuration, never from a claim: a
        // provider signs people into its own organisations only.
        if (std::find(provider.organisations.begin(), provider.organisations.end(), org.name) ==
            provider.organisations.end()) {
          refusal = "wrong_organisation";
          return Status::Ok();
        }
        if (user->disabled) {
          refusal = "blocked";
          return Status::Ok();
        }
        if (provider.provisioning == Provisioning::kRolesClaim) {
          std::vector<std::string> roles = MappedRoles(claims, provider);
          std::vector<std::string> current = user->roles;
          std::sort(current.begin(), current.end());
          if (roles != current) {
            user->roles = roles;
            RETURN_IF_ERROR(tx.users().Update(*user));
            storage::AuditEntry e = SystemEntry(now, "user.roles", user->id, provider.id);
            ASSIGN_OR_RETURN([[maybe_unused]] auto entry, tx.audit().Append(std::move(e)));
          }
        }
      } else {
        if (provider.provisioning == Provisioning::kOff) {
          refusal = "unknown_user";
          return Status::Ok();
        }
        ASSIGN_OR_RETURN(auto org, tx.organisations().FindByName(provider.organisations.front()));
        if (!org) {
          refusal = "organisation_missing";
          return Status::Ok();
        }
        storage::User fresh;
        fresh.id = ids.NewId("user_");
        // A name that says where the account came from and is unique per
        // identity; the person's name stays at the provider.
        fresh.username = provider.id + "-" + auth::Sha256Hex(provider.issuer + "\n" + claims.subject).substr(0, 16);
        fresh.org_id = org->id;
        if (provider.provisioning == Provisioning::kRolesClaim) fresh.roles = MappedRoles(claims, provider);
        fresh.created_at = now;
        fresh.oidc_issuer = provider.issuer;
        fresh.oidc_subject = claims.subject;
        RETURN_IF_ERROR(tx.users().Insert(fresh));
        storage::AuditEntry e = SystemEntry(now, "user.create", fresh.id, provider.id);
        ASSIGN_OR_RETURN([[maybe_unused]] auto entry, tx.audit().Append(std::move(e)));
        user = fresh;
        user_id = fresh.id;
      }
      // Without the provider's second factor the Casus TOTP code is asked,
      // which needs a secret (set by `casus user add`).
      if (!mfa && user->totp_secret.empty()) {
        refusal = "second_factor_missing";
        return Status::Ok();
      }
      storage::OidcLogin handover;
      handover.id = handover_hash;
      handover.kind = kVerified;
      handover.provider = provider.id;
      handover.user_id = user->id;
      handover.oidc_issuer = provider.issuer;
      handover.oidc_sid = claims.session_id;
      handover.mfa_asserted = mfa;
      handover.created_at = now;
      handover.expires_at = now + kHandoverLifetime;
      return tx.oidc_logins().Insert(handover);
    });
  }
};

OidcLoginService::OidcLoginService(storage::Store& store, const Clock& clock, IdGenerator& ids,
                                   const LoginConfig& config, ProviderDirectory& directory, AuthService& auth)
    : impl_(std::make_shared<Impl>(Impl{store, clock, ids, config, directory, auth})) {}

std::vector<ProviderButton> OidcLoginService::Providers() const {
  std::vector<ProviderButton> out;
  for (const auto& p : impl_->config.providers) out.push_back({p.id, p.label});
  return out;
}

bool OidcLoginService::HasProvider(const std::string& provider_id) const {
  return impl_->config.Provider(provider_id) != nullptr;
}

std::string OidcLoginService::RedirectUri(const std::string& provider_id) const {
  return impl_->config.public_url + "/api/v1/auth/oidc/" + provider_id + "/callback";
}

StatusOr<StartedLogin> OidcLoginService::Start(const std::string& provider_id) {
  Impl& s = *impl_;
  const OidcProviderConfig* provider = s.config.Provider(provider_id);
  if (!provider) return Status::NotFound("no such login provider");
  ASSIGN_OR_RETURN(ProviderMetadata metadata, s.directory.Metadata(*provider));
  ASSIGN_OR_RETURN(std::string state, jose::NewRandomUrlToken());
  ASSIGN_OR_RETURN(std::string nonce, jose::NewRandomUrlToken());
  ASSIGN_OR_RETURN(std::string verifier, jose::NewRandomUrlToken());
  ASSIGN_OR_RETURN(std::string browser, jose::NewRandomUrlToken());
  const TimePoint now = s.clock.Now();

  storage::OidcLogin login;
  login.id = auth::Sha256Hex(state);
  login.kind = kAuthorization;
  login.provider = provider->id;
  login.browser_hash = auth::Sha256Hex(browser);
  login.nonce = nonce;
  login.code_verifier = verifier;
  login.created_at = now;
  login.expires_at = now + kAuthorizationLifetime;
  RETURN_IF_ERROR(s.store.Write([&](storage::Transaction& tx) -> Status {
    // Logins nobody finished are cleared here, by the next one to start.
    ASSIGN_OR_RETURN([[maybe_unused]] int cleared, tx.oidc_logins().DeleteExpiredBefore(now));
    return tx.oidc_logins().Insert(login);
  }));

  boost::urls::url url(metadata.authorization_endpoint);
  std::string scope;
  for (const auto& sc : provider->scopes) scope += (scope.empty() ? "" : " ") + sc;
  auto params = url.params();
  params.append({"response_type", "code"});
  params.append({"client_id", provider->client_id});
  params.append({"redirect_uri", RedirectUri(provider->id)});
  params.append({"scope", scope});
  params.append({"state", state});
  params.append({"nonce", nonce});
  params.append({"code_challenge", jose::CodeChallengeS256(verifier)});
  params.append({"code_challenge_method", "S256"});
  return StartedLogin{std::string(url.buffer()), browser};
}

StatusOr<CallbackOutcome> OidcLoginService::Callback(const std::string& provider_id, const std::string& code,
                                                     const std::string& state, const std::string& error,
                                                     const std::string& browser_cookie, const std::string& client) {
  Impl& s = *impl_;
  const OidcProviderConfig* provider = s.config.Provider(provider_id);
  if (!provider) return Status::NotFound("no such login provider");
  if (state.empty() || state.size() > kMaxStateBytes || code.size() > kMaxCodeBytes)
    return s.Refuse(provider_id, "malformed_callback", client);

  // The state is taken once, whatever follows: a replayed callback finds nothing.
  std::optional<storage::OidcLogin> login;
  RETURN_IF_ERROR(s.store.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(login, tx.oidc_logins().Take(auth::Sha256Hex(state), kAuthorization));
    return Status::Ok();
  }));
  const TimePoint now = s.clock.Now();
  if (!login || login->provider != provider_id) return s.Refuse(provider_id, "state_unknown", client);
  if (now >= login->expires_at) return s.Refuse(provider_id, "state_expired", client);
  if (browser_cookie.empty() || !auth::ConstantTimeEquals(auth::Sha256Hex(browser_cookie), login->browser_hash))
    return s.Refuse(provider_id, "browser_mismatch", client);
  if (!error.empty()) return s.Refuse(provider_id, "provider_error", client);
  if (code.empty()) return s.Refuse(provider_id, "malformed_callback", client);

  auto id_token = s.directory.RedeemCode(*provider, RedirectUri(provider_id), code, login->code_verifier);
  if (id_token.status().code() == StatusCode::kUnauthenticated) return s.Refuse(provider_id, "code_refused", client);
  if (!id_token.ok()) return id_token.status();

  const jose::TokenExpectations expect{provider->issuer, provider->client_id, now, provider->clock_skew};
  const std::string nonce = login->nonce;
  const std::string token = std::move(*id_token);
  ASSIGN_OR_RETURN(jose::Verdict<jose::IdTokenClaims> verdict,
                   s.directory.VerifyWithKeys<jose::IdTokenClaims>(*provider, [&](const jose::KeySet& keys) {
                     return jose::VerifyIdToken(token, keys, expect, nonce);
                   }));
  if (!verdict.ok()) return s.Refuse(provider_id, std::string(jose::RefusalName(verdict.refusal)), client);

  ASSIGN_OR_RETURN(std::string handover, jose::NewRandomUrlToken());
  std::string refusal, user_id;
  RETURN_IF_ERROR(s.MapAndHandOver(*provider, *verdict.claims, AssertsSecondFactor(*verdict.claims, *provider),
                                   auth::Sha256Hex(handover), now, refusal, user_id));
  if (!refusal.empty()) return s.Refuse(provider_id, refusal, client, user_id);
  CallbackOutcome out;
  out.handover_token = handover;
  out.user_id = user_id;
  return out;
}

StatusOr<FinishOutcome> OidcLoginService::Finish(const std::string& handover_token,
                                                 const std::optional<std::string>& totp_code,
                                                 const std::string& client) {
  Impl& s = *impl_;
  if (handover_token.empty() || handover_token.size() > kMaxStateBytes)
    return Status::Unauthenticated("invalid or expired login");
  std::optional<storage::OidcLogin> handover;
  RETURN_IF_ERROR(s.store.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(handover, tx.oidc_logins().Take(auth::Sha256Hex(handover_token), kVerified));
    return Status::Ok();
  }));
  if (!handover || s.clock.Now() >= handover->expires_at) return Status::Unauthenticated("invalid or expired login");
  auto put_back = [&]() -> Status {
    return s.store.Write([&](storage::Transaction& tx) { return tx.oidc_logins().Insert(*handover); });
  };
  FinishOutcome out;
  if (!handover->mfa_asserted && !totp_code) {
    RETURN_IF_ERROR(put_back());
    out.totp_required = true;
    return out;
  }
  const SessionOrigin origin{handover->oidc_issuer, handover->oidc_sid, handover->provider};
  auto login = s.auth.OpenVerifiedSession(handover->user_id, origin,
                                          handover->mfa_asserted ? std::nullopt : totp_code, client);
  if (!login.ok()) {
    // A mistyped code may be typed again (the account throttle counts
    // every try) until the handover expires.
    if (login.status().code() == StatusCode::kUnauthenticated) RETURN_IF_ERROR(put_back());
    return login.status();
  }
  out.login = std::move(*login);
  return out;
}

Status OidcLoginService::BackchannelLogout(const std::string& provider_id, const std::string& logout_token,
                                                  const std::string& client) {
  Impl& s = *impl_;
  const OidcProviderConfig* provider = s.config.Provider(provider_id);
  if (!provider) return Status::NotFound("no such login provider");
  if (logout_token.empty() || logout_token.size() > kMaxLogoutTokenBytes)
    return Status::InvalidArgument("logout token refused: malformed");
  const TimePoint now = s.clock.Now();
  const jose::TokenExpectations expect{provider->issuer, provider->client_id, now, provider->clock_skew};
  ASSIGN_OR_RETURN(jose::Verdict<jose::LogoutTokenClaims> verdict,
                   s.directory.VerifyWithKeys<jose::LogoutTokenClaims>(*provider, [&](const jose::KeySet& keys) {
                     return jose::VerifyLogoutToken(logout_token, keys, expect);
                   }));
  if (!verdict.ok())
    return Status::InvalidArgument("logout token refused: " + std::string(jose::RefusalName(verdict.refusal)));
  const jose::LogoutTokenClaims& claims = *verdict.claims;
  return s.store.Write([&](storage::Transaction& tx) -> Status {
    std::string user_id;
    if (!claims.session_id.empty()) {
      ASSIGN_OR_RETURN([[maybe_unused]] int ended,
                       tx.sessions().RevokeByOidcSid(provider->issuer, claims.session_id, now));
    } else {
      ASSIGN_OR_RETURN(auto user, tx.users().FindByOidcSubject(provider->issuer, claims.subject));
      if (user) {
        RETURN_IF_ERROR(tx.sessions().RevokeAllForUser(user->id, now));
        user_id = user->id;
      }
    }
    storage::AuditEntry e = SystemEntry(now, "logout.backchannel", user_id, provider->id, client);
    e.object_type = "session";
    ASSIGN_OR_RETURN([[maybe_unused]] auto entry, tx.audit().Append(std::move(e)));
    return Status::Ok();
  });
}

std::optional<std::string> OidcLoginService::ProviderLogoutUrl(const Principal& principal) {
  Impl& s = *impl_;
  if (principal.oidc_issuer.empty()) return std::nullopt;
  for (const auto& provider : s.config.providers) {
    if (provider.issuer != principal.oidc_issuer) continue;
    auto metadata = s.directory.Metadata(provider);
    if (!metadata.ok() || metadata->end_session_endpoint.empty()) return std::nullopt;
    boost::urls::url url(metadata->end_session_endpoint);
    url.params().append({"client_id", provider.client_id});
    url.params().append({"post_logout_redirect_uri", s.config.public_url + "/"});
    return std::string(url.buffer());
  }
  return std::nullopt;
}

}  // namespace casus::app::oidc

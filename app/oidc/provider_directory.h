// What Casus knows about each configured OpenID provider at run time: its
// discovery document (fetched once an hour at most) and its signing keys
// (fetched when first needed and again when a token names a key not in
// them: the provider rotated its keys). Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/login_config.h"
#include "app/oidc/https_fetcher.h"
#include "common/time.h"
#include "oidc/key_set.h"
#include "oidc/token_checks.h"

namespace casus::app::oidc {

struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string end_session_endpoint;  // empty: the provider offers no RP-initiated logout
};

class ProviderDirectory {
 public:
  ProviderDirectory(HttpsFetcher& fetcher, const Clock& clock);
  ~ProviderDirectory();

  // The provider's discovery document. Unavailable when it cannot be
  // fetched; FailedPrecondition when it is malformed, names another issuer
  // than configured, or an endpoint that is not https.
  StatusOr<ProviderMetadata> Metadata(const OidcProviderConfig& provider);

  // Redeems an authorization code at the token endpoint (client_secret_basic,
  // with the PKCE verifier) and returns the ID token, unverified.
  // Unauthenticated when the provider refuses the code.
  StatusOr<std::string> RedeemCode(const OidcProviderConfig& provider, const std::string& redirect_uri,
                                   const std::string& code, const std::string& code_verifier);

  // Verifies a token against the provider's keys, fetching them again once
  // when the token's key is unknown (at most once a second per provider:
  // a stream of tokens with made-up key ids cannot turn into a stream of
  // fetches). `check` runs the verification; Status only for fetch errors.
  template <class Claims>
  StatusOr<casus::oidc::Verdict<Claims>> VerifyWithKeys(
      const OidcProviderConfig& provider,
      const std::function<casus::oidc::Verdict<Claims>(const casus::oidc::KeySet&)>& check) {
    ASSIGN_OR_RETURN(casus::oidc::KeySet keys, Keys(provider, false));
    casus::oidc::Verdict<Claims> verdict = check(keys);
    if (verdict.refusal != casus::oidc::TokenRefusal::kUnknownKey) return verdict;
    ASSIGN_OR_RETURN(std::optional<casus::oidc::KeySet> fresh, RefreshedKeys(provider));
    if (!fresh) return verdict;
    return check(*fresh);
  }

 private:
  StatusOr<casus::oidc::KeySet> Keys(const OidcProviderConfig& provider, bool refresh);
  // nullopt when a refresh is not due yet (rate limit).
  StatusOr<std::optional<casus::oidc::KeySet>> RefreshedKeys(const OidcProviderConfig& provider);

  struct Cache;
  std::unique_ptr<Cache> cache_;
  HttpsFetcher& fetcher_;
  const Clock& clock_;
};

}  // namespace casus::app::oidc

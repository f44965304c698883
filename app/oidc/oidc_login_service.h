// Login through an organisation's OpenID provider (docs/login.md): the
// authorization code flow with PKCE (S256), state and nonce, ending in the
// same session as a password login.
//
//   Start     a login: state, nonce and verifier stored (shared by every
//             node), the browser bound by a cookie, the provider's URL.
//   Callback  takes the state once, redeems the code, verifies the ID
//             token, finds the account by (issuer, sub) or provisions it,
//             and hands the browser a one-time handover token.
//   Finish    turns the handover into a session: at once when the
//             provider asserted a second factor, else after the Casus TOTP
//             code (BIO: two factors always).
//
// Every refusal is one reason id (for the log and the audit entry, never
// token contents) and one generic message for the person. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/auth_service.h"
#include "app/login_config.h"
#include "app/oidc/provider_directory.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace casus::app::oidc {

struct ProviderButton {
  std::string id;
  std::string label;
};

struct StartedLogin {
  std::string authorization_url;  // where the browser goes next
  std::string browser_cookie;     // value of the cookie that binds the callback to this browser
};

// The callback's result: a handover token, or the reason it was refused.
struct CallbackOutcome {
  std::string handover_token;
  std::string refusal;  // stable reason id, e.g. "wrong_aud", "state_unknown", "unknown_user"
  std::string user_id;  // when known, for the request's log line
  bool ok() const { return refusal.empty(); }
};

struct FinishOutcome {
  std::optional<LoginResult> login;  // the session, when complete
  bool totp_required = false;        // no session yet: ask the code and finish again
};

class OidcLoginService {
 public:
  OidcLoginService(storage::Store& store, const Clock& clock, IdGenerator& ids, const LoginConfig& config,
                   ProviderDirectory& directory, AuthService& auth);

  std::vector<ProviderButton> Providers() const;
  bool HasProvider(const std::string& provider_id) const;

  // NotFound for an unconfigured provider; Unavailable when its discovery
  // document cannot be had.
  StatusOr<StartedLogin> Start(const std::string& provider_id);

  // `error` is the provider's error parameter (the person cancelled, …).
  // Status only for outages; every refusal is in the outcome (and audited).
  StatusOr<CallbackOutcome> Callback(const std::string& provider_id, const std::string& code, const std::string& state,
                                     const std::string& error, const std::string& browser_cookie,
                                     const std::string& client);

  // Unauthenticated (generic) when the handover is unknown, used or
  // expired, or the code is wrong; a handover asked for a code stays
  // usable for the code until it expires.
  StatusOr<FinishOutcome> Finish(const std::string& handover_token, const std::optional<std::string>& totp_code,
                                 const std::string& client);

  // OpenID Connect Back-Channel Logout: verifies the logout token and ends
  // the sessions it names (by sid, else all of the sub's). InvalidArgument
  // (reason id in the message) when the token is refused; OK also when the
  // sessions had ended already.
  Status BackchannelLogout(const std::string& provider_id, const std::string& logout_token,
                                  const std::string& client);

  // Where to send the browser after a logout of a session begun at a
  // provider that offers RP-initiated logout; nullopt otherwise.
  std::optional<std::string> ProviderLogoutUrl(const Principal& principal);

  std::string RedirectUri(const std::string& provider_id) const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace casus::app::oidc

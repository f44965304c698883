// Accounts, logins and sessions (BIO 9.4.2: two-factor for all staff).
// Passwords are Argon2id hashes; the second factor is TOTP (RFC 6238,
// SHA-1, 6 digits, 30 s, one step of clock skew, each code accepted once).
// Session tokens are 256-bit random values handed to the client; only their
// SHA-256 is stored. Sessions end after `idle_timeout` without use and
// after `absolute_timeout` in any case; logout revokes.
// Every login, failed login and logout appends an audit entry. No password,
// code or token ever appears in a Status message, log line or audit entry.
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/auth/password.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/engine.h"
#include "storage/store.h"

namespace casus::app {

// The authenticated caller of a request.
struct Principal {
  storage::User user;
  storage::Organisation org;
  engine::Actor actor;     // user id, roles, org id/type, municipality of the org
  std::string session_id;
  std::string csrf_hash;   // hex SHA-256 of the session's CSRF token, for CheckCsrf (not the token)
  std::string oidc_issuer; // the OpenID provider the session began at; empty for a local login
};

struct LoginResult {
  std::string token;       // bearer token and cookie value; shown once
  std::string csrf_token;  // to be sent in X-CSRF-Token on cookie-authenticated writes
  TimePoint expires_at{};  // absolute expiry
  Principal principal;
};

struct AuthOptions {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 60 * 60};
  // Throttling: after this many failures within `failure_window`, further
  // attempts for that account (or from that address) are refused without
  // checking the password until the window has passed.
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  std::chrono::seconds failure_window{15 * 60};
  // Argon2id cost for new hashes and for the dummy hash that unknown users
  // are verified against (so both take the same time). Tests lower it.
  auth::PasswordCost password_cost = auth::kDefaultPasswordCost;
  // Organisations (by name) whose staff may not log in with a password
  // (login.local_accounts_disabled_for): they log in through their provider.
  std::vector<std::string> local_login_disabled_for;
};

// Where a session opened without a password comes from: an OpenID
// provider's issuer and its session id (for back-channel logout).
struct SessionOrigin {
  std::string oidc_issuer;
  std::string oidc_sid;
  std::string provider_id;  // for the audit entry
};

struct NewUser {
  std::string username;  // 3..64 of [a-z0-9._-]
  std::string password;  // at least 12 characters (BIO), at most 1024 bytes
  std::vector<std::string> roles;
  std::string org_name;
  std::string org_type;      // engine::kOrgTypes
  std::string municipality;  // of the organisation (required for gemeente)
};

struct CreatedUser {
  storage::User user;
  std::string otpauth_uri;  // otpauth://totp/Casus:<username>?secret=...&issuer=Casus&algorithm=SHA1&digits=6&period=30
};

class AuthService {
 public:
  AuthService(storage::Store& store, const Clock& clock, IdGenerator& ids, AuthOptions options = {});
  ~AuthService();

  // Unauthenticated("invalid username, password or code") for every cause
  // (unknown user, wrong password, wrong or reused code, disabled account,
  // no credentials set); ResourceExhausted("too many attempts, try again
  // later") when throttled. Both are audited as login.failed.
  StatusOr<LoginResult> Login(const std::string& username, const std::string& password, const std::string& totp_code,
                              const std::string& client_address);

  // A session for an account whose identity a provider vouched for
  // (app/oidc). With `totp_code`, the code is checked as at Login (same
  // throttle, each code once); without, the provider asserted the second
  // factor. Unauthenticated (generic) for a blocked account or a wrong code.
  StatusOr<LoginResult> OpenVerifiedSession(const std::string& user_id, const SessionOrigin& origin,
                                            const std::optional<std::string>& totp_code,
                                            const std::string& client_address);

  // The principal for a token; Unauthenticated when unknown, revoked or
  // expired (idle or absolute). Extends the idle window.
  StatusOr<Principal> Authenticate(const std::string& token);

  // Whether `csrf_token` belongs to the principal's session (constant time).
  StatusOr<bool> CheckCsrf(const Principal& principal, const std::string& csrf_token);

  // Revokes the session; audited as logout.
  Status Logout(const Principal& principal, const std::string& client_address);

  // `casus user add`: creates the organisation when new (same name must
  // have the same type), the user with an Argon2id hash and a fresh TOTP
  // secret. InvalidArgument naming the field on bad input;
  // FailedPrecondition when the username exists. Audited as user.create
  // with the system as actor.
  StatusOr<CreatedUser> AddUser(const NewUser& input);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace casus::app

#include "app/auth_service.h"

#include <algorithm>
#include <mutex>

#include <boost/json.hpp>

#include "app/auth/password.h"
#include "app/auth/tokens.h"
#include "app/auth/totp.h"
#include "app/stored_throttle.h"
#include "engine/vocabulary.h"

namespace casus::app {
namespace {

using namespace std::chrono_literals;

// One message for every cause, so that a caller learns nothing about which
// part was wrong or whether the account exists.
constexpr const char* kLoginFailed = "invalid username, password or code";
constexpr const char* kThrottled = "too many attempts, try again later";
constexpr const char* kSessionInvalid = "invalid or expired session";

constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kMinPasswordChars = 12;
constexpr std::size_t kMaxTokenBytes = 256;
constexpr std::size_t kMaxClientBytes = 128;
// last_seen_at is written at most this often: a session in use costs one
// write a minute, not one per request. The idle window may thus close up
// to this much early, which errs on the safe side.
constexpr std::chrono::seconds kTouchInterval = 60s;

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ",") + r;
  return out;
}

bool IsValidUsername(std::string_view name) {
  if (name.size() < 3 || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool HasControlCharacter(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

// UTF-8 code points, counted as the bytes that do not continue a sequence.
std::size_t CharacterCount(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// The client address as given by the transport; capped so that a hostile
// value cannot bloat the audit log or the throttle.
std::string ClientKey(const std::string& address) { return address.substr(0, kMaxClientBytes); }

storage::AuditEntry Entry(TimePoint now, std::string action, std::string result, const storage::User* user,
                          const std::string& client, std::string object_type, std::string object_id) {
  storage::AuditEntry e;
  e.at = now;
  e.action = std::move(action);
  e.result = std::move(result);
  if (user) {
    e.user_id = user->id;
    e.role = JoinRoles(user->roles);
    e.org_id = user->org_id;
  }
  e.client = client;
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  return e;
}

// The principal never carries credentials: it travels through handlers and
// may be serialised (GET /me), so the hash and the TOTP secret are dropped.
Principal MakePrincipal(storage::User user, storage::Organisation org, const storage::Session& session) {
  user.password_hash.clear();
  user.totp_secret.clear();
  Principal p;
  p.actor = engine::Actor{user.id, user.roles, org.id, org.type, org.municipality};
  p.user = std::move(user);
  p.org = std::move(org);
  p.session_id = session.id;
  p.csrf_hash = session.csrf_hash;
  p.oidc_issuer = session.oidc_issuer;
  return p;
}

Status InvalidFields(std::vector<FieldError> errors) {
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "; ") + e.field + ": " + e.message;
  return Status(StatusCode::kInvalidArgument, message, StatusDetail{Refusal::kInvalidField, {}, std::move(errors), ""});
}

std::vector<FieldError> ValidateNewUser(const NewUser& in) {
  std::vector<FieldError> errors;
  if (!IsValidUsername(in.username))
    errors.push_back({"username", "must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-'"});
  // The password itself never appears in a message.
  if (in.password.size() > kMaxPasswordBytes)
    errors.push_back({"password", "must be at most 1024 bytes"});
  else if (CharacterCount(in.password) < kMinPasswordChars)
    errors.push_back({"password", "must have at least 12 characters"});
  if (in.roles.empty()) errors.push_back({"roles", "at least one role is required"});
  for (std::size_t i = 0; i < in.roles.size(); ++i) {
    const std::string& role = in.roles[i];
    const std::string field = "roles[" + std::to_string(i) + "]";
    // "system" is the actor of automatic consequences, never a person.
    if (role == "system" || !engine::IsKnownRole(role)) {
      errors.push_back({field, "unknown role \"" + role.substr(0, 64) + "\""});
    } else {
      for (std::size_t j = 0; j < i; ++j)
        if (in.roles[j] == role) errors.push_back({field, "duplicate role \"" + role + "\""});
    }
  }
  if (in.org_name.empty() || in.org_name.size() > 200 || HasControlCharacter(in.org_name))
    errors.push_back({"org_name", "must be 1 to 200 bytes without control characters"});
  if (!engine::IsKnownOrgType(in.org_type))
    errors.push_back({"org_type", "unknown organisation type \"" + in.org_type.substr(0, 64) + "\""});
  if (in.municipality.size() > 100 || HasControlCharacter(in.municipality))
    errors.push_back({"municipality", "must be at most 100 bytes without control characters"});
  else if (in.org_type == "gemeente" && in.municipality.empty())
    errors.push_back({"municipality", "is required for a gemeente"});
  return errors;
}

}  // namespace

struct AuthService::Impl {
  Impl(storage::Store& s, const Clock& c, IdGenerator& i, AuthOptions o)
      : store(s),
        clock(c),
        ids(i),
        options(o),
        account_throttle(s, i, "login.account", o.max_failures_per_account, o.failure_window),
        address_throttle(s, i, "login.address", o.max_failures_per_address, o.failure_window) {
    // Unknown users are verified against this hash of a random value, so
    // that a login for a name that does not exist costs the same Argon2
    // work as one that does. If the configured cost is unusable, AddUser
    // will fail too; the default still keeps the timing honest meanwhile.
    auto seed = auth::NewToken();
    const std::string secret = seed.ok() ? *seed : std::string("unusable");
    auto dummy = auth::HashPassword(secret, options.password_cost);
    if (!dummy.ok()) dummy = auth::HashPassword(secret, auth::kDefaultPasswordCost);
    if (dummy.ok()) dummy_hash = *dummy;
  }

  Status AuditFailure(TimePoint now, const std::optional<storage::User>& user, const std::string& client,
                      const char* result) {
    return store.Write([&](storage::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN([[maybe_unused]] auto entry,
                       tx.audit().Append(Entry(now, "login.failed", result, user ? &*user : nullptr, client, "user",
                                               user ? user->id : "")));
      return Status::Ok();
    });
  }

  storage::Store& store;
  const Clock& clock;
  IdGenerator& ids;
  const AuthOptions options;
  // In the database: every node counts the same attempts.
  StoredThrottle account_throttle;
  StoredThrottle address_throttle;
  std::string dummy_hash;
};

AuthService::AuthService(storage::Store& store, const Clock& clock, IdGenerator& ids, AuthOptions options)
    : impl_(std::make_unique<Impl>(store, clock, ids, options)) {}

AuthService::~AuthService() = default;

StatusOr<LoginResult> AuthService::Login(const std::string& username, const std::string& password,
                                         const std::string& totp_code, const std::string& client_address) {
  Impl& s = *impl_;
  const TimePoint now = s.clock.Now();
  const std::string client = ClientKey(client_address);
  // A name that cannot be an account needs no account counter (and must not
  // fill the throttle with attacker-chosen keys); the address counter
  // still sees it.
  const bool plausible = IsValidUsername(username);

  // Throttle first: a locked account or address gets no password check.
  // The attempt is counted now and forgiven on success (stored_throttle.h);
  // both counters in one commit, all or nothing.
  std::optional<std::string> account_attempt, address_attempt;
  bool account_ok = true, address_ok = false;
  RETURN_IF_ERROR(s.store.Write([&](storage::Transaction& tx) -> Status {
    if (plausible) {
      ASSIGN_OR_RETURN(account_attempt, s.account_throttle.TryAcquireIn(tx, username, now));
      account_ok = account_attempt.has_value();
    }
    if (!account_ok) return Status::Ok();
    ASSIGN_OR_RETURN(address_attempt, s.address_throttle.TryAcquireIn(tx, client, now));
    address_ok = address_attempt.has_value();
    // Refused by the address: the account's attempt is not counted either.
    if (!address_ok && account_attempt) RETURN_IF_ERROR(s.account_throttle.ForgiveIn(tx, *account_attempt));
    return Status::Ok();
  }));
  auto forgive = [&] {
    (void)s.store.Write([&](storage::Transaction& tx) -> Status {
      if (account_attempt) RETURN_IF_ERROR(s.account_throttle.ForgiveIn(tx, *account_attempt));
      if (address_attempt) RETURN_IF_ERROR(s.address_throttle.ForgiveIn(tx, *address_attempt));
      return Status::Ok();
    });
  };

  std::optional<storage::User> user;
  if (plausible) {
    Status read = s.store.Read([&](storage::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(user, tx.users().FindByUsername(username));
      return Status::Ok();
    });
    if (!read.ok()) {
      if (account_ok && address_ok) forgive();  // an outage is not the user's failure
      return read;
    }
  }

  if (!account_ok || !address_ok) {
    RETURN_IF_ERROR(s.AuditFailure(now, user, client, "denied"));
    return Status::ResourceExhausted(kThrottled);
  }

  // Every path below does exactly one Argon2 verification, against the
  // user's hash or the dummy: unknown, credential-less and over-long inputs
  // take as long as a wrong password.
  const bool has_hash = user && !user->password_hash.empty();
  const bool length_ok = password.size() <= kMaxPasswordBytes;
  const std::string& against = has_hash && length_ok ? user->password_hash : s.dummy_hash;
  const bool password_ok =
      auth::VerifyPassword(length_ok ? std::string_view(password) : std::string_view(), against) && has_hash &&
      length_ok;
  std::optional<std::int64_t> step;
  if (user && !user->totp_secret.empty()) step = auth::VerifyTotp(user->totp_secret, totp_code, now);
  const bool code_ok = step && *step > user->totp_last_step;

  if (!password_ok || !code_ok || user->disabled) {
    RETURN_IF_ERROR(s.AuditFailure(now, user, client, "failed"));
    return Status::Unauthenticated(kLoginFailed);
  }

  auto token = auth::NewToken();
  if (!token.ok()) {
    forgive();
    return token.status();
  }
  auto csrf = auth::NewToken();
  if (!csrf.ok()) {
    forgive();
    return csrf.status();
  }

  std::optional<LoginResult> result;
  Status written = s.store.Write([&](storage::Transaction& tx) -> Status {
    // Checked again on the writer thread, which serialises logins: of two
    // concurrent logins with the same code only the first one wins.
    ASSIGN_OR_RETURN(storage::User fresh, tx.users().Get(user->id));
    if (fresh.disabled || *step <= fresh.totp_last_step || fresh.password_hash != user->password_hash) {
      ASSIGN_OR_RETURN([[maybe_unused]] auto entry,
                       tx.audit().Append(Entry(now, "login.failed", "failed", &fresh, client, "user", fresh.id)));
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(storage::Organisation org, tx.organisations().Get(fresh.org_id));
    if (std::find(s.options.local_login_disabled_for.begin(), s.options.local_login_disabled_for.end(), org.name) !=
        s.options.local_login_disabled_for.end()) {
      // The organisation's staff log in through its provider; the same
      // message as any other failure.
      ASSIGN_OR_RETURN([[maybe_unused]] auto entry,
                       tx.audit().Append(Entry(now, "login.failed", "denied", &fresh, client, "user", fresh.id)));
      return Status::Ok();
    }
    fresh.totp_last_step = *step;
    RETURN_IF_ERROR(tx.users().Update(fresh));
    storage::Session session;
    session.id = s.ids.NewId("session_");
    session.token_hash = auth::Sha256Hex(*token);
    session.csrf_hash = auth::Sha256Hex(*csrf);
    if (session.token_hash.empty() || session.csrf_hash.empty()) return Status::Internal("cannot hash the token");
    session.user_id = fresh.id;
    session.client = client;
    session.created_at = session.last_seen_at = now;
    session.expires_at = now + s.options.absolute_timeout;
    RETURN_IF_ERROR(tx.sessions().Insert(session));
    // A successful login ends the account's lockout history; the address
    // keeps its other failures, or one valid account could launder them.
    if (plausible) RETURN_IF_ERROR(s.account_throttle.ClearIn(tx, username));
    if (address_attempt) RETURN_IF_ERROR(s.address_throttle.ForgiveIn(tx, *address_attempt));
    ASSIGN_OR_RETURN([[maybe_unused]] auto entry,
                     tx.audit().Append(Entry(now, "login.success", "success", &fresh, client, "session", session.id)));
    result = LoginResult{*token, *csrf, session.expires_at, MakePrincipal(fresh, std::move(org), session)};
    return Status::Ok();
  });
  if (!written.ok()) {
    forgive();
    return written;
  }
  if (!result) return Status::Unauthenticated(kLoginFailed);  // lost the race for this code; the attempt counts
  return std::move(*result);
}

StatusOr<LoginResult> AuthService::OpenVerifiedSession(const std::string& user_id, const SessionOrigin& origin,
                                                       const std::optional<std::string>& totp_code,
                                                       const std::string& client_address) {
  Impl& s = *impl_;
  const TimePoint now = s.clock.Now();
  const std::string client = ClientKey(client_address);
  std::optional<storage::User> user;
  RETURN_IF_ERROR(s.store.Read([&](storage::Transaction& tx) -> Status {
    auto found = tx.users().Get(user_id);
    if (found.status().code() == StatusCode::kNotFound) return Status::Ok();
    ASSIGN_OR_RETURN(user, std::move(found));
    return Status::Ok();
  }));
  if (!user) return Status::Unauthenticated(kLoginFailed);

  // The code is throttled per account as at Login: the provider's factor
  // alone must not open unlimited guesses at the second one.
  std::optional<std::string> attempt;
  std::optional<std::int64_t> step;
  if (totp_code) {
    bool allowed = false;
    RETURN_IF_ERROR(s.store.Write([&](storage::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(attempt, s.account_throttle.TryAcquireIn(tx, user->username, now));
      allowed = attempt.has_value();
      return Status::Ok();
    }));
    if (!allowed) {
      RETURN_IF_ERROR(s.AuditFailure(now, user, client, "denied"));
      return Status::ResourceExhausted(kThrottled);
    }
    if (!user->totp_secret.empty()) step = auth::VerifyTotp(user->totp_secret, *totp_code, now);
    if (!step || *step <= user->totp_last_step) {
      RETURN_IF_ERROR(s.AuditFailure(now, user, client, "failed"));
      return Status::Unauthenticated(kLoginFailed);
    }
  }
  ASSIGN_OR_RETURN(std::string token, auth::NewToken());
  ASSIGN_OR_RETURN(std::string csrf, auth::NewToken());

  std::optional<LoginResult> result;
  RETURN_IF_ERROR(s.store.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::User fresh, tx.users().Get(user_id));
    if (fresh.disabled || (step && *step <= fresh.totp_last_step)) {
      ASSIGN_OR_RETURN([[maybe_unused]] auto entry,
                       tx.audit().Append(Entry(now, "login.failed", "failed", &fresh, client, "user", fresh.id)));
      return Status::Ok();
    }
    if (step) {
      fresh.totp_last_step = *step;
      RETURN_IF_ERROR(tx.users().Update(fresh));
      RETURN_IF_ERROR(s.account_throttle.ClearIn(tx, fresh.username));
    }
    ASSIGN_OR_RETURN(storage::Organisation org, tx.organisations().Get(fresh.org_id));
    storage::Session session;
    session.id = s.ids.NewId("session_");
    session.token_hash = auth::Sha256Hex(token);
    session.csrf_hash = auth::Sha256Hex(csrf);
    if (session.token_hash.empty() || session.csrf_hash.empty()) return Status::Internal("cannot hash the token");
    session.user_id = fresh.id;
    session.client = client;
    session.created_at = session.last_seen_at = now;
    session.expires_at = now + s.options.absolute_timeout;
    session.oidc_issuer = origin.oidc_issuer;
    session.oidc_sid = origin.oidc_sid;
    RETURN_IF_ERROR(tx.sessions().Insert(session));
    storage::AuditEntry e = Entry(now, "login.success", "success", &fresh, client, "session", session.id);
    e.detail = boost::json::serialize(boost::json::object{{"provider", origin.provider_id},
                                                          {"second_factor", step ? "casus_totp" : "provider"}});
    ASSIGN_OR_RETURN([[maybe_unused]] auto entry, tx.audit().Append(std::move(e)));
    result = LoginResult{token, csrf, session.expires_at, MakePrincipal(fresh, std::move(org), session)};
    return Status::Ok();
  }));
  if (!result) return Status::Unauthenticated(kLoginFailed);
  return std::move(*result);
}

StatusOr<Principal> AuthService::Authenticate(const std::string& token) {
  Impl& s = *impl_;
  if (token.empty() || token.size() > kMaxTokenBytes) return Status::Unauthenticated(kSessionInvalid);
  const std::string token_hash = auth::Sha256Hex(token);
  if (token_hash.empty()) return Status::Internal("cannot hash the token");
  const TimePoint now = s.clock.Now();

  std::optional<storage::Session> session;
  std::optional<storage::User> user;
  std::optional<storage::Organisation> org;
  RETURN_IF_ERROR(s.store.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(session, tx.sessions().FindByTokenHash(token_hash));
    if (!session) return Status::Ok();
    // A session whose user or organisation is gone is simply invalid.
    auto found_user = tx.users().Get(session->user_id);
    if (found_user.status().code() == StatusCode::kNotFound) return Status::Ok();
    ASSIGN_OR_RETURN(user, std::move(found_user));
    auto found_org = tx.organisations().Get(user->org_id);
    if (found_org.status().code() == StatusCode::kNotFound) return Status::Ok();
    ASSIGN_OR_RETURN(org, std::move(found_org));
    return Status::Ok();
  }));
  // The lookup is by hash; the comparison is repeated in constant time so
  // correctness never rests on the database's collation.
  if (!session || !user || !org || !auth::ConstantTimeEquals(session->token_hash, token_hash))
    return Status::Unauthenticated(kSessionInvalid);
  if (session->revoked_at || now >= session->expires_at || now >= session->last_seen_at + s.options.idle_timeout ||
      user->disabled)
    return Status::Unauthenticated(kSessionInvalid);

  if (now - session->last_seen_at >= kTouchInterval) {
    Status touched = s.store.Write([&](storage::Transaction& tx) { return tx.sessions().Touch(session->id, now); });
    // Deleted meanwhile (housekeeping): as good as expired.
    if (touched.code() == StatusCode::kNotFound) return Status::Unauthenticated(kSessionInvalid);
    RETURN_IF_ERROR(touched);
    session->last_seen_at = now;
  }
  return MakePrincipal(std::move(*user), std::move(*org), *session);
}

StatusOr<bool> AuthService::CheckCsrf(const Principal& principal, const std::string& csrf_token) {
  if (principal.csrf_hash.empty() || csrf_token.empty() || csrf_token.size() > kMaxTokenBytes) return false;
  const std::string hash = auth::Sha256Hex(csrf_token);
  if (hash.empty()) return Status::Internal("cannot hash the token");
  return auth::ConstantTimeEquals(hash, principal.csrf_hash);
}

Status AuthService::Logout(const Principal& principal, const std::string& client_address) {
  Impl& s = *impl_;
  const TimePoint now = s.clock.Now();
  const std::string client = ClientKey(client_address);
  return s.store.Write([&](storage::Transaction& tx) -> Status {
    Status revoked = tx.sessions().Revoke(principal.session_id, now);
    if (revoked.code() == StatusCode::kNotFound) return Status::Unauthenticated(kSessionInvalid);
    RETURN_IF_ERROR(revoked);
    ASSIGN_OR_RETURN([[maybe_unused]] auto entry,
                     tx.audit().Append(Entry(now, "logout", "success", &principal.user, client, "session",
                                             principal.session_id)));
    return Status::Ok();
  });
}

StatusOr<CreatedUser> AuthService::AddUser(const NewUser& input) {
  Impl& s = *impl_;
  if (auto errors = ValidateNewUser(input); !errors.empty()) return InvalidFields(std::move(errors));

  // Argon2 and randomness happen here, never on the writer thread.
  ASSIGN_OR_RETURN(std::string password_hash, auth::HashPassword(input.password, s.options.password_cost));
  ASSIGN_OR_RETURN(std::string secret, auth::NewTotpSecret());
  const TimePoint now = s.clock.Now();

  storage::User user;
  user.username = input.username;
  user.roles = input.roles;
  user.password_hash = std::move(password_hash);
  user.totp_secret = secret;
  user.created_at = now;

  RETURN_IF_ERROR(s.store.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto existing, tx.users().FindByUsername(input.username));
    if (existing) return Status::FailedPrecondition("username \"" + input.username + "\" already exists");

    storage::AuditEntry system;
    system.at = now;
    system.user_id = "system";
    system.role = "system";
    system.result = "success";

    ASSIGN_OR_RETURN(auto org, tx.organisations().FindByName(input.org_name));
    if (org) {
      if (org->type != input.org_type)
        return InvalidFields({{"org_type", "organisation \"" + org->name + "\" exists with type " + org->type}});
      if (!input.municipality.empty() && org->municipality != input.municipality)
        return InvalidFields(
            {{"municipality", "organisation \"" + org->name + "\" exists with municipality " + org->municipality}});
    } else {
      org = storage::Organisation{s.ids.NewId("org_"), input.org_name, input.org_type, input.municipality};
      RETURN_IF_ERROR(tx.organisations().Insert(*org));
      storage::AuditEntry e = system;
      e.action = "organisation.create";
      e.object_type = "organisation";
      e.object_id = org->id;
      ASSIGN_OR_RETURN([[maybe_unused]] auto entry, tx.audit().Append(std::move(e)));
    }

    user.id = s.ids.NewId("user_");
    user.org_id = org->id;
    RETURN_IF_ERROR(tx.users().Insert(user));
    storage::AuditEntry e = system;
    e.action = "user.create";
    e.object_type = "user";
    e.object_id = user.id;
    ASSIGN_OR_RETURN([[maybe_unused]] auto entry, tx.audit().Append(std::move(e)));
    return Status::Ok();
  }));
  // The caller gets the secret once, inside the URI; the returned record
  // carries no credential material.
  CreatedUser created{user, auth::OtpauthUri("Casus", user.username, secret)};
  created.user.password_hash.clear();
  created.user.totp_secret.clear();
  return created;
}

}  // namespace casus::app

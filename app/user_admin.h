// Blocking and unblocking accounts (deprovisioning, issue #15). A blocked
// user cannot log in (AuthService::Login) and every session of theirs ends
// in the same commit that blocks them: AuthService::Authenticate refuses a
// disabled user, and the sessions are revoked as well, so that nothing
// hinges on one check.
//
// One write job per call: the user's `disabled` flag, the revocation and
// an audit entry (user.block / user.unblock, object "user" and its id, the
// reason in the entry's erasable `reason`). Repeating a call is not an
// error: it changes nothing, revokes again (a no-op) and is audited again
// with detail {"changed":false}, because each request is an accountable act
// with its own reason.
// Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "engine/engine.h"
#include "storage/store.h"

namespace casus::app {

inline constexpr std::size_t kMaxBlockReasonBytes = 500;

class UserAdmin {
 public:
  UserAdmin(storage::Store& store, const Clock& clock);

  // OK when `by` may block and unblock accounts (the admin role), else the
  // PermissionDenied that Block returns: for a caller that refuses a
  // non-admin before it reads the rest of the request.
  static Status MayBlock(const engine::Actor& by);

  // `by` must hold the admin role: PermissionDenied (reason role_refused)
  // otherwise. FailedPrecondition when `by` names themself; InvalidArgument
  // (reason invalid_field, field "reason") for a reason that is blank, over
  // kMaxBlockReasonBytes or holds control characters other than tab and
  // newline; NotFound for an unknown user. `client` is the caller's address.
  Status Block(const engine::Actor& by, const std::string& user_id, const std::string& reason,
               const std::string& client);
  // The same, without the self-check; the reason may be empty.
  Status Unblock(const engine::Actor& by, const std::string& user_id, const std::string& reason,
                 const std::string& client);

  // The operator's path (`casus user block|unblock`): whoever runs the CLI
  // on the server holds the database already, so no role is checked. The
  // user is named by username, as the operator knows them; the audit entry
  // names "system" as the actor and "cli" as the client. Otherwise as above.
  Status BlockAsOperator(const std::string& username, const std::string& reason);
  Status UnblockAsOperator(const std::string& username, const std::string& reason);

  // Replaces the account's roles (an account a provider provisioned
  // without roles gets its roles here). Admin only, as Block; an admin
  // cannot take their own admin role away. InvalidArgument (field
  // "roles[i]") for an unknown, duplicate or "system" role; an empty list
  // leaves the account without access. Audited as user.roles with the old
  // and new roles in the detail. A provider with `provisioning:
  // roles_claim` sets the roles again at each login.
  Status SetRoles(const engine::Actor& by, const std::string& user_id, const std::vector<std::string>& roles,
                  const std::string& client);
  Status SetRolesAsOperator(const std::string& username, const std::vector<std::string>& roles);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace casus::app

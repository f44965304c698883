#include "app/user_admin.h"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <string_view>

#include "app/case_access.h"
#include "engine/vocabulary.h"

namespace casus::app {
namespace {

// The operator's path (the CLI) is audited as the system, as `casus user
// add` is, with client "cli".
Caller OperatorCaller() { return SystemCaller("cli"); }

using FindBlockTarget = std::function<StatusOr<storage::User>(storage::Transaction&)>;

Status UserAdminReasonRefused(const std::string& message) {
  return Status(StatusCode::kInvalidArgument, "reason: " + message,
                StatusDetail{Refusal::kInvalidField, {}, {{"reason", message}}, ""});
}

bool UserAdminIsBlank(std::string_view text) {
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}

bool UserAdminHasControlCharacter(std::string_view text) {
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return true;
  return false;
}

// The reason goes into the audit log as given: bounded, printable, and
// required where the action takes someone's access away.
Status CheckBlockReason(const std::string& reason, bool required) {
  if (reason.size() > kMaxBlockReasonBytes)
    return UserAdminReasonRefused("must be at most " + std::to_string(kMaxBlockReasonBytes) + " bytes");
  if (UserAdminHasControlCharacter(reason))
    return UserAdminReasonRefused("must not contain control characters other than tab and newline");
  if (required && UserAdminIsBlank(reason)) return UserAdminReasonRefused("is required");
  return Status::Ok();
}

// The one write job of a block or unblock: the flag, the revocation (on
// block) and the audit entry commit together or not at all.
Status SetUserBlocked(storage::Store& store, const Clock& clock, const Caller& by,
                      const FindBlockTarget& find, bool block, const std::string& reason) {
  const TimePoint now = clock.Now();
  return store.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::User user, find(tx));
    const bool changed = user.disabled != block;
    if (changed) {
      user.disabled = block;
      RETURN_IF_ERROR(tx.users().Update(user));
    }
    // Also when already blocked: revoking is idempotent and leaves no live
    // session behind whatever path created one.
    if (block) RETURN_IF_ERROR(tx.sessions().RevokeAllForUser(user.id, now));
    storage::AuditEntry entry = MakeAudit(by, now, block ? "user.block" : "user.unblock",
                                          "success", "user", user.id, "", reason);
    if (!changed) entry.detail = boost::json::serialize(boost::json::object{{"changed", false}});
    ASSIGN_OR_RETURN([[maybe_unused]] auto appended, tx.audit().Append(std::move(entry)));
    return Status::Ok();
  });
}

FindBlockTarget TargetById(const std::string& user_id) {
  return [&user_id](storage::Transaction& tx) -> StatusOr<storage::User> {
    auto user = tx.users().Get(user_id);
    if (user.status().code() == StatusCode::kNotFound) return Status::NotFound("user " + user_id + " not found");
    return user;
  };
}

FindBlockTarget TargetByUsername(const std::string& username) {
  return [&username](storage::Transaction& tx) -> StatusOr<storage::User> {
    ASSIGN_OR_RETURN(std::optional<storage::User> user, tx.users().FindByUsername(username));
    if (!user) return Status::NotFound("user \"" + username + "\" not found");
    return std::move(*user);
  };
}

Status CheckRoleList(const std::vector<std::string>& roles) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < roles.size(); ++i) {
    const std::string field = "roles[" + std::to_string(i) + "]";
    // "system" is the actor of automatic consequences, never a person.
    if (roles[i] == "system" || !engine::IsKnownRole(roles[i]))
      errors.push_back({field, "unknown role \"" + roles[i].substr(0, 64) + "\""});
    for (std::size_t j = 0; j < i; ++j)
      if (roles[j] == roles[i]) errors.push_back({field, "duplicate role \"" + roles[i] + "\""});
  }
  if (errors.empty()) return Status::Ok();
  std::string message = errors.front().field + ": " + errors.front().message;
  return Status(StatusCode::kInvalidArgument, message, StatusDetail{Refusal::kInvalidField, {}, std::move(errors), ""});
}

Status SetUserRoles(storage::Store& store, const Clock& clock, const Caller& by,
                    const FindBlockTarget& find, const std::vector<std::string>& roles) {
  const TimePoint now = clock.Now();
  return store.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::User user, find(tx));
    auto to_json = [](const std::vector<std::string>& list) {
      boost::json::array a;
      for (const auto& r : list) a.emplace_back(r);
      return a;
    };
    storage::AuditEntry entry = MakeAudit(by, now, "user.roles", "success", "user", user.id,
                                          "", "");
    entry.detail = boost::json::serialize(boost::json::object{{"old", to_json(user.roles)}, {"new", to_json(roles)}});
    user.roles = roles;
    RETURN_IF_ERROR(tx.users().Update(user));
    ASSIGN_OR_RETURN([[maybe_unused]] auto appended, tx.audit().Append(std::move(entry)));
    return Status::Ok();
  });
}

}  // namespace

Status UserAdmin::SetRoles(const engine::Actor& by, const std::string& user_id, const std::vector<std::string>& roles,
                           const std::string& client) {
  RETURN_IF_ERROR(MayBlock(by));
  RETURN_IF_ERROR(CheckRoleList(roles));
  // An admin who dropped their own admin role could not undo it.
  if (by.user_id == user_id && std::find(roles.begin(), roles.end(), "admin") == roles.end())
    return Status::FailedPrecondition("an admin cannot take away their own admin role");
  return SetUserRoles(store_, clock_, Caller{by, client, "", ""}, TargetById(user_id), roles);
}

Status UserAdmin::SetRolesAsOperator(const std::string& username, const std::vector<std::string>& roles) {
  RETURN_IF_ERROR(CheckRoleList(roles));
  return SetUserRoles(store_, clock_, OperatorCaller(), TargetByUsername(username), roles);
}

UserAdmin::UserAdmin(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

Status UserAdmin::MayBlock(const engine::Actor& by) {
  if (HasRole(by, "admin")) return Status::Ok();
  return Status(StatusCode::kPermissionDenied, "only an admin blocks or unblocks accounts",
                StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
}

Status UserAdmin::Block(const engine::Actor& by, const std::string& user_id, const std::string& reason,
                        const std::string& client) {
  RETURN_IF_ERROR(MayBlock(by));
  // An admin who locked themself out could not undo it.
  if (by.user_id == user_id) return Status::FailedPrecondition("an admin cannot block their own account");
  RETURN_IF_ERROR(CheckBlockReason(reason, /*required=*/true));
  return SetUserBlocked(store_, clock_, Caller{by, client, "", ""}, TargetById(user_id), /*block=*/true, reason);
}

Status UserAdmin::Unblock(const engine::Actor& by, const std::string& user_id, const std::string& reason,
                          const std::string& client) {
  RETURN_IF_ERROR(MayBlock(by));
  RETURN_IF_ERROR(CheckBlockReason(reason, /*required=*/false));
  return SetUserBlocked(store_, clock_, Caller{by, client, "", ""}, TargetById(user_id), /*block=*/false, reason);
}

Status UserAdmin::BlockAsOperator(const std::string& username, const std::string& reason) {
  RETURN_IF_ERROR(CheckBlockReason(reason, /*required=*/true));
  return SetUserBlocked(store_, clock_, OperatorCaller(), TargetByUsername(username),
                        /*block=*/true, reason);
}

Status UserAdmin::UnblockAsOperator(const std::string& username, const std::string& reason) {
  RETURN_IF_ERROR(CheckBlockReason(reason, /*required=*/false));
  return SetUserBlocked(store_, clock_, OperatorCaller(), TargetByUsername(username),
                        /*block=*/false, reason);
}

}  // namespace casus::app

// Blocking and unblocking accounts (deprovisioning): admin only; a blocked
// user's sessions end in the same commit (app/user_admin.h).
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"
#include "app/user_admin.h"

namespace casus::api::handlers {
namespace {

// The reason as the request gives it: counted in characters here (like
// every text field), bounded in bytes by UserAdmin. A missing reason is a
// malformed request (400), not a rule (422): blocking means nothing without one.
StatusOr<std::string> BlockReasonFrom(const HttpRequest& req, bool required) {
  // Unblocking needs no body at all.
  if (!required && req.body.empty()) return std::string();
  std::optional<std::string> reason;
  RETURN_IF_ERROR(DecodeBody(req, [&](ObjectReader& in) {
    reason = in.Text("reason", Need::kOptional, app::kMaxBlockReasonBytes, 1, /*multiline=*/true);
  }));
  if (required && !reason) return FieldProblem("reason", "is required");
  return reason.value_or("");
}

HttpResponse SetUserBlocked(HandlerEnv& env, const AuthedCall& call, bool block) {
  app::UserAdmin& admin = env.services.user_admin;
  // The role first: a non-admin learns nothing from the body's checks.
  if (Status denied = app::UserAdmin::MayBlock(call.caller.actor); !denied.ok()) return ProblemResponse(denied);
  auto reason = BlockReasonFrom(call.request, block);
  if (!reason.ok()) return ProblemResponse(reason.status());
  const std::string& id = call.params.at("id");
  Status done = block ? admin.Block(call.caller.actor, id, *reason, call.caller.client)
                      : admin.Unblock(call.caller.actor, id, *reason, call.caller.client);
  if (!done.ok()) return ProblemResponse(done);
  return NoContent();
}

HttpResponse SetUserRoles(HandlerEnv& env, const AuthedCall& call) {
  if (Status denied = app::UserAdmin::MayBlock(call.caller.actor); !denied.ok()) return ProblemResponse(denied);
  std::optional<std::vector<std::string>> roles;
  Status decoded = DecodeBody(call.request, [&](ObjectReader& in) { roles = in.TextList("roles", Need::kRequired, 16, 32); });
  if (!decoded.ok()) return ProblemResponse(decoded);
  Status done = env.services.user_admin.SetRoles(call.caller.actor, call.params.at("id"), *roles, call.caller.client);
  if (!done.ok()) return ProblemResponse(done);
  return NoContent();
}

}  // namespace

void RegisterUserRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("PUT", "/api/v1/users/{id}/roles", [&env](const AuthedCall& c) { return SetUserRoles(env, c); });
  routes.Authed("POST", "/api/v1/users/{id}/block",
                [&env](const AuthedCall& c) { return SetUserBlocked(env, c, /*block=*/true); });
  routes.Authed("POST", "/api/v1/users/{id}/unblock",
                [&env](const AuthedCall& c) { return SetUserBlocked(env, c, /*block=*/false); });
}

}  // namespace casus::api::handlers

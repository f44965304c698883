// Each area registers its operations through Routes: public ones as they
// are, authenticated ones through one gate that authenticates and checks
// the path's ids before any handler runs.
#pragma once

#include <functional>
#include <string>

#include "api/handlers/auth_context.h"
#include "api/handlers/handler_env.h"
#include "api/handlers/router.h"

namespace casus::api::handlers {

// What an authenticated handler is given. Every path parameter named "id"
// or "…_id" has already passed IsValidId.
struct AuthedCall {
  const HttpRequest& request;
  const PathParams& params;
  const AuthContext& auth;
  const app::Caller& caller;
};
using AuthedRouteFn = std::function<HttpResponse(const AuthedCall&)>;

class Routes {
 public:
  Routes(Router& router, HandlerEnv& env) : router_(router), env_(env) {}

  // No authentication: login, the public report form and its status.
  void Public(std::string method, std::string pattern, RouteFn fn);

  // Authenticates first (401/403 problems, CSRF for cookie writes), then
  // answers a malformed id parameter 404 like an unknown one, then runs
  // `fn`. The user is recorded on every answer after authentication, for
  // the request log. Throws std::invalid_argument like Router::Add.
  void Authed(std::string method, std::string pattern, AuthedRouteFn fn);

 private:
  Router& router_;
  HandlerEnv& env_;
};

// Whether a path parameter holds an id Routes::Authed checks: "id" or "…_id".
bool IsIdParam(const std::string& name);

void RegisterAuthRoutes(Routes& routes, HandlerEnv& env);
void RegisterOidcRoutes(Routes& routes, HandlerEnv& env);
void RegisterReportRoutes(Routes& routes, HandlerEnv& env);
void RegisterCaseRoutes(Routes& routes, HandlerEnv& env);
void RegisterCaseContentRoutes(Routes& routes, HandlerEnv& env);
// Suspending and resuming a case's deadline (deadline_handlers.cc).
void RegisterDeadlineRoutes(Routes& routes, HandlerEnv& env);
void RegisterPersonRoutes(Routes& routes, HandlerEnv& env);
void RegisterAuditRoutes(Routes& routes, HandlerEnv& env);
// GET /api/v1/audit/verify (audit_verify_handlers.cc).
void RegisterAuditVerifyRoutes(Routes& routes, HandlerEnv& env);
// Dashboard and statistics (dashboard_handlers.cc, stats_handlers.cc).
void RegisterDashboardRoutes(Routes& routes, HandlerEnv& env);
// Overleggen: meetings, agendas and decisions (meeting_handlers.cc).
void RegisterMeetingRoutes(Routes& routes, HandlerEnv& env);
// Meldpunt triage: known cases, report links, organisation directory (triage_handlers.cc).
void RegisterTriageRoutes(Routes& routes, HandlerEnv& env);
// The loaded workflow definitions: the list and one version (workflow_handlers.cc).
void RegisterWorkflowRoutes(Routes& routes, HandlerEnv& env);
// Correction and objection (privacy_handlers.cc).
void RegisterPrivacyRoutes(Routes& routes, HandlerEnv& env);
// Blocking and unblocking accounts (user_handlers.cc).
void RegisterUserRoutes(Routes& routes, HandlerEnv& env);

}  // namespace casus::api::handlers

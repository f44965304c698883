#include "api/handlers/api_handler.h"

#include <exception>

#include "api/handlers/handler_env.h"
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"

namespace casus::api::handlers {

ApiHandler::ApiHandler(ApiDeps deps) : env_(std::make_unique<HandlerEnv>(deps)) {
  Routes routes(router_, *env_);
  routes.Public("GET", "/api/openapi.json", [](const HttpRequest&, const PathParams&) {
    HttpResponse r;
    r.status = 200;
    r.content_type = "application/json";
    r.body = std::string(OpenApiDocument());
    r.outcome = "ok";
    return r;
  });
  RegisterAuthRoutes(routes, *env_);
  RegisterOidcRoutes(routes, *env_);
  RegisterReportRoutes(routes, *env_);
  RegisterCaseRoutes(routes, *env_);
  RegisterCaseContentRoutes(routes, *env_);
  RegisterDeadlineRoutes(routes, *env_);
  RegisterPersonRoutes(routes, *env_);
  RegisterAuditRoutes(routes, *env_);
  RegisterAuditVerifyRoutes(routes, *env_);
  RegisterDashboardRoutes(routes, *env_);
  RegisterMeetingRoutes(routes, *env_);
  RegisterTriageRoutes(routes, *env_);
  RegisterWorkflowRoutes(routes, *env_);
  RegisterPrivacyRoutes(routes, *env_);
  RegisterUserRoutes(routes, *env_);
}

ApiHandler::~ApiHandler() = default;

HttpResponse ApiHandler::Handle(const HttpRequest& request) {
  try {
    HttpResponse r = router_.Dispatch(request);
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
  } catch (const std::exception&) {
    return ProblemResponse(Status::Internal("unhandled exception"));
  } catch (...) {
    return ProblemResponse(Status::Internal("unhandled exception"));
  }
}

}  // namespace casus::api::handlers

#include "api/handlers/api_handler.h"

#include <exception>

#include "api/handlers/handler_env.h"
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"

namespace casus::api::handlers {

ApiHandler::ApiHandler(ApiDeps deps) : env_(std::make_unique<HandlerEnv>(deps)) {
  router_.Add("GET", "/api/openapi.json", [](const HttpRequest&, const PathParams&) {
    HttpResponse r;
    r.status = 200;
    r.content_type = "application/json";
    r.body = std::string(OpenApiDocument());
    r.outcome = "ok";
    return r;
  });
  RegisterAuthRoutes(router_, *env_);
  RegisterReportRoutes(router_, *env_);
  RegisterCaseRoutes(router_, *env_);
  RegisterCaseContentRoutes(router_, *env_);
  RegisterPersonRoutes(router_, *env_);
  RegisterAuditRoutes(router_, *env_);
  RegisterAuditVerifyRoutes(router_, *env_);
  RegisterDashboardRoutes(router_, *env_);
  RegisterMeetingRoutes(router_, *env_);
  RegisterTriageRoutes(router_, *env_);
  RegisterPrivacyRoutes(router_, *env_);
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

// GET /api/v1/audit/verify: the audit chain's verification status for the
// privacy officer (app/audit_chain.h).
#include "api/handlers/problem.h"
#include "api/handlers/query_params.h"
#include "api/handlers/routes.h"
#include "app/audit_chain.h"

namespace casus::api::handlers {

void RegisterAuditVerifyRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("GET", "/api/v1/audit/verify", [&env](const AuthedCall& c) {
    auto q = QueryParams::Parse(c.request.query, {});
    if (!q.ok()) return ProblemResponse(q.status());
    auto status = env.services.audit_chain.Verify(c.caller);
    if (!status.ok()) return ProblemResponse(status.status());
    const auto& v = status->verification;
    boost::json::object body{{"intact", v.intact},
                             {"entries", v.entries},
                             {"checked_at", FormatRfc3339(status->checked_at)}};
    body["first_bad_seq"] = v.intact ? boost::json::value(nullptr) : boost::json::value(v.first_bad_seq);
    body["problem"] = v.intact ? boost::json::value(nullptr) : boost::json::value(v.problem);
    return JsonResponse(200, body);
  });
}

}  // namespace casus::api::handlers

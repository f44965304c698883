// Each area registers its operations on the router.
#pragma once

#include "api/handlers/handler_env.h"
#include "api/handlers/router.h"

namespace casus::api::handlers {

void RegisterAuthRoutes(Router& router, HandlerEnv& env);
void RegisterReportRoutes(Router& router, HandlerEnv& env);
void RegisterCaseRoutes(Router& router, HandlerEnv& env);
void RegisterCaseContentRoutes(Router& router, HandlerEnv& env);
void RegisterPersonRoutes(Router& router, HandlerEnv& env);
void RegisterAuditRoutes(Router& router, HandlerEnv& env);
// GET /api/v1/audit/verify (audit_verify_handlers.cc).
void RegisterAuditVerifyRoutes(Router& router, HandlerEnv& env);
// Dashboard and statistics (dashboard_handlers.cc, stats_handlers.cc).
void RegisterDashboardRoutes(Router& router, HandlerEnv& env);
// Overleggen: meetings, agendas and decisions (meeting_handlers.cc).
void RegisterMeetingRoutes(Router& router, HandlerEnv& env);
// Meldpunt triage: known cases, report links, organisation directory (triage_handlers.cc).
void RegisterTriageRoutes(Router& router, HandlerEnv& env);
// Correction and objection (privacy_handlers.cc).
void RegisterPrivacyRoutes(Router& router, HandlerEnv& env);

}  // namespace casus::api::handlers

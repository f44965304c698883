// The services every handler reaches, built once from ApiDeps, and the
// small helpers handlers share: JSON answers, body and id checks. Handlers
// are registered per area, authenticated ones through Routes (routes.h).
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>

#include "api/handlers/api_deps.h"
#include "api/handlers/auth_context.h"
#include "api/handlers/json_input.h"
#include "api/handlers/router.h"
#include "api/http_types.h"
#include "app/audit_queries.h"
#include "app/break_glass.h"
#include "app/case_queries.h"
#include "app/person_queries.h"
#include "app/privacy_service.h"
#include "app/report_norms.h"
#include "app/report_service.h"
#include "engine/calendar.h"

namespace casus::api::handlers {

struct HandlerEnv {
  explicit HandlerEnv(const ApiDeps& d);

  ApiDeps deps;
  app::Services& services;
  // Shorthands for what most handlers use, all from `services`.
  app::AuthService& auth;
  app::CaseService& cases;
  const engine::DefinitionRegistry& registry;
  const app::Config& config;
  const Clock& clock;
  IdGenerator& ids;
  const engine::DutchCalendar& calendar;
  app::CaseQueries& queries;
  app::PersonQueries& persons;
  const app::ReportNorms& norms;
  app::ReportService& reports;
  app::BreakGlassService& glass;
  app::AuditQueries& audit;
  app::PrivacyService& privacy;
};

HttpResponse JsonResponse(int status, const boost::json::value& body);
HttpResponse NoContent();

// Ids: 1..64 of [A-Za-z0-9_-]. In paths, Routes::Authed answers anything
// else 404 (NotFoundProblem) before the handler runs.
bool IsValidId(const std::string& id);
HttpResponse NotFoundProblem();

// Parses the body and hands a reader to `read`, then refuses unknown fields.
// Returns the combined decoding status.
Status DecodeBody(const HttpRequest& request, const std::function<void(ObjectReader&)>& read);

// Field errors from the engine name data fields; in the API they live under "data.".
Status PrefixFieldErrors(const Status& status, const std::string& prefix);

// A refused transition (case page or meeting decision) as a problem: 409s
// list what the caller may do now (CaseService attached them).
Status TransitionProblem(const Status& refused);

}  // namespace casus::api::handlers

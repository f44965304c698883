// Correction and objection (docs/privacy.md): persons by the privacy
// officer, reports by the meldpunt; the old values go into the audit trail.
#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"
#include "app/report_service.h"

namespace casus::api::handlers {
namespace {

constexpr std::size_t kMaxReason = 1000;

HttpResponse CorrectPerson(HandlerEnv& env, const HttpRequest& req, const std::string& id,
                           const app::Caller& caller) {
  app::PersonCorrection c;
  std::optional<std::string> birth_date;
  bool birth_date_null = false;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    c.name = in.Text("name", Need::kOptional, 200);
    birth_date = in.Text("birth_date", Need::kOptional, 10);
    std::optional<bool> remove = in.Bool("remove_birth_date", Need::kOptional);
    birth_date_null = remove.value_or(false);
    c.reason = in.Text("reason", Need::kRequired, kMaxReason, 1, true).value_or("");
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  if (birth_date && birth_date_null)
    return ProblemResponse(Status(StatusCode::kInvalidArgument, "birth_date: give a date or remove it, not both",
                                  StatusDetail{Refusal::kInvalidRequest, {}, {{"birth_date", "give a date or remove it"}}, ""}));
  if (birth_date) {
    auto d = ParseDate(*birth_date);
    if (!d)
      return ProblemResponse(Status(StatusCode::kInvalidArgument, "birth_date: must be a date YYYY-MM-DD",
                                    StatusDetail{Refusal::kInvalidRequest, {}, {{"birth_date", "must be a date YYYY-MM-DD"}}, ""}));
    c.birth_date = std::optional<Date>(*d);
  } else if (birth_date_null) {
    c.birth_date = std::optional<Date>();
  }
  auto person = env.privacy.CorrectPerson(id, c, caller);
  if (!person.ok()) return ProblemResponse(person.status());
  return JsonResponse(200, PersonJson(*person));
}

HttpResponse CorrectReport(HandlerEnv& env, const HttpRequest& req, const std::string& id,
                           const app::Caller& caller) {
  app::ReportCorrection c;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    c.category = in.Enum("category", Need::kOptional, app::ReportCategories());
    c.description = in.Text("description", Need::kOptional, 5000, 1, true);
    c.street = in.Text("street", Need::kOptional, 200, 0);
    c.wijk = in.Text("wijk", Need::kOptional, 100, 0);
    c.reason = in.Text("reason", Need::kRequired, kMaxReason, 1, true).value_or("");
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto report = env.privacy.CorrectReport(id, c, caller);
  if (!report.ok()) return ProblemResponse(report.status());
  return JsonResponse(200, ReportJson(*report, caller.actor, env.norms, env.clock.Now()));
}

HttpResponse SetObjection(HandlerEnv& env, const HttpRequest& req, const std::string& id,
                          const app::Caller& caller) {
  bool objected = true;
  std::string reason;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    objected = in.Bool("objected", Need::kRequired).value_or(true);
    reason = in.Text("reason", Need::kRequired, kMaxReason, 1, true).value_or("");
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto person = env.privacy.SetObjection(id, objected, reason, caller);
  if (!person.ok()) return ProblemResponse(person.status());
  return JsonResponse(200, PersonJson(*person));
}

}  // namespace

void RegisterPrivacyRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("POST", "/api/v1/persons/{id}/corrections",
                [&env](const AuthedCall& c) { return CorrectPerson(env, c.request, c.params.at("id"), c.caller); });
  routes.Authed("POST", "/api/v1/persons/{id}/objection",
                [&env](const AuthedCall& c) { return SetObjection(env, c.request, c.params.at("id"), c.caller); });
  routes.Authed("POST", "/api/v1/reports/{id}/corrections",
                [&env](const AuthedCall& c) { return CorrectReport(env, c.request, c.params.at("id"), c.caller); });
}

}  // namespace casus::api::handlers

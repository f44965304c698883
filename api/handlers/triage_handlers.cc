// Meldpunt triage: the duplicate check on person and address, linking a
// report to an existing case; and what the web pages choose from: the
// organisation directory. (The workflow definitions: workflow_handlers.cc.)
#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/query_params.h"
#include "api/handlers/routes.h"
#include "app/case_access.h"
#include "app/report_triage.h"

namespace casus::api::handlers {
namespace {

constexpr std::size_t kMaxDirectoryOrganisations = 1000;

HttpResponse FindKnown(HandlerEnv& env, app::ReportTriage& triage, const HttpRequest& req, const app::Caller& caller) {
  auto q = QueryParams::Parse(req.query, {"name", "birth_date", "street", "municipality"});
  if (!q.ok()) return ProblemResponse(q.status());
  app::KnownQuery query;
  query.name = q->Text("name", 200).value_or("");
  query.street = q->Text("street", 200).value_or("");
  query.municipality = q->Text("municipality", 100).value_or("");
  const auto birth_date = q->Text("birth_date", 10);
  if (!q->status().ok()) return ProblemResponse(q->status());
  if (birth_date && !birth_date->empty()) {
    query.birth_date = ParseDate(*birth_date);
    if (!query.birth_date)
      return ProblemResponse(Status(StatusCode::kInvalidArgument, "birth_date: must be a date YYYY-MM-DD",
                                    StatusDetail{Refusal::kInvalidRequest, {}, {{"birth_date", "must be a date YYYY-MM-DD"}}, ""}));
  }
  auto known = triage.FindKnown(query, caller);
  if (!known.ok()) return ProblemResponse(known.status());
  boost::json::array cases;
  for (const auto& k : *known) {
    boost::json::object c{{"id", k.kase.id},
                          {"type", k.kase.type},
                          {"state", k.kase.state},
                          {"level", k.kase.level},
                          {"municipality", k.kase.municipality},
                          {"subject", PersonJson(k.subject)},
                          {"by_person", k.by_person},
                          {"by_address", k.by_address},
                          {"created_at", FormatRfc3339(k.kase.created_at)}};
    if (const auto* def = env.registry.Find(k.kase.type, k.kase.definition_version))
      if (const auto* s = def->FindState(k.kase.state)) c["state_label"] = s->label;
    cases.push_back(std::move(c));
  }
  return JsonResponse(200, boost::json::object{{"cases", std::move(cases)}});
}

HttpResponse LinkReport(HandlerEnv& env, app::ReportTriage& triage, const HttpRequest& req, const std::string& id,
                        const app::Caller& caller) {
  std::optional<std::string> case_id;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) { case_id = in.Text("case_id", Need::kRequired, 64); });
  if (!decoded.ok()) return ProblemResponse(decoded);
  if (!IsValidId(*case_id))
    return ProblemResponse(Status(StatusCode::kInvalidArgument, "case_id: is not a valid id",
                                  StatusDetail{Refusal::kInvalidRequest, {}, {{"case_id", "is not a valid id"}}, ""}));
  auto report = triage.LinkToCase(id, *case_id, caller);
  if (!report.ok()) return ProblemResponse(report.status());
  return JsonResponse(200, ReportJson(*report, caller.actor, env.norms, env.clock.Now()));
}

// Organisations with their active staff (id, username, roles): what a team
// or afspraak form offers. No case or person data, so not audited; the
// admin role sees it too.
HttpResponse Directory(HandlerEnv& env) {
  auto entries = env.services.directory.List(kMaxDirectoryOrganisations);
  if (!entries.ok()) return ProblemResponse(entries.status());
  boost::json::array out;
  for (const auto& entry : *entries) {
    boost::json::object o = OrganisationJson(entry.organisation);
    boost::json::array staff;
    for (const auto& u : entry.staff) {
      boost::json::array roles;
      for (const auto& r : u.roles) roles.push_back(boost::json::value(r));
      staff.push_back(boost::json::object{{"id", u.id}, {"username", u.username}, {"roles", std::move(roles)}});
    }
    o["users"] = std::move(staff);
    out.push_back(std::move(o));
  }
  return JsonResponse(200, boost::json::object{{"organisations", std::move(out)}});
}

}  // namespace

void RegisterTriageRoutes(Routes& routes, HandlerEnv& env) {
  app::ReportTriage* triage = &env.services.triage;
  routes.Authed("GET", "/api/v1/known-cases",
                [&env, triage](const AuthedCall& c) { return FindKnown(env, *triage, c.request, c.caller); });
  routes.Authed("POST", "/api/v1/reports/{id}/link", [&env, triage](const AuthedCall& c) {
    return LinkReport(env, *triage, c.request, c.params.at("id"), c.caller);
  });
  routes.Authed("GET", "/api/v1/organisations", [&env](const AuthedCall&) { return Directory(env); });
}

}  // namespace casus::api::handlers

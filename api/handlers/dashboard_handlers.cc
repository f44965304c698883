// Escalation monitoring: GET /api/v1/dashboard (app/dashboard.h). Also
// registers the statistics routes (stats_handlers.cc), so that the router
// setup needs one call for this area.
#include "api/handlers/problem.h"
#include "api/handlers/query_params.h"
#include "api/handlers/routes.h"
#include "app/dashboard.h"

namespace casus::api::handlers {

void RegisterStatsRoutes(Routes& routes, HandlerEnv& env);  // stats_handlers.cc

namespace {

boost::json::object DeadlineJson(const app::DashboardDeadline& d) {
  return {{"case_id", d.case_id},
          {"zaaknummer", d.case_number},
          {"type", d.type},
          {"deadline", d.deadline},
          {"label", d.label},
          {"due_at", FormatRfc3339(d.due_at)}};
}

boost::json::object CountsJson(const std::map<std::string, std::map<std::string, std::int64_t>>& nested) {
  boost::json::object out;
  for (const auto& [type, inner] : nested) {
    boost::json::object o;
    for (const auto& [key, n] : inner) o[key] = n;
    out[type] = std::move(o);
  }
  return out;
}

boost::json::object DashboardJson(const app::Dashboard& d) {
  boost::json::object by_type;
  for (const auto& [type, n] : d.by_type) by_type[type] = n;
  boost::json::object counts{{"open", d.open_cases},
                             {"closed", d.closed_cases},
                             {"by_type", std::move(by_type)},
                             {"by_state", CountsJson(d.by_state)},
                             {"by_level", CountsJson(d.by_level)}};
  boost::json::array overdue, due_soon, escalations, without, actions;
  for (const auto& x : d.overdue) overdue.push_back(DeadlineJson(x));
  for (const auto& x : d.due_soon) due_soon.push_back(DeadlineJson(x));
  for (const auto& e : d.recent_escalations)
    escalations.push_back(boost::json::object{{"case_id", e.case_id},
                                              {"zaaknummer", e.case_number},
                                              {"type", e.type},
                                              {"at", FormatRfc3339(e.at)},
                                              {"from_level", e.from_level},
                                              {"to_level", e.to_level}});
  for (const auto& c : d.without_regisseur)
    without.push_back(
        boost::json::object{{"case_id", c.case_id}, {"zaaknummer", c.case_number}, {"type", c.type},
                            {"state", c.state}, {"level", c.level}});
  for (const auto& a : d.overdue_actions)
    actions.push_back(boost::json::object{{"id", a.action_id},
                                          {"case_id", a.case_id},
                                          {"zaaknummer", a.case_number},
                                          {"owner_org", a.owner_org_id},
                                          {"due_at", FormatRfc3339(a.due_at)}});
  return {{"generated_at", FormatRfc3339(d.now)},
          {"due_soon_until", FormatRfc3339(d.due_soon_until)},
          {"counts", std::move(counts)},
          {"overdue", std::move(overdue)},
          {"due_soon", std::move(due_soon)},
          {"recent_escalations", std::move(escalations)},
          {"cases_without_regisseur", std::move(without)},
          {"overdue_actions", std::move(actions)},
          {"truncated", d.truncated}};
}

HttpResponse GetDashboard(HandlerEnv& env, const HttpRequest& req, const app::Caller& caller) {
  auto q = QueryParams::Parse(req.query, {});
  if (!q.ok()) return ProblemResponse(q.status());
  auto dashboard = env.services.dashboard.Build(caller);
  if (!dashboard.ok()) return ProblemResponse(dashboard.status());
  return JsonResponse(200, DashboardJson(*dashboard));
}

}  // namespace

void RegisterDashboardRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("GET", "/api/v1/dashboard",
                [&env](const AuthedCall& c) { return GetDashboard(env, c.request, c.caller); });
  RegisterStatsRoutes(routes, env);
}

}  // namespace casus::api::handlers

// Statistics: GET /api/v1/stats (app/statistics.h), JSON or, with
// `Accept: text/csv`, an RFC 4180 CSV download (audited as stats.export).
#include <algorithm>
#include <cctype>

#include "api/handlers/problem.h"
#include "api/handlers/query_params.h"
#include "api/handlers/routes.h"
#include "app/csv.h"
#include "app/statistics.h"
#include "engine/calendar.h"

namespace casus::api::handlers {

void RegisterStatsRoutes(Routes& routes, HandlerEnv& env);

namespace {

Status BadParam(const std::string& name, const std::string& message) {
  return Status(StatusCode::kInvalidArgument, name + ": " + message,
                StatusDetail{Refusal::kInvalidRequest, {}, {{name, message}}, ""});
}

bool WantsCsv(const HttpRequest& req) {
  const std::string* accept = req.Header("accept");
  if (!accept) return false;
  std::string lower(*accept);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("text/csv") != std::string::npos;
}

HttpResponse CsvResponse(const app::StatsResult& r) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : r.groups) rows.push_back({g.key, std::to_string(g.count)});
  HttpResponse out;
  out.status = 200;
  out.content_type = "text/csv; charset=utf-8";
  out.body = app::CsvDocument({r.query.group_by, "count"}, rows);
  out.outcome = "ok";
  const std::string file = "casus-" + r.query.subject + "-" + r.query.group_by + "-" + FormatDate(r.query.from) +
                           "-" + FormatDate(r.query.to) + ".csv";
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file + "\"");
  out.headers.emplace_back("Cache-Control", "no-store");
  out.headers.emplace_back("X-Total-Count", std::to_string(r.total));
  return out;
}

boost::json::object StatsJson(const app::StatsResult& r) {
  boost::json::array groups;
  for (const auto& g : r.groups) groups.push_back(boost::json::object{{"key", g.key}, {"count", g.count}});
  return {{"subject", r.query.subject},
          {"group_by", r.query.group_by},
          {"from", FormatDate(r.query.from)},
          {"to", FormatDate(r.query.to)},
          {"scope", r.scope},
          {"groups", std::move(groups)},
          {"total", r.total}};
}

HttpResponse GetStats(HandlerEnv& env, const HttpRequest& req, const app::Caller& caller) {
  auto q = QueryParams::Parse(req.query, {"from", "to", "group_by", "subject"});
  if (!q.ok()) return ProblemResponse(q.status());
  auto from_text = q->Text("from", 10);
  auto to_text = q->Text("to", 10);
  auto group_by = q->Text("group_by", 32);
  auto subject = q->Text("subject", 32);
  if (!q->status().ok()) return ProblemResponse(q->status());

  // Defaults: from 1 January of the current year up to today (local dates).
  const Date today = env.calendar.LocalDate(env.clock.Now());
  app::StatsQuery query;
  query.from = today.year() / std::chrono::January / 1;
  query.to = today;
  if (from_text) {
    auto d = ParseDate(*from_text);
    if (!d) return ProblemResponse(BadParam("from", "must be a date YYYY-MM-DD"));
    query.from = *d;
  }
  if (to_text) {
    auto d = ParseDate(*to_text);
    if (!d) return ProblemResponse(BadParam("to", "must be a date YYYY-MM-DD"));
    query.to = *d;
  }
  query.group_by = group_by.value_or("category");
  query.subject = subject.value_or("reports");
  const auto& groupings = app::StatsGroupings();
  if (std::find(groupings.begin(), groupings.end(), query.group_by) == groupings.end())
    return ProblemResponse(BadParam("group_by", "must be one of category, wijk, type, source, month"));
  const auto& subjects = app::StatsSubjects();
  if (std::find(subjects.begin(), subjects.end(), query.subject) == subjects.end())
    return ProblemResponse(BadParam("subject", "must be reports or cases"));
  if (query.from > query.to) return ProblemResponse(BadParam("from", "must not be after to"));

  const bool csv = WantsCsv(req);
  auto result = env.services.statistics.Compute(query, caller, csv);
  if (!result.ok()) return ProblemResponse(result.status());
  return csv ? CsvResponse(*result) : JsonResponse(200, StatsJson(*result));
}

}  // namespace

void RegisterStatsRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("GET", "/api/v1/stats", [&env](const AuthedCall& c) { return GetStats(env, c.request, c.caller); });
}

}  // namespace casus::api::handlers

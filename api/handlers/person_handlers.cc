// The person view, the privacy officer's export and access overview.
#include "api/handlers/html_export.h"
#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/query_params.h"
#include "api/handlers/routes.h"

namespace casus::api::handlers {
namespace {

// A browser asking for a page (text/html before any JSON type) gets HTML.
bool AcceptsHtmlFirst(const HttpRequest& req) {
  for (const auto& [name, value] : req.headers) {
    if (name != "accept") continue;
    const auto html = value.find("text/html");
    const auto json = value.find("json");
    return html != std::string::npos && (json == std::string::npos || html < json);
  }
  return false;
}

}  // namespace

void RegisterPersonRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("GET", "/api/v1/persons/{id}", [&env](const AuthedCall& c) {
    auto view = env.persons.View(c.params.at("id"), c.caller);
    if (!view.ok()) return ProblemResponse(view.status());
    return JsonResponse(200, PersonViewJson(*view));
  });

  routes.Authed("GET", "/api/v1/persons/{id}/export", [&env](const AuthedCall& c) {
    auto q = QueryParams::Parse(c.request.query, {"reason", "format"});
    if (!q.ok()) return ProblemResponse(q.status());
    std::string reason = q->Text("reason", kMaxQueryValueChars).value_or("");
    std::string format = q->Text("format", 8).value_or(AcceptsHtmlFirst(c.request) ? "html" : "json");
    if (!q->status().ok()) return ProblemResponse(q->status());
    if (format != "json" && format != "html")
      return ProblemResponse(Status(StatusCode::kInvalidArgument, "format: must be json or html",
                                    StatusDetail{Refusal::kInvalidRequest, {}, {{"format", "must be json or html"}}, ""}));
    auto data = env.persons.Export(c.params.at("id"), reason, format, c.caller);
    if (!data.ok()) return ProblemResponse(data.status());
    if (format == "json") return JsonResponse(200, PersonExportJson(*data));
    HttpResponse r;
    r.status = 200;
    r.content_type = "text/html; charset=utf-8";
    r.body = PersonExportHtml(PersonExportJson(*data));
    r.outcome = "ok";
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  });

  routes.Authed("GET", "/api/v1/persons/{id}/access-log", [&env](const AuthedCall& c) {
    const std::string& id = c.params.at("id");
    auto q = QueryParams::Parse(c.request.query, {"after", "limit"});
    if (!q.ok()) return ProblemResponse(q.status());
    std::int64_t after = q->Integer("after", 0, std::numeric_limits<std::int64_t>::max()).value_or(0);
    int limit = static_cast<int>(q->Integer("limit", 1, 1000).value_or(200));
    if (!q->status().ok()) return ProblemResponse(q->status());
    auto entries = env.audit.AccessLog(id, after, limit, c.caller);
    if (!entries.ok()) return ProblemResponse(entries.status());
    boost::json::object body{{"person_id", id}, {"entries", ArrayOf(*entries, AccessLogEntryJson)}};
    body["next_after"] = static_cast<int>(entries->size()) == limit ? boost::json::value(entries->back().entry.seq)
                                                                    : boost::json::value(nullptr);
    return JsonResponse(200, body);
  });
}

}  // namespace casus::api::handlers

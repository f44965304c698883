// The privacy officer's routes: GET /api/v1/audit (search over the audit
// log) and the break-the-glass review queue (GET /api/v1/access-reviews,
// POST /api/v1/access-reviews/{id}).
#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/query_params.h"
#include "api/handlers/routes.h"

namespace casus::api::handlers {

void RegisterAuditRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("GET", "/api/v1/audit", [&env](const AuthedCall& c) {
    auto q = QueryParams::Parse(c.request.query, {"case_id", "person_id", "user", "action", "since", "after", "limit"});
    if (!q.ok()) return ProblemResponse(q.status());
    app::AuditQuery query;
    query.case_id = q->Text("case_id", 64);
    query.person_id = q->Text("person_id", 64);
    query.user_id = q->Text("user", 64);
    query.action = q->Text("action", 64);
    query.since = q->Time("since");
    query.after_seq = q->Integer("after", 0, std::numeric_limits<std::int64_t>::max()).value_or(0);
    query.limit = static_cast<int>(q->Integer("limit", 1, 1000).value_or(100));
    if (!q->status().ok()) return ProblemResponse(q->status());
    auto entries = env.audit.Search(query, c.caller);
    if (!entries.ok()) return ProblemResponse(entries.status());
    boost::json::object body{{"entries", ArrayOf(*entries, AuditEntryJson)}};
    body["next_after"] = static_cast<int>(entries->size()) == query.limit
                             ? boost::json::value(entries->back().seq)
                             : boost::json::value(nullptr);
    return JsonResponse(200, body);
  });
  routes.Authed("GET", "/api/v1/access-reviews", [&env](const AuthedCall& c) {
    auto q = QueryParams::Parse(c.request.query, {"limit"});
    if (!q.ok()) return ProblemResponse(q.status());
    const int limit = static_cast<int>(q->Integer("limit", 1, 1000).value_or(100));
    if (!q->status().ok()) return ProblemResponse(q->status());
    auto pending = env.glass.PendingReviews(c.caller, limit);
    if (!pending.ok()) return ProblemResponse(pending.status());
    return JsonResponse(200, boost::json::object{{"grants", ArrayOf(*pending, GrantJson)}});
  });
  routes.Authed("POST", "/api/v1/access-reviews/{id}", [&env](const AuthedCall& c) {
    Status reviewed = env.glass.MarkReviewed(c.params.at("id"), c.caller);
    if (!reviewed.ok()) return ProblemResponse(reviewed);
    return NoContent();
  });
}

}  // namespace casus::api::handlers

// Cases: open, list, read, transitions, timeline, break-the-glass.
#include <algorithm>

#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/query_params.h"
#include "api/handlers/routes.h"
#include "app/case_access.h"
#include "engine/access_policy.h"
#include "storage/case_number.h"

namespace casus::api::handlers {
namespace {

std::vector<std::string> CaseTypes(const engine::DefinitionRegistry& registry) {
  std::vector<std::string> out;
  for (const auto* def : registry.LatestOfEach()) out.push_back(def->id);
  return out;
}

HttpResponse OpenCase(HandlerEnv& env, const HttpRequest& req, const app::Caller& caller) {
  app::OpenCaseInput input;
  std::optional<std::string> birth_date, bsn;
  std::optional<std::int64_t> confidentiality;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    input.type = in.Enum("type", Need::kRequired, CaseTypes(env.registry)).value_or("");
    input.report_id = in.Text("report_id", Need::kOptional, 64);
    if (auto s = in.Object("subject", Need::kRequired)) {
      input.subject.name = s->Text("name", Need::kRequired, 200).value_or("");
      birth_date = s->Text("birth_date", Need::kOptional, 10);
      bsn = s->Text("bsn", Need::kOptional, 9);
      s->Finish();
    }
    input.municipality = in.Text("municipality", Need::kRequired, 100).value_or("");
    confidentiality = in.Integer("confidentiality", Need::kOptional, 1, 3);
    input.data = in.Data("data", Need::kOptional).value_or(engine::FieldMap{});
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  if (birth_date) {
    input.subject.birth_date = ParseDate(*birth_date);
    if (!input.subject.birth_date) return ProblemResponse(FieldProblem("subject.birth_date", "must be a date YYYY-MM-DD"));
  }
  // The BSN's form and the confidentiality ceiling are CaseService's rules.
  input.subject.bsn = bsn.value_or("");
  input.confidentiality = static_cast<int>(confidentiality.value_or(1));
  if (input.report_id && !IsValidId(*input.report_id))
    return ProblemResponse(FieldProblem("report_id", "is not a valid id"));

  // The answer is built from the command's own snapshot and rows.
  std::optional<app::CaseView> view;
  auto answer = [&](const app::AnswerContext& c) -> Status {
    ASSIGN_OR_RETURN(view, env.queries.AnswerView(c, caller.actor, env.clock.Now()));
    return Status::Ok();
  };
  auto opened = env.cases.OpenCase(input, caller, answer);
  if (!opened.ok()) {
    Status st = PrefixFieldErrors(opened.status(), "data.");
    if (st.code() == StatusCode::kNotFound && input.report_id)  // the report to open from
      st = Status(StatusCode::kInvalidArgument, "report_id: unknown report",
                  StatusDetail{Refusal::kInvalidData, {}, {{"report_id", "unknown report"}}, ""});
    return ProblemResponse(st);
  }
  // The view was built before the commit; the writer numbered the case.
  view->record.case_number = opened->case_number;
  HttpResponse r = JsonResponse(201, CaseJson(*view));
  r.headers.emplace_back("Location", "/api/v1/cases/" + opened->id);
  return r;
}

HttpResponse ListCases(HandlerEnv& env, const HttpRequest& req, const app::Caller& caller) {
  auto q = QueryParams::Parse(req.query, {"type", "state", "level", "overdue", "zaaknummer", "limit", "cursor"});
  if (!q.ok()) return ProblemResponse(q.status());
  app::CaseListQuery query;
  query.type = q->Text("type", 32);
  query.state = q->Text("state", 64);
  query.level = q->Text("level", 64);
  query.overdue = q->Bool("overdue");
  query.limit = static_cast<int>(q->Integer("limit", 1, 100).value_or(50));
  query.cursor = q->Text("cursor", 64);
  const std::optional<std::string> zaaknummer = q->Text("zaaknummer", 64);
  if (!q->status().ok()) return ProblemResponse(q->status());
  if (query.cursor && !IsValidId(*query.cursor)) return ProblemResponse(FieldProblem("cursor", "is not a valid cursor"));
  if (zaaknummer) {
    // Typed by a person, in any case: IAWW-2026-0042 or iaww-2026-0042.
    query.case_number = storage::CanonicalCaseNumber(*zaaknummer);
    if (!query.case_number)
      return ProblemResponse(FieldProblem("zaaknummer", "is not a zaaknummer (expected e.g. IAWW-2026-0042)"));
  }
  auto page = env.queries.List(query, caller);
  if (!page.ok()) return ProblemResponse(page.status());
  boost::json::array items;
  for (const auto& v : page->cases) items.push_back(CaseJson(v));
  boost::json::object body{{"cases", std::move(items)}};
  body["next_cursor"] = page->next_cursor ? boost::json::value(*page->next_cursor) : boost::json::value(nullptr);
  return JsonResponse(200, body);
}

HttpResponse TakeTransition(HandlerEnv& env, const HttpRequest& req, const std::string& case_id,
                            const app::Caller& caller) {
  std::optional<std::string> transition;
  std::optional<std::int64_t> version;
  engine::FieldMap data;
  std::optional<std::string> reason;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    transition = in.Text("transition", Need::kRequired, 64);
    version = in.Integer("version", Need::kRequired, 1);
    data = in.Data("data", Need::kOptional).value_or(engine::FieldMap{});
    reason = in.Text("reason", Need::kOptional, 1000, 1, true);
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto count = [&](const std::string& type, const std::string& result) {
    if (env.deps.count_transition && !type.empty()) env.deps.count_transition(type, result);
  };
  app::Caller with_reason = caller;
  with_reason.reason = reason.value_or("");
  // The answer is built from the command's own snapshot: one read, one
  // write, nothing read again after the commit.
  std::string case_type;
  std::optional<app::CaseView> view;
  auto answer = [&](const app::AnswerContext& c) -> Status {
    case_type = c.after.type;
    if (c.refused) return Status::Ok();
    ASSIGN_OR_RETURN(view, env.queries.AnswerView(c, caller.actor, env.clock.Now()));
    return Status::Ok();
  };
  auto updated = env.cases.Transition(case_id, *transition, *version, data, with_reason, answer);
  if (!updated.ok()) {
    HttpResponse r = ProblemResponse(TransitionProblem(updated.status()));
    count(case_type, r.outcome);
    return r;
  }
  count(case_type, "ok");
  return JsonResponse(200, CaseJson(*view));
}

HttpResponse BreakGlass(HandlerEnv& env, const HttpRequest& req, const std::string& case_id,
                        const app::Caller& caller) {
  std::optional<std::string> reason;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    reason = in.Text("reason", Need::kRequired, app::kMaxBreakGlassReason, app::kMinBreakGlassReason, true);
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto grant = env.glass.Request(case_id, *reason, caller);
  if (!grant.ok()) return ProblemResponse(grant.status());
  return JsonResponse(201, GrantJson(*grant));
}

}  // namespace

void RegisterCaseRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("POST", "/api/v1/cases", [&env](const AuthedCall& c) { return OpenCase(env, c.request, c.caller); });

  routes.Authed("GET", "/api/v1/cases", [&env](const AuthedCall& c) { return ListCases(env, c.request, c.caller); });

  routes.Authed("GET", "/api/v1/cases/{id}", [&env](const AuthedCall& c) {
    auto view = env.queries.Get(c.params.at("id"), c.caller);
    if (!view.ok()) return ProblemResponse(view.status());
    return JsonResponse(200, CaseJson(*view));
  });

  routes.Authed("POST", "/api/v1/cases/{id}/transitions",
                [&env](const AuthedCall& c) { return TakeTransition(env, c.request, c.params.at("id"), c.caller); });

  routes.Authed("GET", "/api/v1/cases/{id}/events", [&env](const AuthedCall& c) {
    auto events = env.queries.Timeline(c.params.at("id"), c.caller);
    if (!events.ok()) return ProblemResponse(events.status());
    return JsonResponse(200, boost::json::object{{"events", ArrayOf(*events, EventJson)}});
  });

  routes.Authed("POST", "/api/v1/cases/{id}/access",
                [&env](const AuthedCall& c) { return BreakGlass(env, c.request, c.params.at("id"), c.caller); });
}

}  // namespace casus::api::handlers

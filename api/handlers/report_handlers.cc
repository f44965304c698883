// Reports: the public form and its status, staff intake and list.
#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/query_params.h"
#include "api/handlers/routes.h"

namespace casus::api::handlers {
namespace {

constexpr std::size_t kMaxDescription = 5000;

app::ReportLocation ReadLocation(ObjectReader& in) {
  app::ReportLocation loc;
  if (auto o = in.Object("location", Need::kRequired)) {
    loc.street = o->Text("street", Need::kOptional, 200).value_or("");
    loc.wijk = o->Text("wijk", Need::kOptional, 100).value_or("");
    loc.municipality = o->Text("municipality", Need::kRequired, 100).value_or("");
    o->Finish();
  }
  return loc;
}

app::ReporterContact ReadReporter(ObjectReader& in) {
  app::ReporterContact c;
  if (auto o = in.Object("reporter", Need::kOptional)) {
    c.name = o->Text("name", Need::kOptional, 200).value_or("");
    c.email = o->Text("email", Need::kOptional, 254).value_or("");
    c.phone = o->Text("phone", Need::kOptional, 32).value_or("");
    o->Finish();
  }
  return c;
}

Status CheckContact(const app::ReporterContact& c) {
  if (!c.email.empty() && (c.email.find('@') == std::string::npos || c.email.find(' ') != std::string::npos))
    return Status(StatusCode::kInvalidArgument, "reporter.email: not an e-mail address",
                  StatusDetail{Refusal::kInvalidRequest, {}, {{"reporter.email", "not an e-mail address"}}, ""});
  for (char ch : c.phone)
    if (!((ch >= '0' && ch <= '9') || ch == '+' || ch == ' ' || ch == '-' || ch == '(' || ch == ')'))
      return Status(StatusCode::kInvalidArgument, "reporter.phone: not a phone number",
                    StatusDetail{Refusal::kInvalidRequest, {}, {{"reporter.phone", "not a phone number"}}, ""});
  return Status::Ok();
}

HttpResponse SubmitPublic(HandlerEnv& env, const HttpRequest& req) {
  app::PublicReportInput input;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    input.category = in.Enum("category", Need::kRequired, app::ReportCategories()).value_or("");
    input.description = in.Text("description", Need::kRequired, kMaxDescription, 1, true).value_or("");
    input.location = ReadLocation(in);
    input.reporter = ReadReporter(in);
  });
  if (decoded.ok()) decoded = CheckContact(input.reporter);
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto code = env.reports.SubmitPublic(input, req.client_address);
  if (!code.ok()) return ProblemResponse(code.status());
  return JsonResponse(201, boost::json::object{{"tracking_code", *code}});
}

HttpResponse CreateStaff(HandlerEnv& env, const HttpRequest& req, const app::Caller& caller) {
  app::StaffReportInput input;
  std::optional<std::string> birth_date_text;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    input.source = in.Enum("source", Need::kRequired, app::ReportSources()).value_or("");
    input.category = in.Enum("category", Need::kRequired, app::ReportCategories()).value_or("");
    input.description = in.Text("description", Need::kRequired, kMaxDescription, 1, true).value_or("");
    input.incident_code = in.Enum("incident_code", Need::kOptional, {"E33", "E14"}).value_or("");
    input.location = ReadLocation(in);
    if (auto s = in.Object("subject", Need::kOptional)) {
      app::SubjectInput subject;
      subject.name = s->Text("name", Need::kRequired, 200).value_or("");
      birth_date_text = s->Text("birth_date", Need::kOptional, 10);
      s->Finish();
      input.subject = subject;
    }
    input.reporter = ReadReporter(in);
  });
  if (decoded.ok() && birth_date_text) {
    auto d = ParseDate(*birth_date_text);
    if (!d)
      decoded = Status(StatusCode::kInvalidArgument, "subject.birth_date: not a date",
                       StatusDetail{Refusal::kInvalidRequest, {}, {{"subject.birth_date", "must be a date YYYY-MM-DD"}}, ""});
    else input.subject->birth_date = d;
  }
  if (decoded.ok()) decoded = CheckContact(input.reporter);
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto report = env.reports.CreateStaff(input, caller);
  if (!report.ok()) return ProblemResponse(report.status());
  return JsonResponse(201, ReportJson(*report, caller.actor, env.norms, env.clock.Now()));
}

HttpResponse ListStaff(HandlerEnv& env, const HttpRequest& req, const app::Caller& caller) {
  auto q = QueryParams::Parse(req.query, {"status", "category", "since", "late", "limit"});
  if (!q.ok()) return ProblemResponse(q.status());
  app::ReportListQuery query;
  query.status = q->Text("status", 32);
  query.category = q->Text("category", 64);
  query.since = q->Time("since");
  query.limit = static_cast<int>(q->Integer("limit", 1, 200).value_or(50));
  query.late = q->Bool("late").value_or(false);
  if (!q->status().ok()) return ProblemResponse(q->status());
  if (query.status && std::find(app::ReportStatuses().begin(), app::ReportStatuses().end(), *query.status) ==
                          app::ReportStatuses().end())
    return ProblemResponse(Status(StatusCode::kInvalidArgument, "status: unknown report status",
                                  StatusDetail{Refusal::kInvalidRequest, {}, {{"status", "unknown report status"}}, ""}));
  auto reports = env.reports.List(query, caller);
  if (!reports.ok()) return ProblemResponse(reports.status());
  boost::json::array items;
  const TimePoint now = env.clock.Now();
  for (const auto& r : *reports) items.push_back(ReportJson(r, caller.actor, env.norms, now));
  return JsonResponse(200, boost::json::object{{"reports", std::move(items)}});
}

}  // namespace

void RegisterReportRoutes(Routes& routes, HandlerEnv& env) {
  routes.Public("POST", "/api/v1/public/reports",
                [&env](const HttpRequest& req, const PathParams&) { return SubmitPublic(env, req); });

  routes.Public("GET", "/api/v1/public/reports/{tracking_code}", [&env](const HttpRequest& req, const PathParams& p) {
    (void)req;
    auto status = env.reports.PublicStatus(p.at("tracking_code"));
    if (!status.ok()) return ProblemResponse(status.status());
    boost::json::object body{{"status", status->status}, {"updated_at", FormatRfc3339(status->updated_at)}};
    if (status->outcome) body["outcome"] = *status->outcome;  // Wvggz, essentiële naaste only
    return JsonResponse(200, body);
  });

  routes.Authed("POST", "/api/v1/reports", [&env](const AuthedCall& c) { return CreateStaff(env, c.request, c.caller); });

  routes.Authed("GET", "/api/v1/reports", [&env](const AuthedCall& c) { return ListStaff(env, c.request, c.caller); });
}

}  // namespace casus::api::handlers

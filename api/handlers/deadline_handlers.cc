// Opschorting of a case's deadline:
//   POST /api/v1/cases/{id}/deadlines/{deadline}/suspend  {version, reason}
//   POST /api/v1/cases/{id}/deadlines/{deadline}/resume   {version, reason?}
// Each answers the case as it now is (200), as a transition does; refusals
// are problems with the engine's reason (not_suspendable names the term's
// legal basis, deadline_not_running, already_suspended, not_suspended, ...).
#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"

namespace casus::api::handlers {
namespace {

// At most 500 characters: within the engine's 2000 bytes however they are encoded.
constexpr std::size_t kMaxReasonChars = 500;

// Deadline ids are the workflow files' identifiers: lowercase, digits, '_'.
bool IsDeadlineId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

enum class Step { kSuspend, kResume };

HttpResponse ChangeDeadline(HandlerEnv& env, const HttpRequest& req, const std::string& case_id,
                            const std::string& deadline_id, Step step, const app::Caller& caller) {
  if (!IsDeadlineId(deadline_id))
    return ProblemResponse(Status(StatusCode::kNotFound, "this case type has no such deadline",
                                  StatusDetail{Refusal::kUnknownDeadline, {}, {}, ""}));
  std::optional<std::int64_t> version;
  std::optional<std::string> reason;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    version = in.Integer("version", Need::kRequired, 1);
    reason = in.Text("reason", step == Step::kSuspend ? Need::kRequired : Need::kOptional, kMaxReasonChars, 1, true);
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  std::optional<app::CaseView> view;
  auto answer = [&](const app::AnswerContext& c) -> Status {
    if (c.refused) return Status::Ok();
    ASSIGN_OR_RETURN(view, env.queries.AnswerView(c, caller.actor, env.clock.Now()));
    return Status::Ok();
  };
  app::Caller with_reason = caller;
  with_reason.reason = reason.value_or("");
  auto updated = step == Step::kSuspend
                     ? env.cases.SuspendDeadline(case_id, deadline_id, *version, *reason, with_reason, answer)
                     : env.cases.ResumeDeadline(case_id, deadline_id, *version, with_reason, answer);
  if (!updated.ok()) return ProblemResponse(updated.status());
  return JsonResponse(200, CaseJson(*view));
}

}  // namespace

void RegisterDeadlineRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("POST", "/api/v1/cases/{id}/deadlines/{deadline}/suspend", [&env](const AuthedCall& c) {
    return ChangeDeadline(env, c.request, c.params.at("id"), c.params.at("deadline"), Step::kSuspend, c.caller);
  });
  routes.Authed("POST", "/api/v1/cases/{id}/deadlines/{deadline}/resume", [&env](const AuthedCall& c) {
    return ChangeDeadline(env, c.request, c.params.at("id"), c.params.at("deadline"), Step::kResume, c.caller);
  });
}

}  // namespace casus::api::handlers

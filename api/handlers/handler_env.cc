#include "api/handlers/handler_env.h"

#include "api/handlers/problem.h"

namespace casus::api::handlers {

HandlerEnv::HandlerEnv(const ApiDeps& d)
    : deps(d),
      services(d.services),
      auth(services.auth),
      cases(services.cases),
      registry(services.registry),
      config(services.config),
      clock(services.clock),
      ids(services.ids),
      calendar(services.calendar),
      queries(services.queries),
      persons(services.persons),
      norms(services.norms),
      reports(services.reports),
      glass(services.glass),
      audit(services.audit),
      privacy(services.privacy) {}

HttpResponse JsonResponse(int status, const boost::json::value& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = boost::json::serialize(body);
  r.outcome = "ok";
  // Case data must not linger in shared caches or the browser's history.
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse NoContent() {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  r.outcome = "ok";
  return r;
}

bool IsValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

HttpResponse NotFoundProblem() { return ProblemResponse(404, "Not found", "no such resource"); }

Status DecodeBody(const HttpRequest& request, const std::function<void(ObjectReader&)>& read) {
  ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(request.body));
  FieldErrors errors;
  ObjectReader reader(body, "", errors);
  read(reader);
  reader.Finish();
  return errors.ToStatus();
}

Status PrefixFieldErrors(const Status& status, const std::string& prefix) {
  const StatusDetail* d = status.detail();
  // Only the workflow's data fields live under "data"; other field errors
  // (e.g. municipality) already name a top-level field.
  if (!d || d->field_errors.empty() || d->reason != Refusal::kInvalidData) return status;
  StatusDetail copy = *d;
  for (auto& e : copy.field_errors) e.field = prefix + e.field;
  return Status(status.code(), status.message(), std::move(copy));
}

// A refused transition as a problem: 409s list what the caller may do now.
// CaseService::Transition's refusals carry that list, taken from the
// command's own snapshot: nothing is read again here.
Status TransitionProblem(const Status& refused) {
  Status st = PrefixFieldErrors(refused, "data.");
  if (!app::RefusalNamesAlternatives(st)) return st;
  StatusDetail detail = st.detail() ? *st.detail() : StatusDetail{};
  // An unknown transition is a request this case cannot take: 409 like the rest.
  StatusCode code = st.code() == StatusCode::kNotFound ? StatusCode::kFailedPrecondition : st.code();
  return Status(code, st.message(), std::move(detail));
}

}  // namespace casus::api::handlers

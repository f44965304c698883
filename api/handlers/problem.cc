#include "api/handlers/problem.h"

#include <boost/json.hpp>

namespace casus::api::handlers {
namespace {

std::string_view TitleFor(int http_status) {
  switch (http_status) {
    case 400: return "Bad request";
    case 401: return "Authentication required";
    case 403: return "Forbidden";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 409: return "Conflict";
    case 422: return "Unprocessable content";
    case 429: return "Too many requests";
    case 503: return "Service unavailable";
    default: return "Internal server error";
  }
}

std::string TypeFor(int http_status, const StatusDetail* detail) {
  std::string slug;
  switch (http_status) {
    case 400: slug = "bad-request"; break;
    case 401: slug = "unauthenticated"; break;
    case 403: slug = "forbidden"; break;
    case 404: slug = "not-found"; break;
    case 405: slug = "method-not-allowed"; break;
    case 409: slug = "conflict"; break;
    case 422: slug = "validation"; break;
    case 429: slug = "too-many-requests"; break;
    case 503: slug = "unavailable"; break;
    default: slug = "internal"; break;
  }
  if (detail && detail->reason != Refusal::kNone && http_status != 500) {
    slug = RefusalName(detail->reason);
    for (char& c : slug)
      if (c == '_') c = '-';
  }
  return "urn:casus:problem:" + slug;
}

HttpResponse Render(int http_status, boost::json::object body) {
  HttpResponse r;
  r.status = http_status;
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(body);
  r.outcome = OutcomeFor(http_status);
  if (http_status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"casus\"");
  return r;
}

// The HTTP status a refusal reason decides, or 0 where the status code
// decides. Every enumerator is listed, so that a new reason does not compile
// (-Wswitch) until someone has chosen here.
int HttpStatusForReason(Refusal reason) {
  switch (reason) {
    case Refusal::kInvalidData: return 422;  // well-formed, refused by a rule
    case Refusal::kNone:
    case Refusal::kUnknownTransition:
    case Refusal::kCaseClosed:
    case Refusal::kNotAllowedInState:
    case Refusal::kRoleRefused:
    case Refusal::kOrgRefused:
    case Refusal::kGuardFailed:
    case Refusal::kLevelBound:
    case Refusal::kUnknownDeadline:
    case Refusal::kNotSuspendable:
    case Refusal::kDeadlineNotRunning:
    case Refusal::kAlreadySuspended:
    case Refusal::kNotSuspended:
    case Refusal::kInvalidRequest:
    case Refusal::kInvalidArgument:
    case Refusal::kInvalidField:
    case Refusal::kUnauthenticated:
    case Refusal::kCsrfRequired:
    case Refusal::kOriginMismatch:
    case Refusal::kAccessDenied:
    case Refusal::kOtherMunicipality:
    case Refusal::kBreakGlassRefused:
    case Refusal::kAlreadyHasAccess:
    case Refusal::kAlreadyLinked:
    case Refusal::kAgendaExists:
    case Refusal::kStaleVersion:
    case Refusal::kRateLimited:
    case Refusal::kStorageFull: return 0;
  }
  return 0;
}

}  // namespace

int HttpStatusFor(const Status& status) {
  if (status.detail()) {
    if (int http = HttpStatusForReason(status.detail()->reason); http != 0) return http;
  }
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAborted: return 409;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string OutcomeFor(int s) {
  if (s < 400) return "ok";
  switch (s) {
    case 400:
    case 422: return "invalid";
    case 401: return "unauthenticated";
    case 403: return "denied";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 429: return "throttled";
    case 503: return "unavailable";
    default: return "error";
  }
}

HttpResponse ProblemResponse(const Status& status) {
  const int http = HttpStatusFor(status);
  const StatusDetail* detail = status.detail();
  boost::json::object body;
  body["type"] = TypeFor(http, detail);
  body["title"] = TitleFor(http);
  body["status"] = http;
  // Never pass internal messages on: they may name files, SQL or ids.
  body["detail"] = http == 500 ? std::string("an internal error occurred; it has been logged")
                   : http == 503 ? std::string("the service is temporarily unavailable, try again later")
                                 : status.message();
  if (detail && http != 500) {
    if (detail->reason != Refusal::kNone) body["reason"] = RefusalName(detail->reason);
    if (!detail->field_errors.empty()) {
      boost::json::array errors;
      for (const auto& e : detail->field_errors) errors.push_back({{"field", e.field}, {"message", e.message}});
      body["errors"] = std::move(errors);
    }
    if (http == 409 || !detail->allowed_transitions.empty()) {
      boost::json::array allowed;
      for (const auto& t : detail->allowed_transitions) allowed.push_back(boost::json::value(t));
      body["allowed_transitions"] = std::move(allowed);
    }
    if (!detail->guard.empty()) body["guard"] = detail->guard;
  }
  HttpResponse r = Render(http, std::move(body));
  if (http == 429) r.headers.emplace_back("Retry-After", "60");
  return r;
}

Status FieldProblem(const std::string& field, const std::string& message, Refusal reason) {
  return Status(StatusCode::kInvalidArgument, field + ": " + message, StatusDetail{reason, {}, {{field, message}}, ""});
}

HttpResponse ProblemResponse(int http_status, std::string_view title, std::string_view detail) {
  boost::json::object body;
  body["type"] = TypeFor(http_status, nullptr);
  body["title"] = title;
  body["status"] = http_status;
  body["detail"] = detail;
  return Render(http_status, std::move(body));
}

}  // namespace casus::api::handlers

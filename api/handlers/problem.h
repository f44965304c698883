// Status -> RFC 9457 problem responses (application/problem+json):
// {type, title, status, detail, errors?: [{field, message}],
//  allowed_transitions?: [...], reason?}. Internal errors get a generic
// detail: messages from lower layers never reach the client.
#pragma once

#include <string>
#include <string_view>

#include "api/http_types.h"
#include "common/status.h"

namespace casus::api::handlers {

// The HTTP status for a non-OK Status: the one its refusal reason names
// (kInvalidData is 422), else the one of its code (ARCHITECTURE.md "Errors").
int HttpStatusFor(const Status& status);
// "ok", "invalid", "unauthenticated", "denied", "not_found", "conflict", ...
std::string OutcomeFor(int http_status);

HttpResponse ProblemResponse(const Status& status);
// A problem that does not come from a Status (404 route, 405 method).
HttpResponse ProblemResponse(int http_status, std::string_view title, std::string_view detail);

// InvalidArgument about one request field, listed in the problem's
// `errors`. `reason` kInvalidRequest (400: malformed) or kInvalidData
// (422: well-formed, refused by a rule).
Status FieldProblem(const std::string& field, const std::string& message,
                    Refusal reason = Refusal::kInvalidRequest);

}  // namespace casus::api::handlers

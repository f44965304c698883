// Beast-free helpers of the transport: request ids, target splitting, the
// headers every response carries, built-in problem responses and the one
// log line per request.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.h"

namespace casus::api::server {

// 16 lower-case hex digits from the OpenSSL CSPRNG (unguessable, so a
// request id is safe to show to users and to correlate logs).
std::string NewRequestId();

// "/a/b?x=1" -> path "/a/b", query "x=1". No decoding.
void SplitTarget(std::string_view target, std::string* path, std::string* query);

// Headers every response carries. Cache-Control is included unless the
// handler set its own (static assets may want caching; /api never does).
std::vector<std::pair<std::string, std::string>> SecurityHeaders();

// An RFC 9457 problem response built by the transport itself (busy, too
// large, malformed, handler failure). `outcome` ends up in the log line.
HttpResponse Problem(int status, std::string_view title, std::string_view detail, std::string outcome);

// Whether a header value is safe to emit (no CR/LF: header injection).
bool IsSafeHeaderValue(std::string_view value);

// The one log line per request. Deliberately takes no query, body, headers
// or tokens: they may carry personal data or credentials.
struct RequestLogLine {
  std::string_view request_id;
  std::string_view method;
  std::string_view route;    // "" -> "unmatched"
  int status = 0;
  std::string_view user_id;  // "" -> "-"
  std::string_view outcome;  // "" -> "-"
  double duration_ms = 0;
  std::string_view client_address;
};
void LogRequest(const RequestLogLine& line);

}  // namespace casus::api::server

// The HTTP request and response as the API handlers see them. The
// transport (api/server/) turns Beast messages into these and back, so that
// Beast's types never reach handlers (and handlers can be tested and
// fuzzed without a socket).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casus::api {

struct HttpRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // as received: path and query
  std::string path;          // the path part, not yet percent-decoded
  std::string query;         // the part after '?', not yet decoded ("" when none)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case, in order received
  std::string body;
  std::string client_address;  // peer IP
  std::string request_id;      // assigned by the transport; echoed as X-Request-Id

  // The first header with this (lower-case) name, or null.
  const std::string* Header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return &v;
    return nullptr;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers: Set-Cookie, Retry-After, ...

  // For the one log line per request and the metrics; never sent.
  std::string route;    // the matched route pattern, e.g. "GET /api/v1/cases/{id}"; "" when none
  std::string user_id;  // the authenticated user, "" when none
  std::string outcome;  // short machine word: "ok", "denied", "invalid", "conflict", ...
};

// Serves one request. Called on a worker thread (never an I/O thread), so
// it may block on the database. Must not throw; the transport still
// catches and answers 500.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual HttpResponse Handle(const HttpRequest& request) = 0;
};

}  // namespace casus::api

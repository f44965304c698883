// Method + path pattern -> handler. Patterns are literal segments and
// {name} parameters ("/api/v1/cases/{id}/notes"); a parameter matches one
// non-empty segment, percent-decoded. Unknown paths answer 404, a known path
// with another method 405 with Allow. Every answer carries the matched
// pattern in HttpResponse::route. Fill at start, then only Dispatch
// (thread-safe for concurrent Dispatch).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/http_types.h"

namespace casus::api::handlers {

using PathParams = std::map<std::string, std::string>;
using RouteFn = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
  };

  // Throws std::invalid_argument on a malformed or duplicate pattern (a
  // programming error, found at start).
  void Add(std::string method, std::string pattern, RouteFn fn);
  std::vector<Route> Routes() const;
  HttpResponse Dispatch(const HttpRequest& request) const;

 private:
  struct Entry {
    Route route;
    std::vector<std::string> segments;  // "{name}" for a parameter
    RouteFn fn;
  };
  std::vector<Entry> entries_;
};

// Splits "/a/b%20c" into decoded segments; false on a malformed path
// (bad escape, encoded '/', NUL, empty segment, "." or "..").
bool SplitPath(const std::string& path, std::vector<std::string>& segments);

}  // namespace casus::api::handlers

// libFuzzer target: arbitrary bytes as the body of every route that is not
// a GET, sent through the real ApiHandler (router, authentication, strict
// JSON decoding, validation, services, SQLite) as one of three logged-in
// users or anonymously. Byte 0 picks the route, byte 1 the caller; the rest
// is the body. A 5xx answer counts as a crash: bad input must get a 4xx.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "fuzz/api_env.h"

namespace {

using casus::api::HttpRequest;
using casus::api::HttpResponse;

// Sorted, so that byte 0 of a seed keeps naming the same route. Logout is
// left out: it would revoke a fixture token and blind the rest of the run.
std::vector<casus::api::handlers::Router::Route> BodyRoutes(const casus::fuzz::ApiEnv& env) {
  std::vector<casus::api::handlers::Router::Route> out;
  for (auto& route : env.api->router().Routes())
    if (route.method != "GET" && route.pattern != "/api/v1/auth/logout") out.push_back(route);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.method, a.pattern) < std::tie(b.method, b.pattern);
  });
  return out;
}

// "/api/v1/cases/{id}/notes" -> "/api/v1/cases/<the open case>/notes".
std::string FillPattern(const std::string& pattern, const casus::fuzz::ApiEnv& env) {
  std::string out;
  std::string previous;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] != '{') {
      const std::size_t next = pattern.find('{', i);
      const std::string literal = pattern.substr(i, next == std::string::npos ? std::string::npos : next - i);
      out += literal;
      previous = literal;
      i = next == std::string::npos ? pattern.size() : next;
      continue;
    }
    const std::size_t close = pattern.find('}', i);
    const std::string name = pattern.substr(i + 1, close - i - 1);
    if (name == "date")
      out += "2026-03-05";
    else if (previous.find("meetings/") != std::string::npos)
      out += env.meeting_id;
    else
      out += env.case_id;
    i = close + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  casus::fuzz::GetApiEnv();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto& env = casus::fuzz::GetApiEnv();
  static const auto routes = BodyRoutes(env);
  const auto& route = routes[data[0] % routes.size()];
  const std::size_t caller = data[1] % (env.users.size() + 1);  // the last: anonymous

  HttpRequest req;
  req.method = route.method;
  req.target = req.path = FillPattern(route.pattern, env);
  req.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  req.client_address = "192.0.2.77";
  req.request_id = "fuzz";
  req.headers.emplace_back("content-type", "application/json");
  if (caller < env.users.size()) req.headers.emplace_back("authorization", "Bearer " + env.users[caller].token);

  const HttpResponse r = env.api->Handle(req);
  if (r.status < 200 || r.status >= 500) {
    std::fprintf(stderr, "%s %s as caller %zu answered %d: %s\n", req.method.c_str(), req.target.c_str(), caller,
                 r.status, r.body.c_str());
    __builtin_trap();
  }
  return 0;
}

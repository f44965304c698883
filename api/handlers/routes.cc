#include "api/handlers/routes.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "api/handlers/problem.h"

namespace casus::api::handlers {
namespace {

// The names of the pattern's id parameters, in path order.
std::vector<std::string> IdParams(const std::string& pattern) {
  std::vector<std::string> segments, ids;
  if (!SplitPath(pattern, segments)) throw std::invalid_argument("bad route pattern " + pattern);
  for (const auto& s : segments) {
    if (s.size() < 3 || s.front() != '{' || s.back() != '}') continue;
    std::string name = s.substr(1, s.size() - 2);
    if (IsIdParam(name)) ids.push_back(std::move(name));
  }
  return ids;
}

HttpResponse Gate(HandlerEnv& env, const std::vector<std::string>& ids, const AuthedRouteFn& fn,
                  const HttpRequest& req, const PathParams& params) {
  // Authentication before the ids: without credentials every authenticated
  // path answers 401, whatever it names.
  auto ctx = Authenticate(env.auth, req);
  if (!ctx.ok()) return ProblemResponse(ctx.status());
  const app::Caller caller = CallerFor(ctx->principal, req);
  // A malformed id names nothing: the same 404 as an unknown one, before
  // any service reads (or audits) anything.
  const bool ids_ok =
      std::all_of(ids.begin(), ids.end(), [&](const std::string& name) { return IsValidId(params.at(name)); });
  HttpResponse r = ids_ok ? fn(AuthedCall{req, params, *ctx, caller}) : NotFoundProblem();
  r.user_id = ctx->principal.user.id;
  return r;
}

}  // namespace

bool IsIdParam(const std::string& name) {
  constexpr std::string_view kSuffix = "_id";
  return name == "id" || (name.size() > kSuffix.size() && name.ends_with(kSuffix));
}

void Routes::Public(std::string method, std::string pattern, RouteFn fn) {
  router_.Add(std::move(method), std::move(pattern), std::move(fn));
}

void Routes::Authed(std::string method, std::string pattern, AuthedRouteFn fn) {
  std::vector<std::string> ids = IdParams(pattern);
  HandlerEnv* env = &env_;
  router_.Add(std::move(method), std::move(pattern),
              [env, ids = std::move(ids), fn = std::move(fn)](const HttpRequest& req, const PathParams& params) {
                return Gate(*env, ids, fn, req, params);
              });
}

}  // namespace casus::api::handlers

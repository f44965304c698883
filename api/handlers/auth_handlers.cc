// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me.
#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"

namespace casus::api::handlers {
namespace {

HttpResponse Login(HandlerEnv& env, const HttpRequest& request) {
  std::optional<std::string> username, password, totp;
  Status decoded = DecodeBody(request, [&](ObjectReader& in) {
    username = in.Text("username", Need::kRequired, 64);
    password = in.Text("password", Need::kRequired, 1024);
    totp = in.Text("totp", Need::kRequired, 16);
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto result = env.auth.Login(*username, *password, *totp, request.client_address);
  if (!result.ok()) return ProblemResponse(result.status());
  boost::json::object body{{"token", result->token},
                           {"csrf_token", result->csrf_token},
                           {"expires_at", FormatRfc3339(result->expires_at)},
                           {"user", UserJson(result->principal)}};
  HttpResponse r = JsonResponse(200, body);
  r.headers.emplace_back("Set-Cookie", SessionCookie(result->token));
  r.user_id = result->principal.user.id;
  return r;
}

}  // namespace

void RegisterAuthRoutes(Routes& routes, HandlerEnv& env) {
  routes.Public("POST", "/api/v1/auth/login", [&env](const HttpRequest& req, const PathParams&) { return Login(env, req); });

  routes.Authed("POST", "/api/v1/auth/logout", [&env](const AuthedCall& c) {
    // Asked before the session ends: a session begun at a provider that
    // offers RP-initiated logout ends there too, when the browser goes on
    // to `logout_url`.
    std::optional<std::string> provider_logout = env.services.oidc_login.ProviderLogoutUrl(c.auth.principal);
    Status st = env.auth.Logout(c.auth.principal, c.request.client_address);
    if (!st.ok()) return ProblemResponse(st);
    HttpResponse r = provider_logout ? JsonResponse(200, boost::json::object{{"logout_url", *provider_logout}})
                                     : NoContent();
    r.headers.emplace_back("Set-Cookie", ExpiredSessionCookie());
    return r;
  });

  routes.Authed("GET", "/api/v1/me", [](const AuthedCall& c) { return JsonResponse(200, UserJson(c.auth.principal)); });
}

}  // namespace casus::api::handlers

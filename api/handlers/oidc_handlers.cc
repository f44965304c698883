// Login through an OpenID provider (app/oidc/oidc_login_service.h):
//   GET  /api/v1/auth/providers                     the login page's buttons
//   GET  /api/v1/auth/oidc/{provider}/start         302 to the provider
//   GET  /api/v1/auth/oidc/{provider}/callback      302 back into the web app
//   POST /api/v1/auth/oidc/finish                   the session (maybe after the TOTP code)
//   POST /api/v1/auth/oidc/{provider}/backchannel-logout
// The browser carries two short-lived cookies scoped to /api/v1/auth/oidc/:
// one binds the callback to the browser that started the login (Lax: it
// must come along on the provider's top-level redirect back), the other
// hands the verified login over to the web app's finishing request
// (Strict). Neither is readable by scripts.
#include <boost/url/parse_query.hpp>

#include <algorithm>
#include <map>

#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"

namespace casus::api::handlers {
namespace {

constexpr std::string_view kBrowserCookie = "casus_oidc";
constexpr std::string_view kHandoverCookie = "casus_oidc_handover";
constexpr std::size_t kMaxCallbackQueryBytes = 8192;
constexpr std::size_t kMaxLogoutBodyBytes = 20 * 1024;

std::string ScopedCookie(std::string_view name, const std::string& value, int max_age, std::string_view same_site) {
  return std::string(name) + "=" + value + "; Path=/api/v1/auth/oidc/; Max-Age=" + std::to_string(max_age) +
         "; Secure; HttpOnly; SameSite=" + std::string(same_site);
}

HttpResponse Redirect(const std::string& location) {
  HttpResponse r;
  r.status = 302;
  r.content_type = "";
  r.headers.emplace_back("Location", location);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.outcome = "ok";
  return r;
}

// The decoded value of each wanted parameter of a query or form body; a
// repeated parameter counts as malformed (nullopt).
std::optional<std::map<std::string, std::string>> FormValues(std::string_view encoded,
                                                             std::initializer_list<std::string_view> wanted) {
  auto parsed = boost::urls::parse_query(encoded);
  if (!parsed) return std::nullopt;
  std::map<std::string, std::string> out;
  for (auto param : *parsed) {
    const std::string key = param.key.decode();
    if (std::find(wanted.begin(), wanted.end(), key) == wanted.end()) continue;
    if (out.count(key)) return std::nullopt;
    out[key] = param.has_value ? param.value.decode({true}) : std::string();
  }
  return out;
}

std::string Value(const std::map<std::string, std::string>& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? std::string() : it->second;
}

HttpResponse Start(HandlerEnv& env, const std::string& provider) {
  auto started = env.services.oidc_login.Start(provider);
  if (started.status().code() == StatusCode::kNotFound) return NotFoundProblem();
  if (!started.ok()) {
    HttpResponse r = Redirect("/#/login?oidc=onbereikbaar");
    r.outcome = "oidc_provider_unavailable";
    return r;
  }
  HttpResponse r = Redirect(started->authorization_url);
  r.headers.emplace_back("Set-Cookie", ScopedCookie(kBrowserCookie, started->browser_cookie, 600, "Lax"));
  return r;
}

HttpResponse Callback(HandlerEnv& env, const HttpRequest& request, const std::string& provider) {
  if (!env.services.oidc_login.HasProvider(provider)) return NotFoundProblem();
  std::optional<std::map<std::string, std::string>> values;
  if (request.query.size() <= kMaxCallbackQueryBytes)
    values = FormValues(request.query, {"code", "state", "error", "iss"});
  std::map<std::string, std::string> v = values.value_or(std::map<std::string, std::string>{});
  // RFC 9207: a provider that names itself must be the one this login went to.
  const app::OidcProviderConfig* config = env.config.login.Provider(provider);
  std::string error = Value(v, "error");
  if (!Value(v, "iss").empty() && config && Value(v, "iss") != config->issuer) error = "wrong_iss";
  auto outcome = env.services.oidc_login.Callback(provider, Value(v, "code"), values ? Value(v, "state") : "", error,
                                                   CookieValue(request, kBrowserCookie).value_or(""),
                                                   request.client_address);
  HttpResponse r;
  if (!outcome.ok()) {
    r = Redirect("/#/login?oidc=onbereikbaar");
    r.outcome = "oidc_provider_unavailable";
  } else if (!outcome->ok()) {
    r = Redirect("/#/login?oidc=geweigerd");
    r.outcome = "oidc_" + outcome->refusal;
    r.user_id = outcome->user_id;
  } else {
    r = Redirect("/#/login/oidc");
    r.user_id = outcome->user_id;
    r.headers.emplace_back("Set-Cookie", ScopedCookie(kHandoverCookie, outcome->handover_token, 300, "Strict"));
  }
  // The binding is spent either way.
  r.headers.emplace_back("Set-Cookie", ScopedCookie(kBrowserCookie, "", 0, "Lax"));
  return r;
}

HttpResponse Finish(HandlerEnv& env, const HttpRequest& request) {
  std::optional<std::string> totp;
  Status decoded = DecodeBody(request, [&](ObjectReader& in) { totp = in.Text("totp", Need::kOptional, 16); });
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto handover = CookieValue(request, kHandoverCookie);
  auto finished = env.services.oidc_login.Finish(handover.value_or(""), totp, request.client_address);
  if (!finished.ok()) return ProblemResponse(finished.status());
  if (finished->totp_required) return JsonResponse(200, boost::json::object{{"totp_required", true}});
  const app::LoginResult& login = *finished->login;
  boost::json::object body{{"token", login.token},
                           {"csrf_token", login.csrf_token},
                           {"expires_at", FormatRfc3339(login.expires_at)},
                           {"user", UserJson(login.principal)}};
  HttpResponse r = JsonResponse(200, body);
  r.headers.emplace_back("Set-Cookie", SessionCookie(login.token));
  r.headers.emplace_back("Set-Cookie", ScopedCookie(kHandoverCookie, "", 0, "Strict"));
  r.user_id = login.principal.user.id;
  return r;
}

HttpResponse BackchannelLogout(HandlerEnv& env, const HttpRequest& request, const std::string& provider) {
  if (!env.services.oidc_login.HasProvider(provider)) return NotFoundProblem();
  std::optional<std::map<std::string, std::string>> values;
  if (request.body.size() <= kMaxLogoutBodyBytes) values = FormValues(request.body, {"logout_token"});
  if (!values || Value(*values, "logout_token").empty())
    return ProblemResponse(Status::InvalidArgument("logout_token: a form parameter is required"));
  Status ended = env.services.oidc_login.BackchannelLogout(provider, Value(*values, "logout_token"),
                                                           request.client_address);
  HttpResponse r = ended.ok() ? NoContent() : ProblemResponse(ended);
  if (ended.ok()) r.status = 200;  // Back-Channel Logout 1.0 §2.8: 200 OK
  r.headers.emplace_back("Cache-Control", "no-store");
  if (!ended.ok() && ended.code() == StatusCode::kInvalidArgument) {
    const std::string prefix = "logout token refused: ";
    r.outcome = "oidc_logout_" + (ended.message().rfind(prefix, 0) == 0 ? ended.message().substr(prefix.size()) : "invalid");
  }
  return r;
}

}  // namespace

void RegisterOidcRoutes(Routes& routes, HandlerEnv& env) {
  routes.Public("GET", "/api/v1/auth/providers", [&env](const HttpRequest&, const PathParams&) {
    boost::json::array providers;
    for (const auto& p : env.services.oidc_login.Providers())
      providers.push_back(boost::json::object{
          {"id", p.id}, {"label", p.label}, {"start_url", "/api/v1/auth/oidc/" + p.id + "/start"}});
    return JsonResponse(200, boost::json::object{{"providers", std::move(providers)}});
  });
  routes.Public("GET", "/api/v1/auth/oidc/{provider}/start",
                [&env](const HttpRequest&, const PathParams& p) { return Start(env, p.at("provider")); });
  routes.Public("GET", "/api/v1/auth/oidc/{provider}/callback",
                [&env](const HttpRequest& req, const PathParams& p) { return Callback(env, req, p.at("provider")); });
  routes.Public("POST", "/api/v1/auth/oidc/finish",
                [&env](const HttpRequest& req, const PathParams&) { return Finish(env, req); });
  routes.Public("POST", "/api/v1/auth/oidc/{provider}/backchannel-logout", [&env](const HttpRequest& req,
                                                                                const PathParams& p) {
    return BackchannelLogout(env, req, p.at("provider"));
  });
}

}  // namespace casus::api::handlers

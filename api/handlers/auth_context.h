// Who is calling: a Bearer token (Authorization header) or the session
// cookie. Cookie-authenticated requests that change something must carry
// X-CSRF-Token matching the session (AuthService::CheckCsrf). No or bad
// credentials: Unauthenticated (401, WWW-Authenticate: Bearer); a missing
// or wrong CSRF token: PermissionDenied (403).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "app/auth_service.h"
#include "app/case_service.h"
#include "common/status.h"

namespace casus::api::handlers {

inline constexpr std::string_view kSessionCookie = "casus_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

struct AuthContext {
  app::Principal principal;
  bool via_cookie = false;
};

// The value of cookie `name` in the Cookie header, if any.
std::optional<std::string> CookieValue(const HttpRequest& request, std::string_view name);

// Whether the method changes state (everything but GET, HEAD, OPTIONS).
bool IsUnsafeMethod(const std::string& method);

StatusOr<AuthContext> Authenticate(app::AuthService& auth, const HttpRequest& request);

// Whether the request's Origin header names this server as the browser
// reached it: "https://" + the Host header, compared case-insensitively.
// False without either header. A WebSocket handshake is a GET that any
// page can start with the user's cookies (cross-site WebSocket hijacking);
// browsers always send Origin on it, so a cookie-authenticated upgrade must
// come from our own pages.
bool IsSameOrigin(const HttpRequest& request);

// The NEN 7513 caller for services: the principal's actor and the client address.
app::Caller CallerFor(const app::Principal& principal, const HttpRequest& request);

// Set-Cookie values for a new session and for logging out.
std::string SessionCookie(const std::string& token);
std::string ExpiredSessionCookie();

}  // namespace casus::api::handlers

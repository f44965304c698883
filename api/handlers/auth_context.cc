#include "api/handlers/auth_context.h"

namespace casus::api::handlers {
namespace {

constexpr std::size_t kMaxTokenBytes = 512;

Status Unauthenticated() {
  return Status(StatusCode::kUnauthenticated, "authentication required: a valid session token",
                StatusDetail{Refusal::kUnauthenticated, {}, {}, ""});
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> CookieValue(const HttpRequest& request, std::string_view name) {
  for (const auto& [k, v] : request.headers) {
    if (k != "cookie") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (Trim(pair.substr(0, eq)) == name) return std::string(Trim(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

bool IsUnsafeMethod(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

StatusOr<AuthContext> Authenticate(app::AuthService& auth, const HttpRequest& request) {
  std::string token;
  bool via_cookie = false;
  if (const std::string* header = request.Header("authorization")) {
    std::string_view h = Trim(*header);
    constexpr std::string_view kBearer = "Bearer ";
    if (h.size() <= kBearer.size() || h.substr(0, kBearer.size()) != kBearer) return Unauthenticated();
    token = std::string(Trim(h.substr(kBearer.size())));
  } else if (auto cookie = CookieValue(request, kSessionCookie)) {
    token = *cookie;
    via_cookie = true;
  }
  if (token.empty() || token.size() > kMaxTokenBytes) return Unauthenticated();
  auto principal = auth.Authenticate(token);
  if (!principal.ok()) {
    if (principal.status().code() == StatusCode::kUnauthenticated) return Unauthenticated();
    return principal.status();  // e.g. the database is unavailable
  }
  if (via_cookie && IsUnsafeMethod(request.method)) {
    const std::string* csrf = request.Header(kCsrfHeader);
    bool ok = false;
    if (csrf && !csrf->empty() && csrf->size() <= kMaxTokenBytes) {
      auto checked = auth.CheckCsrf(*principal, *csrf);
      if (!checked.ok()) return checked.status();
      ok = *checked;
    }
    if (!ok)
      return Status(StatusCode::kPermissionDenied,
                    "cookie-authenticated changes need the X-CSRF-Token header of the session",
                    StatusDetail{Refusal::kCsrfRequired, {}, {}, ""});
  }
  return AuthContext{std::move(principal).value(), via_cookie};
}

bool IsSameOrigin(const HttpRequest& request) {
  const std::string* origin = request.Header("origin");
  const std::string* host = request.Header("host");
  if (!origin || !host) return false;
  const std::string_view o = Trim(*origin), h = Trim(*host);
  const std::string expected = "https://" + std::string(h);
  if (h.empty() || o.size() != expected.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < o.size(); ++i)
    if (lower(o[i]) != lower(expected[i])) return false;
  return true;
}

app::Caller CallerFor(const app::Principal& principal, const HttpRequest& request) {
  return app::Caller{principal.actor, request.client_address, "", ""};
}

std::string SessionCookie(const std::string& token) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; Secure; HttpOnly; SameSite=Strict";
}

std::string ExpiredSessionCookie() {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict";
}

}  // namespace casus::api::handlers

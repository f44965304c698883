#include "api/handlers/router.h"

#include <set>
#include <stdexcept>

#include "api/handlers/problem.h"

namespace casus::api::handlers {
namespace {

constexpr std::size_t kMaxPathBytes = 2048;
constexpr std::size_t kMaxSegments = 16;

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool SplitPath(const std::string& path, std::vector<std::string>& segments) {
  segments.clear();
  if (path.empty() || path.front() != '/' || path.size() > kMaxPathBytes) return false;
  std::string current;
  for (std::size_t i = 1; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (current.empty() || current == "." || current == "..") return false;
      segments.push_back(std::move(current));
      current.clear();
      if (segments.size() > kMaxSegments) return false;
      continue;
    }
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size()) return false;
      int hi = HexValue(path[i + 1]), lo = HexValue(path[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      if (c == '/' || c == '\0') return false;
      i += 2;
    } else if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) >= 0x7f) {
      return false;
    }
    current += c;
  }
  return true;
}

void Router::Add(std::string method, std::string pattern, RouteFn fn) {
  Entry e;
  if (!SplitPath(pattern, e.segments)) throw std::invalid_argument("bad route pattern " + pattern);
  for (const auto& existing : entries_)
    if (existing.route.method == method && existing.segments == e.segments)
      throw std::invalid_argument("duplicate route " + method + " " + pattern);
  e.route = {std::move(method), std::move(pattern)};
  e.fn = std::move(fn);
  entries_.push_back(std::move(e));
}

std::vector<Router::Route> Router::Routes() const {
  std::vector<Route> out;
  for (const auto& e : entries_) out.push_back(e.route);
  return out;
}

HttpResponse Router::Dispatch(const HttpRequest& request) const {
  std::vector<std::string> segments;
  if (!SplitPath(request.path, segments))
    return ProblemResponse(404, "Not found", "no such resource");
  std::set<std::string> allowed;
  const Entry* match = nullptr;
  PathParams params;
  // Literal segments win over parameters: "/reports" before "/{id}".
  int best_literals = -1;
  for (const auto& e : entries_) {
    if (e.segments.size() != segments.size()) continue;
    PathParams p;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      if (IsParam(e.segments[i])) p[e.segments[i].substr(1, e.segments[i].size() - 2)] = segments[i];
      else if (e.segments[i] == segments[i]) ++literals;
      else ok = false;
    }
    if (!ok) continue;
    allowed.insert(e.route.method);
    if (e.route.method == request.method && literals > best_literals) {
      best_literals = literals;
      match = &e;
      params = std::move(p);
    }
  }
  if (!match) {
    if (allowed.empty()) return ProblemResponse(404, "Not found", "no such resource");
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    HttpResponse r = ProblemResponse(405, "Method not allowed", "allowed: " + allow);
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  HttpResponse r = match->fn(request, params);
  r.route = match->route.method + " " + match->route.pattern;
  return r;
}

}  // namespace casus::api::handlers

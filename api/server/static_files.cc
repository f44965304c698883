#include "api/server/static_files.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <iterator>
#include <string_view>
#include <system_error>
#include <vector>

#include "api/server/request_util.h"

namespace casus::api::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kAppPrefix = "/app/";
constexpr std::string_view kVendorPrefix = "/vendor/";
constexpr std::size_t kMaxSegments = 8;

// Deny by default: a file whose type is not listed is not served.
const char* ContentTypeFor(const fs::path& file) {
  static const std::map<std::string, const char*> kTypes = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},           {".map", "application/json"},
      {".svg", "image/svg+xml"},               {".png", "image/png"},
      {".ico", "image/x-icon"},                {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? nullptr : it->second;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strict percent-decoding: a '%' not followed by two hex digits fails.
std::optional<std::string> PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool IsPlainSegment(std::string_view s) {
  if (s.empty() || s.size() > 128 || s.front() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

// "pages/case.js" (already decoded) -> relative path, or nullopt when any
// segment is empty, hidden, "..", or has characters outside the plain set.
std::optional<fs::path> SafeRelative(std::string_view decoded) {
  fs::path out;
  std::size_t segments = 0;
  while (true) {
    const auto slash = decoded.find('/');
    const std::string_view segment = decoded.substr(0, slash);
    if (!IsPlainSegment(segment) || ++segments > kMaxSegments) return std::nullopt;
    out /= std::string(segment);
    if (slash == std::string_view::npos) break;
    decoded.remove_prefix(slash + 1);
  }
  return out;
}

bool IsInside(const fs::path& file, const fs::path& root) {
  auto [r, f] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return r == root.end() && f != file.end();
}

std::string Hex(std::uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), kHex[v & 0xf]);
    v >>= 4;
  } while (v);
  return s;
}

bool IsPlainHost(const std::string& host) {
  if (host.empty() || host.size() > 255) return false;
  return std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
}

HttpResponse NotFound(const char* route) {
  HttpResponse r = Problem(404, "Not Found", "no such file", "not_found");
  r.route = route;
  return r;
}

bool EtagMatches(const std::string* if_none_match, const std::string& etag) {
  if (!if_none_match) return false;
  if (*if_none_match == "*") return true;
  // A list of tags, possibly weak (W/"..."); weak comparison is right for GET.
  std::string_view rest = *if_none_match;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view tag = rest.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

StaticFiles::StaticFiles(fs::path web_root, fs::path vendor_dir)
    : web_root_(std::move(web_root)), vendor_dir_(std::move(vendor_dir)) {}

const std::map<std::string, std::string>& StaticFiles::VendorAllowlist() {
  static const std::map<std::string, std::string> kAllowed = {
      {"/vendor/chart.js/chart.umd.js", "chart.js/dist/chart.umd.js"},
      {"/vendor/chart.js/chart.umd.min.js", "chart.js/dist/chart.umd.min.js"},
      {"/vendor/elkjs/elk.bundled.js", "elkjs/lib/elk.bundled.js"},
  };
  return kAllowed;
}

std::string StaticFiles::ContentSecurityPolicy(const std::string* host) {
  std::string connect = "'self'";
  if (host && IsPlainHost(*host)) connect += " wss://" + *host;
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
         "connect-src " + connect + "; object-src 'none'; base-uri 'none'; form-action 'self'; "
         "frame-ancestors 'none'";
}

std::optional<HttpResponse> StaticFiles::Serve(const HttpRequest& request) const {
  const std::string& path = request.path;
  const char* route = nullptr;
  if (path == "/" || path == "/index.html") route = "GET /";
  else if (path.rfind(kAppPrefix, 0) == 0) route = "GET /app/*";
  else if (path.rfind(kVendorPrefix, 0) == 0) route = "GET /vendor/*";
  else return std::nullopt;

  if (request.method != "GET") {
    HttpResponse r = Problem(405, "Method Not Allowed", "static files are read with GET", "method_not_allowed");
    r.headers.emplace_back("Allow", "GET");
    r.route = route;
    return r;
  }
  if (path.size() > kMaxPathBytes) return NotFound(route);

  if (path == "/" || path == "/index.html") return ServeFile(request, web_root_, "index.html", route);
  if (path.rfind(kVendorPrefix, 0) == 0) {
    const auto& allowed = VendorAllowlist();
    auto it = allowed.find(path);
    if (it == allowed.end()) return NotFound(route);
    return ServeFile(request, vendor_dir_, it->second, route);
  }
  auto decoded = PercentDecode(std::string_view(path).substr(kAppPrefix.size()));
  if (!decoded) return NotFound(route);
  auto relative = SafeRelative(*decoded);
  if (!relative) return NotFound(route);
  return ServeFile(request, web_root_, fs::path("app") / *relative, route);
}

std::optional<HttpResponse> StaticFiles::ServeFile(const HttpRequest& request, const fs::path& root,
                                                   const fs::path& relative, const char* route) const {
  const char* content_type = ContentTypeFor(relative);
  if (root.empty() || !content_type) return NotFound(route);
  std::error_code ec;
  const fs::path real_root = fs::canonical(root, ec);
  if (ec) return NotFound(route);
  // Symlinks are followed, then the target must still be inside the root.
  const fs::path file = fs::canonical(real_root / relative, ec);
  if (ec || !IsInside(file, real_root) || !fs::is_regular_file(file, ec)) return NotFound(route);
  const auto size = fs::file_size(file, ec);
  if (ec || size > kMaxFileBytes) return NotFound(route);
  const auto mtime = fs::last_write_time(file, ec);
  if (ec) return NotFound(route);

  const std::string etag = "\"" + Hex(size) + "-" +
                           Hex(static_cast<std::uint64_t>(mtime.time_since_epoch().count())) + "\"";
  HttpResponse r;
  r.route = route;
  r.content_type = content_type;
  r.headers.emplace_back("ETag", etag);
  // Always revalidate (cheap with the ETag): file names carry no version.
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Security-Policy", ContentSecurityPolicy(request.Header("host")));
  if (EtagMatches(request.Header("if-none-match"), etag)) {
    r.status = 304;
    r.outcome = "not_modified";
    return r;
  }
  std::ifstream in(file, std::ios::binary);
  std::string body(static_cast<std::size_t>(size), '\0');
  if (!in.read(body.data(), static_cast<std::streamsize>(size))) return NotFound(route);
  r.status = 200;
  r.body = std::move(body);
  r.outcome = "ok";
  return r;
}

HttpResponse WebAppHandler::Handle(const HttpRequest& request) {
  if (auto answer = files_.Serve(request)) return std::move(*answer);
  return api_.Handle(request);
}

}  // namespace casus::api::server

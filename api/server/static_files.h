// The web application's files, served by `casus serve` itself (same origin
// as the API): `/` is <web_root>/index.html, `/app/...` comes from
// <web_root>/app/, and `/vendor/...` serves only an allowlist of files from
// <vendor_dir> (node_modules). Everything else is not a static path and
// goes to the API handler.
//
// Paths are percent-decoded strictly and each segment must be plain
// ([A-Za-z0-9_.-], no leading dot), so "..", encoded slashes, NUL and
// backslashes never reach the filesystem; the resolved file must still lie
// inside the root after symlinks are followed. Files are read per request
// (edits show without a restart), at most kMaxFileBytes each.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "api/http_types.h"

namespace casus::api::server {

class StaticFiles {
 public:
  static constexpr std::size_t kMaxFileBytes = 8u << 20;
  static constexpr std::size_t kMaxPathBytes = 512;

  // Either directory may be missing; its paths then answer 404.
  StaticFiles(std::filesystem::path web_root, std::filesystem::path vendor_dir);

  // The answer for a static path (200, 304, 404, 405), or nullopt when
  // `request.path` is not one (API and unknown paths). Thread-safe.
  std::optional<HttpResponse> Serve(const HttpRequest& request) const;

  // URL path under /vendor/ -> file relative to vendor_dir.
  static const std::map<std::string, std::string>& VendorAllowlist();

  // The Content-Security-Policy of every static answer: same origin only,
  // no inline script or style; WebSockets to the host the page came from.
  // `host` is the request's Host header; omitted when not a plain host[:port].
  static std::string ContentSecurityPolicy(const std::string* host);

 private:
  std::optional<HttpResponse> ServeFile(const HttpRequest& request, const std::filesystem::path& root,
                                        const std::filesystem::path& relative, const char* route) const;

  std::filesystem::path web_root_;
  std::filesystem::path vendor_dir_;
};

// Serves static paths from `files` and hands every other request to `api`.
class WebAppHandler : public HttpHandler {
 public:
  WebAppHandler(const StaticFiles& files, HttpHandler& api) : files_(files), api_(api) {}
  HttpResponse Handle(const HttpRequest& request) override;

 private:
  const StaticFiles& files_;
  HttpHandler& api_;
};

}  // namespace casus::api::server

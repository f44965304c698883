// The HTTPS client behind OpenID Connect login (app/oidc/https_fetcher.h):
// one request per connection, TLS 1.2+ with the peer's certificate and
// host name verified, bounded in time and size.
#pragma once

#include <chrono>
#include <cstddef>

#include "app/oidc/https_fetcher.h"

namespace casus::api::server {

struct HttpsFetcherLimits {
  std::chrono::milliseconds timeout{10000};  // the whole exchange, from resolving to the last byte
  std::size_t max_body_bytes = 256 * 1024;   // discovery documents and key sets are a few KiB
};

class BeastHttpsFetcher final : public app::oidc::HttpsFetcher {
 public:
  explicit BeastHttpsFetcher(HttpsFetcherLimits limits = {}) : limits_(limits) {}
  StatusOr<app::oidc::HttpsResponse> Fetch(const app::oidc::HttpsRequest& request) override;

 private:
  HttpsFetcherLimits limits_;
};

}  // namespace casus::api::server

// The network as OpenID Connect login needs it: HTTPS GETs of a provider's
// discovery document and keys, and the POST that redeems a code. An
// interface, so that the app layer does no I/O of its own (the transport
// layer implements it: api/server/https_fetcher.h) and tests can count
// calls.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace casus::app::oidc {

struct HttpsRequest {
  std::string method = "GET";  // GET or POST
  std::string url;             // https:// only
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;            // POST: application/x-www-form-urlencoded
  std::filesystem::path ca_file;  // trust anchors; empty: the system's
};

struct HttpsResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class HttpsFetcher {
 public:
  virtual ~HttpsFetcher() = default;
  // Verifies the server's certificate and host name. Unavailable (naming
  // the host, never the body or a secret header) when the connection, the
  // TLS handshake or the exchange fails or times out; the body is bounded.
  virtual StatusOr<HttpsResponse> Fetch(const HttpsRequest& request) = 0;
};

// For services built without a network (tests of other parts, tools):
// every fetch is Unavailable, so a configured provider cannot be reached.
class NoNetworkFetcher final : public HttpsFetcher {
 public:
  StatusOr<HttpsResponse> Fetch(const HttpsRequest&) override {
    return Status::Unavailable("this process does not reach OpenID providers");
  }
};

}  // namespace casus::app::oidc

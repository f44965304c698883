// The REST API of API.md (everything but the WebSocket and the transport's
// own /healthz, /readyz, /metrics) as one HttpHandler: a router over the
// per-area handlers, and GET /api/openapi.json. Thread-safe; never throws
// (an escaping exception is answered 500 with a generic problem).
#pragma once

#include <memory>
#include <string_view>

#include "api/handlers/api_deps.h"
#include "api/handlers/router.h"
#include "api/http_types.h"

namespace casus::api::handlers {

struct HandlerEnv;

class ApiHandler : public HttpHandler {
 public:
  explicit ApiHandler(ApiDeps deps);
  ~ApiHandler() override;

  HttpResponse Handle(const HttpRequest& request) override;
  const Router& router() const { return router_; }

 private:
  std::unique_ptr<HandlerEnv> env_;
  Router router_;
};

// The OpenAPI 3 document served at /api/openapi.json (embedded at build time).
std::string_view OpenApiDocument();

}  // namespace casus::api::handlers

// libFuzzer target: raw bytes as they would arrive on a connection, through
// Beast's request parser with the server's header and body limits, the
// server's conversion (api/server/beast_request.h) and then the real
// ApiHandler. Up to four pipelined requests per input. A 5xx answer counts
// as a crash.
#include <spdlog/spdlog.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "api/server/beast_request.h"
#include "api/server/server_config.h"
#include "fuzz/api_env.h"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  casus::fuzz::GetApiEnv();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& env = casus::fuzz::GetApiEnv();
  static const casus::api::server::ServerConfig limits;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (int pipelined = 0; pipelined < 4 && !rest.empty(); ++pipelined) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
    parser.body_limit(limits.body_limit);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!parser.is_done() && !rest.empty()) {
      const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec || used == 0) break;
    }
    if (!parser.is_done()) return 0;  // malformed or incomplete: the server answers 400/413/431 or waits
    auto message = parser.release();
    const casus::api::HttpRequest request = casus::api::server::FromBeastRequest(message, "192.0.2.78", "fuzz");
    const casus::api::HttpResponse r = env.api->Handle(request);
    if (r.status < 200 || r.status >= 500) {
      std::fprintf(stderr, "%s %s answered %d: %s\n", request.method.c_str(), request.target.c_str(), r.status,
                   r.body.c_str());
      __builtin_trap();
    }
  }
  return 0;
}

#include "api/server/request_util.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <random>

namespace casus::api::server {

std::string NewRequestId() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // The CSPRNG failing is near impossible; an id must still be unique
    // enough to correlate logs, so fall back rather than fail the request.
    thread_local std::mt19937_64 fallback{std::random_device{}()};
    const auto v = fallback();
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(v >> (8 * i));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 0; i < 8; ++i) {
    id[2 * i] = kHex[bytes[i] >> 4];
    id[2 * i + 1] = kHex[bytes[i] & 0x0f];
  }
  return id;
}

void SplitTarget(std::string_view target, std::string* path, std::string* query) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) {
    path->assign(target);
    query->clear();
  } else {
    path->assign(target.substr(0, q));
    query->assign(target.substr(q + 1));
  }
}

std::vector<std::pair<std::string, std::string>> SecurityHeaders() {
  return {
      {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
}

HttpResponse Problem(int status, std::string_view title, std::string_view detail, std::string outcome) {
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = title;
  body["status"] = status;
  body["detail"] = detail;
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(body);
  r.outcome = std::move(outcome);
  return r;
}

bool IsSafeHeaderValue(std::string_view value) {
  return value.find_first_of("\r\n", 0) == std::string_view::npos && value.find('\0') == std::string_view::npos;
}

void LogRequest(const RequestLogLine& l) {
  spdlog::info("request id={} method={} route=\"{}\" status={} user={} outcome={} duration_ms={:.2f} client={}",
               l.request_id, l.method, l.route.empty() ? std::string_view("unmatched") : l.route, l.status,
               l.user_id.empty() ? std::string_view("-") : l.user_id,
               l.outcome.empty() ? std::string_view("-") : l.outcome, l.duration_ms, l.client_address);
}

}  // namespace casus::api::server

// Process metrics in Prometheus text exposition format, served by the
// transport at GET /metrics. Thread-safe: the transport counts requests from
// I/O threads, handlers count transitions from workers, and the scraper
// renders concurrently.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace casus::api::server {

class Metrics {
 public:
  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One finished HTTP request. `route` is the matched route pattern (e.g.
  // "GET /api/v1/cases/{id}") or "unmatched" — never the raw path, so label
  // cardinality stays bounded.
  // -> casus_http_requests_total{route,status}
  //    casus_http_request_duration_seconds{route} (histogram)
  void CountRequest(const std::string& route, int status, double seconds);

  // One attempted case transition; `result` is a short word such as "ok",
  // "denied", "conflict", "invalid".
  // -> casus_transitions_total{type,result}
  void CountTransition(const std::string& case_type, const std::string& result);

  // Gauges maintained by the transport:
  // casus_connections_open and casus_websockets_open.
  void ConnectionOpened() { connections_open_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }
  void WebSocketOpened() { websockets_open_.fetch_add(1, std::memory_order_relaxed); }
  void WebSocketClosed() { websockets_open_.fetch_sub(1, std::memory_order_relaxed); }
  std::int64_t connections_open() const { return connections_open_.load(std::memory_order_relaxed); }
  std::int64_t websockets_open() const { return websockets_open_.load(std::memory_order_relaxed); }

  // A gauge whose value is read at render time (e.g. the storage writer's
  // queue depth). `name` must be a valid metric name; registering the same
  // name again replaces the callback. The callback is invoked under an
  // internal lock and must not call back into this object.
  void SetGaugeCallback(std::string name, std::string help, std::function<double()> value);

  // Everything, in Prometheus text format 0.0.4 (HELP/TYPE lines, escaped
  // label values), with deterministic ordering.
  std::string Render() const;

  // Content-Type for Render()'s output.
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // Histogram bucket upper bounds in seconds (+Inf is implicit).
  static constexpr std::array<double, 13> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,    1.0,   2.5,   5.0,  10.0};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative counts
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct GaugeCallback {
    std::string help;
    std::function<double()> value;
  };

  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;               // (route, status)
  std::map<std::string, Histogram> durations_;                                  // by route
  std::map<std::pair<std::string, std::string>, std::uint64_t> transitions_;    // (type, result)
  std::map<std::string, GaugeCallback> gauge_callbacks_;                        // by name
  std::atomic<std::int64_t> connections_open_{0};
  std::atomic<std::int64_t> websockets_open_{0};
};

}  // namespace casus::api::server

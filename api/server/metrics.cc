#include "api/server/metrics.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace casus::api::server {
namespace {

// Label values may contain anything the caller passes; the exposition
// format requires \, " and newline to be escaped.
std::string EscapeLabel(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

// HELP text escapes only backslash and newline.
std::string EscapeHelp(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Bucket bounds print short ("0.005", not "0.0050000000000000001").
std::string FormatBound(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

void Metrics::CountRequest(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  Histogram& h = durations_[route];
  ++h.count;
  h.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
}

void Metrics::CountTransition(const std::string& case_type, const std::string& result) {
  std::lock_guard lock(mu_);
  ++transitions_[{case_type, result}];
}

void Metrics::SetGaugeCallback(std::string name, std::string help, std::function<double()> value) {
  std::lock_guard lock(mu_);
  gauge_callbacks_[std::move(name)] = GaugeCallback{std::move(help), std::move(value)};
}

std::string Metrics::Render() const {
  std::ostringstream out;
  std::lock_guard lock(mu_);

  out << "# HELP casus_http_requests_total HTTP requests served, by route pattern and status.\n"
      << "# TYPE casus_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out << "casus_http_requests_total{route=\"" << EscapeLabel(key.first) << "\",status=\"" << key.second
        << "\"} " << n << "\n";

  out << "# HELP casus_http_request_duration_seconds HTTP request duration, by route pattern.\n"
      << "# TYPE casus_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    const std::string label = "route=\"" + EscapeLabel(route) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out << "casus_http_request_duration_seconds_bucket{" << label << ",le=\"" << FormatBound(kBuckets[i])
          << "\"} " << cumulative << "\n";
    }
    out << "casus_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << h.count << "\n"
        << "casus_http_request_duration_seconds_sum{" << label << "} " << FormatDouble(h.sum) << "\n"
        << "casus_http_request_duration_seconds_count{" << label << "} " << h.count << "\n";
  }

  out << "# HELP casus_transitions_total Case transitions attempted, by case type and result.\n"
      << "# TYPE casus_transitions_total counter\n";
  for (const auto& [key, n] : transitions_)
    out << "casus_transitions_total{type=\"" << EscapeLabel(key.first) << "\",result=\""
        << EscapeLabel(key.second) << "\"} " << n << "\n";

  out << "# HELP casus_connections_open Open client connections.\n"
      << "# TYPE casus_connections_open gauge\n"
      << "casus_connections_open " << connections_open() << "\n";
  out << "# HELP casus_websockets_open Open WebSocket event streams.\n"
      << "# TYPE casus_websockets_open gauge\n"
      << "casus_websockets_open " << websockets_open() << "\n";

  for (const auto& [name, g] : gauge_callbacks_) {
    out << "# HELP " << name << " " << EscapeHelp(g.help) << "\n"
        << "# TYPE " << name << " gauge\n"
        << name << " " << FormatDouble(g.value ? g.value() : 0.0) << "\n";
  }
  return out.str();
}

}  // namespace casus::api::server

#include "api/server/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace casus::api::server {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(MetricsTest, RendersCountersHistogramAndGauges) {
  Metrics m;
  m.CountRequest("GET /api/v1/cases/{id}", 200, 0.003);
  m.CountRequest("GET /api/v1/cases/{id}", 200, 2.0);
  m.CountRequest("GET /api/v1/cases/{id}", 404, 0.0005);
  m.CountTransition("jpp", "ok");
  m.ConnectionOpened();
  m.WebSocketOpened();
  m.SetGaugeCallback("casus_writer_queue_depth", "Writes waiting for the writer thread.", [] { return 7.0; });
  const std::string out = m.Render();

  EXPECT_TRUE(Contains(out, "# TYPE casus_http_requests_total counter\n"));
  EXPECT_TRUE(Contains(out, "casus_http_requests_total{route=\"GET /api/v1/cases/{id}\",status=\"200\"} 2\n"));
  EXPECT_TRUE(Contains(out, "casus_http_requests_total{route=\"GET /api/v1/cases/{id}\",status=\"404\"} 1\n"));
  EXPECT_TRUE(Contains(out, "# TYPE casus_http_request_duration_seconds histogram\n"));
  // Cumulative buckets: 0.0005 and 0.003 are <= 0.005; 2.0 only from 2.5 on.
  EXPECT_TRUE(Contains(out, "casus_http_request_duration_seconds_bucket{route=\"GET /api/v1/cases/{id}\",le=\"0.001\"} 1\n"));
  EXPECT_TRUE(Contains(out, "casus_http_request_duration_seconds_bucket{route=\"GET /api/v1/cases/{id}\",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(Contains(out, "casus_http_request_duration_seconds_bucket{route=\"GET /api/v1/cases/{id}\",le=\"1\"} 2\n"));
  EXPECT_TRUE(Contains(out, "casus_http_request_duration_seconds_bucket{route=\"GET /api/v1/cases/{id}\",le=\"10\"} 3\n"));
  EXPECT_TRUE(Contains(out, "casus_http_request_duration_seconds_bucket{route=\"GET /api/v1/cases/{id}\",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(Contains(out, "casus_http_request_duration_seconds_count{route=\"GET /api/v1/cases/{id}\"} 3\n"));
  EXPECT_TRUE(Contains(out, "casus_transitions_total{type=\"jpp\",result=\"ok\"} 1\n"));
  EXPECT_TRUE(Contains(out, "casus_connections_open 1\n"));
  EXPECT_TRUE(Contains(out, "casus_websockets_open 1\n"));
  EXPECT_TRUE(Contains(out, "# TYPE casus_writer_queue_depth gauge\ncasus_writer_queue_depth 7\n"));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics m;
  m.CountTransition("a\"b\\c\nd", "ok");
  EXPECT_TRUE(Contains(m.Render(), "casus_transitions_total{type=\"a\\\"b\\\\c\\nd\",result=\"ok\"} 1\n"));
}

TEST(MetricsTest, ConcurrentUpdatesAreCounted) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        m.CountRequest("r", 200, 0.01);
        if (i % 100 == 0) (void)m.Render();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_TRUE(Contains(m.Render(), "casus_http_requests_total{route=\"r\",status=\"200\"} 4000\n"));
}

}  // namespace
}  // namespace casus::api::server

// The transport end to end: a real server on 127.0.0.1:0 with fake
// handlers, real TLS clients (tests/api/https_client.h, which keeps Beast
// out of this unit).
#include "api/server/https_server.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/server/tls.h"
#include "tests/api/https_client.h"
#include "tests/support/temp_dir.h"

namespace casus::api::server {
namespace {

using namespace std::chrono_literals;
using apitest::HttpResult;
using apitest::kDefaultTimeout;
using apitest::PlainTcpReply;
using apitest::RawConnection;
using apitest::SendPlainTcp;
using apitest::WsClient;

// Waits until `pred` holds or `timeout` passes.
bool Eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

// Handlers block here until the test opens it.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
    --waiting_;
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool WaitForWaiters(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 5s, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_ = 0;
  bool open_ = false;
};

class FakeHandler : public HttpHandler {
 public:
  HttpResponse Handle(const HttpRequest& request) override {
    calls.fetch_add(1);
    HttpResponse r;
    r.route = "GET /test";
    r.user_id = "u-1";
    r.outcome = "ok";
    if (request.path == "/throw") throw std::runtime_error("boom");
    if (request.path == "/block") gate.Wait();
    if (request.path == "/slow") std::this_thread::sleep_for(400ms);
    if (request.path == "/api/echo") {
      const std::string* test_header = request.Header("x-test");
      r.body = "method=" + request.method + ";path=" + request.path + ";query=" + request.query +
               ";body=" + request.body + ";x-test=" + (test_header ? *test_header : "") +
               ";client=" + request.client_address + ";id=" + request.request_id;
      return r;
    }
    r.body = R"({"ok":true})";
    return r;
  }
  std::atomic<int> calls{0};
  Gate gate;
};

class FakeSubscription : public EventSubscription {
 public:
  void Start(std::shared_ptr<EventSink> s) override {
    std::lock_guard lock(mu);
    sink = std::move(s);
    started = true;
  }
  void Stop() override { stops.fetch_add(1); }
  std::shared_ptr<EventSink> Sink() {
    std::lock_guard lock(mu);
    return sink;
  }
  std::mutex mu;
  std::shared_ptr<EventSink> sink;
  bool started = false;
  std::atomic<int> stops{0};
};

class FakeEvents : public EventStreamHandler {
 public:
  Acceptance Accept(const HttpRequest& request) override {
    Acceptance a;
    if (request.query == "deny=1") {
      HttpResponse refusal;
      refusal.status = 403;
      refusal.content_type = "application/problem+json";
      refusal.body = R"({"status":403})";
      a.refusal = refusal;
      return a;
    }
    auto sub = std::make_shared<FakeSubscription>();
    std::lock_guard lock(mu);
    subscriptions.push_back(sub);
    a.subscription = sub;
    return a;
  }
  std::shared_ptr<FakeSubscription> WaitForStarted(std::size_t index) {
    std::shared_ptr<FakeSubscription> out;
    Eventually([&] {
      std::lock_guard lock(mu);
      if (subscriptions.size() <= index) return false;
      out = subscriptions[index];
      return out->Sink() != nullptr;
    });
    return out && out->Sink() ? out : nullptr;
  }
  std::mutex mu;
  std::vector<std::shared_ptr<FakeSubscription>> subscriptions;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::path cert, key;
    ASSERT_TRUE(EnsureSelfSignedCertificate(dir_.path(), &cert, &key).ok());
    auto ctx = MakeServerContext(cert, key);
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    ssl_ = *ctx;
    config_.listen = "127.0.0.1:0";
    config_.io_threads = 2;
    config_.worker_threads = 2;
    config_.worker_queue = 2;
    config_.handshake_timeout_s = 2;
    config_.read_timeout_s = 1;
    config_.idle_timeout_s = 1;
    config_.body_limit = 1024;
    config_.header_limit = 2048;
    config_.max_connections = 16;
    config_.max_requests_per_connection = 3;
    config_.websocket_queue = 4;
  }
  void TearDown() override {
    handler_.gate.Open();
    if (server_) server_->Stop();
  }

  void StartServer() {
    server_ = std::make_unique<HttpsServer>(config_, ssl_, handler_, events_, metrics_, [this] { return ready_.load(); });
    Status st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_GT(server_->port(), 0);
  }
  int port() const { return server_->port(); }

  casus::testing::TempDir dir_;
  std::shared_ptr<boost::asio::ssl::context> ssl_;
  ServerConfig config_;
  FakeHandler handler_;
  FakeEvents events_;
  Metrics metrics_;
  std::atomic<bool> ready_{true};
  std::unique_ptr<HttpsServer> server_;
};

// --- TLS ---------------------------------------------------------------

TEST_F(ServerTest, Tls12And13HandshakesSucceed) {
  StartServer();
  RawConnection v12(port(), TLS1_2_VERSION, TLS1_2_VERSION);
  ASSERT_EQ(v12.Open(), "");
  EXPECT_EQ(v12.tls_version(), TLS1_2_VERSION);
  RawConnection v13(port(), TLS1_3_VERSION, TLS1_3_VERSION);
  ASSERT_EQ(v13.Open(), "");
  EXPECT_EQ(v13.tls_version(), TLS1_3_VERSION);
  HttpResult res = v13.Request("GET", "/healthz");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
}

TEST_F(ServerTest, Tls10And11AreRefused) {
  StartServer();
  // TCP is accepted; the handshake is what fails.
  RawConnection v10(port(), TLS1_VERSION, TLS1_VERSION);
  ASSERT_EQ(v10.Connect(), "");
  EXPECT_NE(v10.Handshake(), "");
  RawConnection v11(port(), TLS1_1_VERSION, TLS1_1_VERSION);
  ASSERT_EQ(v11.Connect(), "");
  EXPECT_NE(v11.Handshake(), "");
}

TEST_F(ServerTest, PlainHttpGetsNoHttpAnswer) {
  StartServer();
  // The server fails the handshake and closes, so the read ends.
  const PlainTcpReply reply = SendPlainTcp(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 256);
  EXPECT_EQ(reply.error, "");
  EXPECT_EQ(reply.received.find("HTTP/"), std::string::npos);
}

// --- Requests, headers, built-ins ---------------------------------------

TEST_F(ServerTest, SecurityHeadersAndRequestIdOnEveryResponse) {
  StartServer();
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  for (const char* target : {"/api/v1/anything", "/healthz"}) {
    HttpResult res = c.Request("GET", target);
    ASSERT_EQ(res.error, "") << target;
    EXPECT_EQ(res.Header("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
    EXPECT_EQ(res.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(res.Header("X-Frame-Options"), "DENY");
    EXPECT_EQ(res.Header("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(res.Header("Cache-Control"), "no-store");
    EXPECT_TRUE(std::regex_match(res.Header("X-Request-Id"), std::regex("[0-9a-f]{16}")));
  }
}

TEST_F(ServerTest, RequestIsConvertedForTheHandler) {
  StartServer();
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  HttpResult res = c.Request("POST", "/api/echo?a=1&b=2", "hello", {{"X-Test", "Value"}});
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
  const std::string id = res.Header("X-Request-Id");
  EXPECT_EQ(res.body, "method=POST;path=/api/echo;query=a=1&b=2;body=hello;x-test=Value;client=127.0.0.1;id=" + id);
}

TEST_F(ServerTest, HealthReadinessAndMetrics) {
  StartServer();
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  HttpResult res = c.Request("GET", "/healthz");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"status":"ok"})");
  res = c.Request("GET", "/readyz");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
  ready_ = false;
  res = c.Request("GET", "/readyz");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 503);

  RawConnection m(port());
  ASSERT_EQ(m.Open(), "");
  res = m.Request("GET", "/metrics");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.Header("Content-Type"), Metrics::kContentType);
  EXPECT_NE(res.body.find("casus_http_requests_total{route=\"GET /healthz\",status=\"200\"} 1"), std::string::npos)
      << res.body;
  EXPECT_NE(res.body.find("casus_http_requests_total{route=\"GET /readyz\",status=\"503\"} 1"), std::string::npos);
  EXPECT_NE(res.body.find("casus_connections_open 2"), std::string::npos);
  EXPECT_EQ(handler_.calls.load(), 0);  // built-ins never reach the handler
}

TEST_F(ServerTest, ExpectContinueGets100BeforeTheBody) {
  StartServer();
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  ASSERT_EQ(c.WriteRaw("POST /api/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"), "");
  HttpResult res = c.Read(900ms);  // well before a client's own 1 s fallback
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 100);
  ASSERT_EQ(c.WriteRaw("hello"), "");
  res = c.Read();
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("body=hello;"), std::string::npos);
}

TEST_F(ServerTest, HandlerExceptionGives500AndServerKeepsServing) {
  StartServer();
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  HttpResult res = c.Request("GET", "/throw");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.Header("Content-Type"), "application/problem+json");
  res = c.Request("GET", "/ok");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
}

// --- Limits --------------------------------------------------------------

TEST_F(ServerTest, BodyOverLimitByContentLengthIs413BeforeTheBody) {
  StartServer();
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  ASSERT_EQ(c.WriteRaw("POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"), "");
  HttpResult res = c.Read();
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 413);
  EXPECT_FALSE(res.keep_alive);
  EXPECT_EQ(handler_.calls.load(), 0);
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413) {
  StartServer();
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  const std::string chunk(800, 'a');
  ASSERT_EQ(c.WriteRaw("POST /api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
                       "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"),
            "");
  HttpResult res = c.Read();
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(handler_.calls.load(), 0);
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  StartServer();
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  HttpResult res = c.Request("GET", "/api/x", "", {{"X-Big", std::string(3000, 'b')}});
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 431);
  EXPECT_EQ(handler_.calls.load(), 0);
}

TEST_F(ServerTest, SlowClientTricklingHeadersIsCut) {
  StartServer();  // read_timeout 1 s
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  const std::string request = "GET /api/x HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  const auto start = std::chrono::steady_clock::now();
  bool write_failed = false;
  // Every byte arrives within the idle timeout of the last, but the whole
  // request would take ~6 s.
  for (char ch : request) {
    if (!c.WriteRaw(std::string(1, ch)).empty()) {
      write_failed = true;
      break;
    }
    if (std::chrono::steady_clock::now() - start > 4s) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(write_failed || c.ClosedWithin(100ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(handler_.calls.load(), 0);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  StartServer();  // idle_timeout 1 s
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  HttpResult res = c.Request("GET", "/ok");
  ASSERT_EQ(res.error, "");
  EXPECT_TRUE(res.keep_alive);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedWithin(3s));
  EXPECT_GT(std::chrono::steady_clock::now() - start, 700ms);
}

TEST_F(ServerTest, ConnectionsBeyondTheLimitAreClosedAtAccept) {
  config_.max_connections = 2;
  StartServer();
  RawConnection a(port()), b(port());
  ASSERT_EQ(a.Open(), "");
  ASSERT_EQ(b.Open(), "");
  RawConnection c(port());
  EXPECT_NE(c.Open(), "");  // TCP connects (backlog), then the server closes it
  a.Close();
  // Once the server has noticed, a new connection fits again.
  EXPECT_TRUE(Eventually([&] {
    RawConnection d(port());
    return d.Open().empty() && d.Request("GET", "/healthz").status == 200;
  }));
}

TEST_F(ServerTest, ConnectionClosesAfterMaxRequests) {
  StartServer();  // max_requests_per_connection 3
  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  for (int i = 1; i <= 3; ++i) {
    HttpResult res = c.Request("GET", "/ok");
    ASSERT_EQ(res.error, "") << i;
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.keep_alive, i < 3) << i;
  }
  EXPECT_TRUE(c.ClosedWithin(2s));
}

TEST_F(ServerTest, FullWorkerQueueGets503WithRetryAfter) {
  StartServer();  // 2 workers, queue of 2
  std::vector<std::unique_ptr<RawConnection>> blocked;
  for (int i = 0; i < 4; ++i) {
    blocked.push_back(std::make_unique<RawConnection>(port()));
    ASSERT_EQ(blocked.back()->Open(), "");
    ASSERT_EQ(blocked.back()->Write("GET", "/block"), "");
    if (i == 1) {
      ASSERT_TRUE(handler_.gate.WaitForWaiters(2));
    }
  }
  std::this_thread::sleep_for(200ms);  // let requests 3 and 4 reach the queue

  RawConnection c(port());
  ASSERT_EQ(c.Open(), "");
  HttpResult res = c.Request("GET", "/ok");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(res.Header("Retry-After"), "1");
  EXPECT_EQ(res.Header("Content-Type"), "application/problem+json");

  handler_.gate.Open();
  for (auto& b : blocked) {
    res = b->Read();
    ASSERT_EQ(res.error, "");
    EXPECT_EQ(res.status, 200);
  }
}

// --- Shutdown ------------------------------------------------------------

TEST_F(ServerTest, GracefulStopFinishesInFlightRequestThenRefuses) {
  StartServer();
  const int p = port();
  RawConnection busy(p), idle(p);
  ASSERT_EQ(busy.Open(), "");
  ASSERT_EQ(idle.Open(), "");
  ASSERT_EQ(busy.Write("GET", "/block"), "");
  ASSERT_TRUE(handler_.gate.WaitForWaiters(1));

  std::thread stopper([&] { server_->Stop(); });
  EXPECT_TRUE(idle.ClosedWithin(3s));  // idle connections go at once
  handler_.gate.Open();
  HttpResult res = busy.Read();
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
  EXPECT_FALSE(res.keep_alive);
  busy.Close();  // so the server's TLS shutdown need not wait for its deadline
  stopper.join();

  RawConnection late(p);
  EXPECT_NE(late.Connect(), "");
}

// --- WebSocket -----------------------------------------------------------

TEST_F(ServerTest, WebSocketReceivesMessagesInOrderAndStopsOnDisconnect) {
  StartServer();
  WsClient ws(port());
  ASSERT_EQ(ws.Open("/api/v1/events?after=5", {}), "");
  auto sub = events_.WaitForStarted(0);
  ASSERT_NE(sub, nullptr);
  EXPECT_TRUE(Eventually([&] { return metrics_.websockets_open() == 1; }));
  for (const char* m : {"one", "two", "three"})
    EXPECT_TRUE(sub->Sink()->Send(std::make_shared<const std::string>(m)));
  for (const char* m : {"one", "two", "three"}) {
    std::string got;
    ASSERT_EQ(ws.Read(&got, kDefaultTimeout), "");
    EXPECT_EQ(got, m);
  }
  EXPECT_EQ(sub->stops.load(), 0);
  ASSERT_EQ(ws.Close(), "");
  EXPECT_TRUE(Eventually([&] { return sub->stops.load() >= 1; }));
  EXPECT_TRUE(Eventually([&] { return metrics_.websockets_open() == 0; }));
  EXPECT_FALSE(sub->Sink()->Send(std::make_shared<const std::string>("late")));
}

TEST_F(ServerTest, RefusedUpgradeGetsTheRefusalStatus) {
  StartServer();
  WsClient ws(port());
  int status = 0;
  EXPECT_NE(ws.Open("/api/v1/events?deny=1", {}, &status), "");
  EXPECT_EQ(status, 403);
}

TEST_F(ServerTest, SlowConsumerIsClosedWithoutAffectingOthers) {
  StartServer();  // websocket_queue 4
  WsClient slow(port()), healthy(port());
  ASSERT_EQ(slow.Open("/api/v1/events", {}), "");
  auto slow_sub = events_.WaitForStarted(0);
  ASSERT_NE(slow_sub, nullptr);
  ASSERT_EQ(healthy.Open("/api/v1/events", {}), "");
  auto healthy_sub = events_.WaitForStarted(1);
  ASSERT_NE(healthy_sub, nullptr);

  // The slow client never reads: socket buffers fill, then the queue.
  auto big = std::make_shared<const std::string>(256 * 1024, 'x');
  bool refused = false;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    refused = !slow_sub->Sink()->Send(big);
    if (!refused) std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(refused);

  EXPECT_TRUE(healthy_sub->Sink()->Send(std::make_shared<const std::string>("still here")));
  std::string got;
  ASSERT_EQ(healthy.Read(&got, kDefaultTimeout), "");
  EXPECT_EQ(got, "still here");

  EXPECT_TRUE(Eventually([&] { return slow_sub->stops.load() >= 1; }, 8s));
  EXPECT_EQ(healthy_sub->stops.load(), 0);
}

TEST_F(ServerTest, StopClosesWebSocketsWithGoingAway) {
  StartServer();
  WsClient ws(port());
  ASSERT_EQ(ws.Open("/api/v1/events", {}), "");
  auto sub = events_.WaitForStarted(0);
  ASSERT_NE(sub, nullptr);
  std::thread stopper([&] { server_->Stop(); });
  std::string got;
  EXPECT_NE(ws.Read(&got, kDefaultTimeout), "");
  EXPECT_EQ(ws.close_code(), 1001);
  stopper.join();
  EXPECT_GE(sub->stops.load(), 1);
  // The subscription may keep its sink past the server: it must be inert.
  server_.reset();
  EXPECT_FALSE(sub->Sink()->Send(std::make_shared<const std::string>("after")));
}

}  // namespace
}  // namespace casus::api::server

namespace casus::api::server {
namespace {

TEST_F(ServerTest, StartReportsPortInUseAndBadAddress) {
  StartServer();
  config_.listen = "127.0.0.1:" + std::to_string(port());
  HttpsServer second(config_, ssl_, handler_, events_, metrics_);
  Status st = second.Start();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find(config_.listen), std::string::npos) << st.ToString();

  config_.listen = "not-an-address";
  HttpsServer third(config_, ssl_, handler_, events_, metrics_);
  EXPECT_EQ(third.Start().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace casus::api::server

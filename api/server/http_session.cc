#include "api/server/http_session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include "api/server/beast_request.h"
#include "api/server/request_util.h"
#include "api/server/websocket_session.h"

namespace casus::api::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr const char* kEventsPath = "/api/v1/events";
// How much to ask for while waiting for the first byte of the next
// keep-alive request; the parser reads the rest.
constexpr std::size_t kFirstReadSize = 4096;

// Errors that are part of normal life (peer went away, deadline, our own
// cancel) are logged at debug; anything else is worth seeing.
void Fail(beast::error_code ec, const char* what, const std::string& client) {
  if (ec == net::error::operation_aborted || ec == beast::error::timeout || ec == ssl::error::stream_truncated ||
      ec == net::error::eof || ec == http::error::end_of_stream || ec == net::error::connection_reset ||
      ec == net::error::broken_pipe) {
    spdlog::debug("connection {}: {}: {}", client, what, ec.message());
    return;
  }
  spdlog::info("connection {}: {}: {}", client, what, ec.message());
}

bool IsApiPath(const std::string& path) { return path == "/api" || path.rfind("/api/", 0) == 0; }

class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(std::shared_ptr<ServerState> state, tcp::socket&& socket, std::unique_ptr<ConnectionSlot> slot)
      : state_(std::move(state)),
        slot_(std::move(slot)),
        strand_(socket.get_executor()),
        client_address_(PeerAddress(socket)),
        stream_(std::move(socket), *state_->ssl) {}

  void Run() {
    slot_->Bind(weak_from_this());
    net::dispatch(strand_, beast::bind_front_handler(&HttpSession::OnRun, shared_from_this()));
  }

  void Shutdown(bool forced) override {
    net::post(strand_, beast::bind_front_handler(&HttpSession::OnShutdownRequest, shared_from_this(), forced));
  }

 private:
  enum class Phase { kHandshake, kWaiting, kReading, kBusy, kWriting, kClosing, kUpgraded };

  static std::string PeerAddress(const tcp::socket& socket) {
    beast::error_code ec;
    const auto ep = socket.remote_endpoint(ec);
    return ec ? std::string("?") : ep.address().to_string();
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }
  const ServerConfig& Config() const { return state_->config; }
  bool Stopping() const { return stop_requested_ || state_->stopping.load(); }

  void OnRun() {
    phase_ = Phase::kHandshake;
    Lowest().expires_after(std::chrono::seconds(Config().handshake_timeout_s));
    stream_.async_handshake(ssl::stream_base::server,
                            beast::bind_front_handler(&HttpSession::OnHandshake, shared_from_this()));
  }

  void OnHandshake(beast::error_code ec) {
    // Plain HTTP, old TLS versions and scanners all end here: debug, or
    // every port scan fills the log.
    if (ec) {
      spdlog::debug("connection {}: handshake: {}", client_address_, ec.message());
      return;
    }
    DoRead();
  }

  void DoRead() {
    if (Stopping()) return DoClose();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(Config().header_limit, UINT32_MAX)));
    parser_->body_limit(Config().body_limit);
    if (served_ > 0 && buffer_.size() == 0) {
      // Between keep-alive requests the idle timeout applies until the
      // first byte; then the whole request gets read_timeout.
      phase_ = Phase::kWaiting;
      Lowest().expires_after(std::chrono::seconds(Config().idle_timeout_s));
      stream_.async_read_some(buffer_.prepare(kFirstReadSize),
                              beast::bind_front_handler(&HttpSession::OnIdleData, shared_from_this()));
      return;
    }
    ReadHeader();
  }

  void OnIdleData(beast::error_code ec, std::size_t n) {
    buffer_.commit(n);
    if (ec) return OnReadError(ec, "idle read");
    ReadHeader();
  }

  void ReadHeader() {
    phase_ = Phase::kReading;
    started_ = Clock::now();
    // One absolute deadline for header and body together: a client that
    // trickles bytes (slowloris) cannot extend it.
    Lowest().expires_after(std::chrono::seconds(Config().read_timeout_s));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec, "read header");
    // Refuse a declared oversized body before reading any of it.
    if (const auto length = parser_->content_length(); length && *length > Config().body_limit)
      return RespondEarly(413, "Content Too Large", "the request body exceeds the limit", "body_too_large");
    if (parser_->is_done()) return OnRequest();
    // A client that asked before sending its body (curl does for large
    // uploads) would otherwise wait a second for nothing.
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      continue_ = {http::status::continue_, parser_->get().version()};
      return http::async_write(stream_, continue_, [self = shared_from_this()](beast::error_code wec, std::size_t) {
        if (wec) return Fail(wec, "write 100-continue", self->client_address_);
        self->ReadBody();
      });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec, "read body");
    OnRequest();
  }

  void OnReadError(beast::error_code ec, const char* what) {
    if (ec == http::error::header_limit)
      return RespondEarly(431, "Request Header Fields Too Large", "the request headers exceed the limit",
                          "headers_too_large");
    // Chunked bodies have no Content-Length; the parser's limit catches them.
    if (ec == http::error::body_limit)
      return RespondEarly(413, "Content Too Large", "the request body exceeds the limit", "body_too_large");
    if (ec == net::error::operation_aborted && stop_requested_) return DoClose();
    // A clean close_notify between requests: answer with ours.
    if (ec == http::error::end_of_stream) return DoClose();
    if (&ec.category() == &http::make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::partial_message)
      return RespondEarly(400, "Bad Request", "the request is not valid HTTP/1.1", "malformed");
    Fail(ec, what, client_address_);
  }

  void OnRequest() {
    phase_ = Phase::kBusy;
    req_ = parser_->release();
    request_keep_alive_ = req_.keep_alive();
    request_id_ = NewRequestId();
    method_ = std::string(req_.method_string());
    HttpRequest request = FromBeastRequest(req_, client_address_, request_id_);
    is_api_ = IsApiPath(request.path);

    if (req_.method() == http::verb::get) {
      if (request.path == "/healthz") return Respond(Builtin("GET /healthz", 200, R"({"status":"ok"})"));
      if (request.path == "/readyz") {
        const bool ready = !state_->ready || state_->ready();
        return Respond(Builtin("GET /readyz", ready ? 200 : 503,
                               ready ? R"({"status":"ready"})" : R"({"status":"not_ready"})"));
      }
      if (request.path == "/metrics") {
        HttpResponse r = Builtin("GET /metrics", 200, state_->metrics.Render());
        r.content_type = Metrics::kContentType;
        return Respond(std::move(r));
      }
      if (request.path == kEventsPath && beast::websocket::is_upgrade(req_)) return AcceptUpgrade(std::move(request));
    }

    auto self = shared_from_this();
    const bool queued = state_->workers.TryPost([self, request = std::move(request)] {
      HttpResponse response = self->RunHandler(request);
      net::post(self->strand_, [self, response = std::move(response)]() mutable { self->Respond(std::move(response)); });
    });
    if (!queued) Respond(Busy());
  }

  static HttpResponse Builtin(const char* route, int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.route = route;
    r.outcome = status == 200 ? "ok" : "unavailable";
    return r;
  }

  static HttpResponse Busy() {
    HttpResponse r = Problem(503, "Service Unavailable", "the server is busy; retry shortly", "busy");
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }

  // Runs on a worker. Touches only immutable state.
  HttpResponse RunHandler(const HttpRequest& request) const {
    try {
      return state_->handler.Handle(request);
    } catch (const std::exception& e) {
      spdlog::error("request {}: handler threw: {}", request.request_id, e.what());
    } catch (...) {
      spdlog::error("request {}: handler threw a non-standard exception", request.request_id);
    }
    return Problem(500, "Internal Server Error", "the request could not be processed", "exception");
  }

  void AcceptUpgrade(HttpRequest request) {
    auto self = shared_from_this();
    const bool queued = state_->workers.TryPost([self, request = std::move(request)] {
      EventStreamHandler::Acceptance acceptance;
      try {
        acceptance = self->state_->events.Accept(request);
      } catch (const std::exception& e) {
        spdlog::error("request {}: event stream Accept threw: {}", request.request_id, e.what());
        acceptance.refusal = Problem(500, "Internal Server Error", "the request could not be processed", "exception");
      } catch (...) {
        spdlog::error("request {}: event stream Accept threw", request.request_id);
        acceptance.refusal = Problem(500, "Internal Server Error", "the request could not be processed", "exception");
      }
      net::post(self->strand_, [self, acceptance = std::move(acceptance)]() mutable {
        self->OnUpgradeDecision(std::move(acceptance));
      });
    });
    if (!queued) Respond(Busy());
  }

  void OnUpgradeDecision(EventStreamHandler::Acceptance acceptance) {
    if (acceptance.refusal || !acceptance.subscription) {
      HttpResponse r = acceptance.refusal ? std::move(*acceptance.refusal)
                                          : Problem(500, "Internal Server Error", "no subscription", "internal");
      if (r.route.empty()) r.route = "GET /api/v1/events";
      if (r.outcome.empty()) r.outcome = "refused";
      return Respond(std::move(r));
    }
    if (Stopping()) {
      acceptance.subscription->Stop();
      return Respond(Problem(503, "Service Unavailable", "the server is shutting down", "stopping"), true);
    }
    phase_ = Phase::kUpgraded;
    StartWebSocketSession(state_, std::move(stream_), std::move(req_), std::move(acceptance.subscription),
                          std::move(slot_), UpgradeInfo{request_id_, client_address_, started_});
  }

  // For errors found while reading: the request is not trustworthy, so the
  // connection closes after the answer.
  void RespondEarly(int status, const char* title, const char* detail, const char* outcome) {
    request_id_ = NewRequestId();
    method_ = parser_ && parser_->is_header_done() ? std::string(parser_->get().method_string()) : "-";
    is_api_ = true;
    request_keep_alive_ = false;
    Respond(Problem(status, title, detail, outcome), true);
  }

  void Respond(HttpResponse r, bool force_close = false) {
    phase_ = Phase::kWriting;
    ++served_;
    keep_alive_ = !force_close && request_keep_alive_ && served_ < Config().max_requests_per_connection && !Stopping();
    if (r.status < 100 || r.status > 999) r = Problem(500, "Internal Server Error", "invalid status", "internal");

    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(r.status));
    bool has_cache_control = false;
    for (const auto& [name, value] : r.headers) {
      if (!IsSafeHeaderValue(name) || !IsSafeHeaderValue(value)) {
        spdlog::warn("request {}: dropped response header with CR/LF", request_id_);
        continue;
      }
      if (beast::iequals(name, "cache-control")) has_cache_control = true;
      res_.insert(name, value);
    }
    for (const auto& [name, value] : SecurityHeaders()) res_.set(name, value);
    if (!has_cache_control || is_api_) res_.set(http::field::cache_control, "no-store");
    res_.set("X-Request-Id", request_id_);
    const bool bodiless = r.status == 204 || r.status == 304 || r.status < 200;
    if (!bodiless) {
      if (!r.content_type.empty()) res_.set(http::field::content_type, r.content_type);
      res_.body() = std::move(r.body);
    }
    res_.keep_alive(keep_alive_);
    res_.prepare_payload();

    log_route_ = std::move(r.route);
    log_user_ = std::move(r.user_id);
    log_outcome_ = std::move(r.outcome);
    log_status_ = r.status;

    // A client that does not read its answer must not hold the connection.
    Lowest().expires_after(std::chrono::seconds(Config().read_timeout_s));
    http::async_write(stream_, res_, beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    const std::string route = log_route_.empty() ? "unmatched" : log_route_;
    state_->metrics.CountRequest(route, log_status_, seconds);
    LogRequest({request_id_, method_, route, log_status_, log_user_, ec ? "write_failed" : log_outcome_,
                seconds * 1000.0, client_address_});
    if (ec) return Fail(ec, "write", client_address_);
    if (!keep_alive_ || Stopping()) return DoClose();
    DoRead();
  }

  void DoClose() {
    phase_ = Phase::kClosing;
    // close_notify, bounded: a peer that never answers must not keep us.
    Lowest().expires_after(std::chrono::seconds(Config().handshake_timeout_s));
    stream_.async_shutdown(beast::bind_front_handler(&HttpSession::OnTlsShutdown, shared_from_this()));
  }

  void OnTlsShutdown(beast::error_code ec) {
    // Not worth more than debug: stream_truncated / eof is a peer that
    // closed TCP without close_notify after a complete exchange (most
    // clients), and after an early 413/431 the peer may still be sending
    // ("application data after close notify").
    if (ec) spdlog::debug("connection {}: shutdown: {}", client_address_, ec.message());
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  void OnShutdownRequest(bool forced) {
    if (phase_ == Phase::kUpgraded) return;  // the stream belongs to the WebSocket session now
    stop_requested_ = true;
    if (forced) {
      Lowest().close();
      return;
    }
    // Idle or half-read connections go now; a request in flight finishes
    // and its response carries Connection: close.
    if (phase_ == Phase::kHandshake || phase_ == Phase::kWaiting || phase_ == Phase::kReading) Lowest().cancel();
  }

  const std::shared_ptr<ServerState> state_;
  std::unique_ptr<ConnectionSlot> slot_;
  const net::any_io_executor strand_;
  const std::string client_address_;
  TlsStream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  http::response<http::empty_body> continue_;

  Phase phase_ = Phase::kHandshake;
  bool stop_requested_ = false;
  int served_ = 0;
  bool request_keep_alive_ = false;
  bool keep_alive_ = false;
  bool is_api_ = false;
  Clock::time_point started_ = Clock::now();
  std::string request_id_;
  std::string method_;
  std::string log_route_;
  std::string log_user_;
  std::string log_outcome_;
  int log_status_ = 0;
};

}  // namespace

void StartHttpSession(std::shared_ptr<ServerState> state, tcp::socket socket, std::unique_ptr<ConnectionSlot> slot) {
  // A response leaves as TLS records in more than one segment; with Nagle's
  // algorithm the last one waits for the client's delayed ACK (40 ms on
  // Linux). Every answer and live event is complete when written, so send at once.
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  std::make_shared<HttpSession>(std::move(state), std::move(socket), std::move(slot))->Run();
}

}  // namespace casus::api::server

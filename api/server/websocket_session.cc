#include "api/server/websocket_session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>

#include "api/server/request_util.h"

namespace casus::api::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

// Clients only need to send control frames; anything larger is abuse.
constexpr std::size_t kMaxClientMessage = 4096;
constexpr const char* kRoute = "GET /api/v1/events";

class WebSocketSession;

// The EventSink handed to the subscription. Holds the session weakly so a
// subscription that keeps its sink does not keep a dead connection alive,
// and holds nothing of Asio's: a sink may outlive the server (and its
// io_context), after which Send just returns false.
// Send counts queued messages atomically so it can refuse synchronously,
// while the queue itself lives on the session's strand.
class SessionSink final : public EventSink {
 public:
  SessionSink(std::weak_ptr<WebSocketSession> session, int limit)
      : session_(std::move(session)), limit_(std::max(1, limit)) {}

  bool Send(std::shared_ptr<const std::string> message) override;
  void Close() override;
  std::size_t Backlog() const override { return static_cast<std::size_t>(std::max(0, queued_.load())); }
  std::size_t Capacity() const override { return static_cast<std::size_t>(limit_); }

  void MarkClosed() { closed_.store(true); }
  void Done() { queued_.fetch_sub(1); }

 private:
  const std::weak_ptr<WebSocketSession> session_;
  const int limit_;
  std::atomic<int> queued_{0};  // posted or queued, not yet written
  std::atomic<bool> closed_{false};
};

class WebSocketSession : public Connection, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(std::shared_ptr<ServerState> state, TlsStream&& stream, http::request<http::string_body> request,
                   std::shared_ptr<EventSubscription> subscription, std::unique_ptr<ConnectionSlot> slot,
                   UpgradeInfo info)
      : state_(std::move(state)),
        slot_(std::move(slot)),
        strand_(stream.get_executor()),
        ws_(std::move(stream)),
        close_timer_(strand_),
        request_(std::move(request)),
        subscription_(std::move(subscription)),
        info_(std::move(info)) {}

  ~WebSocketSession() override {
    if (sink_) sink_->MarkClosed();
    if (opened_) state_->metrics.WebSocketClosed();
    // Stop may take the event stream's locks: keep it off the I/O thread.
    if (auto subscription = std::move(subscription_))
      state_->workers.Post([subscription] { subscription->Stop(); });
  }

  const net::any_io_executor& strand() const { return strand_; }

  void Run() {
    slot_->Bind(weak_from_this());
    net::dispatch(strand_, beast::bind_front_handler(&WebSocketSession::OnRun, shared_from_this()));
  }

  void Shutdown(bool forced) override {
    net::post(strand_, [self = shared_from_this(), forced] {
      if (forced) return self->ForceClose();
      self->stop_requested_ = true;
      if (self->opened_) self->BeginClose(websocket::close_code::going_away, "server shutting down");
    });
  }

  // On the strand, from SessionSink::Send.
  void Deliver(std::shared_ptr<const std::string> message) {
    if (closing_) {
      sink_->Done();
      return;
    }
    queue_.push_back(std::move(message));
    if (queue_.size() == 1) DoWrite();
  }

  // On the strand.
  void BeginClose(websocket::close_code code, const char* reason) {
    if (closing_) return;
    closing_ = true;
    if (sink_) sink_->MarkClosed();
    // Drop what was never started; the in-flight front stays until its
    // write completes (Beast allows a single pending write).
    while (queue_.size() > 1) {
      queue_.pop_back();
      sink_->Done();
    }
    // A peer that reads nothing blocks our write and hence the close frame:
    // give the close handshake a deadline, then cut the socket.
    close_timer_.expires_after(std::chrono::seconds(std::clamp(state_->config.handshake_timeout_s, 1, 5)));
    close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->ForceClose();
    });
    ws_.async_close(websocket::close_reason(code, reason), [self = shared_from_this()](beast::error_code ec) {
      self->close_timer_.cancel();
      if (ec) Fail(ec, "close", self->info_.client_address);
    });
  }

 private:
  static void Fail(beast::error_code ec, const char* what, const std::string& client) {
    if (ec == net::error::operation_aborted || ec == websocket::error::closed || ec == beast::error::timeout ||
        ec == net::ssl::error::stream_truncated || ec == net::error::eof || ec == net::error::connection_reset ||
        ec == net::error::broken_pipe) {
      spdlog::debug("websocket {}: {}: {}", client, what, ec.message());
      return;
    }
    spdlog::info("websocket {}: {}: {}", client, what, ec.message());
  }

  void ForceClose() {
    if (sink_) sink_->MarkClosed();
    beast::get_lowest_layer(ws_).close();
  }

  void OnRun() {
    // The WebSocket has its own timeouts; the TCP-level deadline of the
    // HTTP phase must not fire under it.
    beast::get_lowest_layer(ws_).expires_never();
    auto timeout = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeout.handshake_timeout = std::chrono::seconds(state_->config.handshake_timeout_s);
    // Beast pings after half the idle timeout without traffic and gives up
    // after the whole: a ping every websocket_ping_s.
    timeout.idle_timeout = std::chrono::seconds(2 * std::max(1, state_->config.websocket_ping_s));
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.read_message_max(kMaxClientMessage);
    ws_.set_option(websocket::stream_base::decorator([id = info_.request_id](websocket::response_type& res) {
      for (const auto& [name, value] : SecurityHeaders()) res.set(name, value);
      res.set(http::field::cache_control, "no-store");
      res.set("X-Request-Id", id);
    }));
    ws_.async_accept(request_, beast::bind_front_handler(&WebSocketSession::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec) {
    const double seconds = std::chrono::duration<double>(Clock::now() - info_.started).count();
    const int status = ec ? 400 : 101;
    state_->metrics.CountRequest(kRoute, status, seconds);
    LogRequest({info_.request_id, "GET", kRoute, status, "", ec ? "handshake_failed" : "upgraded", seconds * 1000.0,
                info_.client_address});
    if (ec) return Fail(ec, "accept", info_.client_address);

    opened_ = true;
    state_->metrics.WebSocketOpened();
    sink_ = std::make_shared<SessionSink>(weak_from_this(), state_->config.websocket_queue);
    DoRead();
    if (stop_requested_ || state_->stopping.load())
      return BeginClose(websocket::close_code::going_away, "server shutting down");

    // Replay can hit the database: a worker, never this thread.
    auto subscription = subscription_;
    std::shared_ptr<EventSink> sink = sink_;
    const std::string id = info_.request_id;
    const bool queued = state_->workers.TryPost([subscription, sink, id] {
      try {
        subscription->Start(sink);
      } catch (const std::exception& e) {
        spdlog::error("request {}: subscription Start threw: {}", id, e.what());
        sink->Close();
      } catch (...) {
        spdlog::error("request {}: subscription Start threw", id);
        sink->Close();
      }
    });
    if (!queued) BeginClose(websocket::close_code::try_again_later, "server busy");
  }

  void DoRead() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    // Any read error ends the session: peer close, ping timeout, oversized
    // message, or our own close completing.
    if (ec) {
      if (sink_) sink_->MarkClosed();
      return Fail(ec, "read", info_.client_address);
    }
    buffer_.consume(buffer_.size());  // the stream is one-way; client messages are ignored
    DoRead();
  }

  void DoWrite() {
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&WebSocketSession::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    queue_.pop_front();
    sink_->Done();
    if (ec) {
      sink_->MarkClosed();
      while (!queue_.empty()) {
        queue_.pop_front();
        sink_->Done();
      }
      return Fail(ec, "write", info_.client_address);
    }
    if (closing_) return;
    if (!queue_.empty()) DoWrite();
  }

  const std::shared_ptr<ServerState> state_;
  std::unique_ptr<ConnectionSlot> slot_;
  const net::any_io_executor strand_;
  // No permessage-deflate (the `false`): the events are small JSON, and
  // compression over TLS invites CRIME-style attacks. Leaving it out also
  // leaves Beast's compression paths uncompiled.
  websocket::stream<TlsStream, false> ws_;
  net::steady_timer close_timer_;
  http::request<http::string_body> request_;
  std::shared_ptr<EventSubscription> subscription_;
  const UpgradeInfo info_;
  std::shared_ptr<SessionSink> sink_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool opened_ = false;
  bool closing_ = false;
  bool stop_requested_ = false;
};

bool SessionSink::Send(std::shared_ptr<const std::string> message) {
  if (closed_.load() || !message) return false;
  if (queued_.fetch_add(1) >= limit_) {
    queued_.fetch_sub(1);
    // Slow consumer: it would only fall further behind. Close once.
    if (!closed_.exchange(true)) {
      if (auto session = session_.lock()) {
        spdlog::info("websocket: closing slow consumer");
        net::post(session->strand(),
                  [session] { session->BeginClose(websocket::close_code::policy_error, "slow consumer"); });
      }
    }
    return false;
  }
  auto session = session_.lock();
  if (!session) {
    queued_.fetch_sub(1);
    closed_.store(true);
    return false;
  }
  net::post(session->strand(),
            [session, message = std::move(message)]() mutable { session->Deliver(std::move(message)); });
  return true;
}

void SessionSink::Close() {
  if (closed_.exchange(true)) return;
  if (auto session = session_.lock())
    net::post(session->strand(), [session] { session->BeginClose(websocket::close_code::normal, "closed"); });
}

}  // namespace

void StartWebSocketSession(std::shared_ptr<ServerState> state, TlsStream stream,
                           http::request<http::string_body> request, std::shared_ptr<EventSubscription> subscription,
                           std::unique_ptr<ConnectionSlot> slot, UpgradeInfo info) {
  std::make_shared<WebSocketSession>(std::move(state), std::move(stream), std::move(request), std::move(subscription),
                                     std::move(slot), std::move(info))
      ->Run();
}

}  // namespace casus::api::server

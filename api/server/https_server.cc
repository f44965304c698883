#include "api/server/https_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <charconv>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "api/server/http_session.h"
#include "api/server/server_state.h"

namespace casus::api::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

// "HOST:PORT" or "[IPv6]:PORT"; HOST is an IP literal or "localhost".
StatusOr<tcp::endpoint> ParseListen(const std::string& listen) {
  std::string host;
  std::string port;
  if (!listen.empty() && listen.front() == '[') {
    const auto close = listen.find("]:");
    if (close == std::string::npos) return Status::InvalidArgument("listen address \"" + listen + "\": expected [IPv6]:PORT");
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) return Status::InvalidArgument("listen address \"" + listen + "\": expected HOST:PORT");
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  unsigned port_number = 0;
  const auto [end, perr] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (port.empty() || perr != std::errc() || end != port.data() + port.size() || port_number > 65535)
    return Status::InvalidArgument("listen address \"" + listen + "\": bad port");
  if (host == "localhost") host = "127.0.0.1";
  error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return Status::InvalidArgument("listen address \"" + listen + "\": bad host: " + ec.message());
  return tcp::endpoint(address, static_cast<unsigned short>(port_number));
}

// Accepts connections and applies admission control before any TLS work.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<ServerState> state)
      : ioc_(ioc), state_(std::move(state)), acceptor_(net::make_strand(ioc)), retry_timer_(acceptor_.get_executor()) {}

  Status Bind(const tcp::endpoint& endpoint, const std::string& listen) {
    error_code ec;
    auto failed = [&](const char* what) {
      return Status::Unavailable("listen " + listen + ": " + what + ": " + ec.message());
    };
    if (acceptor_.open(endpoint.protocol(), ec)) return failed("open");
    // Restarting must not wait for TIME_WAIT connections of the last run.
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec)) return failed("set_option");
    if (acceptor_.bind(endpoint, ec)) return failed("bind");
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec)) return failed("listen");
    port_ = acceptor_.local_endpoint(ec).port();
    return Status::Ok();
  }

  int port() const { return port_; }

  void Start() { net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->DoAccept(); }); }

  // From any thread: stop accepting soon.
  void Close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
  }

  // Only when no I/O thread runs (or on the acceptor's strand).
  void CloseNow() {
    error_code ec;
    retry_timer_.cancel();
    acceptor_.close(ec);
  }

 private:
  void DoAccept() {
    if (!acceptor_.is_open()) return;
    // Each connection gets its own strand: its handlers never run
    // concurrently, whichever I/O thread picks them up.
    acceptor_.async_accept(net::make_strand(ioc_), [self = shared_from_this()](error_code ec, tcp::socket socket) {
      self->OnAccept(ec, std::move(socket));
    });
  }

  void OnAccept(error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      spdlog::warn("accept: {}", ec.message());
      // Out of descriptors: back off instead of spinning on the error.
      retry_timer_.expires_after(std::chrono::milliseconds(100));
      retry_timer_.async_wait([self = shared_from_this()](error_code tec) {
        if (!tec) self->DoAccept();
      });
      return;
    }
    if (state_->stopping.load()) return;  // the socket closes here
    if (state_->open_connections.load() >= state_->config.max_connections) {
      spdlog::warn("connection limit {} reached; closing new connection", state_->config.max_connections);
      error_code ignored;
      socket.close(ignored);
    } else {
      StartHttpSession(state_, std::move(socket), std::make_unique<ConnectionSlot>(state_));
    }
    DoAccept();
  }

  net::io_context& ioc_;
  const std::shared_ptr<ServerState> state_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  int port_ = 0;
};

}  // namespace

struct HttpsServer::Impl {
  Impl(ServerConfig config, std::shared_ptr<net::ssl::context> ssl, HttpHandler& handler,
       EventStreamHandler& events, Metrics& metrics, ReadinessCheck ready)
      : ioc(std::max(1, config.io_threads)),
        state(std::make_shared<ServerState>(std::move(config), std::move(ssl), handler, events, metrics,
                                            std::move(ready))) {}

  // Declared first: destroyed last, after everything bound to it.
  net::io_context ioc;
  std::shared_ptr<ServerState> state;
  std::shared_ptr<Listener> listener;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::mutex lifecycle_mu;
  bool started = false;
  bool stopped = false;
  int port = 0;
};

HttpsServer::HttpsServer(ServerConfig config, std::shared_ptr<net::ssl::context> ssl, HttpHandler& handler,
                         EventStreamHandler& events, Metrics& metrics, ReadinessCheck ready)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(ssl), handler, events, metrics, std::move(ready))) {}

HttpsServer::~HttpsServer() { Stop(); }

Status HttpsServer::Start() {
  std::lock_guard lock(impl_->lifecycle_mu);
  if (impl_->started || impl_->stopped) return Status::FailedPrecondition("server already started");
  const std::string& listen = impl_->state->config.listen;
  ASSIGN_OR_RETURN(tcp::endpoint endpoint, ParseListen(listen));
  auto listener = std::make_shared<Listener>(impl_->ioc, impl_->state);
  RETURN_IF_ERROR(listener->Bind(endpoint, listen));
  impl_->listener = listener;
  impl_->port = listener->port();
  impl_->started = true;

  listener->Start();
  impl_->work.emplace(net::make_work_guard(impl_->ioc));
  const int n = std::max(1, impl_->state->config.io_threads);
  for (int i = 0; i < n; ++i) {
    impl_->threads.emplace_back([ioc = &impl_->ioc] {
      // A handler that throws must not end the thread: log and go on.
      for (;;) {
        try {
          ioc->run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("I/O thread: unhandled exception: {}", e.what());
        } catch (...) {
          spdlog::error("I/O thread: unhandled non-standard exception");
        }
      }
    });
  }
  spdlog::info("listening on https://{}", endpoint.address().is_v6()
                                              ? "[" + endpoint.address().to_string() + "]:" + std::to_string(impl_->port)
                                              : endpoint.address().to_string() + ":" + std::to_string(impl_->port));
  return Status::Ok();
}

void HttpsServer::Stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->lifecycle_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  ServerState& state = *impl_->state;
  if (!impl_->started) {
    state.workers.Stop();
    return;
  }
  spdlog::info("stopping: draining connections");
  state.stopping.store(true);
  impl_->listener->Close();

  for (const auto& c : state.SnapshotConnections()) c->Shutdown(false);
  if (!state.WaitAllClosed(std::chrono::steady_clock::now() + grace)) {
    spdlog::warn("stopping: closing connections still open after the grace period");
    for (const auto& c : state.SnapshotConnections()) c->Shutdown(true);
    state.WaitAllClosed(std::chrono::steady_clock::now() + std::chrono::seconds(2));
  }
  // Workers drain their queue; results posted back to closed connections
  // are dropped harmlessly.
  state.workers.Stop();
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  impl_->listener->CloseNow();
  spdlog::info("stopped");
}

int HttpsServer::port() const { return impl_->port; }

}  // namespace casus::api::server

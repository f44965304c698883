// The only translation unit of the test tree that includes Beast
// (casus_test_https: the API, hostile, reliability and transport tests).
#include "tests/api/https_client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace casus::apitest {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::shared_ptr<net::ssl::context> ClientContext(int min_version = 0, int max_version = 0) {
  auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
  ctx->set_verify_mode(net::ssl::verify_none);  // the server's certificate is self-signed
  SSL_CTX* native = ctx->native_handle();
  if (min_version != 0) SSL_CTX_set_min_proto_version(native, min_version);
  if (max_version != 0) SSL_CTX_set_max_proto_version(native, max_version);
  if (max_version != 0 && max_version < TLS1_2_VERSION) {
    // OpenSSL 3 refuses to offer TLS 1.0/1.1 above security level 0.
    SSL_CTX_set_security_level(native, 0);
    SSL_CTX_set_cipher_list(native, "ALL:@SECLEVEL=0");
  }
  return ctx;
}

tcp::endpoint Loopback(int port) { return {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}; }

// The completion handler of every operation here. Asio and Beast
// instantiate an operation per handler type: one named type, rather than a
// lambda per call site, lets the clients share those instantiations and
// keeps this unit's compile time down.
struct Completion {
  std::optional<beast::error_code>* result;
  std::size_t* transferred;
  void operator()(beast::error_code ec) const { *result = ec; }
  void operator()(beast::error_code ec, std::size_t n) const {
    *result = ec;
    if (transferred) *transferred = n;
  }
};

// Runs one asynchronous operation to completion or `timeout`. On timeout
// the socket is closed so that the operation completes (with an error)
// before the state its handler points to goes away. `*transferred` gets
// the byte count of operations that report one, also on timeout.
template <class Socket, class Start>
beast::error_code RunWithDeadline(net::io_context& ioc, Socket& socket, Start&& start,
                                  std::chrono::milliseconds timeout, std::size_t* transferred = nullptr) {
  std::optional<beast::error_code> result;
  start(Completion{&result, transferred});
  ioc.restart();
  ioc.run_for(timeout);
  if (!result) {
    beast::error_code ignored;
    socket.close(ignored);
    ioc.restart();
    ioc.run();
    return net::error::timed_out;
  }
  return *result;
}

HttpResult ToResult(const http::response<http::string_body>& res) {
  HttpResult r;
  r.status = static_cast<int>(res.result_int());
  for (const auto& field : res) r.headers.emplace_back(Lower(std::string(field.name_string())), std::string(field.value()));
  r.body = res.body();
  r.keep_alive = res.keep_alive();
  if (!r.body.empty()) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(r.body, ec);
    if (!ec) r.json = std::move(v);
  }
  return r;
}

// Reads one response, any size a test may ask for.
HttpResult ReadResponse(net::io_context& ioc, beast::ssl_stream<beast::tcp_stream>& stream, beast::flat_buffer& buffer,
                        std::chrono::milliseconds timeout, beast::error_code* ec) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  *ec = RunWithDeadline(
      ioc, beast::get_lowest_layer(stream).socket(),
      [&](auto h) { http::async_read(stream, buffer, parser, h); }, timeout);
  if (*ec) return {};
  return ToResult(parser.release());
}

}  // namespace

std::string HttpResult::Header(const std::string& name) const {
  const std::string lower = Lower(name);
  for (const auto& [k, v] : headers)
    if (k == lower) return v;
  return "";
}

bool HttpResult::HasHeader(const std::string& name) const {
  const std::string lower = Lower(name);
  return std::any_of(headers.begin(), headers.end(), [&](const auto& kv) { return kv.first == lower; });
}

const boost::json::object& HttpResult::obj() const {
  static const boost::json::object kEmpty;
  return json.is_object() ? json.get_object() : kEmpty;
}

std::string HttpResult::Str(const std::string& key) const {
  const auto* v = obj().if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string HttpResult::Describe() const {
  if (status == 0) return "transport error: " + error;
  std::string b = body.size() > 1500 ? body.substr(0, 1500) + "...(" + std::to_string(body.size()) + " bytes)" : body;
  return std::to_string(status) + " [" + Header("content-type") + "] " + b;
}

// ---------------------------------------------------------------- HTTPS

struct HttpsClient::Impl {
  explicit Impl(int p) : port(p), ctx(ClientContext()) {}

  int port;
  net::io_context ioc;
  std::shared_ptr<net::ssl::context> ctx;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
  int opened = 0;

  template <class Start>
  beast::error_code Run(Start&& start, std::chrono::milliseconds timeout) {
    return RunWithDeadline(ioc, beast::get_lowest_layer(*stream).socket(), std::forward<Start>(start), timeout);
  }

  void Drop() {
    if (stream) {
      beast::error_code ignored;
      beast::get_lowest_layer(*stream).socket().close(ignored);
    }
    stream.reset();
    buffer.clear();
  }

  beast::error_code Connect() {
    Drop();
    stream = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *ctx);
    ++opened;
    tcp::endpoint ep = Loopback(port);
    if (auto ec = Run([&](auto h) { beast::get_lowest_layer(*stream).socket().async_connect(ep, h); }, kDefaultTimeout))
      return ec;
    SSL_set_tlsext_host_name(stream->native_handle(), "localhost");
    return Run([&](auto h) { stream->async_handshake(net::ssl::stream_base::client, h); }, kDefaultTimeout);
  }

  http::request<http::string_body> Make(const std::string& method, const std::string& target, const std::string& body,
                                        const Headers& headers) {
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, "localhost");
    req.set(http::field::user_agent, "casus-api-test");
    bool has_type = false;
    for (const auto& [k, v] : headers) {
      req.set(k, v);
      if (Lower(k) == "content-type") has_type = true;
    }
    if (!body.empty() && !has_type) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    return req;
  }

  HttpResult Exchange(const http::request<http::string_body>& req, std::chrono::milliseconds timeout,
                      bool head_only) {
    HttpResult failed;
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool fresh = !stream;
      if (fresh) {
        if (auto ec = Connect()) {
          failed.error = "connect: " + ec.message();
          Drop();
          return failed;
        }
      }
      beast::error_code wec;
      if (head_only) {
        http::request_serializer<http::string_body> sr(req);
        wec = Run([&](auto h) { http::async_write_header(*stream, sr, h); }, timeout);
      } else {
        wec = Run([&](auto h) { http::async_write(*stream, req, h); }, timeout);
      }
      beast::error_code rec;
      HttpResult r = ReadResponse(ioc, *stream, buffer, timeout, &rec);
      if (!rec) {
        if (!r.keep_alive) Drop();
        return r;
      }
      // A kept-alive connection the server had already closed: retry once
      // on a fresh one (nothing reached the handler).
      const bool stale = !fresh && (rec == http::error::end_of_stream || rec == net::error::eof ||
                                    rec == net::error::connection_reset || rec == net::ssl::error::stream_truncated);
      Drop();
      failed.error = std::string(wec ? "write: " + wec.message() + "; " : "") + "read: " + rec.message();
      if (!stale) return failed;
    }
    return failed;
  }
};

HttpsClient::HttpsClient(int port) : impl_(std::make_unique<Impl>(port)) {}
HttpsClient::~HttpsClient() { impl_->Drop(); }

HttpResult HttpsClient::Request(const std::string& method, const std::string& target, const std::string& body,
                                const Headers& headers, std::chrono::milliseconds timeout) {
  return impl_->Exchange(impl_->Make(method, target, body, headers), timeout, false);
}

HttpResult HttpsClient::RequestHeadOnly(const std::string& method, const std::string& target,
                                        std::size_t content_length, const Headers& headers) {
  auto req = impl_->Make(method, target, "", headers);
  req.set(http::field::content_type, "application/json");
  req.content_length(content_length);
  HttpResult r = impl_->Exchange(req, kDefaultTimeout, true);
  impl_->Drop();  // the declared body was never sent: this connection is unusable
  return r;
}

void HttpsClient::Reset() { impl_->Drop(); }
int HttpsClient::connections_opened() const { return impl_->opened; }

// ---------------------------------------------------------------- Raw TLS connection

struct RawConnection::Impl {
  Impl(int p, int min_version, int max_version)
      : port(p), ctx(ClientContext(min_version, max_version)), stream(ioc, *ctx) {}

  int port;
  net::io_context ioc;
  std::shared_ptr<net::ssl::context> ctx;
  beast::ssl_stream<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  tcp::socket& socket() { return beast::get_lowest_layer(stream).socket(); }

  template <class Start>
  beast::error_code Run(Start&& start, std::chrono::milliseconds timeout) {
    return RunWithDeadline(ioc, socket(), std::forward<Start>(start), timeout);
  }
};

RawConnection::RawConnection(int port, int min_version, int max_version)
    : impl_(std::make_unique<Impl>(port, min_version, max_version)) {}

RawConnection::~RawConnection() { Close(); }

std::string RawConnection::Connect() {
  Impl& s = *impl_;
  tcp::endpoint ep = Loopback(s.port);
  auto ec = s.Run([&](auto h) { s.socket().async_connect(ep, h); }, kDefaultTimeout);
  return ec ? "connect: " + ec.message() : "";
}

std::string RawConnection::Handshake() {
  Impl& s = *impl_;
  SSL_set_tlsext_host_name(s.stream.native_handle(), "localhost");
  auto ec = s.Run([&](auto h) { s.stream.async_handshake(net::ssl::stream_base::client, h); }, kDefaultTimeout);
  return ec ? "tls: " + ec.message() : "";
}

std::string RawConnection::Open() {
  std::string error = Connect();
  return error.empty() ? Handshake() : error;
}

std::string RawConnection::Write(const std::string& method, const std::string& target, const std::string& body,
                                 const Headers& headers) {
  Impl& s = *impl_;
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "localhost");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  auto ec = s.Run([&](auto h) { http::async_write(s.stream, req, h); }, kDefaultTimeout);
  return ec ? "write: " + ec.message() : "";
}

std::string RawConnection::WriteRaw(const std::string& bytes) {
  Impl& s = *impl_;
  auto ec = s.Run([&](auto h) { net::async_write(s.stream, net::buffer(bytes), h); }, kDefaultTimeout);
  return ec ? "write: " + ec.message() : "";
}

HttpResult RawConnection::Read(std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  beast::error_code ec;
  HttpResult r = ReadResponse(s.ioc, s.stream, s.buffer, timeout, &ec);
  if (ec) r.error = "read: " + ec.message();
  return r;
}

HttpResult RawConnection::Request(const std::string& method, const std::string& target, const std::string& body,
                                  const Headers& headers) {
  std::string error = Write(method, target, body, headers);
  if (!error.empty()) {
    HttpResult failed;
    failed.error = error;
    return failed;
  }
  return Read();
}

bool RawConnection::ClosedWithin(std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  char byte;
  // Anything but a timeout (end of stream, truncation, reset) means the
  // server closed.
  auto ec = s.Run([&](auto h) { s.stream.async_read_some(net::buffer(&byte, 1), h); }, timeout);
  return ec && ec != net::error::timed_out;
}

int RawConnection::tls_version() const { return SSL_version(impl_->stream.native_handle()); }

void RawConnection::Close() {
  beast::error_code ignored;
  impl_->socket().close(ignored);
}

// ---------------------------------------------------------------- Plain TCP

PlainTcpReply SendPlainTcp(int port, const std::string& bytes, std::size_t max_reply,
                           std::chrono::milliseconds timeout) {
  PlainTcpReply out;
  net::io_context ioc;
  tcp::socket sock(ioc);
  tcp::endpoint ep = Loopback(port);
  if (auto ec = RunWithDeadline(ioc, sock, [&](auto h) { sock.async_connect(ep, h); }, kDefaultTimeout)) {
    out.error = "connect: " + ec.message();
    return out;
  }
  if (auto ec = RunWithDeadline(ioc, sock, [&](auto h) { net::async_write(sock, net::buffer(bytes), h); }, timeout)) {
    out.error = "write: " + ec.message();
    return out;
  }
  out.received.resize(max_reply);
  std::size_t n = 0;
  auto ec = RunWithDeadline(ioc, sock, [&](auto h) { net::async_read(sock, net::buffer(out.received), h); }, timeout,
                            &n);
  out.received.resize(n);
  // Any other error (end of file, reset) is the server closing: its whole answer came.
  if (ec == net::error::timed_out) out.error = "timeout";
  beast::error_code ignored;
  sock.close(ignored);
  return out;
}

// ---------------------------------------------------------------- WebSocket

struct WsClient::Impl {
  Impl(int p, int rcvbuf, int mss)
      : port(p), receive_buffer(rcvbuf), max_segment(mss), ctx(ClientContext()), ws(ioc, *ctx) {}

  int port;
  int receive_buffer;
  int max_segment;
  net::io_context ioc;
  std::shared_ptr<net::ssl::context> ctx;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>, false> ws;  // no permessage-deflate, as the server
  beast::flat_buffer buffer;

  template <class Start>
  beast::error_code Run(Start&& start, std::chrono::milliseconds timeout) {
    return RunWithDeadline(ioc, beast::get_lowest_layer(ws).socket(), std::forward<Start>(start), timeout);
  }
};

WsClient::WsClient(int port, int receive_buffer, int max_segment)
    : impl_(std::make_unique<Impl>(port, receive_buffer, max_segment)) {}

WsClient::~WsClient() {
  beast::error_code ignored;
  beast::get_lowest_layer(impl_->ws).socket().close(ignored);
}

std::string WsClient::Open(const std::string& target, const Headers& headers, int* status) {
  Impl& s = *impl_;
  auto& sock = beast::get_lowest_layer(s.ws).socket();
  beast::error_code ec;
  sock.open(tcp::v4(), ec);
  if (ec) return "open: " + ec.message();
  if (s.receive_buffer > 0) sock.set_option(net::socket_base::receive_buffer_size(s.receive_buffer), ec);
  if (s.max_segment > 0) {
    const int mss = s.max_segment;
    if (::setsockopt(sock.native_handle(), IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss) != 0) return "TCP_MAXSEG failed";
  }
  tcp::endpoint ep = Loopback(s.port);
  if ((ec = s.Run([&](auto h) { sock.async_connect(ep, h); }, kDefaultTimeout))) return "connect: " + ec.message();
  SSL_set_tlsext_host_name(s.ws.next_layer().native_handle(), "localhost");
  if ((ec = s.Run([&](auto h) { s.ws.next_layer().async_handshake(net::ssl::stream_base::client, h); },
                  kDefaultTimeout)))
    return "tls: " + ec.message();
  s.ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    req.set(http::field::user_agent, "casus-api-test");
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  s.ws.read_message_max(16 * 1024 * 1024);
  websocket::response_type res;
  ec = s.Run([&](auto h) { s.ws.async_handshake(res, "localhost", target, h); }, kDefaultTimeout);
  if (status) *status = static_cast<int>(res.result_int());
  if (ec) return "upgrade: " + ec.message();
  return "";
}

std::string WsClient::Read(std::string* message, std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  s.buffer.clear();
  // A read that times out closes the socket (RunWithDeadline), so a
  // timeout ends this client; callers treat it as final.
  auto ec = s.Run([&](auto h) { s.ws.async_read(s.buffer, h); }, timeout);
  if (ec == net::error::timed_out) return "timeout";
  if (ec) return ec.message();
  *message = beast::buffers_to_string(s.buffer.data());
  return "";
}

std::vector<std::string> WsClient::Drain(std::chrono::milliseconds quiet, std::string* final_error) {
  std::vector<std::string> out;
  for (;;) {
    std::string m;
    std::string err = Read(&m, quiet);
    if (!err.empty()) {
      if (final_error) *final_error = err;
      return out;
    }
    out.push_back(std::move(m));
  }
}

std::string WsClient::Close() {
  Impl& s = *impl_;
  auto ec = s.Run([&](auto h) { s.ws.async_close(websocket::close_code::normal, h); }, kDefaultTimeout);
  return ec ? ec.message() : "";
}

int WsClient::close_code() const { return static_cast<int>(impl_->ws.reason().code); }

// ---------------------------------------------------------------- TLS probe

TlsProbe ProbeTls(int port, int min_version, int max_version) {
  TlsProbe out;
  net::io_context ioc;
  auto ctx = ClientContext(min_version, max_version);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, *ctx);
  auto& sock = beast::get_lowest_layer(stream).socket();
  tcp::endpoint ep = Loopback(port);
  auto ec = RunWithDeadline(ioc, sock, [&](auto h) { sock.async_connect(ep, h); }, kDefaultTimeout);
  if (ec) {
    out.error = "connect: " + ec.message();
    return out;
  }
  SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
  ec = RunWithDeadline(ioc, sock, [&](auto h) { stream.async_handshake(net::ssl::stream_base::client, h); },
                       kDefaultTimeout);
  if (ec) {
    out.error = ec.message();
    return out;
  }
  out.handshake_ok = true;
  out.negotiated_version = SSL_version(stream.native_handle());
  beast::error_code ignored;
  sock.close(ignored);
  return out;
}

}  // namespace casus::apitest

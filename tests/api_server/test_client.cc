#include "tests/api_server/test_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <optional>

namespace casus::api::server::testing {

using tcp = net::ip::tcp;

std::shared_ptr<net::ssl::context> ClientContext(int min_version, int max_version) {
  auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
  ctx->set_verify_mode(net::ssl::verify_none);
  SSL_CTX* native = ctx->native_handle();
  if (min_version != 0) SSL_CTX_set_min_proto_version(native, min_version);
  if (max_version != 0) SSL_CTX_set_max_proto_version(native, max_version);
  if (max_version != 0 && max_version < TLS1_2_VERSION) {
    SSL_CTX_set_security_level(native, 0);
    SSL_CTX_set_cipher_list(native, "ALL:@SECLEVEL=0");
  }
  return ctx;
}

Request MakeRequest(http::verb verb, const std::string& target, const std::string& body) {
  Request req{verb, target, 11};
  req.set(http::field::host, "localhost");
  if (!body.empty()) req.body() = body;
  req.prepare_payload();
  return req;
}

// Runs one async operation to completion or `timeout`; on timeout the
// socket is closed so the operation completes (with an error) before the
// handler's captured state goes out of scope.
template <class Start>
beast::error_code HttpsClient::Run(Start&& start, std::chrono::milliseconds timeout) {
  std::optional<beast::error_code> result;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc_.restart();
  ioc_.run_for(timeout);
  if (!result) {
    beast::get_lowest_layer(stream_).close();
    ioc_.restart();
    ioc_.run();
    return net::error::timed_out;
  }
  return *result;
}

HttpsClient::HttpsClient(int port, std::shared_ptr<net::ssl::context> ctx)
    : ctx_(std::move(ctx)), port_(port), stream_(ioc_, *ctx_) {}

HttpsClient::~HttpsClient() { Close(); }

beast::error_code HttpsClient::Connect() {
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_));
  return Run([&](auto h) { beast::get_lowest_layer(stream_).async_connect(ep, h); }, kOpTimeout);
}

beast::error_code HttpsClient::Handshake() {
  SSL_set_tlsext_host_name(stream_.native_handle(), "localhost");
  return Run([&](auto h) { stream_.async_handshake(net::ssl::stream_base::client, h); }, kOpTimeout);
}

beast::error_code HttpsClient::Write(const Request& req) {
  return Run([&](auto h) { http::async_write(stream_, req, h); }, kOpTimeout);
}

beast::error_code HttpsClient::WriteRaw(const std::string& bytes) {
  return Run([&](auto h) { net::async_write(stream_, net::buffer(bytes), h); }, kOpTimeout);
}

beast::error_code HttpsClient::Read(Response* res, std::chrono::milliseconds timeout) {
  *res = {};
  return Run([&](auto h) { http::async_read(stream_, buffer_, *res, h); }, timeout);
}

beast::error_code HttpsClient::Do(const Request& req, Response* res) {
  if (auto ec = Write(req)) return ec;
  return Read(res);
}

beast::error_code HttpsClient::Get(const std::string& target, Response* res) {
  return Do(MakeRequest(http::verb::get, target), res);
}

bool HttpsClient::ClosedWithin(std::chrono::milliseconds timeout) {
  char byte;
  // Anything but a timeout (eof, truncated, reset) means the server closed.
  auto ec = Run([&](auto h) { stream_.async_read_some(net::buffer(&byte, 1), h); }, timeout);
  return ec && ec != net::error::timed_out;
}

int HttpsClient::TlsVersion() { return SSL_version(stream_.native_handle()); }

void HttpsClient::Close() {
  beast::error_code ec;
  beast::get_lowest_layer(stream_).socket().close(ec);
}

template <class Start>
beast::error_code WsClient::Run(Start&& start, std::chrono::milliseconds timeout) {
  std::optional<beast::error_code> result;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc_.restart();
  ioc_.run_for(timeout);
  if (!result) {
    beast::get_lowest_layer(ws_).close();
    ioc_.restart();
    ioc_.run();
    return net::error::timed_out;
  }
  return *result;
}

WsClient::WsClient(int port) : ctx_(ClientContext()), port_(port), ws_(ioc_, *ctx_) {}

WsClient::~WsClient() {
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
}

beast::error_code WsClient::Open(const std::string& target, int* status) {
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_));
  if (auto ec = Run([&](auto h) { beast::get_lowest_layer(ws_).async_connect(ep, h); }, kOpTimeout)) return ec;
  if (auto ec = Run([&](auto h) { ws_.next_layer().async_handshake(net::ssl::stream_base::client, h); }, kOpTimeout))
    return ec;
  beast::websocket::response_type res;
  auto ec = Run([&](auto h) { ws_.async_handshake(res, "localhost", target, h); }, kOpTimeout);
  if (status) *status = static_cast<int>(res.result_int());
  return ec;
}

beast::error_code WsClient::ReadText(std::string* out, std::chrono::milliseconds timeout) {
  buffer_.clear();
  auto ec = Run([&](auto h) { ws_.async_read(buffer_, h); }, timeout);
  if (!ec) *out = beast::buffers_to_string(buffer_.data());
  return ec;
}

beast::error_code WsClient::Close() {
  return Run([&](auto h) { ws_.async_close(beast::websocket::close_code::normal, h); }, kOpTimeout);
}

int WsClient::close_code() const { return static_cast<int>(ws_.reason().code); }

}  // namespace casus::api::server::testing

// Minimal real TLS clients for the transport tests: HTTPS over Beast and
// WebSocket over TLS. Every operation has a deadline, so a server bug
// fails a test instead of hanging it.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace casus::api::server::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Response = http::response<http::string_body>;
using Request = http::request<http::string_body>;

constexpr std::chrono::milliseconds kOpTimeout{5000};

// Verification off (the server's cert is self-signed). A version of 0
// leaves that bound at the library default; pinning to TLS 1.0/1.1 also
// lowers the security level so OpenSSL 3 will at least offer it.
std::shared_ptr<net::ssl::context> ClientContext(int min_version = 0, int max_version = 0);

class HttpsClient {
 public:
  explicit HttpsClient(int port, std::shared_ptr<net::ssl::context> ctx = ClientContext());
  ~HttpsClient();

  beast::error_code Connect();    // TCP only
  beast::error_code Handshake();  // TLS
  beast::error_code Open() {      // both
    auto ec = Connect();
    return ec ? ec : Handshake();
  }
  beast::error_code Write(const Request& req);
  beast::error_code WriteRaw(const std::string& bytes);  // through TLS
  beast::error_code Read(Response* res, std::chrono::milliseconds timeout = kOpTimeout);
  // Write + Read.
  beast::error_code Do(const Request& req, Response* res);
  beast::error_code Get(const std::string& target, Response* res);
  // Waits for the server to close the connection; true if it did in time.
  bool ClosedWithin(std::chrono::milliseconds timeout);
  int TlsVersion();  // SSL_version of the session, e.g. TLS1_3_VERSION
  void Close();

 private:
  template <class Start>
  beast::error_code Run(Start&& start, std::chrono::milliseconds timeout);

  net::io_context ioc_;
  std::shared_ptr<net::ssl::context> ctx_;
  int port_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

Request MakeRequest(http::verb verb, const std::string& target, const std::string& body = "");

class WsClient {
 public:
  explicit WsClient(int port);
  ~WsClient();
  // Connects and upgrades; on refusal returns an error and sets *status.
  beast::error_code Open(const std::string& target, int* status = nullptr);
  beast::error_code ReadText(std::string* out, std::chrono::milliseconds timeout = kOpTimeout);
  beast::error_code Close();
  // The close code the server sent (after ReadText returned closed).
  int close_code() const;

 private:
  template <class Start>
  beast::error_code Run(Start&& start, std::chrono::milliseconds timeout);

  net::io_context ioc_;
  std::shared_ptr<net::ssl::context> ctx_;
  int port_;
  beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>, false> ws_;  // no permessage-deflate, as the server
  beast::flat_buffer buffer_;
};

}  // namespace casus::api::server::testing

#include "api/server/https_fetcher.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <optional>

namespace casus::api::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct Target {
  std::string host;
  std::string port;
  std::string path_and_query;
};

StatusOr<Target> ParseTarget(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || parsed->scheme() != "https" || parsed->encoded_host().empty() || parsed->has_userinfo())
    return Status::InvalidArgument("not an https URL");
  Target t;
  t.host = parsed->host();
  t.port = parsed->has_port() ? std::string(parsed->port()) : "443";
  t.path_and_query = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  if (parsed->has_query()) t.path_and_query += "?" + std::string(parsed->encoded_query());
  return t;
}

// One request as a chain of asynchronous steps on a private io_context,
// which the caller runs for at most the timeout: resolve, connect, TLS
// handshake (SNI and host name checked), write, read. Callbacks rather than
// C++20 coroutines: clang 14 cannot compile Asio's coroutines with the
// sanitizer and coverage instrumentation of the build-asan tree.
class Exchange {
 public:
  Exchange(asio::io_context& io, asio::ssl::context& tls, const Target& target,
           const app::oidc::HttpsRequest& request, std::size_t max_body, app::oidc::HttpsResponse& out)
      : resolver_(io), stream_(io, tls), target_(target), request_(request), out_(out) {
    parser_.body_limit(max_body);
  }

  void Start() {
    if (!SSL_set_tlsext_host_name(stream_.native_handle(), target_.host.c_str()))
      return Fail(beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
    stream_.set_verify_callback(asio::ssl::host_name_verification(target_.host));
    resolver_.async_resolve(target_.host, target_.port, [this](beast::error_code ec, auto endpoints) {
      if (ec) return Fail(ec);
      beast::get_lowest_layer(stream_).async_connect(endpoints, [this](beast::error_code ec, auto) {
        if (ec) return Fail(ec);
        stream_.async_handshake(asio::ssl::stream_base::client, [this](beast::error_code ec) {
          if (ec) return Fail(ec);
          Write();
        });
      });
    });
  }

  bool done() const { return done_; }
  const std::optional<std::string>& failure() const { return failure_; }

 private:
  void Write() {
    request_message_ = {request_.method == "POST" ? http::verb::post : http::verb::get, target_.path_and_query, 11};
    // RFC 9110 7.2: the port belongs in Host unless it is the default;
    // providers build their endpoints' URLs from it.
    request_message_.set(http::field::host,
                         target_.port == "443" ? target_.host : target_.host + ":" + target_.port);
    request_message_.set(http::field::user_agent, "Casus");
    request_message_.set(http::field::accept, "application/json");
    for (const auto& [name, value] : request_.headers) request_message_.set(name, value);
    if (request_.method == "POST") {
      request_message_.set(http::field::content_type, "application/x-www-form-urlencoded");
      request_message_.body() = request_.body;
      request_message_.prepare_payload();
    }
    http::async_write(stream_, request_message_, [this](beast::error_code ec, std::size_t) {
      if (ec) return Fail(ec);
      http::async_read(stream_, buffer_, parser_, [this](beast::error_code ec, std::size_t) {
        if (ec) return Fail(ec);
        const auto& res = parser_.get();
        out_.status = static_cast<int>(res.result_int());
        out_.content_type = std::string(res[http::field::content_type]);
        out_.body = res.body();
        beast::error_code ignored;
        beast::get_lowest_layer(stream_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        done_ = true;
      });
    });
  }

  void Fail(const beast::error_code& ec) {
    failure_ = ec.message();
    done_ = true;
  }

  asio::ip::tcp::resolver resolver_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  const Target& target_;
  const app::oidc::HttpsRequest& request_;
  app::oidc::HttpsResponse& out_;
  http::request<http::string_body> request_message_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  bool done_ = false;
  std::optional<std::string> failure_;
};

}  // namespace

StatusOr<app::oidc::HttpsResponse> BeastHttpsFetcher::Fetch(const app::oidc::HttpsRequest& request) {
  ASSIGN_OR_RETURN(Target target, ParseTarget(request.url));
  const std::string where = "https://" + target.host + ":" + target.port;

  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                  asio::ssl::context::no_tlsv1_1 | asio::ssl::context::no_compression);
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::error_code ec;
  if (request.ca_file.empty()) tls.set_default_verify_paths(ec);
  else tls.load_verify_file(request.ca_file.string(), ec);
  if (ec) return Status::FailedPrecondition("cannot load the trust anchors for " + where);

  app::oidc::HttpsResponse response;
  asio::io_context io;
  // Declared after the io_context, so destroyed first: after a timeout its
  // sockets close and the pending handlers are dropped, never run.
  Exchange exchange(io, tls, target, request, limits_.max_body_bytes, response);
  exchange.Start();
  io.run_for(limits_.timeout);
  if (!exchange.done()) return Status::Unavailable("no answer from " + where + " in time");
  if (exchange.failure())
    return Status::Unavailable("request to " + where + " failed: " + exchange.failure()->substr(0, 200));
  return response;
}

}  // namespace casus::api::server

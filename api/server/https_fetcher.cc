#include "api/server/https_fetcher.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
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

asio::awaitable<void> Exchange(asio::ssl::context& tls, const Target& target, const app::oidc::HttpsRequest& request,
                               std::size_t max_body, app::oidc::HttpsResponse& out) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
  // SNI, and the name the certificate is checked against.
  if (!SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str()))
    throw beast::system_error(beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
  stream.set_verify_callback(asio::ssl::host_name_verification(target.host));
  auto endpoints = co_await resolver.async_resolve(target.host, target.port, asio::use_awaitable);
  co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
  co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);

  http::request<http::string_body> req(request.method == "POST" ? http::verb::post : http::verb::get,
                                       target.path_and_query, 11);
  // RFC 9110 7.2: the port belongs in Host unless it is the default;
  // providers build their endpoints' URLs from it.
  req.set(http::field::host, target.port == "443" ? target.host : target.host + ":" + target.port);
  req.set(http::field::user_agent, "Casus");
  req.set(http::field::accept, "application/json");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (request.method == "POST") {
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = request.body;
    req.prepare_payload();
  }
  co_await http::async_write(stream, req, asio::use_awaitable);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string(res[http::field::content_type]);
  out.body = res.body();
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

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

  asio::io_context io;
  app::oidc::HttpsResponse response;
  std::optional<std::string> failure;
  bool done = false;
  asio::co_spawn(io, Exchange(tls, target, request, limits_.max_body_bytes, response),
                 [&](std::exception_ptr error) {
                   done = true;
                   if (!error) return;
                   try {
                     std::rethrow_exception(error);
                   } catch (const beast::system_error& e) {
                     failure = e.code().message();
                   } catch (const std::exception& e) {
                     failure = e.what();
                   }
                 });
  io.run_for(limits_.timeout);
  if (!done) return Status::Unavailable("no answer from " + where + " in time");
  if (failure) return Status::Unavailable("request to " + where + " failed: " + failure->substr(0, 200));
  return response;
}

}  // namespace casus::api::server

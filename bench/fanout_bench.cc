// WebSocket fan-out: CLIENTS WebSocket-over-TLS subscribers to
// GET /api/v1/events (one io_context thread), while a driver thread takes
// transitions over HTTPS at a fixed RATE per second for SECONDS. Each
// transition's case is used once, so the first event a client receives for
// that case is the one the transition caused; its latency is measured from
// the moment the driver sent the request (an upper bound on
// commit-to-receive: it includes the request and the commit itself).
//
//   fanout_bench PORT TOKEN CLIENTS CASES_FILE RATE SECONDS
//
// Cases come from `transitions_bench api-cases` (in verrijking at version 2).
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "bench/bench_common.h"

namespace casus::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct Shared {
  std::mutex mu;
  std::unordered_map<std::string, SteadyClock::time_point> sent_at;  // case id -> request sent
  std::vector<double> latencies_ms;                                  // per (client, case): first event
  std::atomic<long> messages{0};
  std::atomic<int> connected{0};
  std::atomic<int> failed{0};
  std::atomic<bool> stop{false};
};

asio::awaitable<void> Subscriber(asio::ssl::context& tls, int port, std::string token, Shared& shared) {
  auto ex = co_await asio::this_coro::executor;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>, false> ws(ex, tls);
  try {
    beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(30));
    co_await beast::get_lowest_layer(ws).async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), asio::use_awaitable);
    co_await ws.next_layer().async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    beast::get_lowest_layer(ws).expires_never();
    ws.set_option(websocket::stream_base::decorator(
        [token](websocket::request_type& req) { req.set(http::field::authorization, "Bearer " + token); }));
    co_await ws.async_handshake("localhost:" + std::to_string(port), "/api/v1/events", asio::use_awaitable);
  } catch (const std::exception& e) {
    if (shared.failed++ == 0) std::cerr << "subscriber connect: " << e.what() << "\n";
    co_return;
  }
  ++shared.connected;
  std::unordered_map<std::string, bool> seen;
  beast::flat_buffer buffer;
  while (!shared.stop) {
    try {
      co_await ws.async_read(buffer, asio::use_awaitable);
    } catch (const std::exception& e) {
      if (!shared.stop && shared.failed++ == 0) std::cerr << "subscriber read: " << e.what() << "\n";
      co_return;
    }
    const auto received = SteadyClock::now();
    ++shared.messages;
    boost::system::error_code ec;
    auto msg = boost::json::parse(beast::buffers_to_string(buffer.data()), ec);
    buffer.consume(buffer.size());
    if (ec || !msg.is_object()) continue;
    const auto* case_id = msg.as_object().if_contains("case_id");
    if (!case_id || !case_id->is_string()) continue;
    std::string id(case_id->as_string());
    if (!seen.emplace(id, true).second) continue;
    std::lock_guard lock(shared.mu);
    auto it = shared.sent_at.find(id);
    if (it != shared.sent_at.end())
      shared.latencies_ms.push_back(std::chrono::duration<double, std::milli>(received - it->second).count());
  }
}

// Keep-alive HTTPS client that takes the transitions i = first, first +
// stride, ... at start + i / rate, so that `stride` such drivers together
// keep the fixed rate even when one answer takes longer than the interval.
void Driver(asio::ssl::context& tls, int port, const std::string& token, const std::vector<std::string>& cases,
            std::size_t first, std::size_t stride, SteadyClock::time_point start, double rate, double seconds,
            Shared& shared, std::atomic<long>& ok, std::atomic<long>& not_ok, std::vector<double>& response_ms) {
  asio::io_context io;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> stream;
  auto connect = [&] {
    stream = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io, tls);
    beast::get_lowest_layer(*stream).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    stream->handshake(asio::ssl::stream_base::client);
  };
  connect();
  const auto interval = std::chrono::duration<double>(1.0 / rate);
  for (std::size_t i = first; i < cases.size(); i += stride) {
    const auto due = start + std::chrono::duration_cast<SteadyClock::duration>(interval * static_cast<double>(i));
    if (due - start > std::chrono::duration<double>(seconds)) break;
    std::this_thread::sleep_until(due);
    http::request<http::string_body> req{http::verb::post, "/api/v1/cases/" + cases[i] + "/transitions", 11};
    req.set(http::field::host, "localhost");
    req.set(http::field::authorization, "Bearer " + token);
    req.set(http::field::content_type, "application/json");
    req.body() = R"({"transition":"partnerinformatie_toevoegen","version":2,"data":{"informatie":"fan-out"}})";
    req.prepare_payload();
    const auto sent = SteadyClock::now();
    {
      std::lock_guard lock(shared.mu);
      shared.sent_at[cases[i]] = sent;
    }
    try {
      http::write(*stream, req);
      beast::flat_buffer buffer;
      http::response<http::string_body> res;
      http::read(*stream, buffer, res);
      response_ms.push_back(SecondsSince(sent) * 1000);
      (res.result_int() == 200 ? ok : not_ok)++;
      if (!res.keep_alive()) connect();
    } catch (const std::exception&) {
      ++not_ok;
      connect();
    }
  }
}

int Run(int port, const std::string& token, int clients, const std::string& cases_file, double rate, double seconds) {
  std::vector<std::string> cases;
  std::ifstream in(cases_file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) cases.push_back(line);
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_verify_mode(asio::ssl::verify_none);  // the benchmark's self-signed certificate
  Shared shared;
  asio::io_context io;
  for (int c = 0; c < clients; ++c) asio::co_spawn(io, Subscriber(tls, port, token, shared), asio::detached);
  std::thread loop([&] { io.run(); });
  const auto connect_start = SteadyClock::now();
  while (shared.connected + shared.failed < clients && SecondsSince(connect_start) < 60)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const double connect_seconds = SecondsSince(connect_start);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // subscriptions settle

  std::atomic<long> ok{0}, not_ok{0};
  std::vector<double> response_ms;
  const long before = shared.messages;
  const auto drive_start = SteadyClock::now();
  {
    constexpr std::size_t kDrivers = 8;
    std::vector<std::vector<double>> per_driver(kDrivers);
    std::vector<std::thread> drivers;
    for (std::size_t d = 0; d < kDrivers; ++d)
      drivers.emplace_back([&, d] {
        Driver(tls, port, token, cases, d, kDrivers, drive_start, rate, seconds, shared, ok, not_ok, per_driver[d]);
      });
    for (auto& t : drivers) t.join();
    for (const auto& v : per_driver) response_ms.insert(response_ms.end(), v.begin(), v.end());
  }
  // Let the last events arrive (bounded), then stop.
  const long expected = ok * shared.connected;
  const auto drain_start = SteadyClock::now();
  while (shared.messages - before < expected && SecondsSince(drain_start) < 5)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const double seconds_total = SecondsSince(drive_start);
  const long delivered = shared.messages - before;
  shared.stop = true;
  io.stop();
  loop.join();
  std::lock_guard lock(shared.mu);
  std::cout << JsonLine().Str("bench", "fanout").Num("clients", clients).Num("connected", shared.connected)
                   .Num("connect_seconds", connect_seconds).Num("rate", rate).Num("transitions_ok", static_cast<double>(ok))
                   .Num("transitions_failed", static_cast<double>(not_ok)).Num("delivered", static_cast<double>(delivered))
                   .Num("expected", static_cast<double>(expected)).Num("seconds", seconds_total)
                   .Num("delivered_per_s", static_cast<double>(delivered) / seconds_total)
                   .Num("p50_ms", Percentile(shared.latencies_ms, 0.5)).Num("p99_ms", Percentile(shared.latencies_ms, 0.99))
                   .Num("max_ms", Percentile(shared.latencies_ms, 1.0))
                   .Num("post_p50_ms", Percentile(response_ms, 0.5)).Num("post_p99_ms", Percentile(response_ms, 0.99))
                   .Done()
            << std::endl;
  return 0;
}

}  // namespace
}  // namespace casus::bench

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: fanout_bench PORT TOKEN CLIENTS CASES_FILE RATE SECONDS\n";
    return 2;
  }
  return casus::bench::Run(std::stoi(argv[1]), argv[2], std::stoi(argv[3]), argv[4], std::stod(argv[5]),
                           std::stod(argv[6]));
}

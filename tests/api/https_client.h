// Real clients for the end-to-end API tests and the transport tests
// (tests/api_server): a synchronous keep-alive HTTPS client, a WebSocket-
// over-TLS client, a step-by-step raw TLS connection, a raw TLS handshake
// probe and a plain-TCP exchange. Beast stays behind these classes (pimpl)
// so that only https_client.cc pays for compiling it. Every network operation has a deadline: a server
// bug fails a test instead of hanging the binary.
#pragma once

#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace casus::apitest {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::chrono::milliseconds kDefaultTimeout{10000};

struct HttpResult {
  int status = 0;     // 0 when the exchange failed at the transport level
  std::string error;  // the transport error, empty on success
  Headers headers;    // names lower-case, in the order received
  std::string body;
  bool keep_alive = false;  // the server lets the connection stay open (HTTP/1.1 without Connection: close)
  boost::json::value json;  // the parsed body; null when it is not JSON

  // The first header with this name (any case), or "".
  std::string Header(const std::string& name) const;
  bool HasHeader(const std::string& name) const;
  // json.as_object(), or an empty object.
  const boost::json::object& obj() const;
  // A string member of the JSON object, or "".
  std::string Str(const std::string& key) const;
  // "<status> <content-type> <body (truncated)>" for failure messages.
  std::string Describe() const;
};

class HttpsClient {
 public:
  explicit HttpsClient(int port);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // One request on the kept-alive connection (connecting when needed).
  // Content-Type application/json is sent with a non-empty body unless
  // `headers` names another one.
  HttpResult Request(const std::string& method, const std::string& target, const std::string& body = "",
                     const Headers& headers = {}, std::chrono::milliseconds timeout = kDefaultTimeout);

  // Sends only the request head, declaring `content_length` body bytes,
  // and reads the answer the server gives before any of the body.
  HttpResult RequestHeadOnly(const std::string& method, const std::string& target, std::size_t content_length,
                             const Headers& headers = {});

  // Drops the connection; the next request reconnects.
  void Reset();
  // How many TCP connections this client opened so far.
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class WsClient {
 public:
  // `receive_buffer` > 0 sets SO_RCVBUF and `max_segment` > 0 TCP_MAXSEG
  // before connecting. Both make a client that does not read back-pressure
  // the server sooner: on loopback (MSS 64 KiB) the server's send buffer
  // is sized from the MSS the client announces, about 2.5 MiB by default.
  explicit WsClient(int port, int receive_buffer = 0, int max_segment = 0);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // TCP, TLS and the WebSocket upgrade of `target` with `headers`. Returns
  // "" on success, else the error; `*status` gets the HTTP status of the
  // upgrade answer (101 on success).
  std::string Open(const std::string& target, const Headers& headers, int* status = nullptr);
  // Reads one message. "" on success; "timeout" when nothing came in time;
  // otherwise the error (e.g. the server closed).
  std::string Read(std::string* message, std::chrono::milliseconds timeout);
  // Reads every message that arrives until `quiet` passes without one or
  // the connection ends; returns them.
  std::vector<std::string> Drain(std::chrono::milliseconds quiet, std::string* final_error = nullptr);
  std::string Close();
  // The close code the server sent (after Read reported the close), 0 if none.
  int close_code() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct TlsProbe {
  bool handshake_ok = false;
  int negotiated_version = 0;  // e.g. TLS1_3_VERSION when it succeeded
  std::string error;
};

// A raw TLS handshake with the client limited to [min_version, max_version]
// (OpenSSL constants such as TLS1_VERSION); versions below TLS 1.2 run at
// security level 0 so the client really offers them.
TlsProbe ProbeTls(int port, int min_version, int max_version);

// One TLS connection driven step by step, for tests of the transport
// itself: TCP connect and TLS handshake separately, raw bytes through TLS,
// one response read with a chosen deadline, waiting for the server to
// close. Nothing is retried or reconnected. Errors are returned as
// strings, "" on success; a step that times out closes the connection.
class RawConnection {
 public:
  // `min_version`/`max_version` pin the TLS versions offered, as in
  // ProbeTls (0 leaves a bound at the library default).
  explicit RawConnection(int port, int min_version = 0, int max_version = 0);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  std::string Connect();    // TCP only
  std::string Handshake();  // TLS, after Connect
  std::string Open();       // Connect, then Handshake

  // A request with only Host: localhost, `headers` and `body` (with its
  // Content-Length) — no client defaults such as HttpsClient adds.
  std::string Write(const std::string& method, const std::string& target, const std::string& body = "",
                    const Headers& headers = {});
  // `bytes` through TLS exactly as given.
  std::string WriteRaw(const std::string& bytes);
  // One response (an interim 100 Continue counts as one); status 0 and
  // `error` set when none came in time.
  HttpResult Read(std::chrono::milliseconds timeout = kDefaultTimeout);
  // Write, then Read.
  HttpResult Request(const std::string& method, const std::string& target, const std::string& body = "",
                     const Headers& headers = {});

  // Waits for the server to close the connection: true if it did (end of
  // stream, truncation, reset) within `timeout`; false if it stayed open
  // or sent data instead.
  bool ClosedWithin(std::chrono::milliseconds timeout);
  // The negotiated protocol (SSL_version, e.g. TLS1_3_VERSION) after a
  // successful Handshake.
  int tls_version() const;
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct PlainTcpReply {
  // "connect: ..." or "write: ..."; "timeout" when the server neither
  // closed nor sent `max_reply` bytes in time; "" otherwise.
  std::string error;
  std::string received;  // what the server sent, up to max_reply bytes
};

// Connects without TLS, writes `bytes` and reads until the server closes
// the connection, `max_reply` bytes came or `timeout` passed.
PlainTcpReply SendPlainTcp(int port, const std::string& bytes, std::size_t max_reply,
                           std::chrono::milliseconds timeout = kDefaultTimeout);

}  // namespace casus::apitest

// A raw TLS connection for malformed or deliberately slow HTTP: bytes are
// written exactly as given, whenever the test chooses. OpenSSL directly (no
// HTTP library that would fix up the request). Every read has a deadline.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace casus::hostile {

class RawTls {
 public:
  RawTls();
  ~RawTls();
  RawTls(const RawTls&) = delete;
  RawTls& operator=(const RawTls&) = delete;

  // TCP to 127.0.0.1:port and a TLS handshake. "" on success, else the error.
  std::string Connect(int port);
  // Writes all of `bytes`; false when the connection is gone.
  bool Write(std::string_view bytes);
  // Reads until the peer closes, `until` appears in what was read, or the
  // timeout passes. Returns what was read.
  std::string Read(std::chrono::milliseconds timeout, std::string_view until = "");
  // Whether the peer closed (TLS close_notify, EOF or reset) during the last Read.
  bool closed() const { return closed_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool closed_ = false;
};

// The status code of the first HTTP response in `raw` ("HTTP/1.1 431 ..."), 0 if none.
int StatusOf(const std::string& raw);

}  // namespace casus::hostile

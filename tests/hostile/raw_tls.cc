#include "tests/hostile/raw_tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>

namespace casus::hostile {

struct RawTls::Impl {
  int fd = -1;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;

  ~Impl() {
    if (ssl) SSL_free(ssl);
    if (ctx) SSL_CTX_free(ctx);
    if (fd >= 0) close(fd);
  }

  // Waits until the socket is readable/writable or the deadline passes.
  bool Wait(short events, std::chrono::steady_clock::time_point deadline) const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    return poll(&p, 1, static_cast<int>(left.count())) > 0;
  }
};

RawTls::RawTls() : impl_(std::make_unique<Impl>()) {
  // OpenSSL writes with write(2): a write after the server cut the
  // connection must fail with EPIPE, not kill the test with SIGPIPE.
  static const bool ignored = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)ignored;
}
RawTls::~RawTls() = default;

std::string RawTls::Connect(int port) {
  impl_->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (impl_->fd < 0) return "socket failed";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(impl_->fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "connect failed";
  const int one = 1;
  setsockopt(impl_->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // a trickled byte leaves at once
  // Blocking handshake bounded by socket timeouts.
  timeval tv{10, 0};
  setsockopt(impl_->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(impl_->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  impl_->ctx = SSL_CTX_new(TLS_client_method());
  if (!impl_->ctx) return "SSL_CTX_new failed";
  SSL_CTX_set_verify(impl_->ctx, SSL_VERIFY_NONE, nullptr);  // the test server's certificate is self-signed
  impl_->ssl = SSL_new(impl_->ctx);
  SSL_set_fd(impl_->ssl, impl_->fd);
  if (SSL_connect(impl_->ssl) != 1) {
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    return std::string("handshake failed: ") + buf;
  }
  return "";
}

bool RawTls::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const int n = SSL_write(impl_->ssl, bytes.data(), static_cast<int>(bytes.size()));
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string RawTls::Read(std::chrono::milliseconds timeout, std::string_view until) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string out;
  closed_ = false;
  char buf[4096];
  for (;;) {
    if (!until.empty() && out.find(until) != std::string::npos) return out;
    if (SSL_pending(impl_->ssl) == 0 && !impl_->Wait(POLLIN, deadline)) return out;
    const int n = SSL_read(impl_->ssl, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    const int err = SSL_get_error(impl_->ssl, n);
    if (err == SSL_ERROR_WANT_READ) continue;  // a TLS record without application data (e.g. a ticket)
    // A record that has only partly arrived: the socket timeout fired.
    if (err == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    closed_ = true;
    ERR_clear_error();
    return out;
  }
}

int StatusOf(const std::string& raw) {
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || raw.size() < 12) return 0;
  return std::atoi(raw.c_str() + 9);
}

}  // namespace casus::hostile

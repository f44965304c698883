// TLS for the HTTPS server: a hardened server context and, when the
// operator configured no certificate, a self-signed one kept in data_dir.
#pragma once

#include <filesystem>
#include <memory>

#include "common/status.h"

// Declared only: the server and its tests hold the context by pointer, so
// the CLI need not compile Asio's headers.
namespace boost::asio::ssl {
class context;
}

namespace casus::api::server {

// A server context that speaks TLS 1.2 and 1.3 only (no compression, no
// renegotiation, server cipher preference, TLS 1.2 suites ECDHE with
// AES-GCM or ChaCha20-Poly1305 only) with the PEM certificate chain and key
// loaded and checked against each other. InvalidArgument naming the file
// when either cannot be loaded. The context is shared with the server,
// which keeps it alive as long as connections use it.
StatusOr<std::shared_ptr<boost::asio::ssl::context>> MakeServerContext(const std::filesystem::path& cert_path,
                                                                      const std::filesystem::path& key_path);

// Sets *cert and *key to data_dir/tls-cert.pem and data_dir/tls-key.pem,
// creating them first when absent: an EC P-256 key (file mode 0600 from the
// moment it exists) and a self-signed certificate for CN=localhost, SAN
// DNS:localhost, IP:127.0.0.1, IP:::1, valid one year. Existing files are
// reused untouched. A certificate without its key is FailedPrecondition;
// OpenSSL or file system failures are Internal.
Status EnsureSelfSignedCertificate(const std::filesystem::path& data_dir, std::filesystem::path* cert,
                                   std::filesystem::path* key);

}  // namespace casus::api::server

#include "api/server/tls.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include <boost/asio/ssl/context.hpp>

namespace casus::api::server {
namespace {

namespace fs = std::filesystem;

// TLS 1.2 suites: forward secrecy and AEAD only. TLS 1.3 suites are all
// AEAD already, so OpenSSL's defaults stay.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct BioFree { void operator()(BIO* p) const { BIO_free_all(p); } };
struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct X509ExtFree { void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
using BioPtr = std::unique_ptr<BIO, BioFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

// The most recent OpenSSL error as text, clearing the queue so a later
// failure does not report a stale reason.
std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  std::string text = "unknown OpenSSL error";
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    text = buf;
  }
  ERR_clear_error();
  return text;
}

Status Internal(const std::string& what) { return Status::Internal(what + ": " + OpenSslError()); }

Status AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, X509ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) return Internal(std::string("certificate extension ") + value);
  return Status::Ok();
}

StatusOr<X509Ptr> MakeSelfSigned(EVP_PKEY* key) {
  X509Ptr cert(X509_new());
  if (!cert) return Internal("X509_new");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1) return Internal("X509_set_version");

  // A random positive 127-bit serial, so regenerated certificates never
  // collide in a browser's cache.
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) return Internal("RAND_bytes");
  serial_bytes[0] &= 0x7f;
  std::unique_ptr<BIGNUM, BnFree> bn(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) == nullptr)
    return Internal("certificate serial");

  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), 365, 0, nullptr) == nullptr)
    return Internal("certificate validity");
  if (X509_set_pubkey(cert.get(), key) != 1) return Internal("X509_set_pubkey");

  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1,
                                 -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1)
    return Internal("certificate name");

  RETURN_IF_ERROR(AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  RETURN_IF_ERROR(AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature"));
  RETURN_IF_ERROR(AddExtension(cert.get(), NID_ext_key_usage, "serverAuth"));
  RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"));
  RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_key_identifier, "hash"));

  if (X509_sign(cert.get(), key, EVP_sha256()) == 0) return Internal("X509_sign");
  return cert;
}

// Writes `bio`'s contents to a new file created with `mode`. O_EXCL: never
// follow or reuse a file someone else placed there; the mode is set at
// creation so the key is never readable by others, not even briefly.
Status WriteNewFile(const fs::path& path, BIO* bio, mode_t mode) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return Status::Internal("create " + path.string() + ": " + std::strerror(errno));
  long written = 0;
  while (written < len) {
    const ssize_t n = ::write(fd, data + written, static_cast<size_t>(len - written));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return Status::Internal("write " + path.string() + ": " + std::strerror(err));
    }
    written += n;
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return Status::Internal("sync " + path.string() + ": " + std::strerror(errno));
  return Status::Ok();
}

StatusOr<PkeyPtr> ReadKey(const fs::path& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return Internal("open " + path.string());
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return Internal("read key " + path.string());
  return key;
}

}  // namespace

StatusOr<std::shared_ptr<boost::asio::ssl::context>> MakeServerContext(const fs::path& cert_path,
                                                                      const fs::path& key_path) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1)
    return Internal("TLS protocol versions");
  // Compression: CRIME. Renegotiation: a client-driven CPU sink with no use
  // here. Server preference: our cipher order wins over a weak client's.
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) return Internal("TLS 1.2 cipher list");

  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert_path.string(), ec);
  if (ec) {
    ERR_clear_error();
    return Status::InvalidArgument("TLS certificate " + cert_path.string() + ": " + ec.message());
  }
  ctx->use_private_key_file(key_path.string(), ssl::context::pem, ec);
  if (ec) {
    ERR_clear_error();
    return Status::InvalidArgument("TLS key " + key_path.string() + ": " + ec.message());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("TLS key " + key_path.string() + " does not match certificate " +
                                   cert_path.string());
  }
  return ctx;
}

Status EnsureSelfSignedCertificate(const fs::path& data_dir, fs::path* cert, fs::path* key) {
  const fs::path cert_path = data_dir / "tls-cert.pem";
  const fs::path key_path = data_dir / "tls-key.pem";
  *cert = cert_path;
  *key = key_path;

  std::error_code fec;
  const bool have_cert = fs::exists(cert_path, fec);
  const bool have_key = fs::exists(key_path, fec);
  if (have_cert && have_key) return Status::Ok();
  if (have_cert) {
    return Status::FailedPrecondition("TLS certificate " + cert_path.string() + " exists but its key " +
                                      key_path.string() + " does not; remove the certificate to regenerate");
  }
  fs::create_directories(data_dir, fec);
  if (fec) return Status::Internal("create " + data_dir.string() + ": " + fec.message());

  // A key without a certificate means an earlier start stopped between the
  // two writes; keep the key and finish the job.
  PkeyPtr pkey;
  if (have_key) {
    ASSIGN_OR_RETURN(pkey, ReadKey(key_path));
  } else {
    pkey.reset(EVP_EC_gen("P-256"));
    if (!pkey) return Internal("generate EC P-256 key");
    BioPtr key_pem(BIO_new(BIO_s_mem()));
    if (!key_pem || PEM_write_bio_PrivateKey(key_pem.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
      return Internal("encode key");
    RETURN_IF_ERROR(WriteNewFile(key_path, key_pem.get(), 0600));
  }

  ASSIGN_OR_RETURN(X509Ptr x509, MakeSelfSigned(pkey.get()));
  BioPtr cert_pem(BIO_new(BIO_s_mem()));
  if (!cert_pem || PEM_write_bio_X509(cert_pem.get(), x509.get()) != 1) return Internal("encode certificate");
  // Written under a temporary name and renamed, so a reader never sees a
  // half-written certificate.
  const fs::path tmp = data_dir / "tls-cert.pem.tmp";
  fs::remove(tmp, fec);
  RETURN_IF_ERROR(WriteNewFile(tmp, cert_pem.get(), 0644));
  fs::rename(tmp, cert_path, fec);
  if (fec) return Status::Internal("rename " + tmp.string() + ": " + fec.message());
  return Status::Ok();
}

}  // namespace casus::api::server

#include "api/server/tls.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace casus::api::server {
namespace {

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(TlsTest, SelfSignedCertificateIsCreatedOnceWithPrivateKeyMode) {
  casus::testing::TempDir dir;
  const auto data = dir.path() / "data";
  std::filesystem::path cert, key;
  ASSERT_TRUE(EnsureSelfSignedCertificate(data, &cert, &key).ok());
  EXPECT_EQ(cert, data / "tls-cert.pem");
  EXPECT_EQ(key, data / "tls-key.pem");

  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // The certificate: CN=localhost, SAN with the loopback names, EC key.
  FILE* f = std::fopen(cert.c_str(), "r");
  ASSERT_NE(f, nullptr);
  X509* x = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_NE(x, nullptr);
  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "localhost");
  EXPECT_EQ(X509_check_host(x, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(x, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(x, "::1", 0), 1);
  EVP_PKEY* pub = X509_get0_pubkey(x);
  EXPECT_EQ(EVP_PKEY_get_base_id(pub), EVP_PKEY_EC);
  X509_free(x);

  const std::string cert_before = ReadAll(cert);
  const std::string key_before = ReadAll(key);
  std::filesystem::path cert2, key2;
  ASSERT_TRUE(EnsureSelfSignedCertificate(data, &cert2, &key2).ok());
  EXPECT_EQ(ReadAll(cert2), cert_before);
  EXPECT_EQ(ReadAll(key2), key_before);

  EXPECT_TRUE(MakeServerContext(cert, key).ok());
}

TEST(TlsTest, KeyWithoutCertificateGetsACertificateForThatKey) {
  casus::testing::TempDir dir;
  std::filesystem::path cert, key;
  ASSERT_TRUE(EnsureSelfSignedCertificate(dir.path(), &cert, &key).ok());
  const std::string key_before = ReadAll(key);
  std::filesystem::remove(cert);
  ASSERT_TRUE(EnsureSelfSignedCertificate(dir.path(), &cert, &key).ok());
  EXPECT_EQ(ReadAll(key), key_before);
  EXPECT_TRUE(MakeServerContext(cert, key).ok());
}

TEST(TlsTest, CertificateWithoutKeyIsRefused) {
  casus::testing::TempDir dir;
  std::filesystem::path cert, key;
  ASSERT_TRUE(EnsureSelfSignedCertificate(dir.path(), &cert, &key).ok());
  std::filesystem::remove(key);
  EXPECT_EQ(EnsureSelfSignedCertificate(dir.path(), &cert, &key).code(), StatusCode::kFailedPrecondition);
}

TEST(TlsTest, MakeServerContextReportsMissingAndMismatchedFiles) {
  casus::testing::TempDir a, b;
  std::filesystem::path cert_a, key_a, cert_b, key_b;
  ASSERT_TRUE(EnsureSelfSignedCertificate(a.path(), &cert_a, &key_a).ok());
  ASSERT_TRUE(EnsureSelfSignedCertificate(b.path(), &cert_b, &key_b).ok());
  auto missing = MakeServerContext(a.path() / "nope.pem", key_a);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("nope.pem"), std::string::npos);
  EXPECT_FALSE(MakeServerContext(cert_a, key_b).ok());
}

}  // namespace
}  // namespace casus::api::server

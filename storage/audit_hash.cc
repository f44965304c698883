#include "storage/audit_hash.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

namespace casus::storage {
namespace {

// `<decimal length>:<bytes>;` makes the encoding injective: no choice of
// field contents can make two different entries encode the same.
void AppendField(std::string& out, const std::string& value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

}  // namespace

std::string CanonicalAuditEncoding(const AuditEntry& entry) {
  std::string out;
  AppendField(out, std::to_string(entry.seq));
  AppendField(out, FormatRfc3339(entry.at));
  AppendField(out, entry.action);
  AppendField(out, entry.result);
  AppendField(out, entry.user_id);
  AppendField(out, entry.role);
  AppendField(out, entry.org_id);
  AppendField(out, entry.on_behalf_of);
  AppendField(out, entry.client);
  AppendField(out, entry.object_type);
  AppendField(out, entry.object_id);
  AppendField(out, entry.person_id);
  AppendField(out, entry.reason);
  return out;
}

std::string CanonicalAuditMetadata(const AuditEntry& entry, const std::string& content_digest) {
  std::string out;
  AppendField(out, "scheme2");
  AppendField(out, std::to_string(entry.seq));
  AppendField(out, FormatRfc3339(entry.at));
  AppendField(out, entry.action);
  AppendField(out, entry.result);
  AppendField(out, entry.user_id);
  AppendField(out, entry.role);
  AppendField(out, entry.org_id);
  AppendField(out, entry.on_behalf_of);
  AppendField(out, entry.object_type);
  AppendField(out, entry.object_id);
  AppendField(out, entry.person_id);
  AppendField(out, content_digest);
  return out;
}

std::string AuditContentDigest(const AuditEntry& entry) {
  std::string content;
  AppendField(content, entry.salt);
  AppendField(content, entry.client);
  AppendField(content, entry.reason);
  AppendField(content, entry.detail);
  return Sha256Hex(content);
}

std::string AuditEntryHash(const std::string& prev_hash_hex, const AuditEntry& entry) {
  if (entry.scheme == 1) return Sha256Hex(prev_hash_hex + "\n" + CanonicalAuditEncoding(entry));
  const std::string digest = entry.erased_at ? entry.content_digest : AuditContentDigest(entry);
  return Sha256Hex(prev_hash_hex + "\n" + CanonicalAuditMetadata(entry, digest));
}

StatusOr<std::string> NewAuditSalt() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Status::Internal("CSPRNG failure");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0x0f];
  }
  return hex;
}

std::string Sha256Hex(const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // These only fail on allocation failure or a broken OpenSSL install; an
  // empty hash would silently weaken the chain, so fail loudly instead.
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    throw std::runtime_error("SHA-256 via OpenSSL EVP failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace casus::storage

// The audit chain's hash: SHA-256 (OpenSSL) over the previous entry's hash
// and a canonical, unambiguous encoding of this entry (each field
// length-prefixed, in a fixed order, seq and time included). Any change to
// a field, a deletion, an insertion or a reordering changes a hash that a
// later entry (or the stored chain head) commits to.
//
// Scheme 2 (schema v5, docs/privacy.md) splits an entry into metadata
// (who, when, what, which object) and erasable content (client address,
// reason, detail). The hash covers the metadata and the content digest
// SHA-256(salt, content), with a random salt per entry. Retention may later
// blank the content and the salt; the stored digest then stands in for
// them, so the chain still verifies, and without the salt the digest no
// longer reveals a guessable value such as an IP address.
#pragma once

#include <string>

#include "common/status.h"
#include "storage/records.h"

namespace casus::storage {

// Scheme 1: every field (excludes prev_hash and hash).
std::string CanonicalAuditEncoding(const AuditEntry& entry);
// Scheme 2: the metadata fields and the content digest.
std::string CanonicalAuditMetadata(const AuditEntry& entry, const std::string& content_digest);
// SHA-256 over the salt and the erasable content, lowercase hex.
std::string AuditContentDigest(const AuditEntry& entry);
// The entry's hash under its own scheme. For scheme 2 the digest is
// computed from the content unless the entry is erased, when the stored
// content_digest is used.
std::string AuditEntryHash(const std::string& prev_hash_hex, const AuditEntry& entry);  // lowercase hex
std::string Sha256Hex(const std::string& data);
// A new random salt (16 bytes, hex) from OpenSSL's CSPRNG.
StatusOr<std::string> NewAuditSalt();

}  // namespace casus::storage

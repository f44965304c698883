// The audit chain's hash: SHA-256 (OpenSSL) over the previous entry's hash
// and a canonical, unambiguous encoding of this entry's fields (each field
// length-prefixed, in a fixed order, seq and time included). Any change to
// a field, a deletion, an insertion or a reordering changes a hash that a
// later entry (or the stored chain head) commits to.
#pragma once

#include <string>

#include "storage/records.h"

namespace casus::storage {

std::string CanonicalAuditEncoding(const AuditEntry& entry);              // excludes prev_hash and hash
std::string AuditEntryHash(const std::string& prev_hash_hex, const AuditEntry& entry);  // lowercase hex
std::string Sha256Hex(const std::string& data);

}  // namespace casus::storage

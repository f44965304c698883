// STUB
#include "storage/audit_hash.h"
namespace casus::storage {
std::string CanonicalAuditEncoding(const AuditEntry&) { return ""; }
std::string AuditEntryHash(const std::string&, const AuditEntry&) { return ""; }
std::string Sha256Hex(const std::string&) { return ""; }
}  // namespace casus::storage

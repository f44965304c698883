// Walks the audit chain and reports the first place it is broken.
#pragma once

#include "storage/records.h"
#include "storage/sqlite/connection.h"

namespace casus::storage::sqlite {

// Run inside a read transaction so entries and head come from one snapshot.
StatusOr<AuditVerification> VerifyAuditChain(Connection& conn);

}  // namespace casus::storage::sqlite

// Walks the audit chain and reports the first place it is broken
// (storage/sqlite/audit_verify.h on PostgreSQL).
#pragma once

#include "common/status.h"
#include "storage/postgres/connection.h"
#include "storage/records.h"

namespace casus::storage::postgres {

// Entries, count and head must come from one snapshot, or an entry that
// another node commits mid-walk looks like a tail the head does not commit
// to. Outside a transaction the walk runs in its own REPEATABLE READ READ
// ONLY transaction; inside one, that transaction must be REPEATABLE READ
// or SERIALIZABLE (FailedPrecondition under READ COMMITTED, where every
// statement has its own snapshot).
StatusOr<AuditVerification> VerifyAuditChain(Connection& conn);

}  // namespace casus::storage::postgres

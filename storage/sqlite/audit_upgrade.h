// The schema v5 upgrade of the audit chain from scheme 1 (every field
// hashed) to scheme 2 (metadata plus a salted content digest), so that old
// entries, too, can have their content erased after the retention period.
#pragma once

#include "common/status.h"
#include "storage/sqlite/connection.h"

namespace casus::storage::sqlite {

// Runs inside the migration's transaction, after the scheme-2 columns exist
// and before the erasure-only update trigger is created. Verifies the
// scheme-1 chain first: only an intact chain is re-hashed (a broken one is
// left exactly as found, so `audit verify` still shows where it broke).
// After re-hashing it appends an `audit.chain_upgraded` entry whose reason
// names the old head hash and entry count, so the upgrade can be matched
// against any earlier exported head.
Status UpgradeAuditChain(Connection& conn);

}  // namespace casus::storage::sqlite

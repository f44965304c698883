// Transaction-scoped advisory locks shared by every Casus node on one
// database. Taken with pg_advisory_xact_lock and released by COMMIT or
// ROLLBACK; taking one again in the same transaction is free.
#pragma once

namespace casus::storage::postgres {

// The audit chain and the timeline's event ids: appends serialise on this
// lock, so the chain and the event ids follow commit order across nodes
// (the writer runs in READ COMMITTED: each statement after the lock sees
// what the previous holder committed).
inline constexpr const char* kLockAppend = "SELECT pg_advisory_xact_lock(435459045748)";

}  // namespace casus::storage::postgres

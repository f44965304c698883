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

// The background jobs' lead (Store::TryLead): a session-level lock, held by
// one node's lead connection until that node stops or loses it.
inline constexpr const char* kTryLead = "SELECT pg_try_advisory_lock(435459045749)";

// Every group's commit notifies this channel (a wake-up for the nodes'
// event feeds; the events table is the truth).
inline constexpr const char* kCommitChannel = "casus_commits";
inline constexpr const char* kNotifyCommit = "NOTIFY casus_commits";

}  // namespace casus::storage::postgres

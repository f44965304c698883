#include "storage/postgres/repositories.h"

#include <algorithm>
#include <string>

#include "storage/audit_hash.h"
#include "storage/postgres/audit_rows.h"
#include "storage/postgres/audit_verify.h"

namespace casus::storage::postgres {
namespace {

// Entries per page. libpq holds a whole result in memory, so the log (it
// grows for years, NEN 7513) is read in keyset pages of the one snapshot.
constexpr int kPage = 1000;

AuditVerification Broken(std::int64_t entries, std::int64_t seq, std::string problem) {
  return AuditVerification{false, entries, seq, std::move(problem)};
}

StatusOr<AuditVerification> Walk(Connection& conn) {
  std::int64_t head_seq = 0;
  std::string head_hash;
  {
    ASSIGN_OR_RETURN(Result head, conn.Query("SELECT last_seq, last_hash FROM audit_head WHERE id = 1"));
    if (head.rows() == 0) return Broken(0, 1, "chain head is missing");
    head_seq = head.Int(0, 0);
    head_hash = head.Text(0, 1);
  }
  ASSIGN_OR_RETURN(std::int64_t entries, conn.QueryInt("SELECT count(*) FROM audit_log"));

  std::int64_t expected_seq = 1;
  std::string prev_hash;  // "" before the first entry
  bool first_page = true;
  std::int64_t after = 0;
  while (true) {
    // The first page has no lower bound, so that a seq below 1 is seen
    // (and reported) as the SQLite walk over every row would.
    ASSIGN_OR_RETURN(
        Result page,
        first_page ? conn.Query(std::string(kAuditColumns) + "ORDER BY seq LIMIT $1::bigint", {std::to_string(kPage)})
                   : conn.Query(std::string(kAuditColumns) + "WHERE seq > $1::bigint ORDER BY seq LIMIT $2::bigint",
                                {std::to_string(after), std::to_string(kPage)}));
    first_page = false;
    for (int i = 0; i < page.rows(); ++i) {
      AuditEntry e = ReadAuditRow(page, i);
      // Order matters: a gap explains the prev_hash break that follows it, and
      // a prev_hash break explains why a re-hashed forgery still fails.
      if (e.seq != expected_seq) {
        return Broken(entries, e.seq, e.seq > expected_seq ? "missing entry before" : "unexpected seq");
      }
      if (e.prev_hash != prev_hash) return Broken(entries, e.seq, "prev_hash does not match");
      if (e.scheme != 1 && e.scheme != 2) return Broken(entries, e.seq, "unknown chain scheme");
      // An erased entry is verified through its stored content digest; it
      // must then really hold no content (erasure is not a hiding place).
      if (e.erased_at &&
          (e.scheme != 2 || !e.client.empty() || !e.reason.empty() || !e.detail.empty() || !e.salt.empty()))
        return Broken(entries, e.seq, "erased entry still holds content");
      if (AuditEntryHash(e.prev_hash, e) != e.hash) return Broken(entries, e.seq, "hash mismatch");
      prev_hash = e.hash;
      ++expected_seq;
      after = e.seq;
    }
    if (page.rows() < kPage) break;
  }
  const std::int64_t last_seq = expected_seq - 1;
  if (head_seq != last_seq || head_hash != prev_hash) {
    // A deleted tail: the first missing seq. An added tail: the first entry
    // the head does not commit to. Same seq, other hash: the last entry.
    std::int64_t bad = head_seq != last_seq ? std::min(head_seq, last_seq) + 1 : last_seq;
    return Broken(entries, std::max<std::int64_t>(bad, 1), "chain head does not match last entry");
  }
  return AuditVerification{true, entries, 0, ""};
}

}  // namespace

StatusOr<AuditVerification> VerifyAuditChain(Connection& conn) {
  if (conn.InTransaction()) {
    ASSIGN_OR_RETURN(Result iso, conn.Query("SELECT current_setting('transaction_isolation')"));
    if (iso.rows() == 0 || iso.Text(0, 0) == "read committed")
      return Status::FailedPrecondition(
          "audit verification needs one snapshot: run it in a REPEATABLE READ transaction (or outside one)");
    return Walk(conn);
  }
  RETURN_IF_ERROR(conn.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  StatusOr<AuditVerification> result = Walk(conn);
  // Read only: COMMIT and ROLLBACK end it alike; ROLLBACK also ends a
  // transaction that a failed statement aborted.
  Status ended = conn.Exec("ROLLBACK");
  if (!result.ok()) return result;
  RETURN_IF_ERROR(ended);
  return result;
}

}  // namespace casus::storage::postgres

#include "storage/sqlite/audit_verify.h"

#include <algorithm>

#include "storage/audit_hash.h"
#include "storage/sqlite/audit_rows.h"

namespace casus::storage::sqlite {
namespace {

AuditVerification Broken(std::int64_t entries, std::int64_t seq, std::string problem) {
  return AuditVerification{false, entries, seq, std::move(problem)};
}

}  // namespace

StatusOr<AuditVerification> VerifyAuditChain(Connection& conn) {
  std::int64_t head_seq = 0;
  std::string head_hash;
  {
    ASSIGN_OR_RETURN(StatementRef head, conn.Prepare("SELECT last_seq, last_hash FROM audit_head WHERE id = 1"));
    ASSIGN_OR_RETURN(bool row, head->Step("read audit head"));
    if (!row) return Broken(0, 1, "chain head is missing");
    head_seq = head->ColumnInt(0);
    head_hash = head->ColumnText(1);
  }
  ASSIGN_OR_RETURN(std::int64_t entries, conn.QueryInt("SELECT count(*) FROM audit_log"));

  // Entries are streamed, not loaded: the log grows for years (NEN 7513).
  ASSIGN_OR_RETURN(StatementRef s, conn.Prepare(std::string(kAuditColumns) + "ORDER BY seq"));
  std::int64_t expected_seq = 1;
  std::string prev_hash;  // "" before the first entry
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("read audit entries"));
    if (!row) break;
    AuditEntry e = ReadAuditRow(*s);
    // Order matters: a gap explains the prev_hash break that follows it, and
    // a prev_hash break explains why a re-hashed forgery still fails.
    if (e.seq != expected_seq) {
      return Broken(entries, e.seq, e.seq > expected_seq ? "missing entry before" : "unexpected seq");
    }
    if (e.prev_hash != prev_hash) return Broken(entries, e.seq, "prev_hash does not match");
    if (e.scheme != 1 && e.scheme != 2) return Broken(entries, e.seq, "unknown chain scheme");
    // An erased entry is verified through its stored content digest; it
    // must then really hold no content (erasure is not a hiding place).
    if (e.erased_at && (e.scheme != 2 || !e.client.empty() || !e.reason.empty() || !e.detail.empty() ||
                        !e.salt.empty()))
      return Broken(entries, e.seq, "erased entry still holds content");
    if (AuditEntryHash(e.prev_hash, e) != e.hash) return Broken(entries, e.seq, "hash mismatch");
    prev_hash = e.hash;
    ++expected_seq;
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

}  // namespace casus::storage::sqlite

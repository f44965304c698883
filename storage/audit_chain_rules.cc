#include "storage/audit_chain_rules.h"

#include <algorithm>

#include "storage/audit_hash.h"

namespace casus::storage {
namespace {

AuditVerification Broken(std::int64_t entries, std::int64_t seq, std::string problem) {
  return AuditVerification{false, entries, seq, std::move(problem)};
}

}  // namespace

Status SealOntoChain(std::vector<AuditEntry>& entries, std::int64_t& seq, std::string& prev_hash) {
  for (AuditEntry& entry : entries) {
    entry.seq = ++seq;
    entry.prev_hash = prev_hash;
    entry.scheme = 2;
    entry.erased_at.reset();
    ASSIGN_OR_RETURN(entry.salt, NewAuditSalt());
    entry.content_digest = AuditContentDigest(entry);
    entry.hash = AuditEntryHash(entry.prev_hash, entry);
    prev_hash = entry.hash;
  }
  return Status::Ok();
}

std::optional<AuditVerification> AuditChainCheck::Next(const AuditEntry& e) {
  // Order matters: a gap explains the prev_hash break that follows it, and
  // a prev_hash break explains why a re-hashed forgery still fails.
  if (e.seq != expected_seq_) return Broken(entries_, e.seq, e.seq > expected_seq_ ? "missing entry before" : "unexpected seq");
  if (e.prev_hash != prev_hash_) return Broken(entries_, e.seq, "prev_hash does not match");
  if (e.scheme != 1 && e.scheme != 2) return Broken(entries_, e.seq, "unknown chain scheme");
  // An erased entry is verified through its stored content digest; it
  // must then really hold no content (erasure is not a hiding place).
  if (e.erased_at && (e.scheme != 2 || !e.client.empty() || !e.reason.empty() || !e.detail.empty() ||
                      !e.salt.empty()))
    return Broken(entries_, e.seq, "erased entry still holds content");
  if (AuditEntryHash(e.prev_hash, e) != e.hash) return Broken(entries_, e.seq, "hash mismatch");
  prev_hash_ = e.hash;
  ++expected_seq_;
  return std::nullopt;
}

AuditVerification AuditChainCheck::Finish(std::int64_t head_seq, const std::string& head_hash) const {
  const std::int64_t last_seq = expected_seq_ - 1;
  if (head_seq != last_seq || head_hash != prev_hash_) {
    // A deleted tail: the first missing seq. An added tail: the first entry
    // the head does not commit to. Same seq, other hash: the last entry.
    std::int64_t bad = head_seq != last_seq ? std::min(head_seq, last_seq) + 1 : last_seq;
    return Broken(entries_, std::max<std::int64_t>(bad, 1), "chain head does not match last entry");
  }
  return AuditVerification{true, entries_, 0, ""};
}

}  // namespace casus::storage

// The audit chain's rules, the same for every backend: how new entries
// are sealed onto the chain's head when appended, and how a walk over the
// stored entries in seq order decides whether the chain is intact. The
// backends only read and write rows (storage/sqlite, storage/postgres).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/records.h"

namespace casus::storage {

// Seals `entries` in order onto the head (`seq`, `prev_hash`): each gets
// the next seq, the previous hash, scheme 2, a fresh salt, its content
// digest and its hash. Moves the head to the last of them.
Status SealOntoChain(std::vector<AuditEntry>& entries, std::int64_t& seq, std::string& prev_hash);

// A walk over the stored entries in seq order.
class AuditChainCheck {
 public:
  explicit AuditChainCheck(std::int64_t entries) : entries_(entries) {}
  // The verdict at `entry` when the chain breaks there; nullopt while intact.
  std::optional<AuditVerification> Next(const AuditEntry& entry);
  // After the last entry: whether the stored head commits to it.
  AuditVerification Finish(std::int64_t head_seq, const std::string& head_hash) const;

 private:
  const std::int64_t entries_;
  std::int64_t expected_seq_ = 1;
  std::string prev_hash_;  // "" before the first entry
};

}  // namespace casus::storage

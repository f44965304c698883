#include "storage/sqlite/audit_verify.h"

#include "storage/audit_chain_rules.h"
#include "storage/sqlite/audit_rows.h"

namespace casus::storage::sqlite {

StatusOr<AuditVerification> VerifyAuditChain(Connection& conn) {
  std::int64_t head_seq = 0;
  std::string head_hash;
  {
    ASSIGN_OR_RETURN(StatementRef head, conn.Prepare("SELECT last_seq, last_hash FROM audit_head WHERE id = 1"));
    ASSIGN_OR_RETURN(bool row, head->Step("read audit head"));
    if (!row) return AuditVerification{false, 0, 1, "chain head is missing"};
    head_seq = head->ColumnInt(0);
    head_hash = head->ColumnText(1);
  }
  ASSIGN_OR_RETURN(std::int64_t entries, conn.QueryInt("SELECT count(*) FROM audit_log"));

  // Entries are streamed, not loaded: the log grows for years (NEN 7513).
  ASSIGN_OR_RETURN(StatementRef s, conn.Prepare(std::string(kAuditColumns) + "ORDER BY seq"));
  AuditChainCheck check(entries);
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("read audit entries"));
    if (!row) break;
    if (auto broken = check.Next(ReadAuditRow(*s))) return *broken;
  }
  return check.Finish(head_seq, head_hash);
}

}  // namespace casus::storage::sqlite

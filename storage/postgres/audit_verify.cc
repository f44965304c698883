#include "storage/postgres/repositories.h"

#include <string>

#include "storage/audit_chain_rules.h"
#include "storage/postgres/audit_rows.h"
#include "storage/postgres/audit_verify.h"

namespace casus::storage::postgres {
namespace {

// Entries per page. libpq holds a whole result in memory, so the log (it
// grows for years, NEN 7513) is read in keyset pages of the one snapshot.
constexpr int kPage = 1000;

StatusOr<AuditVerification> Walk(Connection& conn) {
  std::int64_t head_seq = 0;
  std::string head_hash;
  {
    ASSIGN_OR_RETURN(Result head, conn.Query("SELECT last_seq, last_hash FROM audit_head WHERE id = 1"));
    if (head.rows() == 0) return AuditVerification{false, 0, 1, "chain head is missing"};
    head_seq = head.Int(0, 0);
    head_hash = head.Text(0, 1);
  }
  ASSIGN_OR_RETURN(std::int64_t entries, conn.QueryInt("SELECT count(*) FROM audit_log"));

  AuditChainCheck check(entries);
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
      after = e.seq;
      if (auto broken = check.Next(e)) return *broken;
    }
    if (page.rows() < kPage) break;
  }
  return check.Finish(head_seq, head_hash);
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

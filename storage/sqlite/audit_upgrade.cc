#include "storage/sqlite/audit_upgrade.h"

#include <chrono>
#include <vector>

#include "storage/audit_hash.h"
#include "storage/sqlite/audit_rows.h"
#include "storage/sqlite/audit_verify.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {
namespace {

constexpr int kPage = 1000;

StatusOr<std::vector<AuditEntry>> Page(Connection& conn, std::int64_t after_seq) {
  ASSIGN_OR_RETURN(StatementRef s, conn.Prepare(std::string(kAuditColumns) + "WHERE seq > ? ORDER BY seq LIMIT ?"));
  s->Bind(1, after_seq);
  s->Bind(2, std::int64_t{kPage});
  std::vector<AuditEntry> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("read audit entries for the upgrade"));
    if (!row) break;
    out.push_back(ReadAuditRow(*s));
  }
  return out;
}

}  // namespace

Status UpgradeAuditChain(Connection& conn) {
  ASSIGN_OR_RETURN(std::int64_t count, conn.QueryInt("SELECT count(*) FROM audit_log"));
  if (count == 0) return Status::Ok();
  ASSIGN_OR_RETURN(AuditVerification before, VerifyAuditChain(conn));
  if (!before.intact) return Status::Ok();  // evidence stays as it is
  ASSIGN_OR_RETURN(std::string old_head, conn.QueryText("SELECT last_hash FROM audit_head WHERE id = 1"));

  std::string prev_hash;
  std::int64_t after = 0;
  std::int64_t last_seq = 0;
  while (true) {
    ASSIGN_OR_RETURN(auto page, Page(conn, after));
    if (page.empty()) break;
    for (AuditEntry& e : page) {
      e.scheme = 2;
      ASSIGN_OR_RETURN(e.salt, NewAuditSalt());
      e.content_digest = AuditContentDigest(e);
      e.prev_hash = prev_hash;
      e.hash = AuditEntryHash(prev_hash, e);
      ASSIGN_OR_RETURN(StatementRef upd,
                       conn.Prepare("UPDATE audit_log SET scheme = 2, salt = ?, content_digest = ?, prev_hash = ?, "
                                    "hash = ? WHERE seq = ?"));
      upd->Bind(1, e.salt);
      upd->Bind(2, e.content_digest);
      upd->Bind(3, e.prev_hash);
      upd->Bind(4, e.hash);
      upd->Bind(5, e.seq);
      RETURN_IF_ERROR(upd->Run("re-hash audit entry"));
      prev_hash = e.hash;
      last_seq = e.seq;
    }
    after = page.back().seq;
  }
  {  // scoped: Append below uses the same cached statement
    ASSIGN_OR_RETURN(StatementRef head,
                     conn.Prepare("UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1"));
    head->Bind(1, last_seq);
    head->Bind(2, prev_hash);
    RETURN_IF_ERROR(head->Run("move audit head"));
  }

  AuditEntry note;
  note.at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  note.action = "audit.chain_upgraded";
  note.result = "success";
  note.user_id = "system";
  note.role = "system";
  note.object_type = "audit";
  note.reason = "scheme 1 head " + old_head + " over " + std::to_string(count) + " entries";
  SqliteAuditLog log(conn);
  return log.Append(std::move(note)).status();
}

}  // namespace casus::storage::sqlite

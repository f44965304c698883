// Appending to the hash-chained audit log. Runs on the writer connection
// inside the group's transaction, so reading the head and moving it cannot
// interleave with another append.
#include "storage/audit_chain_rules.h"
#include "storage/sqlite/audit_rows.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {

StatusOr<std::vector<AuditEntry>> SqliteAuditLog::AppendAll(std::vector<AuditEntry> entries) {
  if (entries.empty()) return entries;
  std::int64_t seq = 0;
  std::string prev_hash;
  {
    ASSIGN_OR_RETURN(StatementRef head, c_.Prepare("SELECT last_seq, last_hash FROM audit_head WHERE id = 1"));
    ASSIGN_OR_RETURN(bool row, head->Step("read audit head"));
    if (!row) return Status::Internal("audit head row is missing");
    seq = head->ColumnInt(0);
    prev_hash = head->ColumnText(1);
  }
  {
    ASSIGN_OR_RETURN(StatementRef ins,
                     c_.Prepare("INSERT INTO audit_log (seq, at, action, result, user_id, role, org_id, on_behalf_of, "
                                "client, object_type, object_id, person_id, reason, prev_hash, hash, scheme, detail, "
                                "salt, content_digest) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2, ?, ?, ?)"));
    RETURN_IF_ERROR(SealOntoChain(entries, seq, prev_hash));
    for (const AuditEntry& entry : entries) {
      ins->Bind(1, entry.seq);
      ins->Bind(2, ToUnix(entry.at));
      ins->Bind(3, entry.action);
      ins->Bind(4, entry.result);
      ins->Bind(5, entry.user_id);
      ins->Bind(6, entry.role);
      ins->Bind(7, entry.org_id);
      ins->Bind(8, entry.on_behalf_of);
      ins->Bind(9, entry.client);
      ins->Bind(10, entry.object_type);
      ins->Bind(11, entry.object_id);
      ins->Bind(12, entry.person_id);
      ins->Bind(13, entry.reason);
      ins->Bind(14, entry.prev_hash);
      ins->Bind(15, entry.hash);
      ins->Bind(16, entry.detail);
      ins->Bind(17, entry.salt);
      ins->Bind(18, entry.content_digest);
      RETURN_IF_ERROR(ins->Run("append audit entry"));
      ins->Reset();
    }
  }
  ASSIGN_OR_RETURN(StatementRef upd, c_.Prepare("UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1"));
  upd->Bind(1, seq);
  upd->Bind(2, prev_hash);
  RETURN_IF_ERROR(upd->Run("move audit head"));
  return entries;
}

StatusOr<std::vector<AuditEntry>> SqliteAuditLog::List(std::int64_t after_seq, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kAuditColumns) + "WHERE seq > ? ORDER BY seq LIMIT ?"));
  s->Bind(1, after_seq);
  s->Bind(2, std::int64_t{limit});
  std::vector<AuditEntry> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list audit entries"));
    if (!row) break;
    out.push_back(ReadAuditRow(*s));
  }
  return out;
}

StatusOr<std::vector<AuditEntry>> SqliteAuditLog::Search(const AuditFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  // As with the other filtered lists, the SQL depends only on which
  // criteria are set, which bounds the statement cache.
  std::string sql = std::string(kAuditColumns) + "WHERE seq > ?";
  if (filter.object_type) sql += " AND object_type = ?";
  if (filter.object_id) sql += " AND object_id = ?";
  if (filter.person_id) sql += " AND person_id = ?";
  if (filter.user_id) sql += " AND user_id = ?";
  if (filter.action) sql += " AND action = ?";
  if (filter.since) sql += " AND at >= ?";
  sql += " ORDER BY seq LIMIT ?";
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(sql));
  int i = 1;
  s->Bind(i++, filter.after_seq);
  for (const auto* value : {&filter.object_type, &filter.object_id, &filter.person_id, &filter.user_id,
                            &filter.action}) {
    if (*value) s->Bind(i++, **value);
  }
  if (filter.since) s->Bind(i++, ToUnix(*filter.since));
  s->Bind(i, std::int64_t{filter.limit});
  std::vector<AuditEntry> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("search audit entries"));
    if (!row) break;
    out.push_back(ReadAuditRow(*s));
  }
  return out;
}

}  // namespace casus::storage::sqlite

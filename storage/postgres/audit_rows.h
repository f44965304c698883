// The audit_log row layout, shared by the repository, the verifier and
// retention (storage/sqlite/audit_rows.h on PostgreSQL).
#pragma once

#include "storage/codec.h"
#include "storage/postgres/connection.h"
#include "storage/records.h"

namespace casus::storage::postgres {

inline constexpr const char* kAuditColumns =
    "SELECT seq, at, action, result, user_id, role, org_id, on_behalf_of, client, object_type, object_id, "
    "person_id, reason, prev_hash, hash, scheme, detail, salt, content_digest, erased_at FROM audit_log ";

inline AuditEntry ReadAuditRow(const Result& r, int row) {
  AuditEntry e;
  e.seq = r.Int(row, 0);
  e.at = FromUnix(r.Int(row, 1));
  e.action = r.Text(row, 2);
  e.result = r.Text(row, 3);
  e.user_id = r.Text(row, 4);
  e.role = r.Text(row, 5);
  e.org_id = r.Text(row, 6);
  e.on_behalf_of = r.Text(row, 7);
  e.client = r.Text(row, 8);
  e.object_type = r.Text(row, 9);
  e.object_id = r.Text(row, 10);
  e.person_id = r.Text(row, 11);
  e.reason = r.Text(row, 12);
  e.prev_hash = r.Text(row, 13);
  e.hash = r.Text(row, 14);
  e.scheme = static_cast<int>(r.Int(row, 15));
  e.detail = r.Text(row, 16);
  e.salt = r.Text(row, 17);
  e.content_digest = r.Text(row, 18);
  if (!r.IsNull(row, 19)) e.erased_at = FromUnix(r.Int(row, 19));
  return e;
}

}  // namespace casus::storage::postgres

// The audit_log row layout, shared by the repository and the verifier.
#pragma once

#include "storage/records.h"
#include "storage/codec.h"
#include "storage/sqlite/statement.h"

namespace casus::storage::sqlite {

inline constexpr const char* kAuditColumns =
    "SELECT seq, at, action, result, user_id, role, org_id, on_behalf_of, client, object_type, object_id, "
    "person_id, reason, prev_hash, hash, scheme, detail, salt, content_digest, erased_at FROM audit_log ";

inline AuditEntry ReadAuditRow(const Statement& s) {
  AuditEntry e;
  e.seq = s.ColumnInt(0);
  e.at = FromUnix(s.ColumnInt(1));
  e.action = s.ColumnText(2);
  e.result = s.ColumnText(3);
  e.user_id = s.ColumnText(4);
  e.role = s.ColumnText(5);
  e.org_id = s.ColumnText(6);
  e.on_behalf_of = s.ColumnText(7);
  e.client = s.ColumnText(8);
  e.object_type = s.ColumnText(9);
  e.object_id = s.ColumnText(10);
  e.person_id = s.ColumnText(11);
  e.reason = s.ColumnText(12);
  e.prev_hash = s.ColumnText(13);
  e.hash = s.ColumnText(14);
  e.scheme = static_cast<int>(s.ColumnInt(15));
  e.detail = s.ColumnText(16);
  e.salt = s.ColumnText(17);
  e.content_digest = s.ColumnText(18);
  if (!s.ColumnIsNull(19)) e.erased_at = FromUnix(s.ColumnInt(19));
  return e;
}

}  // namespace casus::storage::sqlite

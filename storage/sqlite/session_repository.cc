// Login sessions, found by the hash of their token.
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"
#include "storage/sqlite/time_columns.h"

namespace casus::storage::sqlite {

// `oidc_sid <> ''` repeats the partial index's condition, so that SQLite may
// use it, and keeps sessions without a provider session id out of reach:
// an empty sid in a logout token must end nothing.
const char* const kRevokeSessionsByOidcSidSql =
    "UPDATE sessions SET revoked_at = ? WHERE oidc_issuer = ? AND oidc_sid = ? AND oidc_sid <> '' "
    "AND revoked_at IS NULL";

Status SqliteSessions::Insert(const Session& session) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO sessions (id, token_hash, csrf_hash, user_id, client, created_at, "
                              "last_seen_at, expires_at, revoked_at, oidc_issuer, oidc_sid) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s->Bind(1, session.id);
  s->Bind(2, session.token_hash);
  s->Bind(3, session.csrf_hash);
  s->Bind(4, session.user_id);
  s->Bind(5, session.client);
  s->Bind(6, ToUnix(session.created_at));
  s->Bind(7, ToUnix(session.last_seen_at));
  s->Bind(8, ToUnix(session.expires_at));
  BindOptionalTime(*s, 9, session.revoked_at);
  s->Bind(10, session.oidc_issuer);
  s->Bind(11, session.oidc_sid);
  return s->Run("insert session");
}

StatusOr<std::optional<Session>> SqliteSessions::FindByTokenHash(const std::string& token_hash) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("SELECT id, token_hash, csrf_hash, user_id, client, created_at, last_seen_at, "
                              "expires_at, revoked_at, oidc_issuer, oidc_sid FROM sessions WHERE token_hash = ?"));
  s->Bind(1, token_hash);
  ASSIGN_OR_RETURN(bool row, s->Step("find session"));
  if (!row) return std::optional<Session>();
  Session out;
  out.id = s->ColumnText(0);
  out.token_hash = s->ColumnText(1);
  out.csrf_hash = s->ColumnText(2);
  out.user_id = s->ColumnText(3);
  out.client = s->ColumnText(4);
  out.created_at = FromUnix(s->ColumnInt(5));
  out.last_seen_at = FromUnix(s->ColumnInt(6));
  out.expires_at = FromUnix(s->ColumnInt(7));
  out.revoked_at = OptionalTime(*s, 8);
  out.oidc_issuer = s->ColumnText(9);
  out.oidc_sid = s->ColumnText(10);
  return std::optional<Session>(std::move(out));
}

Status SqliteSessions::Touch(const std::string& session_id, TimePoint last_seen_at) {
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?"));
    s->Bind(1, ToUnix(last_seen_at));
    s->Bind(2, session_id);
    RETURN_IF_ERROR(s->Run("touch session"));
  }
  if (c_.Changes() == 0) return Status::NotFound("session not found");
  return Status::Ok();
}

Status SqliteSessions::Revoke(const std::string& session_id, TimePoint at) {
  {
    // COALESCE keeps the first revocation time: a second logout is a no-op.
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare("UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?"));
    s->Bind(1, ToUnix(at));
    s->Bind(2, session_id);
    RETURN_IF_ERROR(s->Run("revoke session"));
  }
  if (c_.Changes() == 0) return Status::NotFound("session not found");
  return Status::Ok();
}

Status SqliteSessions::RevokeAllForUser(const std::string& user_id, TimePoint at) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"));
  s->Bind(1, ToUnix(at));
  s->Bind(2, user_id);
  return s->Run("revoke sessions of user");
}

StatusOr<int> SqliteSessions::RevokeByOidcSid(const std::string& issuer, const std::string& sid, TimePoint at) {
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(kRevokeSessionsByOidcSidSql));
    s->Bind(1, ToUnix(at));
    s->Bind(2, issuer);
    s->Bind(3, sid);
    RETURN_IF_ERROR(s->Run("revoke sessions by OpenID session id"));
  }
  return static_cast<int>(c_.Changes());
}

StatusOr<int> SqliteSessions::DeleteEndedBefore(TimePoint before) {
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("DELETE FROM sessions WHERE expires_at < ? OR "
                                                "(revoked_at IS NOT NULL AND revoked_at < ?)"));
    s->Bind(1, ToUnix(before));
    s->Bind(2, ToUnix(before));
    RETURN_IF_ERROR(s->Run("delete ended sessions"));
  }
  return static_cast<int>(c_.Changes());
}

}  // namespace casus::storage::sqlite

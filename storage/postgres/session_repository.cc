// Login sessions, found by the hash of their token.
#include "storage/postgres/repositories.h"

#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {

Status PgSessions::Insert(const Session& session) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result r,
                   RunQuery(c_, "insert session",
                            "INSERT INTO sessions (id, token_hash, csrf_hash, user_id, client, created_at, "
                            "last_seen_at, expires_at, revoked_at, oidc_issuer, oidc_sid) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                            {session.id, session.token_hash, session.csrf_hash, session.user_id, session.client,
                             TimeParam(session.created_at), TimeParam(session.last_seen_at),
                             TimeParam(session.expires_at), OptionalTimeParam(session.revoked_at),
                             session.oidc_issuer, session.oidc_sid}));
  return Status::Ok();
}

StatusOr<std::optional<Session>> PgSessions::FindByTokenHash(const std::string& token_hash) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "find session",
                                      "SELECT id, token_hash, csrf_hash, user_id, client, created_at, last_seen_at, "
                                      "expires_at, revoked_at, oidc_issuer, oidc_sid FROM sessions "
                                      "WHERE token_hash = $1",
                                      {token_hash}));
  if (r.rows() == 0) return std::optional<Session>();
  Session out;
  out.id = r.Text(0, 0);
  out.token_hash = r.Text(0, 1);
  out.csrf_hash = r.Text(0, 2);
  out.user_id = r.Text(0, 3);
  out.client = r.Text(0, 4);
  out.created_at = TimeAt(r, 0, 5);
  out.last_seen_at = TimeAt(r, 0, 6);
  out.expires_at = TimeAt(r, 0, 7);
  out.revoked_at = OptionalTimeAt(r, 0, 8);
  out.oidc_issuer = r.Text(0, 9);
  out.oidc_sid = r.Text(0, 10);
  return std::optional<Session>(std::move(out));
}

Status PgSessions::Touch(const std::string& session_id, TimePoint last_seen_at) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "touch session", "UPDATE sessions SET last_seen_at = $1 WHERE id = $2",
                                      {TimeParam(last_seen_at), session_id}));
  if (r.Affected() == 0) return Status::NotFound("session not found");
  return Status::Ok();
}

Status PgSessions::Revoke(const std::string& session_id, TimePoint at) {
  // COALESCE keeps the first revocation time: a second logout is a no-op.
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "revoke session",
                                      "UPDATE sessions SET revoked_at = COALESCE(revoked_at, $1::bigint) WHERE id = $2",
                                      {TimeParam(at), session_id}));
  if (r.Affected() == 0) return Status::NotFound("session not found");
  return Status::Ok();
}

Status PgSessions::RevokeAllForUser(const std::string& user_id, TimePoint at) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result r,
                   RunQuery(c_, "revoke sessions of user",
                            "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                            {TimeParam(at), user_id}));
  return Status::Ok();
}

StatusOr<int> PgSessions::RevokeByOidcSid(const std::string& issuer, const std::string& sid, TimePoint at) {
  // `oidc_sid <> ''` repeats the partial index's condition and keeps
  // sessions without a provider session id out of reach: an empty sid in
  // a logout token must end nothing.
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "revoke sessions by OpenID session id",
                                      "UPDATE sessions SET revoked_at = $1 WHERE oidc_issuer = $2 AND oidc_sid = $3 "
                                      "AND oidc_sid <> '' AND revoked_at IS NULL",
                                      {TimeParam(at), issuer, sid}));
  return static_cast<int>(r.Affected());
}

StatusOr<int> PgSessions::DeleteEndedBefore(TimePoint before) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "delete ended sessions",
                                      "DELETE FROM sessions WHERE expires_at < $1::bigint OR "
                                      "(revoked_at IS NOT NULL AND revoked_at < $1::bigint)",
                                      {TimeParam(before)}));
  return static_cast<int>(r.Affected());
}

}  // namespace casus::storage::postgres

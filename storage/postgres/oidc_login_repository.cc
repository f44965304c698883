// OpenID Connect logins in progress (OidcLoginRepository) on PostgreSQL,
// shared by every node: the callback may reach another node than the one
// that began the login. Each is taken once by one DELETE ... RETURNING: of
// two nodes taking the same row, the second waits for the first's row lock
// and then finds nothing.
#include "storage/postgres/repositories.h"
#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

OidcLogin ReadPgOidcLogin(const Result& r, int row) {
  OidcLogin l;
  l.id = r.Text(row, 0);
  l.kind = r.Text(row, 1);
  l.provider = r.Text(row, 2);
  l.browser_hash = r.Text(row, 3);
  l.nonce = r.Text(row, 4);
  l.code_verifier = r.Text(row, 5);
  l.user_id = r.Text(row, 6);
  l.oidc_issuer = r.Text(row, 7);
  l.oidc_sid = r.Text(row, 8);
  l.mfa_asserted = BoolAt(r, row, 9);
  l.created_at = TimeAt(r, row, 10);
  l.expires_at = TimeAt(r, row, 11);
  return l;
}

}  // namespace

// A duplicate id inserts nothing instead of failing (ON CONFLICT DO
// NOTHING), so that the refusal does not abort the job's transaction.
Status PgOidcLogins::Insert(const OidcLogin& login) {
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "insert OpenID login",
                            "INSERT INTO oidc_logins (id, kind, provider, browser_hash, nonce, code_verifier, user_id, "
                            "oidc_issuer, oidc_sid, mfa_asserted, created_at, expires_at) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
                            {login.id, login.kind, login.provider, login.browser_hash, login.nonce,
                             login.code_verifier, login.user_id, login.oidc_issuer, login.oidc_sid,
                             BoolParam(login.mfa_asserted), TimeParam(login.created_at),
                             TimeParam(login.expires_at)}));
  if (r.Affected() == 0) return Status::FailedPrecondition("insert OpenID login: already exists");
  return Status::Ok();
}

StatusOr<std::optional<OidcLogin>> PgOidcLogins::Take(const std::string& id, const std::string& kind) {
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "take OpenID login",
                            "DELETE FROM oidc_logins WHERE id = $1 AND kind = $2 RETURNING id, kind, provider, "
                            "browser_hash, nonce, code_verifier, user_id, oidc_issuer, oidc_sid, mfa_asserted, "
                            "created_at, expires_at",
                            {id, kind}));
  if (r.rows() == 0) return std::optional<OidcLogin>();
  return std::optional<OidcLogin>(ReadPgOidcLogin(r, 0));
}

StatusOr<int> PgOidcLogins::DeleteExpiredBefore(TimePoint before) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "delete expired OpenID logins",
                                      "DELETE FROM oidc_logins WHERE expires_at < $1::bigint", {TimeParam(before)}));
  return static_cast<int>(r.Affected());
}

}  // namespace casus::storage::postgres

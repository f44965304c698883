// OpenID Connect logins in progress (OidcLoginRepository) on SQLite. Each
// is taken once: read and deleted by one DELETE ... RETURNING (SQLite
// 3.35 and later), so no second use can find it between read and delete.
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {
namespace {

OidcLogin ReadSqliteOidcLogin(const Statement& s) {
  OidcLogin l;
  l.id = s.ColumnText(0);
  l.kind = s.ColumnText(1);
  l.provider = s.ColumnText(2);
  l.browser_hash = s.ColumnText(3);
  l.nonce = s.ColumnText(4);
  l.code_verifier = s.ColumnText(5);
  l.user_id = s.ColumnText(6);
  l.oidc_issuer = s.ColumnText(7);
  l.oidc_sid = s.ColumnText(8);
  l.mfa_asserted = s.ColumnInt(9) != 0;
  l.created_at = FromUnix(s.ColumnInt(10));
  l.expires_at = FromUnix(s.ColumnInt(11));
  return l;
}

}  // namespace

Status SqliteOidcLogins::Insert(const OidcLogin& login) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO oidc_logins (id, kind, provider, browser_hash, nonce, code_verifier, "
                              "user_id, oidc_issuer, oidc_sid, mfa_asserted, created_at, expires_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s->Bind(1, login.id);
  s->Bind(2, login.kind);
  s->Bind(3, login.provider);
  s->Bind(4, login.browser_hash);
  s->Bind(5, login.nonce);
  s->Bind(6, login.code_verifier);
  s->Bind(7, login.user_id);
  s->Bind(8, login.oidc_issuer);
  s->Bind(9, login.oidc_sid);
  s->Bind(10, std::int64_t{login.mfa_asserted ? 1 : 0});
  s->Bind(11, ToUnix(login.created_at));
  s->Bind(12, ToUnix(login.expires_at));
  // SQLite's message names the constraint, never the values: no secret in it.
  return s->Run("insert OpenID login");
}

StatusOr<std::optional<OidcLogin>> SqliteOidcLogins::Take(const std::string& id, const std::string& kind) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("DELETE FROM oidc_logins WHERE id = ? AND kind = ? RETURNING id, kind, provider, "
                              "browser_hash, nonce, code_verifier, user_id, oidc_issuer, oidc_sid, mfa_asserted, "
                              "created_at, expires_at"));
  s->Bind(1, id);
  s->Bind(2, kind);
  ASSIGN_OR_RETURN(bool row, s->Step("take OpenID login"));
  if (!row) return std::optional<OidcLogin>();
  OidcLogin login = ReadSqliteOidcLogin(*s);
  // Run the statement to its end (the id is the key: no second row), so the
  // delete is complete before the statement is reset.
  ASSIGN_OR_RETURN([[maybe_unused]] bool more, s->Step("take OpenID login"));
  return std::optional<OidcLogin>(std::move(login));
}

StatusOr<int> SqliteOidcLogins::DeleteExpiredBefore(TimePoint before) {
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("DELETE FROM oidc_logins WHERE expires_at < ?"));
    s->Bind(1, ToUnix(before));
    RETURN_IF_ERROR(s->Run("delete expired OpenID logins"));
  }
  return static_cast<int>(c_.Changes());
}

}  // namespace casus::storage::sqlite

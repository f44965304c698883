// Organisations, users and persons: the directory the cases refer to.
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {
namespace {

constexpr const char* kOrgColumns = "SELECT id, name, type, municipality FROM organisations ";

Organisation ReadOrganisation(const Statement& s) {
  return Organisation{s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3)};
}

constexpr const char* kUserColumns =
    "SELECT id, username, org_id, roles_json, password_hash, totp_secret, disabled, created_at, totp_last_step, "
    "oidc_issuer, oidc_subject FROM users ";

StatusOr<User> ReadUser(const Statement& s) {
  User u;
  u.id = s.ColumnText(0);
  u.username = s.ColumnText(1);
  u.org_id = s.ColumnText(2);
  ASSIGN_OR_RETURN(u.roles, StringListFromJson(s.ColumnText(3)));
  u.password_hash = s.ColumnText(4);
  u.totp_secret = s.ColumnText(5);
  u.disabled = s.ColumnInt(6) != 0;
  u.created_at = FromUnix(s.ColumnInt(7));
  u.totp_last_step = s.ColumnInt(8);
  u.oidc_issuer = s.ColumnText(9);
  u.oidc_subject = s.ColumnText(10);
  return u;
}

// Binds every column but id from parameter 1, then id as parameter 11.
void BindUserFields(Statement& s, const User& u) {
  s.Bind(1, u.username);
  s.Bind(2, u.org_id);
  s.Bind(3, StringListToJson(u.roles));
  s.Bind(4, u.password_hash);
  s.Bind(5, u.totp_secret);
  s.Bind(6, std::int64_t{u.disabled ? 1 : 0});
  s.Bind(7, ToUnix(u.created_at));
  s.Bind(8, u.totp_last_step);
  s.Bind(9, u.oidc_issuer);
  s.Bind(10, u.oidc_subject);
  s.Bind(11, u.id);
}

constexpr const char* kPersonColumns = "SELECT id, name, birth_date, bsn, created_at, objected_at FROM persons ";

StatusOr<Person> ReadPerson(const Statement& s) {
  Person p;
  p.id = s.ColumnText(0);
  p.name = s.ColumnText(1);
  ASSIGN_OR_RETURN(p.birth_date, DateFromText(s.ColumnOptionalText(2)));
  p.bsn = s.ColumnOptionalText(3);
  p.created_at = FromUnix(s.ColumnInt(4));
  if (!s.ColumnIsNull(5)) p.objected_at = FromUnix(s.ColumnInt(5));
  return p;
}

}  // namespace

std::string UserByOidcSubjectSql() {
  // `oidc_subject <> ''` repeats the partial index's condition, so that
  // SQLite may use it, and keeps local accounts out of an empty lookup.
  return std::string(kUserColumns) + "WHERE oidc_issuer = ? AND oidc_subject = ? AND oidc_subject <> ''";
}

Status CheckLimit(int limit) {
  constexpr int kMaxLimit = 10000;
  if (limit < 1 || limit > kMaxLimit) {
    return Status::InvalidArgument("limit must be between 1 and " + std::to_string(kMaxLimit));
  }
  return Status::Ok();
}

// --- organisations ---

Status SqliteOrganisations::Insert(const Organisation& org) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO organisations (id, name, type, municipality) VALUES (?, ?, ?, ?)"));
  s->Bind(1, org.id);
  s->Bind(2, org.name);
  s->Bind(3, org.type);
  s->Bind(4, org.municipality);
  return s->Run("insert organisation");
}

StatusOr<Organisation> SqliteOrganisations::Get(const std::string& id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kOrgColumns) + "WHERE id = ?"));
  s->Bind(1, id);
  ASSIGN_OR_RETURN(bool row, s->Step("get organisation"));
  if (!row) return Status::NotFound("organisation " + id + " not found");
  return ReadOrganisation(*s);
}

StatusOr<std::optional<Organisation>> SqliteOrganisations::FindByName(const std::string& name) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kOrgColumns) + "WHERE name = ?"));
  s->Bind(1, name);
  ASSIGN_OR_RETURN(bool row, s->Step("find organisation"));
  if (!row) return std::optional<Organisation>();
  return std::optional<Organisation>(ReadOrganisation(*s));
}

StatusOr<std::vector<Organisation>> SqliteOrganisations::List() {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kOrgColumns) + "ORDER BY name"));
  std::vector<Organisation> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list organisations"));
    if (!row) break;
    out.push_back(ReadOrganisation(*s));
  }
  return out;
}

// --- users ---

Status SqliteUsers::Insert(const User& user) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO users (username, org_id, roles_json, password_hash, totp_secret, disabled, "
                              "created_at, totp_last_step, oidc_issuer, oidc_subject, id) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindUserFields(*s, user);
  return s->Run("insert user");
}

Status SqliteUsers::Update(const User& user) {
  {
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare("UPDATE users SET username = ?, org_id = ?, roles_json = ?, password_hash = ?, "
                                "totp_secret = ?, disabled = ?, created_at = ?, totp_last_step = ?, "
                                "oidc_issuer = ?, oidc_subject = ? WHERE id = ?"));
    BindUserFields(*s, user);
    RETURN_IF_ERROR(s->Run("update user"));
  }
  if (c_.Changes() == 0) return Status::NotFound("user " + user.id + " not found");
  return Status::Ok();
}

StatusOr<User> SqliteUsers::Get(const std::string& id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kUserColumns) + "WHERE id = ?"));
  s->Bind(1, id);
  ASSIGN_OR_RETURN(bool row, s->Step("get user"));
  if (!row) return Status::NotFound("user " + id + " not found");
  return ReadUser(*s);
}

StatusOr<std::optional<User>> SqliteUsers::FindByUsername(const std::string& username) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kUserColumns) + "WHERE username = ?"));
  s->Bind(1, username);
  ASSIGN_OR_RETURN(bool row, s->Step("find user"));
  if (!row) return std::optional<User>();
  ASSIGN_OR_RETURN(User u, ReadUser(*s));
  return std::optional<User>(std::move(u));
}

StatusOr<std::optional<User>> SqliteUsers::FindByOidcSubject(const std::string& issuer, const std::string& subject) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(UserByOidcSubjectSql()));
  s->Bind(1, issuer);
  s->Bind(2, subject);
  ASSIGN_OR_RETURN(bool row, s->Step("find user by OpenID subject"));
  if (!row) return std::optional<User>();
  ASSIGN_OR_RETURN(User u, ReadUser(*s));
  return std::optional<User>(std::move(u));
}

StatusOr<std::vector<User>> SqliteUsers::List() {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kUserColumns) + "ORDER BY username"));
  std::vector<User> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list users"));
    if (!row) break;
    ASSIGN_OR_RETURN(User u, ReadUser(*s));
    out.push_back(std::move(u));
  }
  return out;
}

// --- persons ---

Status SqlitePersons::Insert(const Person& person) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO persons (id, name, birth_date, bsn, created_at) VALUES (?, ?, ?, ?, ?)"));
  s->Bind(1, person.id);
  s->Bind(2, person.name);
  s->Bind(3, DateToText(person.birth_date));
  s->Bind(4, person.bsn);
  s->Bind(5, ToUnix(person.created_at));
  return s->Run("insert person");
}

StatusOr<Person> SqlitePersons::Get(const std::string& id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kPersonColumns) + "WHERE id = ?"));
  s->Bind(1, id);
  ASSIGN_OR_RETURN(bool row, s->Step("get person"));
  if (!row) return Status::NotFound("person " + id + " not found");
  return ReadPerson(*s);
}

StatusOr<std::vector<Person>> SqlitePersons::FindByName(const std::string& name, std::optional<Date> birth_date) {
  // NOCASE folds ASCII only; names differing in accented capitals are not
  // matched. Good enough for a duplicate hint, not for identity.
  std::string sql = std::string(kPersonColumns) + "WHERE name = ? COLLATE NOCASE";
  if (birth_date) sql += " AND birth_date = ?";
  sql += " ORDER BY created_at, id";
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(sql));
  s->Bind(1, name);
  if (birth_date) s->Bind(2, FormatDate(*birth_date));
  std::vector<Person> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("find persons"));
    if (!row) break;
    ASSIGN_OR_RETURN(Person p, ReadPerson(*s));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace casus::storage::sqlite

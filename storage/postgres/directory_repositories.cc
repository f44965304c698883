// Organisations, users and persons: the directory the cases refer to.
#include "storage/postgres/repositories.h"

#include "storage/codec.h"
#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

constexpr const char* kOrgColumns = "SELECT id, name, type, municipality FROM organisations ";

Organisation ReadOrganisation(const Result& r, int row) {
  return Organisation{r.Text(row, 0), r.Text(row, 1), r.Text(row, 2), r.Text(row, 3)};
}

constexpr const char* kUserColumns =
    "SELECT id, username, org_id, roles_json, password_hash, totp_secret, disabled, created_at, totp_last_step, "
    "oidc_issuer, oidc_subject FROM users ";

StatusOr<User> ReadUser(const Result& r, int row) {
  User u;
  u.id = r.Text(row, 0);
  u.username = r.Text(row, 1);
  u.org_id = r.Text(row, 2);
  ASSIGN_OR_RETURN(u.roles, StringListFromJson(r.Text(row, 3)));
  u.password_hash = r.Text(row, 4);
  u.totp_secret = r.Text(row, 5);
  u.disabled = BoolAt(r, row, 6);
  u.created_at = TimeAt(r, row, 7);
  u.totp_last_step = r.Int(row, 8);
  u.oidc_issuer = r.Text(row, 9);
  u.oidc_subject = r.Text(row, 10);
  return u;
}

// Every column but id as $1..$10, then id as $11.
std::vector<Param> UserParams(const User& u) {
  return {u.username,
          u.org_id,
          StringListToJson(u.roles),
          u.password_hash,
          u.totp_secret,
          BoolParam(u.disabled),
          TimeParam(u.created_at),
          IntParam(u.totp_last_step),
          u.oidc_issuer,
          u.oidc_subject,
          u.id};
}

constexpr const char* kPersonColumns = "SELECT id, name, birth_date, bsn, created_at, objected_at FROM persons ";

StatusOr<Person> ReadPerson(const Result& r, int row) {
  Person p;
  p.id = r.Text(row, 0);
  p.name = r.Text(row, 1);
  ASSIGN_OR_RETURN(p.birth_date, DateFromText(OptionalTextAt(r, row, 2)));
  p.bsn = OptionalTextAt(r, row, 3);
  p.created_at = TimeAt(r, row, 4);
  p.objected_at = OptionalTimeAt(r, row, 5);
  return p;
}

}  // namespace

// --- organisations ---

// The documented refusals (a duplicate organisation, username or OpenID
// identity; ON CONFLICT without a target takes every unique index, the
// partial users_by_oidc_subject included, as its arbiter) insert
// nothing instead of failing: a failed statement would abort the whole
// PostgreSQL transaction, where SQLite rolls back only the statement and
// the job may carry on.
Status PgOrganisations::Insert(const Organisation& org) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "insert organisation",
                                      "INSERT INTO organisations (id, name, type, municipality) VALUES ($1, $2, $3, $4) "
                                      "ON CONFLICT DO NOTHING",
                                      {org.id, org.name, org.type, org.municipality}));
  if (r.Affected() == 0) return Status::FailedPrecondition("insert organisation: already exists");
  return Status::Ok();
}

StatusOr<Organisation> PgOrganisations::Get(const std::string& id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "get organisation", std::string(kOrgColumns) + "WHERE id = $1", {id}));
  if (r.rows() == 0) return Status::NotFound("organisation " + id + " not found");
  return ReadOrganisation(r, 0);
}

StatusOr<std::optional<Organisation>> PgOrganisations::FindByName(const std::string& name) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "find organisation", std::string(kOrgColumns) + "WHERE name = $1", {name}));
  if (r.rows() == 0) return std::optional<Organisation>();
  return std::optional<Organisation>(ReadOrganisation(r, 0));
}

StatusOr<std::vector<Organisation>> PgOrganisations::List() {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list organisations", std::string(kOrgColumns) + "ORDER BY name"));
  std::vector<Organisation> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadOrganisation(r, i));
  return out;
}

// --- users ---

Status PgUsers::Insert(const User& user) {
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "insert user",
                            "INSERT INTO users (username, org_id, roles_json, password_hash, totp_secret, disabled, "
                            "created_at, totp_last_step, oidc_issuer, oidc_subject, id) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
                            UserParams(user)));
  if (r.Affected() == 0) return Status::FailedPrecondition("insert user: already exists");
  return Status::Ok();
}

// A username or OpenID identity another user already has fails the
// statement (FailedPrecondition, as on SQLite), and with it the job's
// savepoint: UPDATE has no ON CONFLICT. Callers check before they link.
Status PgUsers::Update(const User& user) {
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "update user",
                            "UPDATE users SET username = $1, org_id = $2, roles_json = $3, password_hash = $4, "
                            "totp_secret = $5, disabled = $6, created_at = $7, totp_last_step = $8, "
                            "oidc_issuer = $9, oidc_subject = $10 WHERE id = $11",
                            UserParams(user)));
  if (r.Affected() == 0) return Status::NotFound("user " + user.id + " not found");
  return Status::Ok();
}

StatusOr<User> PgUsers::Get(const std::string& id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "get user", std::string(kUserColumns) + "WHERE id = $1", {id}));
  if (r.rows() == 0) return Status::NotFound("user " + id + " not found");
  return ReadUser(r, 0);
}

StatusOr<std::optional<User>> PgUsers::FindByUsername(const std::string& username) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "find user", std::string(kUserColumns) + "WHERE username = $1", {username}));
  if (r.rows() == 0) return std::optional<User>();
  ASSIGN_OR_RETURN(User u, ReadUser(r, 0));
  return std::optional<User>(std::move(u));
}

StatusOr<std::optional<User>> PgUsers::FindByOidcSubject(const std::string& issuer, const std::string& subject) {
  // `oidc_subject <> ''` repeats the partial index's condition (a generic
  // plan cannot prove it from $2) and keeps local accounts out of an empty lookup.
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "find user by OpenID subject",
                                      std::string(kUserColumns) +
                                          "WHERE oidc_issuer = $1 AND oidc_subject = $2 AND oidc_subject <> ''",
                                      {issuer, subject}));
  if (r.rows() == 0) return std::optional<User>();
  ASSIGN_OR_RETURN(User u, ReadUser(r, 0));
  return std::optional<User>(std::move(u));
}

StatusOr<std::vector<User>> PgUsers::List() {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list users", std::string(kUserColumns) + "ORDER BY username"));
  std::vector<User> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    ASSIGN_OR_RETURN(User u, ReadUser(r, i));
    out.push_back(std::move(u));
  }
  return out;
}

// --- persons ---

Status PgPersons::Insert(const Person& person) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result r,
                   RunQuery(c_, "insert person",
                            "INSERT INTO persons (id, name, birth_date, bsn, created_at) VALUES ($1, $2, $3, $4, $5)",
                            {person.id, person.name, DateToText(person.birth_date), person.bsn,
                             TimeParam(person.created_at)}));
  return Status::Ok();
}

StatusOr<Person> PgPersons::Get(const std::string& id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "get person", std::string(kPersonColumns) + "WHERE id = $1", {id}));
  if (r.rows() == 0) return Status::NotFound("person " + id + " not found");
  return ReadPerson(r, 0);
}

StatusOr<std::vector<Person>> PgPersons::FindByName(const std::string& name, std::optional<Date> birth_date) {
  // lower() in the database's C locale folds ASCII only, like SQLite's
  // NOCASE: names differing in accented capitals are not matched. Good
  // enough for a duplicate hint, not for identity. The comparison is the
  // expression of the index persons_by_name (lower(name), birth_date).
  std::string sql = std::string(kPersonColumns) + "WHERE lower(name) = lower($1)";
  std::vector<Param> params{name};
  if (birth_date) {
    sql += " AND birth_date = $2";
    params.push_back(FormatDate(*birth_date));
  }
  sql += " ORDER BY created_at, id";
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "find persons", sql, params));
  std::vector<Person> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    ASSIGN_OR_RETURN(Person p, ReadPerson(r, i));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace casus::storage::postgres

// Break-the-glass grants: time-limited access outside the case team, kept
// (never deleted here) so the privacy officer can review every one.
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {
namespace {

constexpr const char* kGrantColumns =
    "SELECT id, case_id, user_id, reason, granted_at, expires_at, reviewed_at, reviewed_by FROM access_grants ";
constexpr const char* kGrantOrder = " ORDER BY granted_at, id";

StatusOr<std::vector<AccessGrant>> ReadGrants(Statement& s) {
  std::vector<AccessGrant> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step("list access grants"));
    if (!row) break;
    AccessGrant g;
    g.id = s.ColumnText(0);
    g.case_id = s.ColumnText(1);
    g.user_id = s.ColumnText(2);
    g.reason = s.ColumnText(3);
    g.granted_at = FromUnix(s.ColumnInt(4));
    g.expires_at = FromUnix(s.ColumnInt(5));
    if (!s.ColumnIsNull(6)) g.reviewed_at = FromUnix(s.ColumnInt(6));
    g.reviewed_by = s.ColumnText(7);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace

Status SqliteAccessGrants::Insert(const AccessGrant& grant) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO access_grants (id, case_id, user_id, reason, granted_at, expires_at, "
                              "reviewed_at, reviewed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  s->Bind(1, grant.id);
  s->Bind(2, grant.case_id);
  s->Bind(3, grant.user_id);
  s->Bind(4, grant.reason);
  s->Bind(5, ToUnix(grant.granted_at));
  s->Bind(6, ToUnix(grant.expires_at));
  if (grant.reviewed_at) {
    s->Bind(7, ToUnix(*grant.reviewed_at));
  } else {
    s->BindNull(7);
  }
  s->Bind(8, grant.reviewed_by);
  return s->Run("insert access grant");
}

StatusOr<std::vector<AccessGrant>> SqliteAccessGrants::ListActive(const std::string& case_id,
                                                                  const std::string& user_id, TimePoint now) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kGrantColumns) +
                                              "WHERE case_id = ? AND user_id = ? AND expires_at > ?" + kGrantOrder));
  s->Bind(1, case_id);
  s->Bind(2, user_id);
  s->Bind(3, ToUnix(now));
  return ReadGrants(*s);
}

StatusOr<std::vector<AccessGrant>> SqliteAccessGrants::ListActiveForUser(const std::string& user_id, TimePoint now) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare(std::string(kGrantColumns) + "WHERE user_id = ? AND expires_at > ?" + kGrantOrder));
  s->Bind(1, user_id);
  s->Bind(2, ToUnix(now));
  return ReadGrants(*s);
}

StatusOr<std::vector<AccessGrant>> SqliteAccessGrants::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kGrantColumns) + "WHERE case_id = ?" + kGrantOrder));
  s->Bind(1, case_id);
  return ReadGrants(*s);
}

StatusOr<std::vector<AccessGrant>> SqliteAccessGrants::ListUnreviewed(int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare(std::string(kGrantColumns) + "WHERE reviewed_at IS NULL" + kGrantOrder + " LIMIT ?"));
  s->Bind(1, std::int64_t{limit});
  return ReadGrants(*s);
}

Status SqliteAccessGrants::MarkReviewed(const std::string& grant_id, const std::string& reviewer_id, TimePoint at) {
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("UPDATE access_grants SET reviewed_at = ?, reviewed_by = ? "
                                                "WHERE id = ? AND reviewed_at IS NULL"));
    s->Bind(1, ToUnix(at));
    s->Bind(2, reviewer_id);
    s->Bind(3, grant_id);
    RETURN_IF_ERROR(s->Run("mark access grant reviewed"));
  }
  if (c_.Changes() == 1) return Status::Ok();
  // The first review stands: a second one must not overwrite who reviewed.
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT 1 FROM access_grants WHERE id = ?"));
  s->Bind(1, grant_id);
  ASSIGN_OR_RETURN(bool exists, s->Step("check access grant"));
  if (!exists) return Status::NotFound("access grant " + grant_id + " not found");
  return Status::FailedPrecondition("access grant " + grant_id + " is already reviewed");
}

}  // namespace casus::storage::sqlite

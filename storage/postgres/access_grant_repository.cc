// Break-the-glass grants: time-limited access outside the case team, kept
// (never deleted here) so the privacy officer can review every one.
#include "storage/postgres/repositories.h"

#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

constexpr const char* kGrantColumns =
    "SELECT id, case_id, user_id, reason, granted_at, expires_at, reviewed_at, reviewed_by FROM access_grants ";
constexpr const char* kGrantOrder = " ORDER BY granted_at, id";

std::vector<AccessGrant> ReadGrants(const Result& r) {
  std::vector<AccessGrant> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    AccessGrant g;
    g.id = r.Text(i, 0);
    g.case_id = r.Text(i, 1);
    g.user_id = r.Text(i, 2);
    g.reason = r.Text(i, 3);
    g.granted_at = TimeAt(r, i, 4);
    g.expires_at = TimeAt(r, i, 5);
    g.reviewed_at = OptionalTimeAt(r, i, 6);
    g.reviewed_by = r.Text(i, 7);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace

Status PgAccessGrants::Insert(const AccessGrant& grant) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result r,
                   RunQuery(c_, "insert access grant",
                            "INSERT INTO access_grants (id, case_id, user_id, reason, granted_at, expires_at, "
                            "reviewed_at, reviewed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                            {grant.id, grant.case_id, grant.user_id, grant.reason, TimeParam(grant.granted_at),
                             TimeParam(grant.expires_at), OptionalTimeParam(grant.reviewed_at), grant.reviewed_by}));
  return Status::Ok();
}

StatusOr<std::vector<AccessGrant>> PgAccessGrants::ListActive(const std::string& case_id, const std::string& user_id,
                                                              TimePoint now) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list access grants",
                                      std::string(kGrantColumns) +
                                          "WHERE case_id = $1 AND user_id = $2 AND expires_at > $3::bigint" +
                                          kGrantOrder,
                                      {case_id, user_id, TimeParam(now)}));
  return ReadGrants(r);
}

StatusOr<std::vector<AccessGrant>> PgAccessGrants::ListActiveForUser(const std::string& user_id, TimePoint now) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list access grants",
                                      std::string(kGrantColumns) + "WHERE user_id = $1 AND expires_at > $2::bigint" +
                                          kGrantOrder,
                                      {user_id, TimeParam(now)}));
  return ReadGrants(r);
}

StatusOr<std::vector<AccessGrant>> PgAccessGrants::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list access grants",
                                      std::string(kGrantColumns) + "WHERE case_id = $1" + kGrantOrder, {case_id}));
  return ReadGrants(r);
}

StatusOr<std::vector<AccessGrant>> PgAccessGrants::ListUnreviewed(int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list access grants",
                                      std::string(kGrantColumns) + "WHERE reviewed_at IS NULL" + kGrantOrder +
                                          " LIMIT $1::bigint",
                                      {IntParam(limit)}));
  return ReadGrants(r);
}

Status PgAccessGrants::MarkReviewed(const std::string& grant_id, const std::string& reviewer_id, TimePoint at) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "mark access grant reviewed",
                                      "UPDATE access_grants SET reviewed_at = $1, reviewed_by = $2 "
                                      "WHERE id = $3 AND reviewed_at IS NULL",
                                      {TimeParam(at), reviewer_id, grant_id}));
  if (r.Affected() == 1) return Status::Ok();
  // The first review stands: a second one must not overwrite who reviewed.
  ASSIGN_OR_RETURN(Result exists,
                   RunQuery(c_, "check access grant", "SELECT 1 FROM access_grants WHERE id = $1", {grant_id}));
  if (exists.rows() == 0) return Status::NotFound("access grant " + grant_id + " not found");
  return Status::FailedPrecondition("access grant " + grant_id + " is already reviewed");
}

}  // namespace casus::storage::postgres

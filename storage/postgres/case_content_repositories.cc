// What hangs off a case: its event stream, notes, agreed actions and team.
// PostgreSQL counterpart of storage/sqlite/case_content_repositories.cc.
#include "storage/postgres/repositories.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "storage/codec.h"
#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

constexpr const char* kEventColumns = "SELECT id, case_id, type, at, actor_user_id, payload_json FROM case_events ";

std::vector<CaseEvent> ReadEvents(const Result& r) {
  std::vector<CaseEvent> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    out.push_back(
        CaseEvent{r.Int(row, 0), r.Text(row, 1), r.Text(row, 2), TimeAt(r, row, 3), r.Text(row, 4), r.Text(row, 5)});
  }
  return out;
}

constexpr const char* kActionColumns =
    "SELECT id, case_id, description, owner_org_id, owner_user_id, due_at, status, created_at FROM actions ";

// The two arms of TeamRepository::CaseIdsFor ($1 org, $2 user, $3 after,
// $4 limit). user_id '' in a row means the whole organisation; an empty
// user_id argument must not match those rows of every organisation (the
// second arm is then a one-time false filter and reads nothing). Each arm
// reads its own index (case_team_by_org, case_team_by_user) in case_id
// order from the cursor and stops at its LIMIT; PostgreSQL does not merge a
// UNION in index order, so the outer ORDER BY sorts at most 2 * limit ids,
// never every team row of the organisation.
constexpr const char* kTeamCaseIdsSql =
    "(SELECT case_id FROM case_team WHERE org_id = $1 AND user_id = '' AND case_id > $3 "
    "ORDER BY case_id LIMIT $4) "
    "UNION "
    "(SELECT case_id FROM case_team WHERE $2::text <> '' AND user_id = $2::text AND case_id > $3 "
    "ORDER BY case_id LIMIT $4) "
    "ORDER BY case_id LIMIT $4";

}  // namespace

// --- events ---

StatusOr<std::int64_t> PgEvents::Append(const CaseEvent& event) {
  ASSIGN_OR_RETURN(std::string payload, NormalizeJsonObject(event.payload_json));
  // The id is the WebSocket replay cursor: a client that has read up to id
  // N asks for `id > N`, so ids must become visible in increasing order.
  // A sequence (SQLite's AUTOINCREMENT under its single writer) hands out
  // ids at insert time, not commit time: with several nodes, a transaction
  // holding id 7 can commit after one holding id 8, and a client that
  // already read 8 skips 7 for good. So the id is max(id) + 1, taken while
  // holding the append lock, which is held until COMMIT/ROLLBACK: the next
  // appender (any node) waits for this transaction to end and, the writer
  // running in READ COMMITTED, its max(id) then sees this row (or, after a
  // rollback, reuses an id that never became visible). An append that
  // skipped the lock would fail on the primary key, not commit out of order.
  {
    Status locked = c_.EnsureAppendLock();
    if (!locked.ok()) return InContext(locked, "lock case events");
  }
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "append case event",
                            "INSERT INTO case_events (id, case_id, type, at, actor_user_id, payload_json) "
                            "SELECT COALESCE(max(id), 0) + 1, $1::text, $2::text, $3::bigint, $4::text, $5::text "
                            "FROM case_events RETURNING id",
                            {event.case_id, event.type, TimeParam(event.at), event.actor_user_id, payload}));
  if (r.rows() != 1) return Status::Internal("append case event: no id returned");
  return r.Int(0, 0);
}

StatusOr<std::vector<CaseEvent>> PgEvents::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list case events",
                                      std::string(kEventColumns) + "WHERE case_id = $1 ORDER BY id", {case_id}));
  return ReadEvents(r);
}

StatusOr<std::vector<CaseEvent>> PgEvents::ListAfter(std::int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list case events",
                                      std::string(kEventColumns) + "WHERE id > $1::bigint ORDER BY id LIMIT $2::bigint",
                                      {IntParam(after_id), IntParam(limit)}));
  return ReadEvents(r);
}

StatusOr<std::int64_t> PgEvents::LastId() {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "last case event id", "SELECT COALESCE(MAX(id), 0) FROM case_events"));
  return r.Int(0, 0);
}

// --- notes ---

Status PgNotes::Insert(const Note& note) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result r,
                   RunQuery(c_, "insert note",
                            "INSERT INTO notes (id, case_id, author_user_id, text, created_at) "
                            "VALUES ($1, $2, $3, $4, $5)",
                            {note.id, note.case_id, note.author_user_id, note.text, TimeParam(note.created_at)}));
  return Status::Ok();
}

StatusOr<std::vector<Note>> PgNotes::ListForCase(const std::string& case_id) {
  // ord (insertion order) breaks ties for notes made in the same second,
  // as rowid does in SQLite.
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list notes",
                                      "SELECT id, case_id, author_user_id, text, created_at FROM notes "
                                      "WHERE case_id = $1 ORDER BY created_at, ord",
                                      {case_id}));
  std::vector<Note> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    out.push_back(Note{r.Text(row, 0), r.Text(row, 1), r.Text(row, 2), r.Text(row, 3), TimeAt(r, row, 4)});
  }
  return out;
}

// --- actions ---

Status PgActions::Insert(const Action& action) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result r,
                   RunQuery(c_, "insert action",
                            "INSERT INTO actions (id, case_id, description, owner_org_id, owner_user_id, due_at, "
                            "status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                            {action.id, action.case_id, action.description, action.owner_org_id,
                             action.owner_user_id, TimeParam(action.due_at), action.status,
                             TimeParam(action.created_at)}));
  return Status::Ok();
}

Status PgActions::Update(const Action& action) {
  // The case an action belongs to and its creation time never change.
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "update action",
                                      "UPDATE actions SET description = $1, owner_org_id = $2, owner_user_id = $3, "
                                      "due_at = $4, status = $5 WHERE id = $6",
                                      {action.description, action.owner_org_id, action.owner_user_id,
                                       TimeParam(action.due_at), action.status, action.id}));
  if (r.Affected() == 0) return Status::NotFound("action " + action.id + " not found");
  return Status::Ok();
}

StatusOr<std::vector<Action>> PgActions::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list actions",
                                      std::string(kActionColumns) + "WHERE case_id = $1 ORDER BY created_at, ord",
                                      {case_id}));
  std::vector<Action> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    Action a;
    a.id = r.Text(row, 0);
    a.case_id = r.Text(row, 1);
    a.description = r.Text(row, 2);
    a.owner_org_id = r.Text(row, 3);
    a.owner_user_id = r.Text(row, 4);
    a.due_at = TimeAt(r, row, 5);
    a.status = r.Text(row, 6);
    a.created_at = TimeAt(r, row, 7);
    out.push_back(std::move(a));
  }
  return out;
}

// --- team ---

Status PgTeam::Add(const TeamMember& member) {
  // A refusal must leave the job's transaction usable, as SQLite's
  // statement rollback does: a failed statement would abort the whole
  // PostgreSQL transaction. So a duplicate (the primary key: case, org,
  // user) inserts nothing instead of failing.
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "add team member",
                            "INSERT INTO case_team (case_id, org_id, user_id, role, added_at) "
                            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, org_id, user_id) DO NOTHING",
                            {member.case_id, member.org_id, member.user_id, member.role, TimeParam(member.added_at)}));
  if (r.Affected() == 0) return Status::FailedPrecondition("already a member of the team of case " + member.case_id);
  return Status::Ok();
}

StatusOr<std::vector<TeamMember>> PgTeam::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list team",
                                      "SELECT case_id, org_id, user_id, role, added_at FROM case_team "
                                      "WHERE case_id = $1 ORDER BY added_at, ord",
                                      {case_id}));
  std::vector<TeamMember> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    out.push_back(TeamMember{r.Text(row, 0), r.Text(row, 1), r.Text(row, 2), r.Text(row, 3), TimeAt(r, row, 4)});
  }
  return out;
}

StatusOr<std::vector<std::string>> PgTeam::CaseIdsFor(const std::string& org_id, const std::string& user_id,
                                                      const std::string& after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list cases of team member", kTeamCaseIdsSql,
                                      {org_id, user_id, after_id, IntParam(limit)}));
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) out.push_back(r.Text(row, 0));
  return out;
}

}  // namespace casus::storage::postgres

// What hangs off a case: its event stream, notes, agreed actions and team.
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {
namespace {

constexpr const char* kEventColumns = "SELECT id, case_id, type, at, actor_user_id, payload_json FROM case_events ";

CaseEvent ReadEvent(const Statement& s) {
  return CaseEvent{s.ColumnInt(0), s.ColumnText(1), s.ColumnText(2), FromUnix(s.ColumnInt(3)), s.ColumnText(4),
                   s.ColumnText(5)};
}

StatusOr<std::vector<CaseEvent>> ReadEvents(Statement& s) {
  std::vector<CaseEvent> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step("list case events"));
    if (!row) break;
    out.push_back(ReadEvent(s));
  }
  return out;
}

constexpr const char* kActionColumns =
    "SELECT id, case_id, description, owner_org_id, owner_user_id, due_at, status, created_at FROM actions ";

}  // namespace

// --- events ---

StatusOr<std::int64_t> SqliteEvents::Append(const CaseEvent& event) {
  ASSIGN_OR_RETURN(std::string payload, NormalizeJsonObject(event.payload_json));
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("INSERT INTO case_events (case_id, type, at, actor_user_id, "
                                              "payload_json) VALUES (?, ?, ?, ?, ?)"));
  s->Bind(1, event.case_id);
  s->Bind(2, event.type);
  s->Bind(3, ToUnix(event.at));
  s->Bind(4, event.actor_user_id);
  s->Bind(5, payload);
  RETURN_IF_ERROR(s->Run("append case event"));
  return c_.LastInsertRowId();
}

StatusOr<std::vector<CaseEvent>> SqliteEvents::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kEventColumns) + "WHERE case_id = ? ORDER BY id"));
  s->Bind(1, case_id);
  return ReadEvents(*s);
}

StatusOr<std::vector<CaseEvent>> SqliteEvents::ListAfter(std::int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kEventColumns) + "WHERE id > ? ORDER BY id LIMIT ?"));
  s->Bind(1, after_id);
  s->Bind(2, std::int64_t{limit});
  return ReadEvents(*s);
}

StatusOr<std::int64_t> SqliteEvents::LastId() { return c_.QueryInt("SELECT COALESCE(MAX(id), 0) FROM case_events"); }

// --- notes ---

Status SqliteNotes::Insert(const Note& note) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("INSERT INTO notes (id, case_id, author_user_id, text, created_at) "
                                              "VALUES (?, ?, ?, ?, ?)"));
  s->Bind(1, note.id);
  s->Bind(2, note.case_id);
  s->Bind(3, note.author_user_id);
  s->Bind(4, note.text);
  s->Bind(5, ToUnix(note.created_at));
  return s->Run("insert note");
}

StatusOr<std::vector<Note>> SqliteNotes::ListForCase(const std::string& case_id) {
  // rowid breaks ties in insertion order for notes made in the same second.
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT id, case_id, author_user_id, text, created_at FROM notes "
                                              "WHERE case_id = ? ORDER BY created_at, rowid"));
  s->Bind(1, case_id);
  std::vector<Note> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list notes"));
    if (!row) break;
    out.push_back(Note{s->ColumnText(0), s->ColumnText(1), s->ColumnText(2), s->ColumnText(3),
                       FromUnix(s->ColumnInt(4))});
  }
  return out;
}

// --- actions ---

Status SqliteActions::Insert(const Action& action) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO actions (id, case_id, description, owner_org_id, owner_user_id, due_at, "
                              "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  s->Bind(1, action.id);
  s->Bind(2, action.case_id);
  s->Bind(3, action.description);
  s->Bind(4, action.owner_org_id);
  s->Bind(5, action.owner_user_id);
  s->Bind(6, ToUnix(action.due_at));
  s->Bind(7, action.status);
  s->Bind(8, ToUnix(action.created_at));
  return s->Run("insert action");
}

Status SqliteActions::Update(const Action& action) {
  // The case an action belongs to and its creation time never change.
  {
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare("UPDATE actions SET description = ?, owner_org_id = ?, owner_user_id = ?, "
                                "due_at = ?, status = ? WHERE id = ?"));
    s->Bind(1, action.description);
    s->Bind(2, action.owner_org_id);
    s->Bind(3, action.owner_user_id);
    s->Bind(4, ToUnix(action.due_at));
    s->Bind(5, action.status);
    s->Bind(6, action.id);
    RETURN_IF_ERROR(s->Run("update action"));
  }
  if (c_.Changes() == 0) return Status::NotFound("action " + action.id + " not found");
  return Status::Ok();
}

StatusOr<std::vector<Action>> SqliteActions::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare(std::string(kActionColumns) + "WHERE case_id = ? ORDER BY created_at, rowid"));
  s->Bind(1, case_id);
  std::vector<Action> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list actions"));
    if (!row) break;
    Action a;
    a.id = s->ColumnText(0);
    a.case_id = s->ColumnText(1);
    a.description = s->ColumnText(2);
    a.owner_org_id = s->ColumnText(3);
    a.owner_user_id = s->ColumnText(4);
    a.due_at = FromUnix(s->ColumnInt(5));
    a.status = s->ColumnText(6);
    a.created_at = FromUnix(s->ColumnInt(7));
    out.push_back(std::move(a));
  }
  return out;
}

// --- team ---

Status SqliteTeam::Add(const TeamMember& member) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("INSERT INTO case_team (case_id, org_id, user_id, role, added_at) "
                                              "VALUES (?, ?, ?, ?, ?)"));
  s->Bind(1, member.case_id);
  s->Bind(2, member.org_id);
  s->Bind(3, member.user_id);
  s->Bind(4, member.role);
  s->Bind(5, ToUnix(member.added_at));
  Status st = s->Run("add team member");
  if (st.code() == StatusCode::kFailedPrecondition && st.message().find("already exists") != std::string::npos) {
    return Status::FailedPrecondition("already a member of the team of case " + member.case_id);
  }
  return st;
}

StatusOr<std::vector<TeamMember>> SqliteTeam::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT case_id, org_id, user_id, role, added_at FROM case_team "
                                              "WHERE case_id = ? ORDER BY added_at, rowid"));
  s->Bind(1, case_id);
  std::vector<TeamMember> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list team"));
    if (!row) break;
    out.push_back(TeamMember{s->ColumnText(0), s->ColumnText(1), s->ColumnText(2), s->ColumnText(3),
                             FromUnix(s->ColumnInt(4))});
  }
  return out;
}

const char* const kTeamCaseIdsSql =
    "SELECT case_id FROM case_team WHERE org_id = ?1 AND user_id = '' AND case_id > ?3 "
    "UNION SELECT case_id FROM case_team WHERE ?2 <> '' AND user_id = ?2 AND case_id > ?3 "
    "ORDER BY case_id LIMIT ?4";

StatusOr<std::vector<std::string>> SqliteTeam::CaseIdsFor(const std::string& org_id, const std::string& user_id,
                                                          const std::string& after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  // user_id '' in a row means the whole organisation; an empty user_id
  // argument must not match those rows of every organisation. Two arms,
  // each read in the order of its index (case_team_by_org, case_team_by_user),
  // merged by SQLite without a sort, so LIMIT stops the read.
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(kTeamCaseIdsSql));
  s->Bind(1, org_id);
  s->Bind(2, user_id);
  s->Bind(3, after_id);
  s->Bind(4, std::int64_t{limit});
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list cases of team member"));
    if (!row) break;
    out.push_back(s->ColumnText(0));
  }
  return out;
}

}  // namespace casus::storage::sqlite

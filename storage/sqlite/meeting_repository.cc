// Meetings (overleggen), their agendas per date, agenda items and the
// decisions recorded during a meeting.
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {
namespace {

constexpr const char* kMeetingColumns =
    "SELECT id, case_type, municipality, name, cadence_days, created_at FROM meetings ";

Meeting ReadMeeting(Statement& s) {
  Meeting m;
  m.id = s.ColumnText(0);
  m.case_type = s.ColumnText(1);
  m.municipality = s.ColumnText(2);
  m.name = s.ColumnText(3);
  m.cadence_days = static_cast<int>(s.ColumnInt(4));
  m.created_at = FromUnix(s.ColumnInt(5));
  return m;
}

}  // namespace

Status SqliteMeetings::Insert(const Meeting& m) {
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("INSERT INTO meetings (id, case_type, municipality, name, "
                                                "cadence_days, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
    s->Bind(1, m.id);
    s->Bind(2, m.case_type);
    s->Bind(3, m.municipality);
    s->Bind(4, m.name);
    s->Bind(5, std::int64_t{m.cadence_days});
    s->Bind(6, ToUnix(m.created_at));
    RETURN_IF_ERROR(s->Run("insert meeting"));
  }
  for (const auto& org : m.participant_org_ids) {
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare("INSERT INTO meeting_participants (meeting_id, org_id) VALUES (?, ?) "
                                "ON CONFLICT DO NOTHING"));
    s->Bind(1, m.id);
    s->Bind(2, org);
    RETURN_IF_ERROR(s->Run("insert meeting participant"));
  }
  return Status::Ok();
}

Status SqliteMeetings::LoadParticipants(Meeting& m) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("SELECT org_id FROM meeting_participants WHERE meeting_id = ? ORDER BY org_id"));
  s->Bind(1, m.id);
  m.participant_org_ids.clear();
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list meeting participants"));
    if (!row) break;
    m.participant_org_ids.push_back(s->ColumnText(0));
  }
  return Status::Ok();
}

StatusOr<Meeting> SqliteMeetings::Get(const std::string& id) {
  Meeting m;
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kMeetingColumns) + "WHERE id = ?"));
    s->Bind(1, id);
    ASSIGN_OR_RETURN(bool row, s->Step("get meeting"));
    if (!row) return Status::NotFound("meeting " + id + " not found");
    m = ReadMeeting(*s);
  }
  RETURN_IF_ERROR(LoadParticipants(m));
  return m;
}

StatusOr<std::vector<Meeting>> SqliteMeetings::List() {
  std::vector<Meeting> out;
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kMeetingColumns) + "ORDER BY id"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step("list meetings"));
      if (!row) break;
      out.push_back(ReadMeeting(*s));
    }
  }
  for (auto& m : out) RETURN_IF_ERROR(LoadParticipants(m));
  return out;
}

Status SqliteMeetings::InsertAgenda(const Agenda& a) {
  ASSIGN_OR_RETURN(auto existing, FindAgenda(a.meeting_id, a.date));
  if (existing) return Status::FailedPrecondition("the meeting already has an agenda on " + a.date);
  {
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare("INSERT INTO agendas (id, meeting_id, date, created_at) VALUES (?, ?, ?, ?)"));
    s->Bind(1, a.id);
    s->Bind(2, a.meeting_id);
    s->Bind(3, a.date);
    s->Bind(4, ToUnix(a.created_at));
    RETURN_IF_ERROR(s->Run("insert agenda"));
  }
  return ReplaceItems(a.id, a.items);
}

StatusOr<std::optional<Agenda>> SqliteMeetings::FindAgenda(const std::string& meeting_id, const std::string& date) {
  Agenda a;
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT id, meeting_id, date, created_at FROM agendas "
                                                "WHERE meeting_id = ? AND date = ?"));
    s->Bind(1, meeting_id);
    s->Bind(2, date);
    ASSIGN_OR_RETURN(bool row, s->Step("find agenda"));
    if (!row) return std::optional<Agenda>();
    a.id = s->ColumnText(0);
    a.meeting_id = s->ColumnText(1);
    a.date = s->ColumnText(2);
    a.created_at = FromUnix(s->ColumnInt(3));
  }
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT case_id, position, reason FROM agenda_items "
                                              "WHERE agenda_id = ? ORDER BY position, case_id"));
  s->Bind(1, a.id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list agenda items"));
    if (!row) break;
    a.items.push_back({s->ColumnText(0), static_cast<int>(s->ColumnInt(1)), s->ColumnText(2)});
  }
  return std::optional<Agenda>(std::move(a));
}

Status SqliteMeetings::ReplaceItems(const std::string& agenda_id, const std::vector<AgendaItem>& items) {
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("DELETE FROM agenda_items WHERE agenda_id = ?"));
    s->Bind(1, agenda_id);
    RETURN_IF_ERROR(s->Run("clear agenda items"));
  }
  for (const auto& item : items) {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("INSERT INTO agenda_items (agenda_id, case_id, position, reason) "
                                                "VALUES (?, ?, ?, ?)"));
    s->Bind(1, agenda_id);
    s->Bind(2, item.case_id);
    s->Bind(3, std::int64_t{item.position});
    s->Bind(4, item.reason);
    RETURN_IF_ERROR(s->Run("insert agenda item"));
  }
  return Status::Ok();
}

Status SqliteMeetings::InsertDecision(const AgendaDecision& d) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("INSERT INTO agenda_decisions (agenda_id, case_id, decided_at, "
                                              "decided_by, summary) VALUES (?, ?, ?, ?, ?)"));
  s->Bind(1, d.agenda_id);
  s->Bind(2, d.case_id);
  s->Bind(3, ToUnix(d.decided_at));
  s->Bind(4, d.decided_by);
  s->Bind(5, d.summary);
  return s->Run("insert agenda decision");
}

StatusOr<std::vector<AgendaDecision>> SqliteMeetings::ListDecisions(const std::string& agenda_id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT agenda_id, case_id, decided_at, decided_by, summary FROM "
                                              "agenda_decisions WHERE agenda_id = ? ORDER BY rowid"));
  s->Bind(1, agenda_id);
  std::vector<AgendaDecision> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list agenda decisions"));
    if (!row) break;
    out.push_back({s->ColumnText(0), s->ColumnText(1), FromUnix(s->ColumnInt(2)), s->ColumnText(3), s->ColumnText(4)});
  }
  return out;
}

}  // namespace casus::storage::sqlite

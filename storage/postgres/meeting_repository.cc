// Meetings (overleggen), their agendas per date, agenda items and the
// decisions recorded during a meeting (storage/sqlite/meeting_repository.cc
// on PostgreSQL).
#include "storage/postgres/repositories.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/codec.h"
#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

constexpr const char* kMeetingColumns =
    "SELECT id, case_type, municipality, name, cadence_days, created_at FROM meetings ";

Meeting ReadMeeting(const Result& r, int row) {
  Meeting m;
  m.id = r.Text(row, 0);
  m.case_type = r.Text(row, 1);
  m.municipality = r.Text(row, 2);
  m.name = r.Text(row, 3);
  m.cadence_days = static_cast<int>(r.Int(row, 4));
  m.created_at = FromUnix(r.Int(row, 5));
  return m;
}

std::string AgendaExists(const std::string& date) { return "the meeting already has an agenda on " + date; }

}  // namespace

Status PgMeetings::Insert(const Meeting& m) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result ins,
                   RunQuery(c_, "insert meeting",
                            "INSERT INTO meetings (id, case_type, municipality, name, cadence_days, created_at) "
                            "VALUES ($1, $2, $3, $4, $5::bigint, $6::bigint)",
                            {m.id, m.case_type, m.municipality, m.name, std::to_string(m.cadence_days),
                             std::to_string(ToUnix(m.created_at))}));
  for (const auto& org : m.participant_org_ids) {
    ASSIGN_OR_RETURN([[maybe_unused]] Result part,
                     RunQuery(c_, "insert meeting participant",
                              "INSERT INTO meeting_participants (meeting_id, org_id) VALUES ($1, $2) "
                              "ON CONFLICT DO NOTHING",
                              {m.id, org}));
  }
  return Status::Ok();
}

Status PgMeetings::LoadParticipants(Meeting& m) {
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "list meeting participants",
                            "SELECT org_id FROM meeting_participants WHERE meeting_id = $1 ORDER BY org_id", {m.id}));
  m.participant_org_ids.clear();
  for (int i = 0; i < r.rows(); ++i) m.participant_org_ids.push_back(r.Text(i, 0));
  return Status::Ok();
}

StatusOr<Meeting> PgMeetings::Get(const std::string& id) {
  Meeting m;
  {
    ASSIGN_OR_RETURN(Result r, RunQuery(c_, "get meeting", std::string(kMeetingColumns) + "WHERE id = $1", {id}));
    if (r.rows() == 0) return Status::NotFound("meeting " + id + " not found");
    m = ReadMeeting(r, 0);
  }
  RETURN_IF_ERROR(LoadParticipants(m));
  return m;
}

StatusOr<std::vector<Meeting>> PgMeetings::List() {
  std::vector<Meeting> out;
  {
    ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list meetings", std::string(kMeetingColumns) + "ORDER BY id"));
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(ReadMeeting(r, i));
  }
  for (auto& m : out) RETURN_IF_ERROR(LoadParticipants(m));
  return out;
}

Status PgMeetings::InsertAgenda(const Agenda& a) {
  ASSIGN_OR_RETURN(auto existing, FindAgenda(a.meeting_id, a.date));
  if (existing) return Status::FailedPrecondition(AgendaExists(a.date));
  // Another node may insert the same (meeting, date) between the check and
  // here: the unique key then decides, with the same answer.
  ASSIGN_OR_RETURN(Result ins, RunQuery(c_, "insert agenda",
                                        "INSERT INTO agendas (id, meeting_id, date, created_at) "
                                        "VALUES ($1, $2, $3, $4::bigint) ON CONFLICT (meeting_id, date) DO NOTHING",
                                        {a.id, a.meeting_id, a.date, std::to_string(ToUnix(a.created_at))}));
  if (ins.Affected() == 0) return Status::FailedPrecondition(AgendaExists(a.date));
  return ReplaceItems(a.id, a.items);
}

StatusOr<std::optional<Agenda>> PgMeetings::FindAgenda(const std::string& meeting_id, const std::string& date) {
  Agenda a;
  {
    ASSIGN_OR_RETURN(Result r, RunQuery(c_, "find agenda",
                                        "SELECT id, meeting_id, date, created_at FROM agendas "
                                        "WHERE meeting_id = $1 AND date = $2",
                                        {meeting_id, date}));
    if (r.rows() == 0) return std::optional<Agenda>();
    a.id = r.Text(0, 0);
    a.meeting_id = r.Text(0, 1);
    a.date = r.Text(0, 2);
    a.created_at = FromUnix(r.Int(0, 3));
  }
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list agenda items",
                                      "SELECT case_id, position, reason FROM agenda_items "
                                      "WHERE agenda_id = $1 ORDER BY position, case_id",
                                      {a.id}));
  a.items.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) a.items.push_back({r.Text(i, 0), static_cast<int>(r.Int(i, 1)), r.Text(i, 2)});
  return std::optional<Agenda>(std::move(a));
}

Status PgMeetings::ReplaceItems(const std::string& agenda_id, const std::vector<AgendaItem>& items) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result del,
                   RunQuery(c_, "clear agenda items", "DELETE FROM agenda_items WHERE agenda_id = $1", {agenda_id}));
  for (const auto& item : items) {
    ASSIGN_OR_RETURN([[maybe_unused]] Result ins,
                     RunQuery(c_, "insert agenda item",
                              "INSERT INTO agenda_items (agenda_id, case_id, position, reason) "
                              "VALUES ($1, $2, $3::bigint, $4)",
                              {agenda_id, item.case_id, std::to_string(item.position), item.reason}));
  }
  return Status::Ok();
}

Status PgMeetings::InsertDecision(const AgendaDecision& d) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result ins,
                   RunQuery(c_, "insert agenda decision",
                            "INSERT INTO agenda_decisions (agenda_id, case_id, decided_at, decided_by, summary) "
                            "VALUES ($1, $2, $3::bigint, $4, $5)",
                            {d.agenda_id, d.case_id, std::to_string(ToUnix(d.decided_at)), d.decided_by, d.summary}));
  return Status::Ok();
}

StatusOr<std::vector<AgendaDecision>> PgMeetings::ListDecisions(const std::string& agenda_id) {
  // `ord` (an identity) is the recording order, where SQLite used rowid.
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "list agenda decisions",
                            "SELECT agenda_id, case_id, decided_at, decided_by, summary FROM agenda_decisions "
                            "WHERE agenda_id = $1 ORDER BY ord",
                            {agenda_id}));
  std::vector<AgendaDecision> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.Text(i, 0), r.Text(i, 1), FromUnix(r.Int(i, 2)), r.Text(i, 3), r.Text(i, 4)});
  return out;
}

}  // namespace casus::storage::postgres

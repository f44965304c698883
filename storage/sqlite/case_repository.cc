// Cases with optimistic concurrency, and their deadlines (own table, so a
// scheduler can find active deadlines by due time without parsing JSON).
#include "storage/case_number.h"
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"
#include "storage/sqlite/time_columns.h"

namespace casus::storage::sqlite {
namespace {

constexpr const char* kCaseColumns =
    "SELECT id, type, definition_version, state, level, version, municipality, confidentiality, "
    "subject_person_id, report_id, received_at, created_at, updated_at, history_json, data_json, case_number "
    "FROM cases ";

StatusOr<CaseRecord> ReadCase(const Statement& s) {
  CaseRecord k;
  k.id = s.ColumnText(0);
  k.type = s.ColumnText(1);
  k.definition_version = static_cast<int>(s.ColumnInt(2));
  k.state = s.ColumnText(3);
  k.level = s.ColumnText(4);
  k.version = s.ColumnInt(5);
  k.municipality = s.ColumnText(6);
  k.confidentiality = static_cast<int>(s.ColumnInt(7));
  k.subject_person_id = s.ColumnOptionalText(8).value_or("");
  k.report_id = s.ColumnOptionalText(9);
  k.received_at = FromUnix(s.ColumnInt(10));
  k.created_at = FromUnix(s.ColumnInt(11));
  k.updated_at = FromUnix(s.ColumnInt(12));
  ASSIGN_OR_RETURN(k.history, StringListFromJson(s.ColumnText(13)));
  ASSIGN_OR_RETURN(k.data, FieldMapFromJson(s.ColumnText(14)));
  k.case_number = s.ColumnText(15);
  return k;
}

// Binds every column but id and version, from parameter 1, in this order:
// type, definition_version, state, level, municipality, confidentiality,
// subject_person_id, report_id, received_at, created_at, updated_at,
// history_json, data_json.
constexpr int kCaseFieldCount = 13;
void BindCaseFields(Statement& s, const CaseRecord& k) {
  s.Bind(1, k.type);
  s.Bind(2, std::int64_t{k.definition_version});
  s.Bind(3, k.state);
  s.Bind(4, k.level);
  s.Bind(5, k.municipality);
  s.Bind(6, std::int64_t{k.confidentiality});
  s.Bind(7, EmptyAsNull(k.subject_person_id));
  s.Bind(8, k.report_id);
  s.Bind(9, ToUnix(k.received_at));
  s.Bind(10, ToUnix(k.created_at));
  s.Bind(11, ToUnix(k.updated_at));
  s.Bind(12, StringListToJson(k.history));
  s.Bind(13, FieldMapToJson(k.data));
}

}  // namespace

StatusOr<std::string> SqliteCases::InsertNumbered(const CaseRecord& kase) {
  const int year = CaseNumberYear(kase.created_at);
  std::int64_t sequence = 0;
  {
    // The counter row is created by the first case of its type and year.
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare("INSERT INTO case_number_counters (type, year, last_number) VALUES (?, ?, 1) "
                                "ON CONFLICT (type, year) DO UPDATE SET last_number = last_number + 1 "
                                "RETURNING last_number"));
    s->Bind(1, kase.type);
    s->Bind(2, std::int64_t{year});
    ASSIGN_OR_RETURN(bool row, s->Step("number case"));
    if (!row) return Status::Internal("number case: the counter returned no number");
    sequence = s->ColumnInt(0);
  }
  const std::string number = FormatCaseNumber(kase.type, year, sequence);
  Status inserted = [&]() -> Status {
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare("INSERT INTO cases (type, definition_version, state, level, municipality, "
                                "confidentiality, subject_person_id, report_id, received_at, created_at, updated_at, "
                                "history_json, data_json, id, version, case_number) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    BindCaseFields(*s, kase);
    s->Bind(kCaseFieldCount + 1, kase.id);
    s->Bind(kCaseFieldCount + 2, kase.version);
    s->Bind(kCaseFieldCount + 3, number);
    return s->Run("insert case");
  }();
  if (!inserted.ok()) {
    // A failed statement does not end an SQLite transaction: should the
    // caller go on and commit, the number must not be gone. (The writer's
    // savepoint takes it back too when the write set fails, as it should.)
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("UPDATE case_number_counters SET last_number = last_number - 1 "
                                                "WHERE type = ? AND year = ? AND last_number = ?"));
    s->Bind(1, kase.type);
    s->Bind(2, std::int64_t{year});
    s->Bind(3, sequence);
    RETURN_IF_ERROR(s->Run("give back a case number"));
    return inserted;
  }
  RETURN_IF_ERROR(WriteDeadlines(kase));
  return number;
}

StatusOr<CaseRecord> SqliteCases::Get(const std::string& id) {
  CaseRecord kase;
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kCaseColumns) + "WHERE id = ?"));
    s->Bind(1, id);
    ASSIGN_OR_RETURN(bool row, s->Step("get case"));
    if (!row) return Status::NotFound("case " + id + " not found");
    ASSIGN_OR_RETURN(kase, ReadCase(*s));
  }
  RETURN_IF_ERROR(LoadDeadlines(kase));
  return kase;
}

Status SqliteCases::Update(const CaseRecord& kase, std::int64_t expected_version) {
  {
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare("UPDATE cases SET type = ?, definition_version = ?, state = ?, level = ?, "
                                "municipality = ?, confidentiality = ?, subject_person_id = ?, report_id = ?, "
                                "received_at = ?, created_at = ?, updated_at = ?, history_json = ?, data_json = ?, "
                                "version = ? WHERE id = ? AND version = ?"));
    BindCaseFields(*s, kase);
    s->Bind(kCaseFieldCount + 1, expected_version + 1);
    s->Bind(kCaseFieldCount + 2, kase.id);
    s->Bind(kCaseFieldCount + 3, expected_version);
    RETURN_IF_ERROR(s->Run("update case"));
  }
  if (c_.Changes() == 0) return NoRowUpdated(kase.id, expected_version);
  return WriteDeadlines(kase);
}

Status SqliteCases::UpdateProgress(const CaseProgress& p) {
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("UPDATE cases SET state = ?, level = ?, updated_at = ?, history_json = ?, "
                                                "data_json = ?, version = version + 1 WHERE id = ? AND version = ?"));
    s->Bind(1, p.state);
    s->Bind(2, p.level);
    s->Bind(3, ToUnix(p.updated_at));
    s->Bind(4, StringListToJson(p.history));
    s->Bind(5, FieldMapToJson(p.data));
    s->Bind(6, p.case_id);
    s->Bind(7, p.expected_version);
    RETURN_IF_ERROR(s->Run("update case progress"));
  }
  if (c_.Changes() == 0) return NoRowUpdated(p.case_id, p.expected_version);
  if (p.deadlines) return WriteDeadlines(p.case_id, *p.deadlines);
  return Status::Ok();
}

Status SqliteCases::ExpectVersion(const std::string& case_id, std::int64_t version) {
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT version FROM cases WHERE id = ?"));
    s->Bind(1, case_id);
    ASSIGN_OR_RETURN(bool row, s->Step("check case version"));
    if (row && s->ColumnInt(0) == version) return Status::Ok();
  }
  return NoRowUpdated(case_id, version);
}

Status SqliteCases::NoRowUpdated(const std::string& case_id, std::int64_t expected_version) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT version FROM cases WHERE id = ?"));
  s->Bind(1, case_id);
  ASSIGN_OR_RETURN(bool row, s->Step("check case version"));
  if (!row) return Status::NotFound("case " + case_id + " not found");
  return Status(StatusCode::kAborted,
                "stale version: case " + case_id + " is at version " + std::to_string(s->ColumnInt(0)) + ", not " +
                    std::to_string(expected_version),
                StatusDetail{Refusal::kStaleVersion, {}, {}, ""});
}

std::string CaseListSql(const CaseFilter& filter) {
  // Which index serves the search (schema.h, v6): (subject, id),
  // (municipality, type, state, id), (municipality, id), (type, state, id),
  // or the primary key's id order.
  // A zaaknummer is unique: its index finds the one case whatever else is asked.
  const bool by_number = filter.case_number.has_value();
  const bool by_subject = !by_number && filter.subject_person_id.has_value();
  const bool worklist = !by_number && !by_subject && filter.municipality && filter.type && filter.state;
  const bool by_municipality = !by_number && !by_subject && !worklist && filter.municipality;
  const bool by_type_state =
      !by_number && !by_subject && !worklist && !by_municipality && filter.type && filter.state;
  auto term = [](bool searched, const char* column) {
    return std::string(" AND ") + (searched ? "" : "+") + column + " = ?";
  };
  std::string sql = std::string(kCaseColumns) + "WHERE 1 = 1";
  if (filter.type) sql += term(worklist || by_type_state, "type");
  if (filter.state) sql += term(worklist || by_type_state, "state");
  if (filter.level) sql += term(false, "level");
  if (filter.municipality) sql += term(worklist || by_municipality, "municipality");
  if (filter.subject_person_id) sql += term(by_subject, "subject_person_id");
  if (filter.case_number) sql += term(true, "case_number");
  if (filter.after_id) sql += " AND id > ?";
  sql += " ORDER BY id LIMIT ?";
  return sql;
}

StatusOr<std::vector<CaseRecord>> SqliteCases::List(const CaseFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  std::vector<CaseRecord> out;
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(CaseListSql(filter)));
    int i = 1;
    for (const auto* value : {&filter.type, &filter.state, &filter.level, &filter.municipality,
                              &filter.subject_person_id, &filter.case_number, &filter.after_id}) {
      if (*value) s->Bind(i++, **value);
    }
    s->Bind(i, std::int64_t{filter.limit});
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step("list cases"));
      if (!row) break;
      ASSIGN_OR_RETURN(CaseRecord k, ReadCase(*s));
      out.push_back(std::move(k));
    }
  }
  // One indexed lookup per case; in-process SQLite makes that cheap, and it
  // keeps the deadline statement independent of the filter's SQL.
  for (auto& k : out) RETURN_IF_ERROR(LoadDeadlines(k));
  return out;
}

StatusOr<std::vector<CaseRecord>> SqliteCases::ListAmong(const std::vector<std::string>& ids,
                                                         const CaseFilter& filter) {
  constexpr std::size_t kMaxIds = 1000;
  if (ids.size() > kMaxIds) return Status::InvalidArgument("at most 1000 case ids per call");
  std::vector<CaseRecord> out;
  if (ids.empty()) return out;
  // The ids travel as one JSON array, so the statement text depends only on
  // which criteria are set. Looked up by primary key; the criteria filter.
  std::string sql = std::string(kCaseColumns) + "WHERE id IN (SELECT value FROM json_each(?))";
  if (filter.type) sql += " AND +type = ?";
  if (filter.state) sql += " AND +state = ?";
  if (filter.level) sql += " AND +level = ?";
  sql += " ORDER BY id";
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(sql));
    s->Bind(1, StringListToJson(ids));
    int i = 2;
    for (const auto* value : {&filter.type, &filter.state, &filter.level}) {
      if (*value) s->Bind(i++, **value);
    }
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step("list cases among ids"));
      if (!row) break;
      ASSIGN_OR_RETURN(CaseRecord k, ReadCase(*s));
      out.push_back(std::move(k));
    }
  }
  for (auto& k : out) RETURN_IF_ERROR(LoadDeadlines(k));
  return out;
}

Status SqliteCases::WriteDeadlines(const std::string& case_id, const std::vector<engine::DeadlineState>& deadlines) {
  {
    ASSIGN_OR_RETURN(StatementRef del, c_.Prepare("DELETE FROM case_deadlines WHERE case_id = ?"));
    del->Bind(1, case_id);
    RETURN_IF_ERROR(del->Run("replace case deadlines"));
  }
  ASSIGN_OR_RETURN(StatementRef ins,
                   c_.Prepare("INSERT INTO case_deadlines (case_id, position, deadline_id, started_at, due_at, "
                              "cleared_at, term, extended_by, suspended_at, suspension_reason) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  std::int64_t position = 0;
  for (const auto& d : deadlines) {
    ins->Bind(1, case_id);
    ins->Bind(2, position++);
    ins->Bind(3, d.id);
    ins->Bind(4, ToUnix(d.started_at));
    ins->Bind(5, ToUnix(d.due_at));
    BindOptionalTime(*ins, 6, d.cleared_at);
    ins->Bind(7, TermToText(d.term));
    ins->Bind(8, d.extended_by);
    BindOptionalTime(*ins, 9, d.suspended_at);
    ins->Bind(10, EmptyAsNull(d.suspension_reason));
    RETURN_IF_ERROR(ins->Run("insert case deadline"));
    ins->Reset();
  }
  return Status::Ok();
}

Status SqliteCases::LoadDeadlines(CaseRecord& kase) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("SELECT deadline_id, started_at, due_at, cleared_at, term, extended_by, suspended_at, "
                              "suspension_reason FROM case_deadlines WHERE case_id = ? ORDER BY position"));
  s->Bind(1, kase.id);
  kase.deadlines.clear();
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("load case deadlines"));
    if (!row) break;
    engine::DeadlineState d;
    d.id = s->ColumnText(0);
    d.started_at = FromUnix(s->ColumnInt(1));
    d.due_at = FromUnix(s->ColumnInt(2));
    d.cleared_at = OptionalTime(*s, 3);
    ASSIGN_OR_RETURN(d.term, TermFromText(s->ColumnOptionalText(4)));
    d.extended_by = s->ColumnInt(5);
    d.suspended_at = OptionalTime(*s, 6);
    d.suspension_reason = s->ColumnOptionalText(7).value_or("");
    kase.deadlines.push_back(std::move(d));
  }
  return Status::Ok();
}

}  // namespace casus::storage::sqlite

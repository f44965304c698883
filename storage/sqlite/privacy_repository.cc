// Retention, correction and objection: the writes that change or remove
// what other repositories treat as settled (docs/privacy.md).
#include "storage/audit_hash.h"
#include "storage/sqlite/audit_rows.h"
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {
namespace {

StatusOr<std::vector<std::string>> Ids(Connection& c, const std::string& sql, TimePoint before,
                                       const std::string& after_id, int limit, const char* what) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(StatementRef s, c.Prepare(sql));
  s->Bind(1, ToUnix(before));
  s->Bind(2, after_id);
  s->Bind(3, std::int64_t{limit});
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) break;
    out.push_back(s->ColumnText(0));
  }
  return out;
}

}  // namespace

StatusOr<int> SqlitePrivacy::Count(const std::string& sql, const std::string& id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(sql));
  s->Bind(1, id);
  ASSIGN_OR_RETURN(bool row, s->Step("count"));
  return row ? static_cast<int>(s->ColumnInt(0)) : 0;
}

StatusOr<std::vector<std::string>> SqlitePrivacy::ListUnerasedCasesChangedBefore(TimePoint before,
                                                                                 const std::string& after_id,
                                                                                 int limit) {
  return Ids(c_,
             "SELECT id FROM cases WHERE erased_at IS NULL AND updated_at < ? AND id > ? ORDER BY id LIMIT ?",
             before, after_id, limit, "list cases for retention");
}

StatusOr<std::vector<std::string>> SqlitePrivacy::ListUnerasedReportsChangedBefore(TimePoint before,
                                                                                   const std::string& after_id,
                                                                                   int limit) {
  return Ids(c_,
             "SELECT id FROM reports WHERE erased_at IS NULL AND updated_at < ? AND id > ? ORDER BY id LIMIT ?",
             before, after_id, limit, "list reports for retention");
}

StatusOr<ErasedCase> SqlitePrivacy::EraseCase(const std::string& case_id, TimePoint at) {
  ErasedCase out;
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT subject_person_id, report_id FROM cases WHERE id = ?"));
    s->Bind(1, case_id);
    ASSIGN_OR_RETURN(bool row, s->Step("read case for erasure"));
    if (!row) return Status::NotFound("case " + case_id + " not found");
    out.former_subject_person_id = s->ColumnOptionalText(0).value_or("");
    out.report_id = s->ColumnOptionalText(1);
  }
  // Each statement binds the case id as its last parameter.
  auto run = [&](const char* sql, bool with_time) -> StatusOr<int> {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(sql));
    int i = 1;
    if (with_time) s->Bind(i++, ToUnix(at));
    s->Bind(i, case_id);
    RETURN_IF_ERROR(s->Run("erase case content"));
    return static_cast<int>(c_.Changes());
  };
  ASSIGN_OR_RETURN(out.notes, run("DELETE FROM notes WHERE case_id = ?", false));
  ASSIGN_OR_RETURN(out.actions, run("DELETE FROM actions WHERE case_id = ?", false));
  ASSIGN_OR_RETURN(out.team, run("DELETE FROM case_team WHERE case_id = ?", false));
  ASSIGN_OR_RETURN(out.events, run("UPDATE case_events SET payload_json = '{}', erased_at = ? "
                                   "WHERE case_id = ? AND erased_at IS NULL",
                                   true));
  ASSIGN_OR_RETURN(out.grants, run("UPDATE access_grants SET reason = '' WHERE case_id = ? AND reason <> ''", false));
  // A suspension's reason is free text about the person, like a note.
  ASSIGN_OR_RETURN([[maybe_unused]] int reasons,
                   run("UPDATE case_deadlines SET suspension_reason = NULL "
                       "WHERE case_id = ? AND suspension_reason IS NOT NULL",
                       false));
  ASSIGN_OR_RETURN([[maybe_unused]] int cases,
                   run("UPDATE cases SET data_json = '{}', subject_person_id = NULL, erased_at = ?, "
                       "version = version + 1 WHERE id = ?",
                       true));
  return out;
}

StatusOr<std::string> SqlitePrivacy::EraseReport(const std::string& report_id, TimePoint at) {
  std::string subject;
  {
    ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT subject_person_id FROM reports WHERE id = ?"));
    s->Bind(1, report_id);
    ASSIGN_OR_RETURN(bool row, s->Step("read report for erasure"));
    if (!row) return Status::NotFound("report " + report_id + " not found");
    subject = s->ColumnOptionalText(0).value_or("");
  }
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("UPDATE reports SET description = '', street = '', reporter_name = '', "
                              "reporter_email = '', reporter_phone = '', subject_person_id = NULL, erased_at = ? "
                              "WHERE id = ?"));
  s->Bind(1, ToUnix(at));
  s->Bind(2, report_id);
  RETURN_IF_ERROR(s->Run("erase report"));
  return subject;
}

StatusOr<bool> SqlitePrivacy::DeletePersonIfUnreferenced(const std::string& person_id) {
  ASSIGN_OR_RETURN(int cases, Count("SELECT count(*) FROM cases WHERE subject_person_id = ?", person_id));
  ASSIGN_OR_RETURN(int reports, Count("SELECT count(*) FROM reports WHERE subject_person_id = ?", person_id));
  if (cases > 0 || reports > 0) return false;
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("DELETE FROM persons WHERE id = ?"));
  s->Bind(1, person_id);
  RETURN_IF_ERROR(s->Run("delete person"));
  return c_.Changes() > 0;
}

Status SqlitePrivacy::RecordRetention(const RetentionRecord& r) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO retention_log (object_type, object_id, kind, closed_at, erased_at, "
                              "counts_json) VALUES (?, ?, ?, ?, ?, ?)"));
  s->Bind(1, r.object_type);
  s->Bind(2, r.object_id);
  s->Bind(3, r.kind);
  if (r.closed_at) s->Bind(4, ToUnix(*r.closed_at));
  else s->BindNull(4);
  s->Bind(5, ToUnix(r.erased_at));
  ASSIGN_OR_RETURN(std::string counts, NormalizeJsonObject(r.counts_json));
  s->Bind(6, counts);
  return s->Run("record retention");
}

StatusOr<std::vector<RetentionRecord>> SqlitePrivacy::ListRetention(std::int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("SELECT object_type, object_id, kind, closed_at, erased_at, counts_json "
                              "FROM retention_log WHERE id > ? ORDER BY id LIMIT ?"));
  s->Bind(1, after_id);
  s->Bind(2, std::int64_t{limit});
  std::vector<RetentionRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list retention log"));
    if (!row) break;
    RetentionRecord r;
    r.object_type = s->ColumnText(0);
    r.object_id = s->ColumnText(1);
    r.kind = s->ColumnText(2);
    if (!s->ColumnIsNull(3)) r.closed_at = FromUnix(s->ColumnInt(3));
    r.erased_at = FromUnix(s->ColumnInt(4));
    r.counts_json = s->ColumnText(5);
    out.push_back(std::move(r));
  }
  return out;
}

StatusOr<int> SqlitePrivacy::EraseAuditContentBefore(TimePoint before, TimePoint at, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<AuditEntry> due;
  {
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare(std::string(kAuditColumns) +
                                "WHERE at < ? AND erased_at IS NULL AND scheme = 2 ORDER BY seq LIMIT ?"));
    s->Bind(1, ToUnix(before));
    s->Bind(2, std::int64_t{limit});
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step("list audit entries to erase"));
      if (!row) break;
      due.push_back(ReadAuditRow(*s));
    }
  }
  for (const AuditEntry& e : due) {
    // Erasing an entry whose content was changed would replace the evidence
    // of that change with a digest that then verifies: refuse instead.
    if (AuditContentDigest(e) != e.content_digest)
      return Status::Internal("audit entry " + std::to_string(e.seq) +
                              " does not match its content digest; run casus audit verify");
    ASSIGN_OR_RETURN(StatementRef u,
                     c_.Prepare("UPDATE audit_log SET client = '', reason = '', detail = '', salt = '', "
                                "erased_at = ? WHERE seq = ?"));
    u->Bind(1, ToUnix(at));
    u->Bind(2, e.seq);
    RETURN_IF_ERROR(u->Run("erase audit content"));
  }
  return static_cast<int>(due.size());
}

Status SqlitePrivacy::UpdatePerson(const Person& person) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("UPDATE persons SET name = ?, birth_date = ? WHERE id = ?"));
  s->Bind(1, person.name);
  s->Bind(2, DateToText(person.birth_date));
  s->Bind(3, person.id);
  RETURN_IF_ERROR(s->Run("correct person"));
  if (c_.Changes() == 0) return Status::NotFound("person " + person.id + " not found");
  return Status::Ok();
}

Status SqlitePrivacy::SetObjection(const std::string& person_id, std::optional<TimePoint> at) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("UPDATE persons SET objected_at = ? WHERE id = ?"));
  if (at) s->Bind(1, ToUnix(*at));
  else s->BindNull(1);
  s->Bind(2, person_id);
  RETURN_IF_ERROR(s->Run("record objection"));
  if (c_.Changes() == 0) return Status::NotFound("person " + person_id + " not found");
  return Status::Ok();
}

StatusOr<std::vector<std::string>> SqlitePrivacy::ReportIdsAbout(const std::string& person_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT id FROM reports WHERE subject_person_id = ? "
                                              "ORDER BY received_at DESC, id DESC LIMIT ?"));
  s->Bind(1, person_id);
  s->Bind(2, std::int64_t{limit});
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list reports about a person"));
    if (!row) break;
    out.push_back(s->ColumnText(0));
  }
  return out;
}

StatusOr<bool> SqlitePrivacy::IsCaseErased(const std::string& case_id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT erased_at IS NOT NULL FROM cases WHERE id = ?"));
  s->Bind(1, case_id);
  ASSIGN_OR_RETURN(bool row, s->Step("is case erased"));
  if (!row) return Status::NotFound("case " + case_id + " not found");
  return s->ColumnInt(0) != 0;
}

}  // namespace casus::storage::sqlite

// Retention, correction and objection: the writes that change or remove
// what other repositories treat as settled (docs/privacy.md;
// storage/sqlite/privacy_repository.cc on PostgreSQL). The erasure UPDATEs
// on case_events and audit_log are the ones the append-only triggers of
// schema.h let through: a payload blanked once; a scheme-2 entry's
// content and salt blanked once, everything its hash commits to unchanged.
#include "storage/postgres/repositories.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/audit_hash.h"
#include "storage/codec.h"
#include "storage/postgres/audit_rows.h"
#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

std::vector<std::string> FirstColumn(const Result& r) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.Text(i, 0));
  return out;
}

StatusOr<std::vector<std::string>> Ids(Connection& c, const std::string& sql, TimePoint before,
                                       const std::string& after_id, int limit, const char* what) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(Result r, RunQuery(c, what, sql, {std::to_string(ToUnix(before)), after_id, std::to_string(limit)}));
  return FirstColumn(r);
}

}  // namespace

StatusOr<int> PgPrivacy::Count(const std::string& sql, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "count", sql, {id}));
  return r.rows() > 0 ? static_cast<int>(r.Int(0, 0)) : 0;
}

StatusOr<std::vector<std::string>> PgPrivacy::ListUnerasedCasesChangedBefore(TimePoint before,
                                                                             const std::string& after_id, int limit) {
  return Ids(c_,
             "SELECT id FROM cases WHERE erased_at IS NULL AND updated_at < $1::bigint AND id > $2 "
             "ORDER BY id LIMIT $3::bigint",
             before, after_id, limit, "list cases for retention");
}

StatusOr<std::vector<std::string>> PgPrivacy::ListUnerasedReportsChangedBefore(TimePoint before,
                                                                               const std::string& after_id, int limit) {
  return Ids(c_,
             "SELECT id FROM reports WHERE erased_at IS NULL AND updated_at < $1::bigint AND id > $2 "
             "ORDER BY id LIMIT $3::bigint",
             before, after_id, limit, "list reports for retention");
}

StatusOr<ErasedCase> PgPrivacy::EraseCase(const std::string& case_id, TimePoint at) {
  ErasedCase out;
  {
    ASSIGN_OR_RETURN(Result r, RunQuery(c_, "read case for erasure",
                                        "SELECT subject_person_id, report_id FROM cases WHERE id = $1", {case_id}));
    if (r.rows() == 0) return Status::NotFound("case " + case_id + " not found");
    out.former_subject_person_id = OptionalTextAt(r, 0, 0).value_or("");
    out.report_id = OptionalTextAt(r, 0, 1);
  }
  const std::string when = std::to_string(ToUnix(at));
  // Each statement binds the case id as its last parameter.
  auto run = [&](const char* sql, bool with_time) -> StatusOr<int> {
    std::vector<Param> params;
    if (with_time) params.emplace_back(when);
    params.emplace_back(case_id);
    ASSIGN_OR_RETURN(Result r, RunQuery(c_, "erase case content", sql, params));
    return static_cast<int>(r.Affected());
  };
  ASSIGN_OR_RETURN(out.notes, run("DELETE FROM notes WHERE case_id = $1", false));
  ASSIGN_OR_RETURN(out.actions, run("DELETE FROM actions WHERE case_id = $1", false));
  ASSIGN_OR_RETURN(out.team, run("DELETE FROM case_team WHERE case_id = $1", false));
  // case_events_no_update lets exactly this through: id, case, type, time
  // and actor unchanged, a payload of '{}' and erased_at set on a row not
  // erased before.
  ASSIGN_OR_RETURN(out.events, run("UPDATE case_events SET payload_json = '{}', erased_at = $1::bigint "
                                   "WHERE case_id = $2 AND erased_at IS NULL",
                                   true));
  ASSIGN_OR_RETURN(out.grants, run("UPDATE access_grants SET reason = '' WHERE case_id = $1 AND reason <> ''", false));
  // A suspension's reason is free text about the person, like a note.
  ASSIGN_OR_RETURN([[maybe_unused]] int reasons,
                   run("UPDATE case_deadlines SET suspension_reason = NULL "
                       "WHERE case_id = $1 AND suspension_reason IS NOT NULL",
                       false));
  ASSIGN_OR_RETURN([[maybe_unused]] int cases,
                   run("UPDATE cases SET data_json = '{}', subject_person_id = NULL, erased_at = $1::bigint, "
                       "version = version + 1 WHERE id = $2",
                       true));
  return out;
}

StatusOr<std::string> PgPrivacy::EraseReport(const std::string& report_id, TimePoint at) {
  std::string subject;
  {
    ASSIGN_OR_RETURN(Result r, RunQuery(c_, "read report for erasure",
                                        "SELECT subject_person_id FROM reports WHERE id = $1", {report_id}));
    if (r.rows() == 0) return Status::NotFound("report " + report_id + " not found");
    subject = OptionalTextAt(r, 0, 0).value_or("");
  }
  ASSIGN_OR_RETURN(
      [[maybe_unused]] Result r,
      RunQuery(c_, "erase report",
               "UPDATE reports SET description = '', street = '', reporter_name = '', "
               "reporter_email = '', reporter_phone = '', subject_person_id = NULL, erased_at = $1::bigint "
               "WHERE id = $2",
               {std::to_string(ToUnix(at)), report_id}));
  return subject;
}

StatusOr<bool> PgPrivacy::DeletePersonIfUnreferenced(const std::string& person_id) {
  ASSIGN_OR_RETURN(int cases, Count("SELECT count(*) FROM cases WHERE subject_person_id = $1", person_id));
  ASSIGN_OR_RETURN(int reports, Count("SELECT count(*) FROM reports WHERE subject_person_id = $1", person_id));
  if (cases > 0 || reports > 0) return false;
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "delete person", "DELETE FROM persons WHERE id = $1", {person_id}));
  return r.Affected() > 0;
}

Status PgPrivacy::RecordRetention(const RetentionRecord& r) {
  ASSIGN_OR_RETURN(std::string counts, NormalizeJsonObject(r.counts_json));
  Param closed = r.closed_at ? Param(std::to_string(ToUnix(*r.closed_at))) : std::nullopt;
  ASSIGN_OR_RETURN(
      [[maybe_unused]] Result ins,
      RunQuery(c_, "record retention",
               "INSERT INTO retention_log (object_type, object_id, kind, closed_at, erased_at, counts_json) "
               "VALUES ($1, $2, $3, $4::bigint, $5::bigint, $6)",
               {r.object_type, r.object_id, r.kind, closed, std::to_string(ToUnix(r.erased_at)), counts}));
  return Status::Ok();
}

StatusOr<std::vector<RetentionRecord>> PgPrivacy::ListRetention(std::int64_t after_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(Result rows, RunQuery(c_, "list retention log",
                                         "SELECT object_type, object_id, kind, closed_at, erased_at, counts_json "
                                         "FROM retention_log WHERE id > $1::bigint ORDER BY id LIMIT $2::bigint",
                                         {std::to_string(after_id), std::to_string(limit)}));
  std::vector<RetentionRecord> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    RetentionRecord r;
    r.object_type = rows.Text(i, 0);
    r.object_id = rows.Text(i, 1);
    r.kind = rows.Text(i, 2);
    if (!rows.IsNull(i, 3)) r.closed_at = FromUnix(rows.Int(i, 3));
    r.erased_at = FromUnix(rows.Int(i, 4));
    r.counts_json = rows.Text(i, 5);
    out.push_back(std::move(r));
  }
  return out;
}

StatusOr<int> PgPrivacy::EraseAuditContentBefore(TimePoint before, TimePoint at, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<AuditEntry> due;
  {
    ASSIGN_OR_RETURN(Result r,
                     RunQuery(c_, "list audit entries to erase",
                              std::string(kAuditColumns) + "WHERE at < $1::bigint AND erased_at IS NULL AND scheme = 2 "
                                                           "ORDER BY seq LIMIT $2::bigint",
                              {std::to_string(ToUnix(before)), std::to_string(limit)}));
    due.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) due.push_back(ReadAuditRow(r, i));
  }
  const std::string when = std::to_string(ToUnix(at));
  int erased = 0;
  for (const AuditEntry& e : due) {
    // Erasing an entry whose content was changed would replace the evidence
    // of that change with a digest that then verifies: refuse instead.
    if (AuditContentDigest(e) != e.content_digest)
      return Status::Internal("audit entry " + std::to_string(e.seq) +
                              " does not match its content digest; run casus audit verify");
    // audit_log_no_update lets exactly this through (schema.h): client,
    // reason, detail and salt blanked and erased_at set, once, on a scheme-2
    // entry. `erased_at IS NULL` repeats the listing's condition: when
    // another node's retention erased the entry since, the row is skipped
    // instead of tripping the trigger.
    ASSIGN_OR_RETURN(Result u, RunQuery(c_, "erase audit content",
                                        "UPDATE audit_log SET client = '', reason = '', detail = '', salt = '', "
                                        "erased_at = $1::bigint WHERE seq = $2::bigint AND erased_at IS NULL",
                                        {when, std::to_string(e.seq)}));
    erased += static_cast<int>(u.Affected());
  }
  return erased;
}

Status PgPrivacy::UpdatePerson(const Person& person) {
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "correct person", "UPDATE persons SET name = $1, birth_date = $2 WHERE id = $3",
                            {person.name, DateToText(person.birth_date), person.id}));
  if (r.Affected() == 0) return Status::NotFound("person " + person.id + " not found");
  return Status::Ok();
}

Status PgPrivacy::SetObjection(const std::string& person_id, std::optional<TimePoint> at) {
  Param when = at ? Param(std::to_string(ToUnix(*at))) : std::nullopt;
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "record objection",
                                      "UPDATE persons SET objected_at = $1::bigint WHERE id = $2", {when, person_id}));
  if (r.Affected() == 0) return Status::NotFound("person " + person_id + " not found");
  return Status::Ok();
}

StatusOr<std::vector<std::string>> PgPrivacy::ReportIdsAbout(const std::string& person_id, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list reports about a person",
                                      "SELECT id FROM reports WHERE subject_person_id = $1 "
                                      "ORDER BY received_at DESC, id DESC LIMIT $2::bigint",
                                      {person_id, std::to_string(limit)}));
  return FirstColumn(r);
}

StatusOr<bool> PgPrivacy::IsCaseErased(const std::string& case_id) {
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "is case erased", "SELECT erased_at IS NOT NULL FROM cases WHERE id = $1", {case_id}));
  if (r.rows() == 0) return Status::NotFound("case " + case_id + " not found");
  return r.Text(0, 0) == "t";
}

}  // namespace casus::storage::postgres

// Reports (meldingen): intake records, listed newest first.
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {
namespace {

constexpr const char* kReportColumns =
    "SELECT id, tracking_code, source, category, description, incident_code, street, wijk, municipality, "
    "reporter_name, reporter_email, reporter_phone, subject_person_id, status, case_id, received_at, updated_at "
    "FROM reports ";

Report ReadReport(const Statement& s) {
  Report r;
  r.id = s.ColumnText(0);
  r.tracking_code = s.ColumnText(1);
  r.source = s.ColumnText(2);
  r.category = s.ColumnText(3);
  r.description = s.ColumnText(4);
  r.incident_code = s.ColumnText(5);
  r.street = s.ColumnText(6);
  r.wijk = s.ColumnText(7);
  r.municipality = s.ColumnText(8);
  r.reporter_name = s.ColumnText(9);
  r.reporter_email = s.ColumnText(10);
  r.reporter_phone = s.ColumnText(11);
  r.subject_person_id = s.ColumnOptionalText(12);
  r.status = s.ColumnText(13);
  r.case_id = s.ColumnOptionalText(14);
  r.received_at = FromUnix(s.ColumnInt(15));
  r.updated_at = FromUnix(s.ColumnInt(16));
  return r;
}

// Binds every column but id, starting at parameter 1, in kReportColumns order.
void BindReportFields(Statement& s, const Report& r) {
  s.Bind(1, r.tracking_code);
  s.Bind(2, r.source);
  s.Bind(3, r.category);
  s.Bind(4, r.description);
  s.Bind(5, r.incident_code);
  s.Bind(6, r.street);
  s.Bind(7, r.wijk);
  s.Bind(8, r.municipality);
  s.Bind(9, r.reporter_name);
  s.Bind(10, r.reporter_email);
  s.Bind(11, r.reporter_phone);
  s.Bind(12, r.subject_person_id);
  s.Bind(13, r.status);
  s.Bind(14, r.case_id);
  s.Bind(15, ToUnix(r.received_at));
  s.Bind(16, ToUnix(r.updated_at));
}

}  // namespace

Status SqliteReports::Insert(const Report& report) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO reports (tracking_code, source, category, description, incident_code, "
                              "street, wijk, municipality, reporter_name, reporter_email, reporter_phone, "
                              "subject_person_id, status, case_id, received_at, updated_at, id) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindReportFields(*s, report);
  s->Bind(17, report.id);
  return s->Run("insert report");
}

Status SqliteReports::Update(const Report& report) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("UPDATE reports SET tracking_code = ?, source = ?, category = ?, description = ?, "
                              "incident_code = ?, street = ?, wijk = ?, municipality = ?, reporter_name = ?, "
                              "reporter_email = ?, reporter_phone = ?, subject_person_id = ?, status = ?, "
                              "case_id = ?, received_at = ?, updated_at = ? WHERE id = ?"));
  BindReportFields(*s, report);
  s->Bind(17, report.id);
  RETURN_IF_ERROR(s->Run("update report"));
  if (c_.Changes() == 0) return Status::NotFound("report " + report.id + " not found");
  return Status::Ok();
}

Status SqliteReports::LinkCase(const std::string& report_id, const std::string& case_id,
                               const std::string& subject_person_id, TimePoint at) {
  {
    ASSIGN_OR_RETURN(StatementRef s,
                     c_.Prepare("UPDATE reports SET case_id = ?, subject_person_id = ?, status = 'gekoppeld', "
                                "updated_at = ? WHERE id = ? AND case_id IS NULL"));
    s->Bind(1, case_id);
    s->Bind(2, subject_person_id);
    s->Bind(3, ToUnix(at));
    s->Bind(4, report_id);
    RETURN_IF_ERROR(s->Run("link report to case"));
  }
  if (c_.Changes() == 1) return Status::Ok();
  ASSIGN_OR_RETURN([[maybe_unused]] Report existing, Get(report_id));  // NotFound when absent
  return Status(StatusCode::kAborted, "stale version: report " + report_id + " was linked meanwhile",
                StatusDetail{Refusal::kStaleVersion, {}, {}, ""});
}

StatusOr<Report> SqliteReports::Get(const std::string& id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kReportColumns) + "WHERE id = ?"));
  s->Bind(1, id);
  ASSIGN_OR_RETURN(bool row, s->Step("get report"));
  if (!row) return Status::NotFound("report " + id + " not found");
  return ReadReport(*s);
}

StatusOr<Report> SqliteReports::GetByTrackingCode(const std::string& code) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(std::string(kReportColumns) + "WHERE tracking_code = ?"));
  s->Bind(1, code);
  ASSIGN_OR_RETURN(bool row, s->Step("get report by tracking code"));
  if (!row) return Status::NotFound("no report with that tracking code");
  return ReadReport(*s);
}

StatusOr<std::vector<Report>> SqliteReports::List(const ReportFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  // The SQL text depends only on which filters are set, so the statement
  // cache holds at most 16 variants.
  std::string sql = std::string(kReportColumns) + "WHERE 1 = 1";
  if (filter.status) sql += " AND status = ?";
  if (filter.category) sql += " AND category = ?";
  if (filter.municipality) sql += " AND municipality = ?";
  if (filter.since) sql += " AND received_at >= ?";
  sql += " ORDER BY received_at DESC, id DESC LIMIT ?";
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare(sql));
  int i = 1;
  if (filter.status) s->Bind(i++, *filter.status);
  if (filter.category) s->Bind(i++, *filter.category);
  if (filter.municipality) s->Bind(i++, *filter.municipality);
  if (filter.since) s->Bind(i++, ToUnix(*filter.since));
  s->Bind(i, std::int64_t{filter.limit});
  std::vector<Report> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list reports"));
    if (!row) break;
    out.push_back(ReadReport(*s));
  }
  return out;
}

}  // namespace casus::storage::sqlite

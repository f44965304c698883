// Reports (meldingen): intake records, listed newest first.
#include "storage/postgres/repositories.h"

#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

constexpr const char* kReportColumns =
    "SELECT id, tracking_code, source, category, description, incident_code, street, wijk, municipality, "
    "reporter_name, reporter_email, reporter_phone, subject_person_id, status, case_id, received_at, updated_at "
    "FROM reports ";

Report ReadReport(const Result& r, int row) {
  Report out;
  out.id = r.Text(row, 0);
  out.tracking_code = r.Text(row, 1);
  out.source = r.Text(row, 2);
  out.category = r.Text(row, 3);
  out.description = r.Text(row, 4);
  out.incident_code = r.Text(row, 5);
  out.street = r.Text(row, 6);
  out.wijk = r.Text(row, 7);
  out.municipality = r.Text(row, 8);
  out.reporter_name = r.Text(row, 9);
  out.reporter_email = r.Text(row, 10);
  out.reporter_phone = r.Text(row, 11);
  out.subject_person_id = OptionalTextAt(r, row, 12);
  out.status = r.Text(row, 13);
  out.case_id = OptionalTextAt(r, row, 14);
  out.received_at = TimeAt(r, row, 15);
  out.updated_at = TimeAt(r, row, 16);
  return out;
}

// Every column but id as $1..$16 in kReportColumns order, then id as $17.
std::vector<Param> ReportParams(const Report& r) {
  return {r.tracking_code, r.source,         r.category,       r.description,       r.incident_code,
          r.street,        r.wijk,           r.municipality,   r.reporter_name,     r.reporter_email,
          r.reporter_phone, r.subject_person_id, r.status,     r.case_id,           TimeParam(r.received_at),
          TimeParam(r.updated_at), r.id};
}

std::vector<Report> ReadReports(const Result& r) {
  std::vector<Report> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadReport(r, i));
  return out;
}

}  // namespace

Status PgReports::Insert(const Report& report) {
  ASSIGN_OR_RETURN([[maybe_unused]] Result r,
                   RunQuery(c_, "insert report",
                            "INSERT INTO reports (tracking_code, source, category, description, incident_code, "
                            "street, wijk, municipality, reporter_name, reporter_email, reporter_phone, "
                            "subject_person_id, status, case_id, received_at, updated_at, id) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
                            ReportParams(report)));
  return Status::Ok();
}

Status PgReports::Update(const Report& report) {
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "update report",
                            "UPDATE reports SET tracking_code = $1, source = $2, category = $3, description = $4, "
                            "incident_code = $5, street = $6, wijk = $7, municipality = $8, reporter_name = $9, "
                            "reporter_email = $10, reporter_phone = $11, subject_person_id = $12, status = $13, "
                            "case_id = $14, received_at = $15, updated_at = $16 WHERE id = $17",
                            ReportParams(report)));
  if (r.Affected() == 0) return Status::NotFound("report " + report.id + " not found");
  return Status::Ok();
}

Status PgReports::LinkCase(const std::string& report_id, const std::string& case_id,
                           const std::string& subject_person_id, TimePoint at) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "link report to case",
                                      "UPDATE reports SET case_id = $1, subject_person_id = $2, status = 'gekoppeld', "
                                      "updated_at = $3 WHERE id = $4 AND case_id IS NULL",
                                      {case_id, subject_person_id, TimeParam(at), report_id}));
  if (r.Affected() == 1) return Status::Ok();
  ASSIGN_OR_RETURN([[maybe_unused]] Report existing, Get(report_id));  // NotFound when absent
  return Status(StatusCode::kAborted, "stale version: report " + report_id + " was linked meanwhile",
                StatusDetail{Refusal::kStaleVersion, {}, {}, ""});
}

StatusOr<Report> PgReports::Get(const std::string& id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "get report", std::string(kReportColumns) + "WHERE id = $1", {id}));
  if (r.rows() == 0) return Status::NotFound("report " + id + " not found");
  return ReadReport(r, 0);
}

StatusOr<Report> PgReports::GetByTrackingCode(const std::string& code) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "get report by tracking code",
                                      std::string(kReportColumns) + "WHERE tracking_code = $1", {code}));
  if (r.rows() == 0) return Status::NotFound("no report with that tracking code");
  return ReadReport(r, 0);
}

StatusOr<std::vector<Report>> PgReports::List(const ReportFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  // The SQL text depends only on which filters are set: at most 16 variants.
  std::string sql = std::string(kReportColumns) + "WHERE 1 = 1";
  std::vector<Param> params;
  auto next = [&params](Param value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  if (filter.status) sql += " AND status = " + next(*filter.status);
  if (filter.category) sql += " AND category = " + next(*filter.category);
  if (filter.municipality) sql += " AND municipality = " + next(*filter.municipality);
  if (filter.since) sql += " AND received_at >= " + next(TimeParam(*filter.since)) + "::bigint";
  sql += " ORDER BY received_at DESC, id DESC LIMIT " + next(IntParam(filter.limit)) + "::bigint";
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list reports", sql, params));
  return ReadReports(r);
}

}  // namespace casus::storage::postgres

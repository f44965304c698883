// Cases with optimistic concurrency, and their deadlines (own table, so a
// scheduler can find active deadlines by due time without parsing JSON).
// PostgreSQL counterpart of storage/sqlite/case_repository.cc.
#include "storage/postgres/repositories.h"

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/case_number.h"
#include "storage/codec.h"
#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

// A PostgreSQL array literal of text elements, for `$n::text[]`: every
// element double-quoted with " and \ backslash-escaped, so that any string
// (a comma, a brace, the word NULL) is exactly one element.
std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char ch : values[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += '}';
  return out;
}

constexpr const char* kCaseColumns =
    "SELECT id, type, definition_version, state, level, version, municipality, confidentiality, "
    "subject_person_id, report_id, received_at, created_at, updated_at, history_json, data_json, case_number "
    "FROM cases ";

StatusOr<CaseRecord> ReadCase(const Result& r, int row) {
  CaseRecord k;
  k.id = r.Text(row, 0);
  k.type = r.Text(row, 1);
  k.definition_version = static_cast<int>(r.Int(row, 2));
  k.state = r.Text(row, 3);
  k.level = r.Text(row, 4);
  k.version = r.Int(row, 5);
  k.municipality = r.Text(row, 6);
  k.confidentiality = static_cast<int>(r.Int(row, 7));
  k.subject_person_id = OptionalTextAt(r, row, 8).value_or("");
  k.report_id = OptionalTextAt(r, row, 9);
  k.received_at = TimeAt(r, row, 10);
  k.created_at = TimeAt(r, row, 11);
  k.updated_at = TimeAt(r, row, 12);
  ASSIGN_OR_RETURN(k.history, StringListFromJson(r.Text(row, 13)));
  ASSIGN_OR_RETURN(k.data, FieldMapFromJson(r.Text(row, 14)));
  k.case_number = r.Text(row, 15);
  return k;
}

StatusOr<std::vector<CaseRecord>> ReadCases(const Result& r) {
  std::vector<CaseRecord> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    ASSIGN_OR_RETURN(CaseRecord k, ReadCase(r, row));
    out.push_back(std::move(k));
  }
  return out;
}

// Every column but id and version, as parameters $1..$13 in this order:
// type, definition_version, state, level, municipality, confidentiality,
// subject_person_id, report_id, received_at, created_at, updated_at,
// history_json, data_json.
constexpr int kCaseFieldCount = 13;
std::vector<Param> CaseFields(const CaseRecord& k) {
  std::vector<Param> p;
  p.reserve(kCaseFieldCount + 3);
  p.push_back(k.type);
  p.push_back(IntParam(k.definition_version));
  p.push_back(k.state);
  p.push_back(k.level);
  p.push_back(k.municipality);
  p.push_back(IntParam(k.confidentiality));
  p.push_back(EmptyAsNull(k.subject_person_id));
  p.push_back(k.report_id);
  p.push_back(TimeParam(k.received_at));
  p.push_back(TimeParam(k.created_at));
  p.push_back(TimeParam(k.updated_at));
  p.push_back(StringListToJson(k.history));
  p.push_back(FieldMapToJson(k.data));
  return p;
}

// The deadline columns in the order ReadDeadline reads them.
constexpr const char* kDeadlineColumns =
    "deadline_id, started_at, due_at, cleared_at, term, extended_by, suspended_at, suspension_reason";

// The columns of kDeadlineColumns from `first`. Internal when the stored
// term does not parse.
StatusOr<engine::DeadlineState> ReadDeadline(const Result& r, int row, int first) {
  engine::DeadlineState d;
  d.id = r.Text(row, first);
  d.started_at = TimeAt(r, row, first + 1);
  d.due_at = TimeAt(r, row, first + 2);
  d.cleared_at = OptionalTimeAt(r, row, first + 3);
  ASSIGN_OR_RETURN(d.term, TermFromText(OptionalTextAt(r, row, first + 4)));
  d.extended_by = r.Int(row, first + 5);
  d.suspended_at = OptionalTimeAt(r, row, first + 6);
  d.suspension_reason = OptionalTextAt(r, row, first + 7).value_or("");
  return d;
}

// The deadlines of every case in `cases`, in one statement: over libpq a
// statement is a round trip, where SQLite's lookup per case was a call.
Status LoadDeadlinesOf(Connection& c, std::vector<CaseRecord>& cases) {
  if (cases.empty()) return Status::Ok();
  std::unordered_map<std::string, CaseRecord*> by_id;
  std::vector<std::string> ids;
  ids.reserve(cases.size());
  for (auto& k : cases) {
    k.deadlines.clear();
    by_id.emplace(k.id, &k);
    ids.push_back(k.id);
  }
  ASSIGN_OR_RETURN(Result r, RunQuery(c, "load case deadlines",
                                      std::string("SELECT case_id, ") + kDeadlineColumns +
                                          " FROM case_deadlines WHERE case_id = ANY($1::text[]) "
                                          "ORDER BY case_id, position",
                                      {TextArray(ids)}));
  for (int row = 0; row < r.rows(); ++row) {
    auto it = by_id.find(r.Text(row, 0));
    if (it == by_id.end()) continue;
    ASSIGN_OR_RETURN(engine::DeadlineState d, ReadDeadline(r, row, 1));
    it->second->deadlines.push_back(std::move(d));
  }
  return Status::Ok();
}

}  // namespace

Status CheckLimit(int limit) {
  constexpr int kMaxLimit = 10000;
  if (limit < 1 || limit > kMaxLimit) {
    return Status::InvalidArgument("limit must be between 1 and " + std::to_string(kMaxLimit));
  }
  return Status::Ok();
}

StatusOr<std::string> PgCases::InsertNumbered(const CaseRecord& kase) {
  const int year = CaseNumberYear(kase.created_at);
  std::vector<Param> params = CaseFields(kase);
  params.push_back(kase.id);
  params.push_back(IntParam(kase.version));
  params.push_back(IntParam(year));
  params.push_back(CaseNumberPrefix(kase.type, year));
  // The counter moves and the case is inserted in one statement (one round
  // trip). Should the insert fail, the transaction is unusable until the
  // writer rolls back the job's savepoint, which takes the number back.
  // The sequence is padded as FormatCaseNumber pads it: four digits at least.
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "insert case",
                            "WITH counter AS ("
                            "  INSERT INTO case_number_counters (type, year, last_number) VALUES ($1, $16::bigint, 1) "
                            "  ON CONFLICT (type, year) DO UPDATE SET last_number = case_number_counters.last_number + 1 "
                            "  RETURNING last_number::text AS n) "
                            "INSERT INTO cases (type, definition_version, state, level, municipality, "
                            "confidentiality, subject_person_id, report_id, received_at, created_at, updated_at, "
                            "history_json, data_json, id, version, case_number) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                            "$17::text || (SELECT lpad(n, greatest(4, length(n)), '0') FROM counter)) "
                            "RETURNING case_number",
                            params));
  if (r.rows() != 1) return Status::Internal("insert case: no zaaknummer returned");
  std::string number = r.Text(0, 0);
  RETURN_IF_ERROR(WriteDeadlines(kase));
  return number;
}

StatusOr<CaseRecord> PgCases::Get(const std::string& id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "get case", std::string(kCaseColumns) + "WHERE id = $1", {id}));
  if (r.rows() == 0) return Status::NotFound("case " + id + " not found");
  ASSIGN_OR_RETURN(CaseRecord kase, ReadCase(r, 0));
  RETURN_IF_ERROR(LoadDeadlines(kase));
  return kase;
}

Status PgCases::Update(const CaseRecord& kase, std::int64_t expected_version) {
  std::vector<Param> params = CaseFields(kase);
  params.push_back(IntParam(expected_version + 1));
  params.push_back(kase.id);
  params.push_back(IntParam(expected_version));
  // READ COMMITTED: when another transaction changed the row meanwhile,
  // the UPDATE waits for it and re-checks `version` on the committed row,
  // so a concurrent change shows as no row updated (stale), as under
  // SQLite's single writer. The same holds for UpdateProgress.
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "update case",
                            "UPDATE cases SET type = $1, definition_version = $2, state = $3, level = $4, "
                            "municipality = $5, confidentiality = $6, subject_person_id = $7, report_id = $8, "
                            "received_at = $9, created_at = $10, updated_at = $11, history_json = $12, "
                            "data_json = $13, version = $14 WHERE id = $15 AND version = $16",
                            params));
  if (r.Affected() == 0) return NoRowUpdated(kase.id, expected_version);
  return WriteDeadlines(kase);
}

Status PgCases::UpdateProgress(const CaseProgress& p) {
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "update case progress",
                            "UPDATE cases SET state = $1, level = $2, updated_at = $3, history_json = $4, "
                            "data_json = $5, version = version + 1 WHERE id = $6 AND version = $7",
                            {p.state, p.level, TimeParam(p.updated_at), StringListToJson(p.history),
                             FieldMapToJson(p.data), p.case_id, IntParam(p.expected_version)}));
  if (r.Affected() == 0) return NoRowUpdated(p.case_id, p.expected_version);
  if (p.deadlines) return WriteDeadlines(p.case_id, *p.deadlines);
  return Status::Ok();
}

Status PgCases::ExpectVersion(const std::string& case_id, std::int64_t version) {
  // FOR SHARE holds the row until commit. SQLite's single writer kept the
  // checked version from moving before the write set committed; here
  // another node's UPDATE of the case waits for this transaction instead,
  // and under READ COMMITTED a locking read returns the latest committed
  // version (after waiting for an uncommitted change), not the snapshot's.
  // (PostgreSQL refuses FOR SHARE in a READ ONLY transaction: this is the
  // writer's check.)
  {
    ASSIGN_OR_RETURN(Result r, RunQuery(c_, "check case version",
                                        "SELECT version FROM cases WHERE id = $1 FOR SHARE", {case_id}));
    if (r.rows() > 0 && r.Int(0, 0) == version) return Status::Ok();
  }
  return NoRowUpdated(case_id, version);
}

Status PgCases::NoRowUpdated(const std::string& case_id, std::int64_t expected_version) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "check case version", "SELECT version FROM cases WHERE id = $1", {case_id}));
  if (r.rows() == 0) return Status::NotFound("case " + case_id + " not found");
  return Status(StatusCode::kAborted,
                "stale version: case " + case_id + " is at version " + std::to_string(r.Int(0, 0)) + ", not " +
                    std::to_string(expected_version),
                StatusDetail{Refusal::kStaleVersion, {}, {}, ""});
}

std::string CaseListSql(const CaseFilter& filter) {
  // Every index on cases ends in id (schema.h), so the planner can read a
  // page from the index whose prefix the criteria fix, in id order from the
  // keyset cursor, and stop at LIMIT; the other criteria only filter.
  int n = 0;
  auto term = [&n](const char* column) { return std::string(" AND ") + column + " = $" + std::to_string(++n); };
  std::string sql = std::string(kCaseColumns) + "WHERE true";
  if (filter.type) sql += term("type");
  if (filter.state) sql += term("state");
  if (filter.level) sql += term("level");
  if (filter.municipality) sql += term("municipality");
  if (filter.subject_person_id) sql += term("subject_person_id");
  if (filter.case_number) sql += term("case_number");
  if (filter.after_id) sql += " AND id > $" + std::to_string(++n);
  sql += " ORDER BY id LIMIT $" + std::to_string(++n);
  return sql;
}

StatusOr<std::vector<CaseRecord>> PgCases::List(const CaseFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  std::vector<Param> params;
  for (const auto* value : {&filter.type, &filter.state, &filter.level, &filter.municipality,
                            &filter.subject_person_id, &filter.case_number, &filter.after_id}) {
    if (*value) params.push_back(**value);
  }
  params.push_back(IntParam(filter.limit));
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list cases", CaseListSql(filter), params));
  ASSIGN_OR_RETURN(std::vector<CaseRecord> out, ReadCases(r));
  RETURN_IF_ERROR(LoadDeadlinesOf(c_, out));
  return out;
}

StatusOr<std::vector<CaseRecord>> PgCases::ListAmong(const std::vector<std::string>& ids, const CaseFilter& filter) {
  constexpr std::size_t kMaxIds = 1000;
  if (ids.size() > kMaxIds) return Status::InvalidArgument("at most 1000 case ids per call");
  std::vector<CaseRecord> out;
  if (ids.empty()) return out;
  // The ids travel as one text[] parameter, so the statement text depends
  // only on which criteria are set. Looked up by primary key; the criteria
  // filter, before a row is decoded.
  std::string sql = std::string(kCaseColumns) + "WHERE id = ANY($1::text[])";
  std::vector<Param> params = {TextArray(ids)};
  auto term = [&](const char* column, const std::optional<std::string>& value) {
    if (!value) return;
    params.push_back(*value);
    sql += std::string(" AND ") + column + " = $" + std::to_string(params.size());
  };
  term("type", filter.type);
  term("state", filter.state);
  term("level", filter.level);
  sql += " ORDER BY id";
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list cases among ids", sql, params));
  ASSIGN_OR_RETURN(out, ReadCases(r));
  RETURN_IF_ERROR(LoadDeadlinesOf(c_, out));
  return out;
}

Status PgCases::WriteDeadlines(const std::string& case_id, const std::vector<engine::DeadlineState>& deadlines) {
  {
    ASSIGN_OR_RETURN([[maybe_unused]] Result r, RunQuery(c_, "replace case deadlines",
                                                         "DELETE FROM case_deadlines WHERE case_id = $1", {case_id}));
  }
  if (deadlines.empty()) return Status::Ok();
  // One multi-row INSERT ($1 the case, then nine parameters a deadline):
  // one round trip however many deadlines.
  constexpr std::size_t kPerDeadline = 9;
  std::string sql =
      "INSERT INTO case_deadlines (case_id, position, deadline_id, started_at, due_at, cleared_at, term, "
      "extended_by, suspended_at, suspension_reason) VALUES ";
  std::vector<Param> params = {case_id};
  params.reserve(1 + kPerDeadline * deadlines.size());
  // The casts each parameter needs, in order (text parameters need none).
  constexpr const char* kCasts[kPerDeadline] = {"::bigint", "", "::bigint", "::bigint", "::bigint",
                                                "",         "::bigint", "::bigint", ""};
  std::int64_t position = 0;
  for (const auto& d : deadlines) {
    const std::size_t base = params.size();
    sql += position > 0 ? ", ($1" : "($1";
    for (std::size_t i = 0; i < kPerDeadline; ++i) sql += ", $" + std::to_string(base + 1 + i) + kCasts[i];
    sql += ")";
    params.push_back(IntParam(position++));
    params.push_back(d.id);
    params.push_back(TimeParam(d.started_at));
    params.push_back(TimeParam(d.due_at));
    params.push_back(OptionalTimeParam(d.cleared_at));
    params.push_back(TermToText(d.term));
    params.push_back(IntParam(d.extended_by));
    params.push_back(OptionalTimeParam(d.suspended_at));
    params.push_back(EmptyAsNull(d.suspension_reason));
  }
  ASSIGN_OR_RETURN([[maybe_unused]] Result r, RunQuery(c_, "insert case deadline", sql, params));
  return Status::Ok();
}

Status PgCases::LoadDeadlines(CaseRecord& kase) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "load case deadlines",
                                      std::string("SELECT ") + kDeadlineColumns +
                                          " FROM case_deadlines WHERE case_id = $1 ORDER BY position",
                                      {kase.id}));
  kase.deadlines.clear();
  kase.deadlines.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    ASSIGN_OR_RETURN(engine::DeadlineState d, ReadDeadline(r, row, 0));
    kase.deadlines.push_back(std::move(d));
  }
  return Status::Ok();
}

}  // namespace casus::storage::postgres

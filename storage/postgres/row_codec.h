// Small conversions shared by the PostgreSQL repositories: record fields
// to text parameters, result columns back to fields, and the context an
// error gets (the same codes and wording as storage/sqlite/statement.cc's
// SqliteError, so callers see one behaviour whichever backend runs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "storage/codec.h"
#include "storage/postgres/connection.h"

namespace casus::storage::postgres {

// --- parameters (text format; nullopt is SQL NULL) ---

inline Param IntParam(std::int64_t value) { return std::to_string(value); }
inline Param TimeParam(TimePoint t) { return std::to_string(ToUnix(t)); }
inline Param OptionalTimeParam(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return TimeParam(*t);
}
inline Param BoolParam(bool value) { return std::string(value ? "true" : "false"); }

// --- columns ---

inline TimePoint TimeAt(const Result& r, int row, int col) { return FromUnix(r.Int(row, col)); }
inline std::optional<TimePoint> OptionalTimeAt(const Result& r, int row, int col) {
  if (r.IsNull(row, col)) return std::nullopt;
  return FromUnix(r.Int(row, col));
}
inline std::optional<std::string> OptionalTextAt(const Result& r, int row, int col) {
  if (r.IsNull(row, col)) return std::nullopt;
  return r.Text(row, col);
}
// A BOOLEAN column: PostgreSQL's text form is "t" or "f".
inline bool BoolAt(const Result& r, int row, int col) { return r.Text(row, col) == "t"; }

// --- errors ---

// The SQLSTATE Connection appends to a server error's message ("... (23505)"),
// or "" when there is none (e.g. the connection was lost).
inline std::string SqlStateOf(const Status& st) {
  const std::string& m = st.message();
  constexpr std::size_t kLen = 7;  // "(XXXXX)"
  if (m.size() < kLen || m.back() != ')' || m[m.size() - kLen] != '(') return "";
  return m.substr(m.size() - kLen + 1, 5);
}

// `st` with `what` (the operation) in front, classified as SqliteError does:
// duplicate "already exists", missing reference, append-only trigger and a
// write in a read transaction are FailedPrecondition; NOT NULL and CHECK
// violations are InvalidArgument (the value itself is wrong); a full disk is
// Unavailable (storage_full). Never adds row values: Connection's message
// holds the server's primary message and SQLSTATE only.
inline Status InContext(const Status& st, std::string_view what) {
  if (st.ok()) return st;
  const std::string op(what);
  const std::string state = SqlStateOf(st);
  if (state == "23505") return Status::FailedPrecondition(op + ": already exists (" + st.message() + ")");
  if (state == "23503") return Status::FailedPrecondition(op + ": refers to a row that does not exist");
  if (state == "23502" || state == "23514") return Status::InvalidArgument(op + ": " + st.message());
  if (state == "25006")
    return Status::FailedPrecondition(op + ": not allowed in a read transaction (writes go through Store::Write)");
  if (state == "53100")
    return Status(StatusCode::kUnavailable, op + ": " + st.message(), StatusDetail{Refusal::kStorageFull, {}, {}, ""});
  std::optional<StatusDetail> detail;
  if (st.detail() != nullptr) detail = *st.detail();
  return Status(st.code(), op + ": " + st.message(), std::move(detail));
}

// Connection::Query with the error put in context (InContext).
inline StatusOr<Result> RunQuery(Connection& c, std::string_view what, const std::string& sql,
                                 const std::vector<Param>& params = {}) {
  StatusOr<Result> r = c.Query(sql, params);
  if (!r.ok()) return InContext(r.status(), what);
  return r;
}

}  // namespace casus::storage::postgres

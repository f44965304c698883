// Deadline firings. INSERT ... ON CONFLICT DO NOTHING on the primary key
// plus the affected row count makes "record unless already recorded" one
// statement (it still fails on a CHECK violation, e.g. an unknown kind),
// so a firing is claimed inside the same transaction as the events it
// causes: both or neither. Across nodes, a concurrent insert of the same
// key waits for the other transaction and then does nothing (0 rows).
// PostgreSQL counterpart of storage/sqlite/deadline_firing_repository.cc.
#include "storage/postgres/repositories.h"

#include <cstddef>
#include <string>
#include <vector>

#include "storage/codec.h"
#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {

StatusOr<bool> PgDeadlineFirings::TryRecord(const DeadlineFiring& f) {
  // An unknown kind (CHECK) is InvalidArgument, as with SQLite (InContext).
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "record deadline firing",
                                      "INSERT INTO deadline_firings (case_id, deadline_id, started_at, kind, fired_at) "
                                      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                                      {f.case_id, f.deadline_id, TimeParam(f.started_at), f.kind,
                                       TimeParam(f.fired_at)}));
  return r.Affected() == 1;
}

StatusOr<std::vector<DeadlineFiring>> PgDeadlineFirings::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list deadline firings",
                                      "SELECT case_id, deadline_id, started_at, kind, fired_at FROM "
                                      "deadline_firings WHERE case_id = $1 ORDER BY fired_at, deadline_id, "
                                      "started_at, kind",
                                      {case_id}));
  std::vector<DeadlineFiring> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    out.push_back({r.Text(row, 0), r.Text(row, 1), TimeAt(r, row, 2), r.Text(row, 3), TimeAt(r, row, 4)});
  }
  return out;
}

StatusOr<std::vector<ActiveDeadline>> PgDeadlineFirings::ListActiveDueBefore(TimePoint before, int limit) {
  // cleared_at IS NULL matches the partial index case_deadlines_active_by_due.
  // A suspended deadline is neither due soon nor overdue: its end is not
  // known until the suspension ends, so the scan passes it by.
  // No CheckLimit, as in SQLite, where a negative LIMIT means no limit:
  // LIMIT NULL is PostgreSQL's "no limit" (a negative LIMIT is an error).
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list active deadlines",
                                      "SELECT case_id, deadline_id, started_at, due_at FROM case_deadlines "
                                      "WHERE cleared_at IS NULL AND suspended_at IS NULL AND due_at < $1::bigint "
                                      "ORDER BY due_at, case_id, position LIMIT $2::bigint",
                                      {TimeParam(before), limit < 0 ? Param() : IntParam(limit)}));
  std::vector<ActiveDeadline> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    out.push_back({r.Text(row, 0), r.Text(row, 1), TimeAt(r, row, 2), TimeAt(r, row, 3)});
  }
  return out;
}

}  // namespace casus::storage::postgres

// Deadline firings. ON CONFLICT DO NOTHING on the primary key plus changes()
// makes "record unless already recorded" one statement (unlike INSERT OR
// IGNORE it still fails on a CHECK violation, e.g. an unknown kind), so a firing is claimed
// inside the same transaction as the events it causes: both or neither.
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {

StatusOr<bool> SqliteDeadlineFirings::TryRecord(const DeadlineFiring& f) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO deadline_firings (case_id, deadline_id, started_at, kind, fired_at) "
                              "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
  s->Bind(1, f.case_id);
  s->Bind(2, f.deadline_id);
  s->Bind(3, ToUnix(f.started_at));
  s->Bind(4, f.kind);
  s->Bind(5, ToUnix(f.fired_at));
  RETURN_IF_ERROR(s->Run("record deadline firing"));
  return c_.Changes() == 1;
}

StatusOr<std::vector<DeadlineFiring>> SqliteDeadlineFirings::ListForCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT case_id, deadline_id, started_at, kind, fired_at FROM "
                                              "deadline_firings WHERE case_id = ? ORDER BY fired_at, deadline_id, "
                                              "started_at, kind"));
  s->Bind(1, case_id);
  std::vector<DeadlineFiring> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list deadline firings"));
    if (!row) break;
    out.push_back({s->ColumnText(0), s->ColumnText(1), FromUnix(s->ColumnInt(2)), s->ColumnText(3),
                   FromUnix(s->ColumnInt(4))});
  }
  return out;
}

StatusOr<std::vector<ActiveDeadline>> SqliteDeadlineFirings::ListActiveDueBefore(TimePoint before, int limit) {
  // cleared_at IS NULL matches the partial index case_deadlines_active_by_due.
  // A suspended deadline is neither due soon nor overdue: its end is not
  // known until the suspension ends, so the scan passes it by.
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("SELECT case_id, deadline_id, started_at, due_at FROM case_deadlines "
                                              "WHERE cleared_at IS NULL AND suspended_at IS NULL AND due_at < ? "
                                              "ORDER BY due_at, case_id, position LIMIT ?"));
  s->Bind(1, ToUnix(before));
  s->Bind(2, std::int64_t{limit});
  std::vector<ActiveDeadline> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list active deadlines"));
    if (!row) break;
    out.push_back({s->ColumnText(0), s->ColumnText(1), FromUnix(s->ColumnInt(2)), FromUnix(s->ColumnInt(3))});
  }
  return out;
}

}  // namespace casus::storage::sqlite

// A write set: everything one command writes, decided before the writer
// thread sees it. A worker reads a snapshot, decides access, runs the
// engine and fills a WriteSet; the writer only checks the versions the
// worker read (UPDATE ... WHERE id = ? AND version = ?), inserts the rows,
// chains the audit entries and commits the group. A version that moved
// since the snapshot fails the write set with Aborted ("stale version") and
// the writer's savepoint removes whatever of it was written.
// Backend-neutral: it is written through the repository interfaces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/records.h"
#include "storage/store.h"

namespace casus::storage {

// A case that must still be at the version the snapshot read, for a write
// set that adds to the case without changing its row.
struct CaseVersionGuard {
  std::string case_id;
  std::int64_t version = 0;
};

// The persons matching a name and birth date when the snapshot was read:
// a new person is created only while that is still so (no duplicate of
// someone added meanwhile).
struct PersonMatchGuard {
  std::string name;
  std::optional<Date> birth_date;
  std::vector<std::string> person_ids;  // sorted
};

// A report to be linked to a new case, while it is still unlinked.
struct ReportLink {
  std::string report_id;
  std::string case_id;
  std::string subject_person_id;
  TimePoint at{};
};

struct WriteSet {
  std::vector<CaseVersionGuard> case_guards;  // checked first
  std::vector<PersonMatchGuard> person_guards;
  // Claimed once: a firing recorded since the snapshot makes the set stale.
  std::vector<DeadlineFiring> deadline_firings;
  std::vector<Person> persons;                // new subjects
  std::vector<CaseRecord> cases;              // new cases; zaaknummers assigned on insert
  std::vector<CaseProgress> case_progress;    // version-checked updates
  std::vector<ReportLink> report_links;       // only while unlinked
  std::vector<Note> notes;                    // rows added to a case
  std::vector<Action> actions;
  std::vector<TeamMember> team;
  std::vector<AgendaDecision> agenda_decisions;  // a meeting's decision, with what it did to the case
  std::vector<CaseEvent> events;  // timeline rows; ids assigned on insert
  std::vector<AuditEntry> audit;  // chained on insert, after the rows they record
};

// Applies `writes` in `tx`: the version checks and deadline claims first,
// so that a conflict writes nothing, then the added rows (the cases'
// zaaknummers filled in), the events (their ids filled in) and the audit
// entries (seq and hashes filled in).
Status ApplyWriteSet(Transaction& tx, WriteSet& writes);

// Whether `status` is a write set's version conflict (or a stale Update).
bool IsStaleVersion(const Status& status);

}  // namespace casus::storage

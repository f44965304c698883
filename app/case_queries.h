// The read side of cases, with need-to-know enforced on every read
// (engine/access_policy.h) and every read audited (DOMAIN.md §6): the data
// is handed out only after its audit entry committed. Denied reads are
// audited too (result "denied"). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/access_policy.h"
#include "engine/engine.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::app {

struct TeamMemberView {
  storage::TeamMember member;
  std::optional<storage::Organisation> org;  // absent only if the organisation was removed
};

// One case as a caller may see it.
struct CaseView {
  storage::CaseRecord record;
  storage::Person subject;
  std::vector<TeamMemberView> team;
  std::vector<engine::AllowedTransition> allowed_transitions;  // for this caller, now
  const engine::WorkflowDefinition* definition = nullptr;      // the pinned version; null if not loaded
  bool via_break_glass = false;
  TimePoint now{};
  std::vector<std::string> viewer_roles;  // decides the fields shown (app/field_policy.h)
  bool complete = false;                  // every field: the data-subject export
};

struct CaseListQuery {
  std::optional<std::string> type;
  std::optional<std::string> state;
  std::optional<std::string> level;
  std::optional<bool> overdue;
  // A zaaknummer in its canonical form (storage/case_number.h): the one case
  // with that number, when the caller may read it.
  std::optional<std::string> case_number;
  int limit = 50;                     // 1..100
  std::optional<std::string> cursor;  // the last case id of the previous page
};

struct CasePage {
  std::vector<CaseView> cases;
  std::optional<std::string> next_cursor;  // set when more visible cases follow
};

class CaseQueries {
 public:
  CaseQueries(storage::Store& store, const engine::DefinitionRegistry& registry, const Clock& clock);

  // NotFound when absent; PermissionDenied (audited) when the policy refuses.
  // Audited as case.read.
  StatusOr<CaseView> Get(const std::string& case_id, const Caller& caller);
  // Only cases the caller may read, ordered by id; each listed case is
  // audited as case.list. Nothing about other cases is revealed.
  StatusOr<CasePage> List(const CaseListQuery& query, const Caller& caller);

  // Case content lists, audited as case.timeline.read, note.read,
  // action.read and team.read.
  StatusOr<std::vector<storage::CaseEvent>> Timeline(const std::string& case_id, const Caller& caller);
  StatusOr<std::vector<storage::Note>> Notes(const std::string& case_id, const Caller& caller);
  StatusOr<std::vector<storage::Action>> Actions(const std::string& case_id, const Caller& caller);
  StatusOr<std::vector<TeamMemberView>> Team(const std::string& case_id, const Caller& caller);

  // The view of `record` (its team and subject loaded in `tx`) for `actor`.
  StatusOr<CaseView> BuildView(storage::Transaction& tx, storage::CaseRecord record,
                               const std::vector<storage::TeamMember>& team, const engine::Actor& actor,
                               bool via_break_glass, TimePoint now) const;
  // The view a command answers with, from the command's own snapshot and
  // what it writes (CaseService's AnswerBuilder): no read after the commit,
  // and no audit entry (the command's own is on record).
  StatusOr<CaseView> AnswerView(const AnswerContext& command, const engine::Actor& actor, TimePoint now) const;

 private:
  StatusOr<CaseView> ViewWithSubject(storage::Transaction& tx, storage::CaseRecord record,
                                     std::optional<storage::Person> subject,
                                     const std::vector<storage::TeamMember>& team, const engine::Actor& actor,
                                     bool via_break_glass, TimePoint now) const;
  template <typename T, typename Load>
  StatusOr<T> ReadContent(const std::string& case_id, const Caller& caller, const std::string& action, Load load);

  storage::Store& store_;
  const engine::DefinitionRegistry& registry_;
  const Clock& clock_;
};

// Whether an active deadline of the case is past due at `now`.
bool IsOverdue(const storage::CaseRecord& record, TimePoint now);

}  // namespace casus::app

// CaseService::ApplyChanges: what a meeting decides for one case — a
// transition, a note and afspraken — as ONE write set, so that all of it
// commits or none of it does. Each part is planned by the code of its own
// command (PlanStepIn with TransitionStep, PlanAdditionIn with NoteRows and
// ActionRows), so every check of Transition, AddNote and AddAction is made.
#include <iterator>

#include "app/case_access.h"
#include "app/case_service.h"

namespace casus::app {
namespace {

Status ChangesInvalid(const std::string& field, const std::string& message) {
  return Status(StatusCode::kInvalidArgument, field + ": " + message,
                StatusDetail{Refusal::kInvalidData, {}, {{field, message}}, ""});
}

// The input checks AddNote and AddAction make, with the field of each part.
Status CheckChangesInput(const CaseChanges& changes) {
  if (!changes.transition && !changes.note && changes.actions.empty())
    return ChangesInvalid("body", "needs a transition, a note or actions");
  if (changes.note && (changes.note->empty() || changes.note->size() > kMaxNoteBytes))
    return ChangesInvalid("note", "must have 1 to " + std::to_string(kMaxNoteBytes) + " bytes");
  for (std::size_t i = 0; i < changes.actions.size(); ++i) {
    const storage::Action& a = changes.actions[i];
    const std::string field = "actions[" + std::to_string(i) + "]";
    if (a.description.empty() || a.description.size() > kMaxAfspraakBytes)
      return ChangesInvalid(field + ".description", "must have 1 to " + std::to_string(kMaxAfspraakBytes) + " bytes");
    if (a.owner_org_id.empty()) return ChangesInvalid(field + ".owner_org", "is required");
  }
  return Status::Ok();
}

// A refused part ends the command: what it writes is what the refused part
// put on record (its "denied" audit entry, the audit entries from
// `first_of_refused_part` on), nothing of the parts before it.
void KeepOnlyTheRefusal(storage::WriteSet& writes, std::size_t first_of_refused_part) {
  storage::WriteSet only;
  only.audit.assign(std::make_move_iterator(writes.audit.begin() + static_cast<std::ptrdiff_t>(first_of_refused_part)),
                    std::make_move_iterator(writes.audit.end()));
  writes = std::move(only);
}

}  // namespace

StatusOr<CaseChangesResult> CaseService::ApplyChanges(const std::string& case_id, const CaseChanges& changes,
                                                      const Caller& caller, const AnswerBuilder& answer,
                                                      const ExtendWriteSet& extend) {
  RETURN_IF_ERROR(CheckChangesInput(changes));
  if (changes.note || !changes.actions.empty()) RETURN_IF_ERROR(RequireCaseWorker(caller));
  // As with Transition: a case that moved on between the snapshot and the
  // commit is planned again, and a client's version gone stale is refused.
  for (int attempt = 1;; ++attempt) {
    storage::WriteSet writes;
    Status refusal = Status::Ok();
    engine::CaseAccessFacts facts;
    CaseChangesResult result;
    RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
      TransitionPlan plan;
      if (changes.transition) {
        RETURN_IF_ERROR(PlanStepIn(tx, case_id, changes.expected_version,
                                   TransitionStep(*changes.transition, changes.data, caller), caller, plan));
        writes = std::move(plan.writes);
        facts = plan.facts;
        if (!plan.refusal.ok()) {  // writes holds only the denied audit entry
          refusal = plan.refusal;
          if (answer) RETURN_IF_ERROR(answer({tx, plan.after, plan.team, plan.subject, plan.via_break_glass, true}));
          return Status::Ok();
        }
        result.transitioned = plan.after;
      }
      // The additions read the case as the snapshot holds it: their version
      // guard is the one the transition's update checks as well, and a
      // transition changes none of the facts need-to-know decides on
      // (municipality, confidentiality, team), so they are decided alike.
      if (changes.note) {
        storage::Note note;
        const std::size_t audit_before = writes.audit.size();
        RETURN_IF_ERROR(PlanAdditionIn(tx, case_id, caller, "note.create", "note.added", "note_id",
                                       NoteRows(*changes.note, caller, note), writes, refusal, facts));
        if (!refusal.ok()) {
          KeepOnlyTheRefusal(writes, audit_before);
          return Status::Ok();
        }
        result.note = std::move(note);
      }
      for (std::size_t i = 0; i < changes.actions.size(); ++i) {
        storage::Action action = changes.actions[i];
        const std::size_t audit_before = writes.audit.size();
        RETURN_IF_ERROR(PlanAdditionIn(tx, case_id, caller, "action.create", "action.added", "action_id",
                                       ActionRows(action, "actions[" + std::to_string(i) + "]."), writes, refusal,
                                       facts));
        if (!refusal.ok()) {
          KeepOnlyTheRefusal(writes, audit_before);
          return Status::Ok();
        }
        result.actions.push_back(std::move(action));
      }
      if (changes.transition) {
        if (extend) RETURN_IF_ERROR(extend(tx, plan.after, result, writes));
        if (answer) RETURN_IF_ERROR(answer({tx, plan.after, plan.team, plan.subject, plan.via_break_glass, false}));
      } else if (extend) {
        ASSIGN_OR_RETURN(storage::CaseRecord current, tx.cases().Get(case_id));
        RETURN_IF_ERROR(extend(tx, current, result, writes));
      }
      return Status::Ok();
    }));
    Status committed = CommitWriteSet(writes, facts);
    if (storage::IsStaleVersion(committed) && attempt < kMaxPlans) continue;
    RETURN_IF_ERROR(committed);
    if (!refusal.ok()) return refusal;
    return result;
  }
}

}  // namespace casus::app

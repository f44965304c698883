// CaseService: the one place where a command on a case becomes durable.
// Every command (opening, transition, note, afspraak, team member, a
// deadline's firing) is evaluated before the writer: the calling thread
// reads a snapshot (case, subject, team, grants, definition), decides
// need-to-know (engine/access_policy.h), runs the engine and produces a
// write set (storage/write_set.h). The writer only checks that what the
// plan read is still so (the case's version, the matching persons, the
// report's link, the deadline claims), writes the rows and the chained
// audit entries, and commits; a plan gone stale is made again and a
// client's stale version is refused as such. Refused commands are audited
// too (result "denied") and change nothing else. Answers are built from
// what the command read and wrote: nothing is read again after the commit.
// Thread-safe: any number of threads may call it concurrently.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/event_bus.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/access_policy.h"
#include "engine/engine.h"
#include "engine/registry.h"
#include "storage/store.h"
#include "storage/write_set.h"

namespace casus::app {

// Who asks, from where: the actor plus what NEN 7513 wants recorded.
struct Caller {
  engine::Actor actor;
  std::string client;        // address or device
  std::string on_behalf_of;  // empty unless acting for someone else
  std::string reason;        // why, as the user gave it (recorded in the audit entry)
};

struct SubjectInput {
  std::string name;
  std::optional<Date> birth_date;
  // Empty: none. Validated by the caller; stored only when the workflow
  // declares subject_bsn, otherwise discarded here. (A string, not an
  // optional: g++ 12 misreports brace-initialised nested optionals as
  // maybe-uninitialized.)
  std::string bsn{};
};

// What a command's answer needs, read inside the command's snapshot: the
// case as the commit leaves it (unchanged when refused), its team, its
// subject, and whether the caller reached it by break-the-glass. Called
// only for a case that exists or is being opened; the answer counts only
// once the commit succeeded.
struct AnswerContext {
  storage::Transaction& snapshot;
  const storage::CaseRecord& after;
  const std::vector<storage::TeamMember>& team;
  const storage::Person& subject;  // a person being created is not in the snapshot yet
  bool via_break_glass = false;
  bool refused = false;
};
using AnswerBuilder = std::function<Status(const AnswerContext&)>;

// Whether a refused transition is one that names what the caller may do
// instead (its detail lists the allowed transitions): a stale version, an
// unknown transition, one not possible now (state, guards).
bool RefusalNamesAlternatives(const Status& refusal);

// The bounds of a note's text and an afspraak's description, in bytes
// (AddNote, AddAction and a meeting's decision alike).
inline constexpr std::size_t kMaxNoteBytes = 20000;
inline constexpr std::size_t kMaxAfspraakBytes = 2000;

struct OpenCaseInput {
  std::string type;
  std::string municipality;
  SubjectInput subject;
  std::optional<std::string> report_id;  // the report this case is opened from
  int confidentiality = 1;
  engine::FieldMap data;                 // what the workflow's `open` requires
};

// What a meeting's decision does to one case (CaseService::ApplyChanges):
// any of a transition, a note and afspraken, committed together or not at all.
struct CaseChanges {
  std::optional<std::string> transition;
  std::int64_t expected_version = 0;  // with a transition
  engine::FieldMap data;              // the transition's
  std::optional<std::string> note;
  // description, owner_org_id, owner_user_id, due_at; the rest is filled in.
  // A problem with one names its field "actions[i].<field>".
  std::vector<storage::Action> actions;
};

// What ApplyChanges wrote: the case after the transition (when one was
// taken), the note and the afspraken, in the order given.
struct CaseChangesResult {
  std::optional<storage::CaseRecord> transitioned;
  std::optional<storage::Note> note;
  std::vector<storage::Action> actions;
};

// Adds the caller's own rows to a command's write set, inside its snapshot,
// once every part of the command is allowed (e.g. a meeting's decision row
// and its audit entry). `after` is the case as the commit leaves it. An
// error ends the command with nothing written.
using ExtendWriteSet = std::function<Status(storage::Transaction& snapshot, const storage::CaseRecord& after,
                                            const CaseChangesResult& planned, storage::WriteSet& writes)>;

class CaseService {
 public:
  CaseService(storage::Store& store, const engine::DefinitionRegistry& registry, const Config& config,
              const engine::DutchCalendar& calendar, const Clock& clock, IdGenerator& ids);

  // Opens a case under the latest definition of its type. A known person
  // (same name and birth date) is linked, not duplicated. When opened from a
  // report, the report is marked "gekoppeld" and its receipt starts the clock.
  // `answer` builds the answer from the command's snapshot, as with Transition.
  StatusOr<storage::CaseRecord> OpenCase(const OpenCaseInput& input, const Caller& caller,
                                         const AnswerBuilder& answer = {});

  // Takes a transition on the case, which must still be at `expected_version`
  // (Aborted "stale version" otherwise). Refusals that name what may be done
  // instead (stale, unknown transition, guards) carry the transitions the
  // caller may take now. `answer` builds the rest of the answer from the
  // same snapshot, so that nothing is read again after the commit.
  StatusOr<storage::CaseRecord> Transition(const std::string& case_id, const std::string& transition,
                                           std::int64_t expected_version, const engine::FieldMap& data,
                                           const Caller& caller, const AnswerBuilder& answer = {});

  // The transition (if any), the note (if any) and the afspraken of
  // `changes`, with their events and audit entries and whatever `extend`
  // adds, as ONE write set: every check of Transition, AddNote and AddAction
  // is made, and a refusal or failure of any part writes nothing of the
  // others. A refusal (need-to-know, workflow rules, stale version) writes
  // only its own "denied" audit entry, as Transition does; invalid data
  // writes nothing. `answer` is given the transition's outcome, as with
  // Transition (not called without a transition).
  StatusOr<CaseChangesResult> ApplyChanges(const std::string& case_id, const CaseChanges& changes,
                                           const Caller& caller, const AnswerBuilder& answer = {},
                                           const ExtendWriteSet& extend = {});

  // Opschorting (case_service_suspension.cc): suspends the case's running
  // deadline `deadline_id` for `reason`, or resumes it, on the case at
  // `expected_version` (Aborted "stale version" otherwise), through the
  // engine's rules (engine::SuspendDeadline / ResumeDeadline) and
  // need-to-know as a transition. The new deadline list, its event and the
  // audit entry ("deadline.suspend" / "deadline.resume", the reason as its
  // why) commit together; a refusal writes only its "denied" audit entry.
  // `answer` as with Transition.
  StatusOr<storage::CaseRecord> SuspendDeadline(const std::string& case_id, const std::string& deadline_id,
                                                std::int64_t expected_version, const std::string& reason,
                                                const Caller& caller, const AnswerBuilder& answer = {});
  StatusOr<storage::CaseRecord> ResumeDeadline(const std::string& case_id, const std::string& deadline_id,
                                               std::int64_t expected_version, const Caller& caller,
                                               const AnswerBuilder& answer = {});

  StatusOr<storage::Note> AddNote(const std::string& case_id, const std::string& text, const Caller& caller);
  StatusOr<storage::Action> AddAction(storage::Action action, const Caller& caller);
  Status AddTeamMember(storage::TeamMember member, const Caller& caller);

  // The deadline service's command for one case (case_service_deadlines.cc):
  // at `now`, records and announces every due-soon warning, overdue event
  // and 3x-late marker not yet recorded, and runs an overdue deadline's
  // declared consequences — each exactly once, as the system actor, in one
  // write set. Returns how many firings were recorded (0: nothing written).
  StatusOr<int> FireDeadlines(const std::string& case_id, TimePoint now);

  // Committed events go to `publisher`, in commit order (may be null:
  // nobody listens). Set before use.
  void SetEventPublisher(EventPublisher* publisher) { publisher_ = publisher; }
  // The calendar terms are computed with (civil dates in Europe/Amsterdam).
  const engine::DutchCalendar& calendar() const { return calendar_; }

  // The engine's view of a stored case (needs the subject for age guards).
  static engine::CaseState ToCaseState(const storage::CaseRecord& record, std::optional<Date> birth_date);

 private:
  // A CaseStep (a transition, a suspension) decided on a snapshot (PlanStepIn).
  struct TransitionPlan {
    storage::WriteSet writes;
    Status refusal;                 // not OK: `writes` holds only the denied audit entry
    storage::CaseRecord after;      // the case as the commit leaves it
    engine::CaseAccessFacts facts;  // for the live events
    // What an AnswerBuilder is given besides the snapshot and `after`.
    std::vector<storage::TeamMember> team;
    storage::Person subject;
    bool via_break_glass = false;
  };
  // What a command on an existing case asks of the engine, and how it is
  // recorded: a transition, or suspending or resuming a deadline.
  struct CaseStep {
    std::string audit_action;   // "case.transition", "deadline.suspend", ...
    std::string audit_reason;   // the why in the audit entry
    std::string history_entry;  // the transition taken; empty: the history stays
    std::function<StatusOr<engine::Outcome>(const engine::WorkflowDefinition&, const engine::CaseState&,
                                            const engine::Context&)>
        run;
  };
  static CaseStep TransitionStep(const std::string& transition, const engine::FieldMap& data, const Caller& caller);
  engine::Context ContextFor(const engine::Settings& settings) const;
  // The definition version the case is pinned to; Internal when it is not loaded.
  StatusOr<const engine::WorkflowDefinition*> PinnedDefinition(const storage::CaseRecord& rec) const;
  // Reads the snapshot and decides a CaseStep: the write set of the success
  // or of the refusal; `answer` is given the same snapshot.
  StatusOr<TransitionPlan> PlanStep(const std::string& case_id, std::int64_t expected_version, const CaseStep& step,
                                    const Caller& caller, const AnswerBuilder& answer) const;
  // The same decision inside an open snapshot `tx`, into `plan`; `answer` is
  // left to the caller (plan.team, plan.subject, plan.via_break_glass).
  Status PlanStepIn(storage::Transaction& tx, const std::string& case_id, std::int64_t expected_version,
                    const CaseStep& step, const Caller& caller, TransitionPlan& plan) const;
  // Plans and commits a CaseStep, planning again when the snapshot went stale.
  StatusOr<storage::CaseRecord> CommitStep(const std::string& case_id, std::int64_t expected_version,
                                           const CaseStep& step, const Caller& caller, const AnswerBuilder& answer);
  // Applies a planned write set on the writer; its events, numbered by the
  // commit, are published with `facts`. Aborted (stale_version) when a
  // version or guard it checks moved since its snapshot.
  Status CommitWriteSet(storage::WriteSet& writes, const engine::CaseAccessFacts& facts);
  // How often a command is planned again when its snapshot went stale
  // before the commit: twice at most in practice, since a second plan sees
  // what the writer saw.
  static constexpr int kMaxPlans = 3;

  // Adds rows to a case (a note, an afspraak, a team member) as a write
  // set: need-to-know on a snapshot; `add` puts the rows into the write set
  // (or refuses with an error) once access is allowed; the writer checks
  // that the case did not move on, else the addition is planned again.
  // `event_type`/`attr`/`value` describe the timeline event.
  // Returns the value of the event's attribute (the new row's id).
  using AddRows = std::function<StatusOr<std::string>(storage::Transaction& snapshot, const storage::CaseRecord& kase,
                                                      TimePoint now, storage::WriteSet& writes)>;
  Status CommitAddition(const std::string& case_id, const Caller& caller, const std::string& audit_action,
                        const std::string& event_type, const std::string& attr, const AddRows& add);
  // One addition planned inside an open snapshot `tx`, into `writes`: the
  // version guard, the rows, the event and the audit entry; or, when
  // need-to-know refuses, only the denied audit entry and the refusal in
  // `refusal`. `facts` are the event's access facts after the commit.
  Status PlanAdditionIn(storage::Transaction& tx, const std::string& case_id, const Caller& caller,
                        const std::string& audit_action, const std::string& event_type, const std::string& attr,
                        const AddRows& add, storage::WriteSet& writes, Status& refusal,
                        engine::CaseAccessFacts& facts);
  // The rows of a note and of an afspraak (AddNote, AddAction, ApplyChanges).
  // `note`/`action` receive the planned row; `field_prefix` names the
  // afspraak in a problem ("actions[1]." gives "actions[1].owner_org").
  AddRows NoteRows(const std::string& text, const Caller& caller, storage::Note& note);
  AddRows ActionRows(storage::Action& action, const std::string& field_prefix);
  // Case content is for those who work on cases (not the privacy officer or admin).
  static Status RequireCaseWorker(const Caller& caller);

  storage::Store& store_;
  const engine::DefinitionRegistry& registry_;
  const Config& config_;
  const engine::DutchCalendar& calendar_;
  const Clock& clock_;
  IdGenerator& ids_;
  EventPublisher* publisher_ = nullptr;
};

}  // namespace casus::app

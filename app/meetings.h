// Overleggen (DOMAIN.md §2, §4): recurring case meetings per case type and
// municipality — the weekly IAWW-overleg, the two-weekly JPP, the Top-X
// overleg and the region-wide ZVH casusoverleg (municipality "regio") —
// with their participating organisations, an agenda per date and the
// decisions recorded per case during the meeting.
//
// Who may do what:
//  - organisers: a coordinator or meldpunt of the meeting's municipality
//    (gemeente), or a ZVH coordinator (any meeting, and the only ones for
//    "regio"). They create meetings, generate agendas and edit their items;
//  - participants (their organisation takes part) and organisers read the
//    agenda and record decisions.
// Need-to-know still holds per case: agenda items show only cases the
// caller may read (engine/access_policy.h), and every decision goes through
// CaseService, which applies the workflow rules, access and audit.
//
// Agenda generation (once per meeting and date; afterwards the items are
// edited by hand) takes the cases of the meeting's type and municipality
// that the caller may read and that the type's workflow file (its latest
// version's `overleg:` section; `region_wide:` for municipality "regio")
// names as
//  - "new": in one of its new_states, not yet discussed;
//  - "awaiting_overleg": in one of its awaiting_states;
//  - "review_due": one of its review_deadlines is active and due on or
//    before the date (e.g. the monitoring evaluation of iaww and jpp).
// A type without that section gets empty agendas. Items are ordered by
// reason (new, awaiting_overleg, review_due), then case id.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/case_queries.h"
#include "app/case_service.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::app {

inline constexpr const char* kRegionWide = "regio";

struct CreateMeetingInput {
  std::string case_type;
  std::string municipality;  // or kRegionWide
  std::string name;
  int cadence_days = 0;      // 0: the type's default (overleg.cadence_days); required when it has none
  std::vector<std::string> participant_org_ids;
};

struct AgendaItemView {
  storage::AgendaItem item;
  storage::CaseRecord record;
  std::string subject_name;
};

// An agenda as one caller may see it: only items (and decisions) of cases
// it may read. Nothing tells how many items were left out.
struct AgendaView {
  storage::Meeting meeting;
  storage::Agenda agenda;  // agenda.items: the visible ones only
  std::vector<AgendaItemView> items;
  std::vector<storage::AgendaDecision> decisions;
};

struct DecisionInput {
  std::string case_id;
  std::optional<std::string> transition;
  std::optional<std::int64_t> version;  // required with a transition
  engine::FieldMap data;
  std::optional<std::string> note;
  std::vector<storage::Action> actions;  // description, owner_org_id, owner_user_id, due_at
};

struct DecisionResult {
  std::optional<storage::CaseRecord> transitioned;  // the case after the transition
  std::optional<storage::Note> note;
  std::vector<storage::Action> actions;
  storage::AgendaDecision decision;
};

class MeetingService {
 public:
  MeetingService(storage::Store& store, CaseService& cases, const engine::DefinitionRegistry& registry,
                 const Clock& clock, IdGenerator& ids);

  StatusOr<storage::Meeting> Create(const CreateMeetingInput& input, const Caller& caller);
  // Meetings the caller organises or whose participants include its organisation.
  StatusOr<std::vector<storage::Meeting>> List(const Caller& caller);
  // NotFound also when the caller neither organises nor participates.
  StatusOr<storage::Meeting> Get(const std::string& meeting_id, const Caller& caller);

  // Generates and stores the agenda of the meeting on `date` (organisers
  // only); FailedPrecondition ("agenda_exists") when it already exists.
  StatusOr<AgendaView> GenerateAgenda(const std::string& meeting_id, Date date, const Caller& caller);
  // Audited as meeting.agenda.read, one entry per visible item.
  StatusOr<AgendaView> GetAgenda(const std::string& meeting_id, Date date, const Caller& caller);
  // Replaces the items (organisers only), in the order given. Each case
  // must be of the meeting's type and municipality and readable by the caller.
  StatusOr<AgendaView> SetItems(const std::string& meeting_id, Date date,
                                const std::vector<storage::AgendaItem>& items, const Caller& caller);

  // Records a decision for an agenda item, atomically: the transition, the
  // note and the afspraken, their timeline events and audit entries, and the
  // decision row with its meeting.decision audit entry (naming what was
  // done) commit together or not at all (CaseService::ApplyChanges, one
  // write set). A refusal (need-to-know, workflow rules, stale version)
  // writes only its own "denied" audit entry and is returned; invalid data
  // (e.g. an unknown afspraak owner) writes nothing. `answer` is given to
  // the transition, for the case's view, as with CaseService::Transition.
  StatusOr<DecisionResult> RecordDecision(const std::string& meeting_id, Date date, const DecisionInput& input,
                                          const Caller& caller, const AnswerBuilder& answer = {});

  static bool Organises(const engine::Actor& actor, const storage::Meeting& meeting);
  static bool Participates(const engine::Actor& actor, const storage::Meeting& meeting);

 private:
  StatusOr<storage::Meeting> LoadVisible(storage::Transaction& tx, const std::string& meeting_id,
                                         const Caller& caller);
  // The visible view of a stored agenda, read in `tx`.
  StatusOr<AgendaView> BuildView(storage::Transaction& tx, storage::Meeting meeting, storage::Agenda agenda,
                                 const Caller& caller, TimePoint now);
  Status AuditView(const AgendaView& view, const Caller& caller, TimePoint now);

  storage::Store& store_;
  CaseService& cases_;
  const engine::DefinitionRegistry& registry_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace casus::app

// CaseService: the one place where a command on a case becomes durable.
// Each command runs as one job on the store's writer: load the case, check
// need-to-know (engine/access_policy.h), ask the engine, store the new case
// version, its timeline events and a chained audit entry — all in one
// transaction, answered after the commit, so that no team change or
// expiring grant slips between the check and the write. Refused commands
// are audited too (result "denied"), and change nothing else.
// Thread-safe: any number of threads may call it concurrently.
#pragma once

#include <optional>
#include <string>

#include "app/config.h"
#include "app/event_bus.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/engine.h"
#include "engine/registry.h"
#include "storage/store.h"

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

struct OpenCaseInput {
  std::string type;
  std::string municipality;
  SubjectInput subject;
  std::optional<std::string> report_id;  // the report this case is opened from
  int confidentiality = 1;
  engine::FieldMap data;                 // what the workflow's `open` requires
};

class CaseService {
 public:
  CaseService(storage::Store& store, const engine::DefinitionRegistry& registry, const Config& config,
              const engine::DutchCalendar& calendar, const Clock& clock, IdGenerator& ids);

  // Opens a case under the latest definition of its type. A known person
  // (same name and birth date) is linked, not duplicated. When opened from a
  // report, the report is marked "gekoppeld" and its receipt starts the clock.
  StatusOr<storage::CaseRecord> OpenCase(const OpenCaseInput& input, const Caller& caller);

  // Takes a transition on the case, which must still be at `expected_version`
  // (Aborted "stale version" otherwise, with the transitions allowed now).
  StatusOr<storage::CaseRecord> Transition(const std::string& case_id, const std::string& transition,
                                           std::int64_t expected_version, const engine::FieldMap& data,
                                           const Caller& caller);

  StatusOr<storage::Note> AddNote(const std::string& case_id, const std::string& text, const Caller& caller);
  StatusOr<storage::Action> AddAction(storage::Action action, const Caller& caller);
  Status AddTeamMember(storage::TeamMember member, const Caller& caller);

  // The deadline service's write job for one case (case_service_deadlines.cc):
  // at `now`, records and announces every due-soon warning, overdue event
  // and 3x-late marker not yet recorded, and runs an overdue deadline's
  // declared consequences — each exactly once, as the system actor, in one
  // transaction. Returns how many firings were recorded.
  StatusOr<int> FireDeadlines(const std::string& case_id, TimePoint now);

  // Committed events go to `bus` (may be null: nobody listens). Set before use.
  void SetEventBus(EventBus* bus) { bus_ = bus; }

  // The engine's view of a stored case (needs the subject for age guards).
  static engine::CaseState ToCaseState(const storage::CaseRecord& record, std::optional<Date> birth_date);

 private:
  engine::Context ContextFor(const engine::Settings& settings) const;
  // Store::Write, and after the commit the job's events go to the bus.
  Status WriteAndPublish(const std::vector<PublishedEvent>& published, storage::WorkFn work);

  storage::Store& store_;
  const engine::DefinitionRegistry& registry_;
  const Config& config_;
  const engine::DutchCalendar& calendar_;
  const Clock& clock_;
  IdGenerator& ids_;
  EventBus* bus_ = nullptr;
};

}  // namespace casus::app

// CaseService::FireDeadlines: the deadline service's write job. The firing
// record (deadline_firings) is claimed in the same transaction as the
// timeline events, audit entries and consequences it causes, so a crash
// or a restart can neither lose a firing nor repeat one.
#include <boost/json.hpp>

#include "app/case_access.h"
#include "app/case_service.h"
#include "app/deadline_timing.h"
#include "app/event_payload.h"

namespace casus::app {
namespace {

constexpr const char* kSystem = "system";

// Automatic consequences act as the system, for the case's municipality.
Caller SystemCaller(const std::string& municipality) {
  return Caller{{kSystem, {kSystem}, "", "", municipality}, kSystem, "", ""};
}

std::string FiringPayload(const engine::DeadlineState& d, const std::string& extra_key = "",
                          const std::string& extra_value = "") {
  boost::json::object obj;
  obj["deadline"] = d.id;
  obj["due_at"] = FormatRfc3339(d.due_at);
  if (!extra_key.empty()) obj[extra_key] = extra_value;
  return boost::json::serialize(obj);
}

bool StillActive(const storage::CaseRecord& rec, const engine::DeadlineState& d) {
  for (const auto& x : rec.deadlines)
    if (x.id == d.id && x.started_at == d.started_at) return x.active();
  return false;
}

// The write job's state: the case as it evolves, and what to publish.
class FiringJob {
 public:
  FiringJob(storage::Transaction& tx, storage::CaseRecord& rec, const storage::Person& subject, TimePoint now,
            std::vector<PublishedEvent>& published)
      : tx_(tx), rec_(rec), subject_(subject), now_(now), published_(published), system_(SystemCaller(rec.municipality)) {}

  Status Event(const std::string& type, const std::string& payload) {
    storage::CaseEvent row{0, rec_.id, type, now_, kSystem, payload};
    ASSIGN_OR_RETURN(row.id, tx_.events().Append(row));
    // Facts of the case as it is now: the team and the municipality's coordinators see it live.
    ASSIGN_OR_RETURN(auto facts, LoadAccessFacts(tx_, rec_, /*user_id=*/"", now_));
    published_.push_back(ToPublished(row, std::move(facts)));
    return Status::Ok();
  }

  Status Audit(const std::string& action, const std::string& result, const std::string& reason) {
    ASSIGN_OR_RETURN([[maybe_unused]] auto entry,
                     tx_.audit().Append(MakeAudit(system_, now_, action, result, "case", rec_.id, subject_.id, reason)));
    return Status::Ok();
  }

  // Claims the firing; true when it was not recorded before (then announced).
  StatusOr<bool> Fire(const engine::DeadlineState& d, const std::string& kind) {
    ASSIGN_OR_RETURN(bool fresh, tx_.deadline_firings().TryRecord({rec_.id, d.id, d.started_at, kind, now_}));
    if (!fresh) return false;
    RETURN_IF_ERROR(Event("deadline." + kind, FiringPayload(d)));
    RETURN_IF_ERROR(Audit("deadline.fire", "success", kind + " " + d.id));
    return true;
  }

  Status Notify(const engine::DeadlineState& d) {
    RETURN_IF_ERROR(Event("deadline.coordinator_notified", FiringPayload(d, "municipality", rec_.municipality)));
    return Audit("deadline.notify", "success", "on_overdue " + d.id + ": notify coordinator");
  }

  // Takes `transition` as the system. A refusal is on record and final:
  // the overdue firing that caused it is already claimed.
  Status Take(const engine::WorkflowDefinition& def, const engine::Settings& settings,
              const engine::DutchCalendar& calendar, const engine::DeadlineState& d, const std::string& transition) {
    const engine::Context ctx{now_, &calendar, &settings};
    const engine::CaseState state = CaseService::ToCaseState(rec_, subject_.birth_date);
    auto outcome = engine::Transition(def, state, {transition, {}}, system_.actor, ctx);
    const std::string reason = "on_overdue " + d.id + ": take " + transition;
    if (!outcome.ok()) return Audit("case.transition", "denied", reason + " (" + outcome.status().message() + ")");
    const std::int64_t expected = rec_.version;
    rec_.state = outcome->state;
    rec_.level = outcome->level;
    rec_.deadlines = outcome->deadlines;
    rec_.data = outcome->data;
    rec_.history.push_back(transition);
    rec_.updated_at = now_;
    RETURN_IF_ERROR(tx_.cases().Update(rec_, expected));
    rec_.version = expected + 1;
    for (const auto& ev : outcome->events) RETURN_IF_ERROR(Event(ev.type, EventPayloadJson(ev)));
    return Audit("case.transition", "success", reason);
  }

 private:
  storage::Transaction& tx_;
  storage::CaseRecord& rec_;
  const storage::Person& subject_;
  TimePoint now_;
  std::vector<PublishedEvent>& published_;
  Caller system_;
};

}  // namespace

StatusOr<int> CaseService::FireDeadlines(const std::string& case_id, TimePoint now) {
  int fired = 0;
  std::vector<PublishedEvent> published;
  RETURN_IF_ERROR(WriteAndPublish(published, [&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(case_id));
    const engine::WorkflowDefinition* def = registry_.Find(rec.type, rec.definition_version);
    if (!def)
      return Status::Internal("case " + rec.id + " is pinned to " + rec.type + " version " +
                              std::to_string(rec.definition_version) + ", which is not loaded");
    ASSIGN_OR_RETURN(storage::Person subject, tx.persons().Get(rec.subject_person_id));
    const engine::Settings settings = config_.SettingsFor(rec.municipality);
    FiringJob job(tx, rec, subject, now, published);
    // A copy: consequences replace rec.deadlines while we walk.
    const std::vector<engine::DeadlineState> running = rec.deadlines;
    for (const auto& d : running) {
      // An earlier deadline's consequence (a lapse) may have cleared this one.
      if (!StillActive(rec, d)) continue;
      const engine::DeadlineSpec* spec = def->FindDeadline(d.id);
      const engine::DurationSpec lead = spec && spec->due_soon ? *spec->due_soon : config_.deadlines.due_soon;
      for (const std::string& kind : KindsDue(d, lead, calendar_, now)) {
        if (kind == "late3" && !StillActive(rec, d)) continue;  // its own consequence ended the term
        ASSIGN_OR_RETURN(bool fresh, job.Fire(d, kind));
        if (!fresh) continue;
        ++fired;
        if (kind != "overdue" || !spec) continue;
        for (const auto& c : spec->on_overdue) {
          if (c.kind == engine::OverdueConsequence::Kind::kNotify)
            RETURN_IF_ERROR(job.Notify(d));
          else
            RETURN_IF_ERROR(job.Take(*def, settings, calendar_, d, c.target));
        }
      }
    }
    return Status::Ok();
  }));
  return fired;
}

}  // namespace casus::app

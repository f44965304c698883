// CaseService::FireDeadlines: the deadline service's command, as a write
// set. The firing record (deadline_firings) is claimed in the same
// transaction as the timeline events, audit entries and consequences it
// causes, so a crash or a restart can neither lose a firing nor repeat one.
#include <boost/json.hpp>

#include <chrono>
#include <set>
#include <tuple>

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

// A firing already on record: (deadline, start of the term, kind).
using FiringKey = std::tuple<std::string, std::int64_t, std::string>;

FiringKey KeyOf(const std::string& deadline_id, TimePoint started_at, const std::string& kind) {
  return {deadline_id, std::chrono::floor<std::chrono::seconds>(started_at).time_since_epoch().count(), kind};
}

// The plan of one case's firings, made on a snapshot: the case as it
// evolves through the consequences, and the write set that records it.
class FiringPlan {
 public:
  FiringPlan(storage::CaseRecord& rec, const storage::Person& subject, std::set<FiringKey> recorded, TimePoint now,
             storage::WriteSet& writes)
      : rec_(rec),
        subject_(subject),
        recorded_(std::move(recorded)),
        now_(now),
        writes_(writes),
        system_(SystemCaller(rec.municipality)) {}

  void Event(const std::string& type, const std::string& payload) {
    writes_.events.push_back({0, rec_.id, type, now_, kSystem, payload});
  }

  void Audit(const std::string& action, const std::string& result, const std::string& reason) {
    writes_.audit.push_back(MakeAudit(system_, now_, action, result, "case", rec_.id, subject_.id, reason));
  }

  // Claims the firing; true when it is not on record yet (then announced).
  // The writer records the claim; one recorded meanwhile makes the plan stale.
  bool Fire(const engine::DeadlineState& d, const std::string& kind) {
    if (!recorded_.insert(KeyOf(d.id, d.started_at, kind)).second) return false;
    writes_.deadline_firings.push_back({rec_.id, d.id, d.started_at, kind, now_});
    Event("deadline." + kind, FiringPayload(d));
    Audit("deadline.fire", "success", kind + " " + d.id);
    return true;
  }

  void Notify(const engine::DeadlineState& d) {
    Event("deadline.coordinator_notified", FiringPayload(d, "municipality", rec_.municipality));
    Audit("deadline.notify", "success", "on_overdue " + d.id + ": notify coordinator");
  }

  // Takes `transition` as the system. A refusal is on record and final:
  // the overdue firing that caused it is claimed in the same commit.
  void Take(const engine::WorkflowDefinition& def, const engine::Settings& settings,
            const engine::DutchCalendar& calendar, const engine::DeadlineState& d, const std::string& transition) {
    const engine::Context ctx{now_, &calendar, &settings};
    const engine::CaseState state = CaseService::ToCaseState(rec_, subject_.birth_date);
    auto outcome = engine::Transition(def, state, {transition, {}}, system_.actor, ctx);
    const std::string reason = "on_overdue " + d.id + ": take " + transition;
    if (!outcome.ok()) return Audit("case.transition", "denied", reason + " (" + outcome.status().message() + ")");
    storage::CaseProgress progress{rec_.id, rec_.version, outcome->state, outcome->level, rec_.history,
                                   outcome->data, now_, std::nullopt};
    progress.history.push_back(transition);
    if (outcome->deadlines != rec_.deadlines) progress.deadlines = outcome->deadlines;
    rec_.state = progress.state;
    rec_.level = progress.level;
    rec_.deadlines = outcome->deadlines;
    rec_.data = progress.data;
    rec_.history = progress.history;
    rec_.updated_at = now_;
    rec_.version += 1;
    writes_.case_progress.push_back(std::move(progress));
    for (const auto& ev : outcome->events) Event(ev.type, EventPayloadJson(ev));
    Audit("case.transition", "success", reason);
  }

 private:
  storage::CaseRecord& rec_;
  const storage::Person& subject_;
  std::set<FiringKey> recorded_;
  TimePoint now_;
  storage::WriteSet& writes_;
  Caller system_;
};

}  // namespace

StatusOr<int> CaseService::FireDeadlines(const std::string& case_id, TimePoint now) {
  // Planned on a snapshot like a person's command. The writer records each
  // claim and checks that the case is still at the version read; a firing
  // recorded meanwhile (another tick, another node) or a case that moved
  // on makes the plan stale, and it is made again on a new snapshot.
  for (int attempt = 1;; ++attempt) {
    int fired = 0;
    storage::WriteSet writes;
    engine::CaseAccessFacts facts;
    RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(case_id));
      ASSIGN_OR_RETURN(const engine::WorkflowDefinition* def, PinnedDefinition(rec));
      ASSIGN_OR_RETURN(storage::Person subject, tx.persons().Get(rec.subject_person_id));
      ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(rec.id));
      ASSIGN_OR_RETURN(auto on_record, tx.deadline_firings().ListForCase(rec.id));
      std::set<FiringKey> recorded;
      for (const auto& f : on_record) recorded.insert(KeyOf(f.deadline_id, f.started_at, f.kind));
      writes.case_guards.push_back({rec.id, rec.version});
      const engine::Settings settings = config_.SettingsFor(rec.municipality);
      FiringPlan plan(rec, subject, std::move(recorded), now, writes);
      // A copy: consequences replace rec.deadlines while we walk.
      const std::vector<engine::DeadlineState> running = rec.deadlines;
      for (const auto& d : running) {
        // An earlier deadline's consequence (a lapse) may have cleared this one.
        if (!StillActive(rec, d)) continue;
        const engine::DeadlineSpec* spec = def->FindDeadline(d.id);
        const engine::DurationSpec lead = spec && spec->due_soon ? *spec->due_soon : config_.deadlines.due_soon;
        for (const std::string& kind : KindsDue(d, lead, calendar_, now)) {
          if (kind == "late3" && !StillActive(rec, d)) continue;  // its own consequence ended the term
          if (!plan.Fire(d, kind)) continue;
          ++fired;
          if (kind != "overdue" || !spec) continue;
          for (const auto& c : spec->on_overdue) {
            if (c.kind == engine::OverdueConsequence::Kind::kNotify)
              plan.Notify(d);
            else
              plan.Take(*def, settings, calendar_, d, c.target);
          }
        }
      }
      // Who sees the events live: the case as this commit leaves it.
      facts = FactsFor(rec, team, /*break_glass_active=*/false);
      return Status::Ok();
    }));
    if (fired == 0) return 0;  // nothing due that is not on record: nothing to write
    Status committed = CommitWriteSet(writes, facts);
    if (storage::IsStaleVersion(committed) && attempt < kMaxPlans) continue;
    RETURN_IF_ERROR(committed);
    return fired;
  }
}

}  // namespace casus::app

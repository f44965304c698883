#include "app/deadline_service.h"

#include <algorithm>
#include <set>

#include "app/deadline_timing.h"

namespace casus::app {
namespace {

// Enough for every active deadline of a region; the scan is one indexed query.
constexpr int kScanLimit = 100000;

}  // namespace

DeadlineService::DeadlineService(storage::Store& store, CaseService& cases, const engine::DefinitionRegistry& registry,
                                 const Config& config, const engine::DutchCalendar& calendar, const Clock& clock)
    : store_(store), cases_(cases), registry_(registry), config_(config), calendar_(calendar), clock_(clock) {}

DeadlineService::~DeadlineService() { Stop(); }

const engine::DurationSpec& DeadlineService::LeadFor(const std::string& type, int version,
                                                     const std::string& deadline_id) const {
  if (const engine::WorkflowDefinition* def = registry_.Find(type, version))
    if (const engine::DeadlineSpec* spec = def->FindDeadline(deadline_id); spec && spec->due_soon)
      return *spec->due_soon;
  return config_.deadlines.due_soon;
}

// The lead that reaches furthest ahead, for the scan bound. Compared by an
// upper bound in hours; a working day counts as up to 5 calendar days
// (weekends and holiday clusters), generous on purpose.
engine::DurationSpec DeadlineService::LongestLead() const {
  auto reach = [](const engine::DurationSpec& d) {
    switch (d.unit) {
      case engine::DurationSpec::Unit::kHours: return d.amount;
      case engine::DurationSpec::Unit::kCalendarDays: return d.amount * 24;
      case engine::DurationSpec::Unit::kWorkingDays: return d.amount * 24 * 5;
    }
    return 0;
  };
  engine::DurationSpec longest = config_.deadlines.due_soon;
  for (const engine::WorkflowDefinition* def : registry_.LatestOfEach())
    for (const auto& spec : def->deadlines)
      if (spec.due_soon && reach(*spec.due_soon) > reach(longest)) longest = *spec.due_soon;
  return longest;
}

StatusOr<std::vector<std::string>> DeadlineService::CasesToFire(TimePoint now) {
  const TimePoint bound = ScanBound(now, LongestLead(), calendar_);
  std::vector<std::string> out;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto candidates, tx.deadline_firings().ListActiveDueBefore(bound, kScanLimit));
    std::set<std::string> case_ids;
    for (const auto& c : candidates) case_ids.insert(c.case_id);
    // Only cases with something unrecorded get a write job: an overdue
    // deadline stays active for weeks and must not cost a write per tick.
    for (const std::string& case_id : case_ids) {
      ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(case_id));
      ASSIGN_OR_RETURN(auto recorded, tx.deadline_firings().ListForCase(case_id));
      const bool pending = std::ranges::any_of(rec.deadlines, [&](const engine::DeadlineState& d) {
        for (const std::string& kind : KindsDue(d, LeadFor(rec.type, rec.definition_version, d.id), calendar_, now)) {
          const bool done = std::ranges::any_of(recorded, [&](const storage::DeadlineFiring& f) {
            return f.deadline_id == d.id && f.started_at == d.started_at && f.kind == kind;
          });
          if (!done) return true;
        }
        return false;
      });
      if (pending) out.push_back(case_id);
    }
    return Status::Ok();
  }));
  return out;
}

StatusOr<TickResult> DeadlineService::Tick() {
  TickResult result;
  // Several nodes on one database: only the one that leads scans. Should
  // two fire anyway (a lead changing hands), the claims keep it once.
  if (!store_.TryLead()) {
    result.led_elsewhere = true;
    return result;
  }
  const TimePoint now = clock_.Now();
  ASSIGN_OR_RETURN(std::vector<std::string> case_ids, CasesToFire(now));
  Status first_error = Status::Ok();
  for (const std::string& case_id : case_ids) {
    auto fired = cases_.FireDeadlines(case_id, now);
    if (!fired.ok()) {
      if (first_error.ok()) first_error = Status(fired.status().code(), "case " + case_id + ": " + fired.status().message());
      continue;
    }
    ++result.cases;
    result.firings += *fired;
  }
  if (!first_error.ok()) return first_error;
  return result;
}

void DeadlineService::Start(std::chrono::seconds period, std::function<void(const Status&)> on_error) {
  Stop();
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, period, on_error = std::move(on_error)] {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
      lock.unlock();
      auto ticked = Tick();
      if (!ticked.ok() && on_error) on_error(ticked.status());
      lock.lock();
    }
  });
}

void DeadlineService::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace casus::app

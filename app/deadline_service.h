// DeadlineService: makes the workflows' deadlines fire on time. Tick() scans
// the active deadlines (one read), and gives every case with a firing not
// yet recorded one write job (CaseService::FireDeadlines). Because firings
// are recorded in the database, a Tick after a restart fires what fell due
// while the server was down — once — and nothing twice.
// The server calls Tick() once before it serves, then every tick_seconds on
// the thread Start() runs (Stop() ends it promptly).
// Tick() is not meant to run concurrently with itself; the rest is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "app/case_service.h"
#include "app/config.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/calendar.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::app {

struct TickResult {
  int cases = 0;    // cases that got a write job
  int firings = 0;  // firings recorded
  bool led_elsewhere = false;  // another node leads the background jobs (Store::TryLead): nothing scanned
};

class DeadlineService {
 public:
  DeadlineService(storage::Store& store, CaseService& cases, const engine::DefinitionRegistry& registry,
                  const Config& config, const engine::DutchCalendar& calendar, const Clock& clock);
  ~DeadlineService();  // stops the thread
  DeadlineService(const DeadlineService&) = delete;
  DeadlineService& operator=(const DeadlineService&) = delete;

  // One pass at clock.Now(). A failing case does not stop the others; the
  // first failure is returned after all were tried.
  StatusOr<TickResult> Tick();

  // Runs Tick() every `period` on a thread of its own until Stop();
  // `on_error` hears about failed ticks (e.g. to log them).
  void Start(std::chrono::seconds period, std::function<void(const Status&)> on_error = {});
  void Stop();

 private:
  // Case ids with at least one firing due at `now` and not yet recorded.
  StatusOr<std::vector<std::string>> CasesToFire(TimePoint now);
  const engine::DurationSpec& LeadFor(const std::string& type, int version, const std::string& deadline_id) const;
  engine::DurationSpec LongestLead() const;

  storage::Store& store_;
  CaseService& cases_;
  const engine::DefinitionRegistry& registry_;
  const Config& config_;
  const engine::DutchCalendar& calendar_;
  const Clock& clock_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace casus::app

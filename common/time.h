// Time: instants are UTC seconds; dates are civil dates. Time reaches the
// domain through the Clock interface so tests control it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace casus {

using TimePoint = std::chrono::sys_seconds;
using Date = std::chrono::year_month_day;

// "2026-11-23T15:21:00Z". Always UTC, always seconds precision.
std::string FormatRfc3339(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)"; fractions are truncated.
std::optional<TimePoint> ParseRfc3339(std::string_view text);
// "YYYY-MM-DD", validated (no 31 February).
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(Date d);

// Whole years between birth and the civil date `on` (a birthday counts on the day itself).
int AgeOn(Date birth, Date on);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock that only moves when told; for tests and replays. Not thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override { return now_; }
  void Set(TimePoint t) { now_ = t; }
  void Advance(std::chrono::seconds d) { now_ += d; }

 private:
  TimePoint now_;
};

}  // namespace casus

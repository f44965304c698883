#include "app/deadline_timing.h"

#include <algorithm>

namespace casus::app {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::sys_days;

// The n-th working day strictly before d (n >= 1).
Date WorkingDaysBefore(Date d, int n, const engine::DutchCalendar& calendar) {
  sys_days day{d};
  while (n > 0) {
    day -= days{1};
    if (calendar.IsWorkingDay(Date{day})) --n;
  }
  return Date{day};
}

}  // namespace

DeadlineMoments MomentsFor(const engine::DeadlineState& d, const engine::DurationSpec& lead,
                           const engine::DutchCalendar& calendar) {
  DeadlineMoments m;
  m.due_at = d.due_at;
  m.late3_at = d.started_at + 3 * (d.due_at - d.started_at);
  using Unit = engine::DurationSpec::Unit;
  if (lead.unit == Unit::kHours) {
    m.due_soon_at = d.due_at - hours{lead.amount};
  } else {
    // The civil day the term ends on: a term due at 24:00 ends on that day, not the next.
    const Date due_day = calendar.LocalDate(d.due_at - std::chrono::seconds{1});
    const auto time_of_day = d.due_at - calendar.StartOfLocalDay(due_day);
    const Date warn_day = lead.unit == Unit::kWorkingDays ? WorkingDaysBefore(due_day, lead.amount, calendar)
                                                          : Date{sys_days{due_day} - days{lead.amount}};
    m.due_soon_at = calendar.StartOfLocalDay(warn_day) + time_of_day;
  }
  // A lead longer than the whole term warns when the term starts.
  m.due_soon_at = std::max(m.due_soon_at, d.started_at);
  return m;
}

std::vector<std::string> KindsDue(const engine::DeadlineState& d, const engine::DurationSpec& lead,
                                  const engine::DutchCalendar& calendar, TimePoint now) {
  if (!d.active() || d.suspended()) return {};  // a suspended term does not run
  const DeadlineMoments m = MomentsFor(d, lead, calendar);
  if (now < m.due_soon_at) return {};
  if (now < m.due_at) return {"due_soon"};
  if (now < m.late3_at) return {"overdue"};
  return {"overdue", "late3"};
}

TimePoint ScanBound(TimePoint now, const engine::DurationSpec& lead, const engine::DutchCalendar& calendar) {
  using Unit = engine::DurationSpec::Unit;
  if (lead.unit == Unit::kHours) return now + hours{lead.amount} + std::chrono::seconds{1};
  const Date today = calendar.LocalDate(now);
  const Date last = lead.unit == Unit::kWorkingDays ? calendar.AddWorkingDays(today, lead.amount)
                                                    : Date{sys_days{today} + days{lead.amount}};
  // A day of slack covers the time of day kept from the due moment and DST.
  return calendar.EndOfLocalDay(last) + days{1};
}

}  // namespace casus::app

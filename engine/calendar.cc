// STUB: replaced by the calendar implementation.
#include "engine/calendar.h"
namespace casus::engine {
DutchCalendar::DutchCalendar(CalendarOptions options) : options_(options) {}
TimePoint DutchCalendar::DueAt(TimePoint start, const DurationSpec& d) const { return start + std::chrono::hours(d.amount); }
}  // namespace casus::engine

// Conversions between record fields and their column forms. JSON (Boost.JSON)
// stays inside codec.cc so its headers are compiled once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "engine/duration.h"
#include "engine/engine.h"

namespace casus::storage {

inline std::int64_t ToUnix(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromUnix(std::int64_t s) { return TimePoint{std::chrono::seconds{s}}; }

// bool, int64 and string values round-trip exactly; anything else stored
// (a double, an array) is reported as Internal: the column was tampered with.
std::string FieldMapToJson(const engine::FieldMap& data);
StatusOr<engine::FieldMap> FieldMapFromJson(const std::string& json);

std::string StringListToJson(const std::vector<std::string>& list);
StatusOr<std::vector<std::string>> StringListFromJson(const std::string& json);

// InvalidArgument unless `json` is a JSON object; "" counts as "{}".
StatusOr<std::string> NormalizeJsonObject(const std::string& json);

std::optional<std::string> DateToText(const std::optional<Date>& date);
StatusOr<std::optional<Date>> DateFromText(const std::optional<std::string>& text);

// A deadline's term as its canonical text ("14d", "10wd", "24h"); NULL when
// absent. Text that does not parse is Internal: the column was tampered
// with, and dropping the term would quietly move a suspended deadline.
std::optional<std::string> TermToText(const std::optional<engine::DurationSpec>& term);
StatusOr<std::optional<engine::DurationSpec>> TermFromText(const std::optional<std::string>& text);

// Empty id strings are stored as NULL so that optional foreign keys hold.
inline std::optional<std::string> EmptyAsNull(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace casus::storage

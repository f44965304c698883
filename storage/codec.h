// Conversions between record fields and their column forms. JSON (Boost.JSON)
// stays inside codec.cc so its headers are compiled once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
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

// Empty id strings are stored as NULL so that optional foreign keys hold.
inline std::optional<std::string> EmptyAsNull(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace casus::storage

#include "engine/duration.h"

namespace casus::engine {
namespace {

constexpr int kMaxDays = 3650;
constexpr int kMaxWeeks = kMaxDays / 7;  // 521: the largest week count that stays within kMaxDays
constexpr int kMaxHours = 8760;

}  // namespace

std::string DurationSpec::ToString() const {
  // Weeks are normalised to calendar days on parse, so there is no "w" form here.
  const char* suffix = "d";
  switch (unit) {
    case Unit::kCalendarDays:
      suffix = "d";
      break;
    case Unit::kWorkingDays:
      suffix = "wd";
      break;
    case Unit::kHours:
      suffix = "h";
      break;
  }
  return std::to_string(amount) + suffix;
}

std::optional<DurationSpec> ParseDuration(std::string_view text) {
  // Workflow files are authored by hand and compared in review, so the
  // grammar is deliberately strict: [1-9][0-9]* followed by exactly one of
  // the lowercase suffixes d, wd, w, h. No sign, whitespace, leading zeros or
  // upper case, so that each duration has one spelling (besides 4w = 28d).
  size_t pos = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  const std::string_view digits = text.substr(0, pos);
  const std::string_view suffix = text.substr(pos);
  // More than four digits exceeds every limit; checking the length first
  // also keeps the accumulation below far from int overflow.
  if (digits.empty() || digits.size() > 4 || digits[0] == '0') return std::nullopt;
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');

  DurationSpec spec;
  if (suffix == "d") {
    if (value > kMaxDays) return std::nullopt;
    spec = {DurationSpec::Unit::kCalendarDays, value};
  } else if (suffix == "wd") {
    if (value > kMaxDays) return std::nullopt;
    spec = {DurationSpec::Unit::kWorkingDays, value};
  } else if (suffix == "w") {
    if (value > kMaxWeeks) return std::nullopt;
    spec = {DurationSpec::Unit::kCalendarDays, value * 7};
  } else if (suffix == "h") {
    if (value > kMaxHours) return std::nullopt;
    spec = {DurationSpec::Unit::kHours, value};
  } else {
    return std::nullopt;
  }
  return spec;
}

}  // namespace casus::engine

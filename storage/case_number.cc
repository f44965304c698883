#include "storage/case_number.h"

#include "engine/calendar.h"
#include "tz/tzdb_civil_time.h"

namespace casus::storage {
namespace {

bool CaseNumberDigitsOnly(std::string_view s) {
  for (char ch : s)
    if (ch < '0' || ch > '9') return false;
  return true;
}

// ASCII only, whatever the locale: a type id is [a-z][a-z0-9_]*.
bool CaseNumberPrefixChar(char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

char CaseNumberUpper(char ch) { return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch; }

}  // namespace

int CaseNumberYear(TimePoint created_at) {
  // Amsterdam from the tz database, loaded once per process (casus checks
  // at startup that it loads).
  static const engine::DutchCalendar calendar(tz::Amsterdam());
  return static_cast<int>(calendar.LocalDate(created_at).year());
}

std::string CaseNumberPrefix(std::string_view type, int year) {
  std::string out;
  out.reserve(type.size() + 6);
  for (char ch : type) out += CaseNumberUpper(ch);
  return out + "-" + std::to_string(year) + "-";
}

std::string FormatCaseNumber(std::string_view type, int year, std::int64_t sequence) {
  std::string digits = std::to_string(sequence);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return CaseNumberPrefix(type, year) + digits;
}

std::optional<std::string> CanonicalCaseNumber(std::string_view text) {
  const std::size_t second = text.rfind('-');
  if (second == std::string_view::npos || second == 0) return std::nullopt;
  const std::size_t first = text.rfind('-', second - 1);
  if (first == std::string_view::npos) return std::nullopt;
  const std::string_view prefix = text.substr(0, first);
  const std::string_view year = text.substr(first + 1, second - first - 1);
  const std::string_view sequence = text.substr(second + 1);
  if (prefix.empty() || prefix.size() > 32) return std::nullopt;
  for (char ch : prefix)
    if (!CaseNumberPrefixChar(ch)) return std::nullopt;
  if (year.size() != 4 || !CaseNumberDigitsOnly(year)) return std::nullopt;
  if (sequence.size() < 4 || sequence.size() > 12 || !CaseNumberDigitsOnly(sequence)) return std::nullopt;
  std::string out(text);
  for (char& ch : out) ch = CaseNumberUpper(ch);
  return out;
}

}  // namespace casus::storage

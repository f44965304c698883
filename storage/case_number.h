// Zaaknummers: case numbers people can say on the phone, "IAWW-2026-0042".
// The case type in upper case, the year the case was created in (Amsterdam
// time) and the case's sequence within that type and year, from 1, at
// least four digits. CaseRepository::Insert (store.h) assigns them from a
// counter per (type, year) in the transaction that inserts the case: a
// rolled-back insert gives its number back, a committed one keeps it for
// good (cases are never deleted; erasure keeps the row). The hex case id
// stays the key in URLs and the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace casus::storage {

// The year a case created at `created_at` is numbered in: its Amsterdam date's.
int CaseNumberYear(TimePoint created_at);

// "IAWW-2026-0042" for ("iaww", 2026, 42); more digits from 10000 on.
std::string FormatCaseNumber(std::string_view type, int year, std::int64_t sequence);
// What comes before the sequence: "IAWW-2026-" for ("iaww", 2026).
std::string CaseNumberPrefix(std::string_view type, int year);

// The canonical (upper-case) form of a zaaknummer typed by a person, in any
// case; nullopt when `text` does not have a zaaknummer's form: a prefix of
// 1 to 32 letters, digits or '_', a four-digit year and a sequence of 4 to
// 12 digits, separated by '-'.
std::optional<std::string> CanonicalCaseNumber(std::string_view text);

}  // namespace casus::storage

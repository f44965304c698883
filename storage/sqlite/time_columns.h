// Optional times in SQLite columns: unix seconds, NULL when absent.
#pragma once

#include <optional>

#include "common/time.h"
#include "storage/codec.h"
#include "storage/sqlite/statement.h"

namespace casus::storage::sqlite {

inline std::optional<TimePoint> OptionalTime(const Statement& s, int col) {
  if (s.ColumnIsNull(col)) return std::nullopt;
  return FromUnix(s.ColumnInt(col));
}

inline void BindOptionalTime(Statement& s, int index, const std::optional<TimePoint>& t) {
  if (t) {
    s.Bind(index, ToUnix(*t));
  } else {
    s.BindNull(index);
  }
}

}  // namespace casus::storage::sqlite

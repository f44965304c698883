#include "engine/bsn.h"

#include <algorithm>

namespace casus::engine {

bool IsValidBsn(std::string_view bsn) {
  if (bsn.size() != 9 || !std::all_of(bsn.begin(), bsn.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (9 - i) * (bsn[static_cast<std::size_t>(i)] - '0');
  sum -= bsn[8] - '0';
  return sum % 11 == 0;
}

}  // namespace casus::engine

// Query strings: percent-decoded (Boost.URL, '+' as space), every name
// known to the operation, none repeated, every value bounded. Errors are
// 400 naming the parameter.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace casus::api::handlers {

inline constexpr std::size_t kMaxQueryValueChars = 200;

class QueryParams {
 public:
  // InvalidArgument naming the parameter when malformed, unknown (not in
  // `allowed`), repeated or longer than kMaxQueryValueChars.
  static StatusOr<QueryParams> Parse(std::string_view query, const std::vector<std::string>& allowed);

  std::optional<std::string> Get(const std::string& name) const;

  // Typed readers record errors; check Status() after reading.
  std::optional<std::string> Text(const std::string& name, std::size_t max_chars = 100);
  std::optional<std::int64_t> Integer(const std::string& name, std::int64_t min, std::int64_t max);
  std::optional<bool> Bool(const std::string& name);
  std::optional<TimePoint> Time(const std::string& name);
  Status status() const;

 private:
  std::map<std::string, std::string> values_;
  std::vector<FieldError> errors_;
};

}  // namespace casus::api::handlers

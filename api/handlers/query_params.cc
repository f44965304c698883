#include "api/handlers/query_params.h"

#include <boost/url/parse_query.hpp>
#include <charconv>

#include "api/handlers/json_input.h"

namespace casus::api::handlers {
namespace {

Status Invalid(std::vector<FieldError> errors) {
  std::string message = errors.empty() ? "invalid query" : errors.front().field + ": " + errors.front().message;
  return Status(StatusCode::kInvalidArgument, message, StatusDetail{Refusal::kInvalidRequest, {}, std::move(errors), ""});
}

}  // namespace

StatusOr<QueryParams> QueryParams::Parse(std::string_view query, const std::vector<std::string>& allowed) {
  QueryParams out;
  if (query.empty()) return out;
  if (query.size() > 4096) return Invalid({{"query", "is too long"}});
  auto parsed = boost::urls::parse_query(query);
  if (!parsed) return Invalid({{"query", "is malformed"}});
  boost::urls::encoding_opts opts(/*space_as_plus=*/true, false, /*disallow_null=*/true);
  std::vector<FieldError> errors;
  for (auto param : *parsed) {
    std::string name = param.key.decode(opts);
    if (name.empty() && !param.has_value) continue;  // "a=1&&b=2"
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      errors.push_back({CheckText(name, 64, 1, false).empty() ? name : "query", "unknown query parameter"});
      continue;
    }
    std::string value = param.has_value ? std::string(param.value.decode(opts)) : std::string();
    std::string problem = CheckText(value, kMaxQueryValueChars, 0, false);
    if (!problem.empty()) {
      errors.push_back({name, problem});
      continue;
    }
    if (!out.values_.emplace(name, std::move(value)).second) errors.push_back({name, "is given more than once"});
  }
  if (!errors.empty()) return Invalid(std::move(errors));
  return out;
}

std::optional<std::string> QueryParams::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> QueryParams::Text(const std::string& name, std::size_t max_chars) {
  auto v = Get(name);
  if (!v || v->empty()) return std::nullopt;  // "?type=" is no filter
  std::string problem = CheckText(*v, max_chars, 1, false);
  if (!problem.empty()) {
    errors_.push_back({name, problem});
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> QueryParams::Integer(const std::string& name, std::int64_t min, std::int64_t max) {
  auto v = Get(name);
  if (!v || v->empty()) return std::nullopt;
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || ptr != v->data() + v->size() || n < min || n > max) {
    errors_.push_back({name, "must be a whole number between " + std::to_string(min) + " and " + std::to_string(max)});
    return std::nullopt;
  }
  return n;
}

std::optional<bool> QueryParams::Bool(const std::string& name) {
  auto v = Get(name);
  if (!v || v->empty()) return std::nullopt;
  if (*v == "true") return true;
  if (*v == "false") return false;
  errors_.push_back({name, "must be true or false"});
  return std::nullopt;
}

std::optional<TimePoint> QueryParams::Time(const std::string& name) {
  auto v = Get(name);
  if (!v || v->empty()) return std::nullopt;
  auto t = ParseRfc3339(*v);
  if (!t) errors_.push_back({name, "must be an RFC 3339 time, e.g. 2026-03-01T00:00:00Z"});
  return t;
}

Status QueryParams::status() const {
  if (errors_.empty()) return Status::Ok();
  return Invalid(errors_);
}

}  // namespace casus::api::handlers

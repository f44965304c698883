#include "storage/codec.h"

#include <boost/json.hpp>

namespace casus::storage {
namespace json = boost::json;

std::string FieldMapToJson(const engine::FieldMap& data) {
  json::object obj;
  for (const auto& entry : data) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string& key = entry.first;
    std::visit([&obj, &key](const auto& v) { obj[key] = v; }, entry.second);
  }
  return json::serialize(obj);
}

StatusOr<engine::FieldMap> FieldMapFromJson(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::Internal("stored case data is not a JSON object");
  engine::FieldMap out;
  for (const auto& [key, value] : v.as_object()) {
    std::string name(key);
    if (value.is_bool()) {
      out.emplace(name, value.as_bool());
    } else if (value.is_int64()) {
      out.emplace(name, value.as_int64());
    } else if (value.is_string()) {
      out.emplace(name, std::string(value.as_string()));
    } else {
      // uint64 only arises above INT64_MAX, which FieldValue cannot hold.
      return Status::Internal("stored case data field \"" + name + "\" has an unsupported JSON type");
    }
  }
  return out;
}

std::string StringListToJson(const std::vector<std::string>& list) {
  json::array arr;
  for (const auto& s : list) arr.emplace_back(s);
  return json::serialize(arr);
}

StatusOr<std::vector<std::string>> StringListFromJson(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return Status::Internal("stored list is not a JSON array");
  std::vector<std::string> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_string()) return Status::Internal("stored list holds a non-string");
    out.emplace_back(item.as_string());
  }
  return out;
}

StatusOr<std::string> NormalizeJsonObject(const std::string& text) {
  if (text.empty()) return std::string("{}");
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::InvalidArgument("payload_json must be a JSON object");
  return text;
}

std::optional<std::string> DateToText(const std::optional<Date>& date) {
  if (!date) return std::nullopt;
  return FormatDate(*date);
}

StatusOr<std::optional<Date>> DateFromText(const std::optional<std::string>& text) {
  if (!text) return std::optional<Date>();
  auto d = ParseDate(*text);
  if (!d) return Status::Internal("stored date \"" + *text + "\" is malformed");
  return std::optional<Date>(*d);
}

std::optional<std::string> TermToText(const std::optional<engine::DurationSpec>& term) {
  if (!term) return std::nullopt;
  return term->ToString();
}

StatusOr<std::optional<engine::DurationSpec>> TermFromText(const std::optional<std::string>& text) {
  if (!text) return std::optional<engine::DurationSpec>();
  auto term = engine::ParseDuration(*text);
  if (!term) return Status::Internal("stored deadline term \"" + *text + "\" is malformed");
  return std::optional<engine::DurationSpec>(*term);
}

}  // namespace casus::storage

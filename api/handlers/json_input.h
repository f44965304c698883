// Strict request decoding. A body must be one JSON object (UTF-8 checked,
// nesting at most 20 deep); each field is read with its type and limits,
// and fields nobody asked for are refused. Every error names its field
// ("location.municipality"). Wrong types, unknown fields, limits -> 400
// (reason "invalid_request"); only required fields missing -> 422 (reason
// "invalid_data").
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"

namespace casus::api::handlers {

inline constexpr std::size_t kMaxJsonDepth = 20;

// 400 naming "body" for an empty body, bad syntax, invalid UTF-8, too deep
// nesting, duplicate keys or a value that is not an object.
StatusOr<boost::json::object> ParseJsonObject(std::string_view body);

// Collects field errors across a whole document.
class FieldErrors {
 public:
  void Bad(std::string field, std::string message) { bad_.push_back({std::move(field), std::move(message)}); }
  void Missing(std::string field) { missing_.push_back({std::move(field), "is required"}); }
  bool ok() const { return bad_.empty() && missing_.empty(); }
  Status ToStatus() const;

 private:
  std::vector<FieldError> bad_;
  std::vector<FieldError> missing_;
};

enum class Need { kOptional, kRequired };

// Reads the fields of one object. Null counts as absent. Call Finish()
// after the last field to refuse unknown ones.
class ObjectReader {
 public:
  ObjectReader(const boost::json::object& object, std::string path, FieldErrors& errors);

  // Text of min..max characters (code points); no control characters but
  // tab and newline (`multiline`), never NUL.
  std::optional<std::string> Text(std::string_view key, Need need, std::size_t max_chars, std::size_t min_chars = 1,
                                  bool multiline = false);
  std::optional<std::int64_t> Integer(std::string_view key, Need need,
                                      std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                      std::int64_t max = std::numeric_limits<std::int64_t>::max());
  std::optional<bool> Bool(std::string_view key, Need need);
  // An array of at most `max_items` texts, each as Text(…, max_chars).
  std::optional<std::vector<std::string>> TextList(std::string_view key, Need need, std::size_t max_items,
                                                   std::size_t max_chars);
  // One of `values`.
  std::optional<std::string> Enum(std::string_view key, Need need, const std::vector<std::string>& values);
  // A nested object; read it with the returned reader (which shares the errors).
  std::optional<ObjectReader> Object(std::string_view key, Need need);
  // A flat map of workflow data: string, integer or boolean values.
  std::optional<engine::FieldMap> Data(std::string_view key, Need need);

  void Finish();
  std::string FieldName(std::string_view key) const;

 private:
  const boost::json::value* Find(std::string_view key, Need need);

  const boost::json::object* object_;
  std::string path_;
  FieldErrors* errors_;
  std::set<std::string, std::less<>> known_;
};

// Validates a string as user text (see ObjectReader::Text); "" when fine.
std::string CheckText(std::string_view text, std::size_t max_chars, std::size_t min_chars, bool multiline);

}  // namespace casus::api::handlers

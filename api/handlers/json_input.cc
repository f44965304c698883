#include "api/handlers/json_input.h"

#include <boost/json/basic_parser_impl.hpp>

#include "engine/field_check.h"

namespace casus::api::handlers {
namespace {

constexpr std::size_t kMaxDataFields = 64;
constexpr std::size_t kMaxDataKeyBytes = 64;

// Sees the document as written, before boost::json::parse merges duplicate
// keys (the last one winning, where other parsers may keep the first).
struct DuplicateKeyFinder {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::vector<std::optional<std::set<std::string>>> stack;  // nullopt: an array
  std::string key;
  bool duplicate = false;

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_array_begin(boost::json::error_code&) { stack.emplace_back(std::nullopt); return true; }
  bool on_array_end(std::size_t, boost::json::error_code&) { stack.pop_back(); return true; }
  bool on_object_begin(boost::json::error_code&) { stack.emplace_back(std::set<std::string>{}); return true; }
  bool on_object_end(std::size_t, boost::json::error_code&) { stack.pop_back(); return true; }
  bool on_string_part(boost::json::string_view, std::size_t, boost::json::error_code&) { return true; }
  bool on_string(boost::json::string_view, std::size_t, boost::json::error_code&) { return true; }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::json::error_code& ec) {
    key.append(s.data(), s.size());
    if (!stack.empty() && stack.back() && !stack.back()->insert(std::move(key)).second) {
      duplicate = true;
      ec = boost::json::error::syntax;  // stop parsing
      return false;
    }
    key.clear();
    return true;
  }
  bool on_number_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_int64(std::int64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_double(double, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_bool(bool, boost::json::error_code&) { return true; }
  bool on_null(boost::json::error_code&) { return true; }
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }
};

bool HasDuplicateKeys(std::string_view body, const boost::json::parse_options& options) {
  boost::json::basic_parser<DuplicateKeyFinder> parser(options);
  boost::json::error_code ec;
  parser.write_some(false, body.data(), body.size(), ec);
  return parser.handler().duplicate;
}

}  // namespace

StatusOr<boost::json::object> ParseJsonObject(std::string_view body) {
  auto invalid = [](std::string message) {
    return Status(StatusCode::kInvalidArgument, "the request body is not acceptable: " + message,
                  StatusDetail{Refusal::kInvalidRequest, {}, {{"body", message}}, ""});
  };
  if (body.empty()) return invalid("a JSON object is required");
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  options.allow_invalid_utf8 = false;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  boost::json::error_code ec;
  boost::json::monotonic_resource mr;
  boost::json::value v = boost::json::parse(body, ec, &mr, options);
  if (ec) {
    if (ec == boost::json::error::too_deep) return invalid("nested more than 20 levels deep");
    return invalid("malformed JSON or invalid UTF-8");
  }
  if (!v.is_object()) return invalid("must be a JSON object");
  if (HasDuplicateKeys(body, options)) return invalid("duplicate keys in an object");
  // Copy out of the monotonic resource into the default one.
  return boost::json::object(v.as_object(), boost::json::storage_ptr());
}

Status FieldErrors::ToStatus() const {
  if (ok()) return Status::Ok();
  const bool only_missing = bad_.empty();
  std::vector<FieldError> all = bad_;
  all.insert(all.end(), missing_.begin(), missing_.end());
  std::string message = all.front().field + ": " + all.front().message;
  if (all.size() > 1) message += " (and " + std::to_string(all.size() - 1) + " more)";
  return Status(StatusCode::kInvalidArgument, message,
                StatusDetail{only_missing ? Refusal::kInvalidData : Refusal::kInvalidRequest, {}, std::move(all), ""});
}

namespace {

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
// JSON bodies are checked by the parser already; query strings and path
// segments are percent-decoded bytes and reach CheckText unchecked.
bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra;
    unsigned min;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      min = 0x10000;
    } else {
      return false;
    }
    if (text.size() - i <= extra) return false;
    unsigned cp = c & (0x3F >> extra);
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

std::string CheckText(std::string_view text, std::size_t max_chars, std::size_t min_chars, bool multiline) {
  if (!IsValidUtf8(text)) return "is not valid UTF-8";
  std::size_t chars = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (c < 0x20 || c == 0x7f) {
      if (!(multiline && (c == '\n' || c == '\t' || c == '\r'))) return "contains control characters";
    }
  }
  if (chars < min_chars) return min_chars <= 1 ? "must not be empty" : "must have at least " + std::to_string(min_chars) + " characters";
  if (chars > max_chars) return "must have at most " + std::to_string(max_chars) + " characters";
  return "";
}

ObjectReader::ObjectReader(const boost::json::object& object, std::string path, FieldErrors& errors)
    : object_(&object), path_(std::move(path)), errors_(&errors) {}

std::string ObjectReader::FieldName(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const boost::json::value* ObjectReader::Find(std::string_view key, Need need) {
  known_.insert(std::string(key));
  const boost::json::value* v = object_->if_contains(key);
  if (v && v->is_null()) v = nullptr;
  if (!v && need == Need::kRequired) errors_->Missing(FieldName(key));
  return v;
}

std::optional<std::string> ObjectReader::Text(std::string_view key, Need need, std::size_t max_chars,
                                              std::size_t min_chars, bool multiline) {
  const boost::json::value* v = Find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    errors_->Bad(FieldName(key), "must be a string");
    return std::nullopt;
  }
  std::string_view s = v->get_string();
  std::string problem = CheckText(s, max_chars, min_chars, multiline);
  if (!problem.empty()) {
    errors_->Bad(FieldName(key), problem);
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<std::vector<std::string>> ObjectReader::TextList(std::string_view key, Need need, std::size_t max_items,
                                                                std::size_t max_chars) {
  const boost::json::value* v = Find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    errors_->Bad(FieldName(key), "must be an array");
    return std::nullopt;
  }
  const auto& items = v->get_array();
  if (items.size() > max_items) {
    errors_->Bad(FieldName(key), "at most " + std::to_string(max_items) + " elements");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string name = FieldName(key) + "[" + std::to_string(i) + "]";
    std::string problem = items[i].is_string() ? CheckText(items[i].get_string(), max_chars, 1, false)
                                               : std::string("must be a string");
    if (!problem.empty()) {
      errors_->Bad(name, problem);
      ok = false;
    } else {
      out.emplace_back(items[i].get_string());
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::int64_t> ObjectReader::Integer(std::string_view key, Need need, std::int64_t min,
                                                  std::int64_t max) {
  const boost::json::value* v = Find(key, need);
  if (!v) return std::nullopt;
  if (v->is_uint64()) {
    errors_->Bad(FieldName(key), "is out of range");
    return std::nullopt;
  }
  if (!v->is_int64()) {
    errors_->Bad(FieldName(key), v->is_double() ? "must be an integer (or is out of range)" : "must be an integer");
    return std::nullopt;
  }
  std::int64_t n = v->get_int64();
  if (n < min || n > max) {
    errors_->Bad(FieldName(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> ObjectReader::Bool(std::string_view key, Need need) {
  const boost::json::value* v = Find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    errors_->Bad(FieldName(key), "must be true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<std::string> ObjectReader::Enum(std::string_view key, Need need, const std::vector<std::string>& values) {
  const boost::json::value* v = Find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    errors_->Bad(FieldName(key), "must be a string");
    return std::nullopt;
  }
  std::string s(v->get_string());
  for (const auto& allowed : values)
    if (s == allowed) return s;
  std::string list;
  for (const auto& allowed : values) list += (list.empty() ? "" : ", ") + allowed;
  errors_->Bad(FieldName(key), "must be one of: " + list);
  return std::nullopt;
}

std::optional<ObjectReader> ObjectReader::Object(std::string_view key, Need need) {
  const boost::json::value* v = Find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    errors_->Bad(FieldName(key), "must be an object");
    return std::nullopt;
  }
  return ObjectReader(v->get_object(), FieldName(key), *errors_);
}

std::optional<engine::FieldMap> ObjectReader::Data(std::string_view key, Need need) {
  const boost::json::value* v = Find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    errors_->Bad(FieldName(key), "must be an object");
    return std::nullopt;
  }
  const auto& o = v->get_object();
  if (o.size() > kMaxDataFields) {
    errors_->Bad(FieldName(key), "has more than " + std::to_string(kMaxDataFields) + " fields");
    return std::nullopt;
  }
  engine::FieldMap out;
  bool ok = true;
  for (const auto& kv : o) {
    std::string name = FieldName(key) + "." + std::string(kv.key());
    if (kv.key().empty() || kv.key().size() > kMaxDataKeyBytes ||
        !CheckText(kv.key(), kMaxDataKeyBytes, 1, false).empty()) {
      errors_->Bad(FieldName(key), "has an invalid field name");
      ok = false;
      continue;
    }
    const auto& fv = kv.value();
    if (fv.is_bool()) {
      out[std::string(kv.key())] = fv.get_bool();
    } else if (fv.is_int64()) {
      out[std::string(kv.key())] = fv.get_int64();
    } else if (fv.is_string()) {
      std::string problem = CheckText(fv.get_string(), engine::kMaxTextFieldBytes, 0, true);
      if (!problem.empty() || fv.get_string().size() > engine::kMaxTextFieldBytes) {
        errors_->Bad(name, problem.empty() ? "is too long" : problem);
        ok = false;
        continue;
      }
      out[std::string(kv.key())] = std::string(fv.get_string());
    } else {
      errors_->Bad(name, fv.is_uint64() || fv.is_double() ? "must be a whole number within range, text or a boolean"
                                                          : "must be text, an integer or a boolean");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

void ObjectReader::Finish() {
  for (const auto& kv : *object_)
    if (!known_.count(kv.key())) errors_->Bad(FieldName(kv.key()), "unknown field");
}

}  // namespace casus::api::handlers

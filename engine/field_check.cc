#include "engine/field_check.h"

#include <algorithm>

namespace casus::engine {
namespace {

// Empty when `value` fits `spec`, else why not.
std::string TypeProblem(const FieldSpec& spec, const FieldValue& value) {
  const std::string* text = std::get_if<std::string>(&value);
  switch (spec.type) {
    case FieldType::kBool:
      return std::holds_alternative<bool>(value) ? "" : "must be true or false";
    case FieldType::kInteger:
      return std::holds_alternative<std::int64_t>(value) ? "" : "must be a whole number";
    case FieldType::kText:
      if (!text) return "must be text";
      if (text->empty()) return "must not be empty";
      if (text->size() > kMaxTextFieldBytes) return "is longer than " + std::to_string(kMaxTextFieldBytes) + " bytes";
      return "";
    case FieldType::kDate:
      return text && ParseDate(*text) ? "" : "must be a date (YYYY-MM-DD)";
    case FieldType::kDateTime:
      return text && ParseRfc3339(*text) ? "" : "must be a date and time (RFC 3339, e.g. 2026-11-23T14:00:00Z)";
    case FieldType::kEnum:
      if (text && std::find(spec.values.begin(), spec.values.end(), *text) != spec.values.end()) return "";
      {
        std::string allowed;
        for (const auto& v : spec.values) allowed += (allowed.empty() ? "" : ", ") + v;
        return "must be one of: " + allowed;
      }
  }
  return "has an unknown type";
}

}  // namespace

std::vector<FieldError> CheckFields(const std::vector<FieldSpec>& specs, const FieldMap& data) {
  std::vector<FieldError> errors;
  for (const auto& spec : specs) {
    auto it = data.find(spec.name);
    if (it == data.end()) {
      if (!spec.optional) errors.push_back({spec.name, "is required"});
      continue;
    }
    if (std::string problem = TypeProblem(spec, it->second); !problem.empty())
      errors.push_back({spec.name, std::move(problem)});
  }
  for (const auto& entry : data) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string& name = entry.first;
    bool declared = std::any_of(specs.begin(), specs.end(), [&](const FieldSpec& s) { return s.name == name; });
    if (!declared) errors.push_back({name, "is not a field of this step"});
  }
  return errors;
}

}  // namespace casus::engine

#include "engine/definition.h"

namespace casus::engine {

const char* FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kText: return "text";
    case FieldType::kBool: return "bool";
    case FieldType::kInteger: return "integer";
    case FieldType::kDate: return "date";
    case FieldType::kDateTime: return "datetime";
    case FieldType::kEnum: return "enum";
  }
  return "text";
}

std::optional<FieldType> ParseFieldType(std::string_view name) {
  for (FieldType t : {FieldType::kText, FieldType::kBool, FieldType::kInteger, FieldType::kDate,
                      FieldType::kDateTime, FieldType::kEnum}) {
    if (name == FieldTypeName(t)) return t;
  }
  return std::nullopt;
}

const StateSpec* WorkflowDefinition::FindState(std::string_view id) const {
  for (const auto& s : states)
    if (s.id == id) return &s;
  return nullptr;
}

const TransitionSpec* WorkflowDefinition::FindTransition(std::string_view name) const {
  for (const auto& t : transitions)
    if (t.name == name) return &t;
  return nullptr;
}

const DeadlineSpec* WorkflowDefinition::FindDeadline(std::string_view id) const {
  for (const auto& d : deadlines)
    if (d.id == id) return &d;
  return nullptr;
}

int WorkflowDefinition::LevelIndex(std::string_view id) const {
  for (size_t i = 0; i < levels.size(); ++i)
    if (levels[i].id == id) return static_cast<int>(i);
  return -1;
}

const StateSpec* WorkflowDefinition::InitialState() const {
  for (const auto& s : states)
    if (s.initial) return &s;
  return nullptr;
}

}  // namespace casus::engine

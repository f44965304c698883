// GET /api/v1/workflows and /api/v1/workflows/{type}/{version}: the loaded
// workflow definitions, in one JSON form, for the pages that label and draw
// case types. Definitions only, no case data: any authenticated user, not
// audited.
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"
#include "engine/registry.h"

namespace casus::api::handlers {
namespace {

boost::json::array WorkflowVersions(const std::vector<int>& versions) {
  boost::json::array out;
  for (int v : versions) out.push_back(v);
  return out;
}

boost::json::array WorkflowFields(const std::vector<engine::FieldSpec>& fields) {
  boost::json::array out;
  for (const auto& f : fields) out.push_back(FieldSpecJson(f));
  return out;
}

// {change: raise|lower|set, level?}; null when the transition keeps the level.
boost::json::value WorkflowLevelChange(const engine::LevelChange& change) {
  switch (change.kind) {
    case engine::LevelChange::Kind::kNone: return nullptr;
    case engine::LevelChange::Kind::kRaise: return boost::json::object{{"change", "raise"}};
    case engine::LevelChange::Kind::kLower: return boost::json::object{{"change", "lower"}};
    case engine::LevelChange::Kind::kSet: return boost::json::object{{"change", "set"}, {"level", change.level}};
  }
  return nullptr;
}

boost::json::object WorkflowTransitionJson(const engine::TransitionSpec& t) {
  return {{"name", t.name},
          {"label", t.label},
          {"from", Strings(t.from)},
          {"to", t.to.empty() ? boost::json::value(nullptr) : boost::json::value(t.to)},
          {"roles", Strings(t.roles)},
          {"org_types", Strings(t.org_types)},
          {"fields", WorkflowFields(t.fields)},
          {"level", WorkflowLevelChange(t.level)}};
}

const char* WorkflowDeadlineKind(engine::DeadlineSpec::Kind kind) {
  switch (kind) {
    case engine::DeadlineSpec::Kind::kLegal: return "legal";
    case engine::DeadlineSpec::Kind::kMilestone: return "milestone";
    case engine::DeadlineSpec::Kind::kNorm: return "norm";
  }
  return "legal";
}

boost::json::object WorkflowDeadlineJson(const engine::DeadlineSpec& d) {
  boost::json::object start;
  if (d.start_on_open) start["on_open"] = true;
  if (!d.start_on_enter.empty()) start["on_enter"] = Strings(d.start_on_enter);
  if (!d.start_on_transition.empty()) start["on_transition"] = Strings(d.start_on_transition);
  boost::json::object o{{"id", d.id},
                        {"label", d.label},
                        {"legal_basis", d.legal_basis},
                        {"kind", WorkflowDeadlineKind(d.kind)},
                        {"duration", d.duration.ToString()},
                        {"atw", d.atw},
                        {"start", std::move(start)},
                        {"cleared_by", Strings(d.cleared_by)}};
  if (d.longer_when_field && d.longer_duration)
    o["longer"] = boost::json::object{{"when", *d.longer_when_field}, {"duration", d.longer_duration->ToString()}};
  // Who may suspend the term (opschorting); null: nobody may.
  o["suspendable"] = nullptr;
  if (d.suspendable) o["suspendable"] = boost::json::object{{"roles", Strings(d.suspendable->roles)}};
  return o;
}

boost::json::object WorkflowAgendaRulesJson(const engine::AgendaRules& rules) {
  return {{"new_states", Strings(rules.new_states)},
          {"awaiting_states", Strings(rules.awaiting_states)},
          {"review_deadlines", Strings(rules.review_deadlines)}};
}

// null when the type has no overleg rules; region_wide null when the
// region-wide casusoverleg follows the municipal rules.
boost::json::value WorkflowOverlegJson(const std::optional<engine::OverlegSpec>& overleg) {
  if (!overleg) return nullptr;
  boost::json::object o = WorkflowAgendaRulesJson(overleg->local);
  o["cadence_days"] = overleg->cadence_days;
  o["region_wide"] = overleg->region_wide ? boost::json::value(WorkflowAgendaRulesJson(*overleg->region_wide))
                                          : boost::json::value(nullptr);
  return o;
}

// `versions`: every loaded version of the type, ascending, so that a page
// can offer the older ones cases are still pinned to.
boost::json::object WorkflowJson(const engine::WorkflowDefinition& def, const engine::DefinitionRegistry& registry) {
  boost::json::array states, levels, transitions, deadlines;
  for (const auto& s : def.states)
    states.push_back(boost::json::object{{"id", s.id}, {"label", s.label}, {"initial", s.initial}, {"terminal", s.terminal}});
  for (const auto& l : def.levels) levels.push_back(boost::json::object{{"id", l.id}, {"label", l.label}});
  for (const auto& t : def.transitions) transitions.push_back(WorkflowTransitionJson(t));
  for (const auto& d : def.deadlines) deadlines.push_back(WorkflowDeadlineJson(d));
  return {{"id", def.id},
          {"version", def.version},
          {"versions", WorkflowVersions(registry.Versions(def.id))},
          {"label", def.label},
          {"subject_bsn", def.subject_bsn},
          {"states", std::move(states)},
          {"levels", std::move(levels)},
          {"initial_level", def.initial_level},
          {"transitions", std::move(transitions)},
          {"deadlines", std::move(deadlines)},
          {"open", boost::json::object{{"roles", Strings(def.open.roles)},
                                       {"org_types", Strings(def.open.org_types)},
                                       {"fields", WorkflowFields(def.open.fields)}}},
          {"overleg", WorkflowOverlegJson(def.overleg)},
          {"report_outcome", def.report_outcome
                                 ? boost::json::value(boost::json::object{{"told_when", def.report_outcome->told_when}})
                                 : boost::json::value(nullptr)},
          {"suggest_for", boost::json::object{{"categories", Strings(def.suggest_for.categories)},
                                              {"incident_codes", Strings(def.suggest_for.incident_codes)}}}};
}

// The loaded case types (the latest version of each, by id) with everything
// a page or a diagram needs: labels of the type, states, levels,
// transitions, deadlines and fields; the transition graph; deadline terms;
// overleg rules; who is told a report's outcome. No case data.
HttpResponse ListWorkflows(const engine::DefinitionRegistry& registry) {
  boost::json::array out;
  for (const auto* def : registry.LatestOfEach()) out.push_back(WorkflowJson(*def, registry));
  return JsonResponse(200, boost::json::object{{"workflows", std::move(out)}});
}

// A version in a path: a positive whole number that fits an int ("01" is 1).
std::optional<int> ParseWorkflowVersion(const std::string& text) {
  int version = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, version);
  if (ec != std::errc() || ptr != end || version < 1) return std::nullopt;
  return version;
}

// One definition, any loaded version: the one a case is pinned to may be
// older than the latest the list serves.
HttpResponse WorkflowVersion(const engine::DefinitionRegistry& registry, const std::string& type,
                             const std::string& version_text) {
  const std::optional<int> version = ParseWorkflowVersion(version_text);
  if (!version) return ProblemResponse(FieldProblem("version", "must be a positive whole number"));
  const engine::WorkflowDefinition* def = registry.Find(type, *version);
  if (!def) return NotFoundProblem();
  return JsonResponse(200, WorkflowJson(*def, registry));
}

}  // namespace

void RegisterWorkflowRoutes(Routes& routes, HandlerEnv& env) {
  const engine::DefinitionRegistry* registry = &env.registry;
  routes.Authed("GET", "/api/v1/workflows", [registry](const AuthedCall&) { return ListWorkflows(*registry); });
  routes.Authed("GET", "/api/v1/workflows/{type}/{version}", [registry](const AuthedCall& c) {
    return WorkflowVersion(*registry, c.params.at("type"), c.params.at("version"));
  });
}

}  // namespace casus::api::handlers

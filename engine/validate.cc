#include "engine/validate.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <string_view>

#include "engine/guards.h"
#include "engine/vocabulary.h"

namespace casus::engine {

std::string DefinitionError::ToString() const { return file + ": " + path + ": " + message; }

namespace {

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

bool Contains(const std::vector<std::string>& v, std::string_view s) { return std::ranges::find(v, s) != v.end(); }

// Field names become keys in stored case data and API payloads: keep them
// to one predictable shape.
bool IsValidFieldName(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  return std::ranges::all_of(name, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::optional<int> ParseInt(std::string_view s) {
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Walks the definition once per concern; every check appends to errors_ and
// carries on, so that one run reports everything.
class Validator {
 public:
  explicit Validator(const WorkflowDefinition& def) : def_(def) { CollectDeclaredFields(); }

  std::vector<DefinitionError> Run() {
    CheckHeader();
    CheckLevels();
    CheckStates();
    CheckOpen();
    CheckTransitions();
    CheckDeadlines();
    CheckHandlingNorms();
    CheckOverleg();
    CheckReportOutcome();
    CheckSuggestions();
    CheckReachability();
    CheckDeadEnds();
    return std::move(errors_);
  }

 private:
  void Error(std::string path, std::string message) {
    errors_.push_back({def_.source_file, std::move(path), std::move(message)});
  }

  // Reports empty and repeated ids; `id_of` projects an item onto its id.
  template <typename T, typename IdOf>
  void CheckIds(const std::vector<T>& items, const std::string& list_path, std::string_view key, std::string_view what,
                IdOf id_of) {
    std::map<std::string, size_t> first_seen;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string& id = id_of(items[i]);
      const std::string path = Index(list_path, i) + "." + std::string(key);
      if (id.empty()) {
        Error(path, std::string(what) + " without " + std::string(key));
        continue;
      }
      auto [it, inserted] = first_seen.emplace(id, i);
      if (!inserted) Error(path, "duplicate " + std::string(what) + " " + Quote(id) + " (first at " + Index(list_path, it->second) + ")");
    }
  }

  void CheckKnownStates(const std::vector<std::string>& states, const std::string& list_path) {
    for (size_t i = 0; i < states.size(); ++i)
      if (!def_.FindState(states[i])) Error(Index(list_path, i), "unknown state " + Quote(states[i]));
  }

  void CheckHeader() {
    if (!IsValidCaseTypeId(def_.id))
      Error("id", "invalid case type " + Quote(def_.id) + " (expected a lowercase identifier [a-z][a-z0-9_]{0,31})");
    if (def_.version < 1) Error("version", "must be at least 1, got " + std::to_string(def_.version));
  }

  void CheckLevels() {
    if (def_.levels.empty()) Error("levels", "at least one level is required");
    CheckIds(def_.levels, "levels", "id", "level", [](const LevelSpec& l) -> const std::string& { return l.id; });
    if (!def_.initial_level.empty() && def_.LevelIndex(def_.initial_level) < 0)
      Error("initial_level", "unknown level " + Quote(def_.initial_level));
  }

  void CheckStates() {
    CheckIds(def_.states, "states", "id", "state", [](const StateSpec& s) -> const std::string& { return s.id; });
    std::optional<size_t> first_initial;
    for (size_t i = 0; i < def_.states.size(); ++i) {
      if (!def_.states[i].initial) continue;
      if (first_initial)
        Error(Index("states", i) + ".initial",
              "second initial state (the first is " + Quote(def_.states[*first_initial].id) + ")");
      else
        first_initial = i;
    }
    if (!first_initial) Error("states", "no initial state (mark exactly one with initial: true)");
  }

  void CheckRoles(const std::vector<std::string>& roles, const std::string& path) {
    if (roles.empty()) Error(path, "at least one role is required");
    for (size_t i = 0; i < roles.size(); ++i)
      if (!IsKnownRole(roles[i])) Error(Index(path, i), "unknown role " + Quote(roles[i]));
  }

  void CheckOrgTypes(const std::vector<std::string>& org_types, const std::string& path) {
    for (size_t i = 0; i < org_types.size(); ++i)
      if (!IsKnownOrgType(org_types[i])) Error(Index(path, i), "unknown organisation type " + Quote(org_types[i]));
  }

  void CheckFields(const std::vector<FieldSpec>& fields, const std::string& path) {
    CheckIds(fields, path, "name", "field", [](const FieldSpec& f) -> const std::string& { return f.name; });
    for (size_t i = 0; i < fields.size(); ++i) {
      const FieldSpec& f = fields[i];
      const std::string field_path = Index(path, i);
      if (!f.name.empty() && !IsValidFieldName(f.name))
        Error(field_path + ".name", "invalid field name " + Quote(f.name) + " (expected [a-z][a-z0-9_]*)");
      if (f.type == FieldType::kEnum && f.values.empty())
        Error(field_path + ".values", "enum field " + Quote(f.name) + " needs at least one value");
      if (f.type != FieldType::kEnum && !f.values.empty())
        Error(field_path + ".values", "values are only allowed on enum fields");
    }
  }

  void CheckOpen() {
    CheckRoles(def_.open.roles, "open.roles");
    CheckOrgTypes(def_.open.org_types, "open.org_types");
    CheckFields(def_.open.fields, "open.requires");
    CheckGuards(def_.open.guards, "open.guards");
  }

  void CheckTransitions() {
    CheckIds(def_.transitions, "transitions", "name", "transition",
             [](const TransitionSpec& t) -> const std::string& { return t.name; });
    for (size_t i = 0; i < def_.transitions.size(); ++i) CheckTransition(def_.transitions[i], Index("transitions", i));
  }

  void CheckTransition(const TransitionSpec& t, const std::string& path) {
    if (t.from.empty()) Error(path + ".from", "at least one state is required");
    CheckKnownStates(t.from, path + ".from");
    for (size_t i = 0; i < t.from.size(); ++i) {
      const StateSpec* s = def_.FindState(t.from[i]);
      if (s && s->terminal) Error(Index(path + ".from", i), "transition out of terminal state " + Quote(s->id));
    }
    if (!t.to.empty() && !def_.FindState(t.to)) Error(path + ".to", "unknown state " + Quote(t.to));
    CheckRoles(t.roles, path + ".roles");
    CheckOrgTypes(t.org_types, path + ".org_types");
    CheckFields(t.fields, path + ".requires");
    CheckGuards(t.guards, path + ".guards");
    CheckLevelChange(t.level, path + ".level");
  }

  void CheckLevelChange(const LevelChange& change, const std::string& path) {
    switch (change.kind) {
      case LevelChange::Kind::kNone: break;
      case LevelChange::Kind::kRaise:
      case LevelChange::Kind::kLower:
        // With a single level there is nowhere to go: the author meant something else.
        if (def_.levels.size() < 2) Error(path, "raise/lower needs at least two levels");
        break;
      case LevelChange::Kind::kSet:
        if (def_.LevelIndex(change.level) < 0) Error(path + ".set", "unknown level " + Quote(change.level));
        break;
    }
  }

  void CheckGuards(const std::vector<GuardSpec>& guards, const std::string& path) {
    for (size_t i = 0; i < guards.size(); ++i) {
      const GuardSpec& g = guards[i];
      const std::string guard_path = Index(path, i);
      const GuardInfo* info = FindGuard(g.name);
      if (!info) {
        Error(guard_path + ".name", "unknown guard " + Quote(g.name));
        continue;
      }
      if (CheckGuardArgShape(g, *info, guard_path)) CheckGuardArgValues(g, guard_path);
    }
  }

  // Unknown, missing and wrongly-counted arguments. True when the argument
  // values can be looked at.
  bool CheckGuardArgShape(const GuardSpec& g, const GuardInfo& info, const std::string& path) {
    bool ok = true;
    for (const auto& [name, values] : g.args) {
      const auto spec = std::ranges::find(info.args, name, &GuardArgSpec::name);
      if (spec == info.args.end()) {
        Error(path + "." + name, "unknown argument " + Quote(name) + " for guard " + Quote(g.name));
        ok = false;
      } else if (!spec->list && values.size() != 1) {
        Error(path + "." + name, "argument " + Quote(name) + " takes exactly one value");
        ok = false;
      } else if (spec->list && values.empty()) {
        Error(path + "." + name, "argument " + Quote(name) + " needs at least one value");
        ok = false;
      }
    }
    for (const GuardArgSpec& spec : info.args) {
      if (spec.required && !g.args.contains(std::string(spec.name))) {
        Error(path + "." + std::string(spec.name),
              "missing argument " + Quote(spec.name) + " for guard " + Quote(g.name));
        ok = false;
      }
    }
    return ok;
  }

  void CheckGuardArgValues(const GuardSpec& g, const std::string& path) {
    if (g.name == "prior_transition") {
      const auto& names = g.args.at("any_of");
      for (size_t i = 0; i < names.size(); ++i)
        if (!def_.FindTransition(names[i])) Error(Index(path + ".any_of", i), "unknown transition " + Quote(names[i]));
    } else if (g.name == "deadline_passed" || g.name == "deadline_running") {
      const std::string& id = g.args.at("deadline").front();
      if (!def_.FindDeadline(id)) Error(path + ".deadline", "unknown deadline " + Quote(id));
    } else if (g.name == "subject_age") {
      CheckSubjectAgeArgs(g, path);
    } else if (g.name == "all_true" || g.name == "any_present") {
      CheckGuardFields(g, path);
    }
  }

  void CheckSubjectAgeArgs(const GuardSpec& g, const std::string& path) {
    const std::string& at = g.args.at("at").front();
    if (at != "registration" && at != "now") Error(path + ".at", "expected registration or now, got " + Quote(at));
    std::optional<int> bounds[2];
    const char* names[2] = {"min", "max_below"};
    for (int i = 0; i < 2; ++i) {
      auto it = g.args.find(names[i]);
      if (it == g.args.end()) continue;
      bounds[i] = ParseInt(it->second.front());
      if (!bounds[i] || *bounds[i] < 0) {
        Error(path + "." + names[i], "expected a non-negative whole number of years, got " + Quote(it->second.front()));
        bounds[i].reset();
      }
    }
    if (!g.args.contains("min") && !g.args.contains("max_below"))
      Error(path, "subject_age needs min or max_below");
    if (bounds[0] && bounds[1] && *bounds[0] >= *bounds[1])
      Error(path + ".max_below", "max_below must be greater than min");
  }

  // A guard over fields nobody can ever record would never pass.
  void CheckGuardFields(const GuardSpec& g, const std::string& path) {
    const bool bool_only = g.name == "all_true";
    const auto& fields = g.args.at("fields");
    for (size_t i = 0; i < fields.size(); ++i) {
      auto it = declared_fields_.find(fields[i]);
      if (it == declared_fields_.end())
        Error(Index(path + ".fields", i), "unknown field " + Quote(fields[i]) + " (not required anywhere in this workflow)");
      else if (bool_only && it->second != FieldType::kBool)
        Error(Index(path + ".fields", i), "field " + Quote(fields[i]) + " is not a bool field");
    }
  }

  void CheckDeadlines() {
    CheckIds(def_.deadlines, "deadlines", "id", "deadline", [](const DeadlineSpec& d) -> const std::string& { return d.id; });
    for (size_t i = 0; i < def_.deadlines.size(); ++i) CheckDeadline(def_.deadlines[i], Index("deadlines", i));
  }

  void CheckDeadline(const DeadlineSpec& d, const std::string& path) {
    // Every term must be traceable to a law or an explicit agreement.
    if (d.legal_basis.empty()) Error(path + ".legal_basis", "must not be empty (name the article or \"werkafspraak\")");
    if (d.duration.amount <= 0) Error(path + ".duration", "must be a positive duration");
    CheckLonger(d, path);
    CheckAtw(d, path);
    const int starts = (d.start_on_open ? 1 : 0) + (d.start_on_enter.empty() ? 0 : 1) + (d.start_on_transition.empty() ? 0 : 1);
    if (starts != 1) Error(path + ".start", "exactly one of on_open, on_enter, on_transition is required");
    CheckKnownStates(d.start_on_enter, path + ".start.on_enter");
    for (size_t i = 0; i < d.start_on_transition.size(); ++i)
      if (!def_.FindTransition(d.start_on_transition[i]))
        Error(Index(path + ".start.on_transition", i), "unknown transition " + Quote(d.start_on_transition[i]));
    CheckKnownStates(d.cleared_by, path + ".cleared_by");
    if (d.due_soon && d.due_soon->amount <= 0) Error(path + ".due_soon", "must be a positive duration");
    for (size_t i = 0; i < d.on_overdue.size(); ++i) CheckConsequence(d.on_overdue[i], Index(path + ".on_overdue", i));
    if (d.suspendable) CheckRoles(d.suspendable->roles, path + ".suspendable.roles");
  }

  // A consequence runs unattended as the system actor: it must name
  // something that exists and that the system may do.
  void CheckConsequence(const OverdueConsequence& c, const std::string& path) {
    if (c.kind == OverdueConsequence::Kind::kNotify) {
      if (c.target != "coordinator")
        Error(path + ".notify", "expected coordinator, got " + Quote(c.target));
      return;
    }
    const TransitionSpec* t = def_.FindTransition(c.target);
    if (!t)
      Error(path + ".take", "unknown transition " + Quote(c.target));
    else if (!Contains(t->roles, "system"))
      Error(path + ".take", "transition " + Quote(c.target) + " does not admit role \"system\"");
  }

  // The Algemene termijnenwet extends statutory terms of days (art. 1 Atw);
  // anything else marked with it would silently not move, so it is refused.
  void CheckAtw(const DeadlineSpec& d, const std::string& path) {
    if (!d.atw) return;
    if (d.kind == DeadlineSpec::Kind::kNorm)
      Error(path + ".atw", "the Algemene termijnenwet applies to statutory terms, not to a norm (werkafspraak)");
    std::vector<DurationSpec> durations = {d.duration};
    if (d.longer_duration) durations.push_back(*d.longer_duration);
    for (const DurationSpec& duration : durations) {
      if (duration.unit == DurationSpec::Unit::kHours) {
        Error(path + ".atw", "terms in hours are not extended by the Algemene termijnenwet");
        return;
      }
      if (duration.unit == DurationSpec::Unit::kWorkingDays) {
        Error(path + ".atw",
              "a term in working days already skips weekends and holidays; atw is for calendar days and weeks");
        return;
      }
    }
  }

  void CheckLonger(const DeadlineSpec& d, const std::string& path) {
    if (d.longer_when_field.has_value() != d.longer_duration.has_value()) {
      Error(path + ".longer", "a longer term needs both when and duration");
      return;
    }
    if (!d.longer_when_field) return;
    auto it = declared_fields_.find(*d.longer_when_field);
    if (it == declared_fields_.end() || it->second != FieldType::kBool)
      Error(path + ".longer.when", "unknown bool field " + Quote(*d.longer_when_field));
    if (d.longer_duration->amount <= 0) Error(path + ".longer.duration", "must be a positive duration");
  }

  void CheckHandlingNorms() {
    CheckIds(def_.handling_norms, "handling_norms", "category", "handling norm",
             [](const HandlingNorm& n) -> const std::string& { return n.category; });
    for (size_t i = 0; i < def_.handling_norms.size(); ++i)
      if (def_.handling_norms[i].duration.amount <= 0)
        Error(Index("handling_norms", i) + ".duration", "must be a positive duration");
  }

  void CheckOverleg() {
    if (!def_.overleg) return;
    const OverlegSpec& o = *def_.overleg;
    if (o.cadence_days < 1 || o.cadence_days > 366)
      Error("overleg.cadence_days", "must be between 1 and 366 days, got " + std::to_string(o.cadence_days));
    CheckAgendaRules(o.local, "overleg");
    if (o.region_wide) CheckAgendaRules(*o.region_wide, "overleg.region_wide");
  }

  void CheckAgendaRules(const AgendaRules& rules, const std::string& path) {
    CheckKnownStates(rules.new_states, path + ".new_states");
    CheckKnownStates(rules.awaiting_states, path + ".awaiting_states");
    for (size_t i = 0; i < rules.review_deadlines.size(); ++i)
      if (!def_.FindDeadline(rules.review_deadlines[i]))
        Error(Index(path + ".review_deadlines", i), "unknown deadline " + Quote(rules.review_deadlines[i]));
    // A state in both lists would make the agenda's reason depend on list order.
    for (size_t i = 0; i < rules.awaiting_states.size(); ++i)
      if (Contains(rules.new_states, rules.awaiting_states[i]))
        Error(Index(path + ".awaiting_states", i),
              "state " + Quote(rules.awaiting_states[i]) + " is already in new_states");
  }

  // Telling a melder the outcome is a disclosure: it must hang on a fact the
  // workflow actually records, as a yes/no.
  void CheckReportOutcome() {
    if (!def_.report_outcome) return;
    const std::string& field = def_.report_outcome->told_when;
    auto it = declared_fields_.find(field);
    if (it == declared_fields_.end())
      Error("report_outcome.told_when", "unknown field " + Quote(field) + " (not required anywhere in this workflow)");
    else if (it->second != FieldType::kBool)
      Error("report_outcome.told_when", "field " + Quote(field) + " is not a bool field");
  }

  void CheckSuggestions() {
    const SuggestionSpec& s = def_.suggest_for;
    for (size_t i = 0; i < s.categories.size(); ++i)
      if (!IsValidFieldName(s.categories[i]))
        Error(Index("suggest_for.categories", i),
              "invalid report category " + Quote(s.categories[i]) + " (expected [a-z][a-z0-9_]*)");
    for (size_t i = 0; i < s.incident_codes.size(); ++i) {
      const std::string& code = s.incident_codes[i];
      const bool ok = !code.empty() && code.size() <= 16 &&
                      std::ranges::all_of(code, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
      if (!ok) Error(Index("suggest_for.incident_codes", i), "invalid incident code " + Quote(code) + " (expected letters and digits, e.g. E33)");
    }
  }

  // Breadth-first over from→to edges; a transition without `to` keeps the
  // case where it is and so reaches nothing new.
  void CheckReachability() {
    const StateSpec* initial = def_.InitialState();
    if (!initial || std::ranges::count_if(def_.states, &StateSpec::initial) != 1) return;  // reported above
    std::set<std::string> reached = {initial->id};
    std::vector<std::string> frontier = {initial->id};
    while (!frontier.empty()) {
      const std::string state = frontier.back();
      frontier.pop_back();
      for (const TransitionSpec& t : def_.transitions)
        if (!t.to.empty() && Contains(t.from, state) && reached.insert(t.to).second) frontier.push_back(t.to);
    }
    for (size_t i = 0; i < def_.states.size(); ++i)
      if (!def_.states[i].id.empty() && !reached.contains(def_.states[i].id))
        Error(Index("states", i), "state " + Quote(def_.states[i].id) + " is unreachable from the initial state");
  }

  void CheckDeadEnds() {
    for (size_t i = 0; i < def_.states.size(); ++i) {
      const StateSpec& s = def_.states[i];
      if (s.terminal || s.id.empty()) continue;
      const bool has_exit = std::ranges::any_of(def_.transitions, [&](const TransitionSpec& t) {
        return !t.to.empty() && t.to != s.id && Contains(t.from, s.id);
      });
      if (!has_exit)
        Error(Index("states", i), "non-terminal state " + Quote(s.id) + " has no transition to another state");
    }
  }

  // Fields a case can carry: whatever opening or any transition requires.
  void CollectDeclaredFields() {
    for (const FieldSpec& f : def_.open.fields) declared_fields_.emplace(f.name, f.type);
    for (const TransitionSpec& t : def_.transitions)
      for (const FieldSpec& f : t.fields) declared_fields_.emplace(f.name, f.type);
  }

  const WorkflowDefinition& def_;
  std::map<std::string, FieldType> declared_fields_;
  std::vector<DefinitionError> errors_;
};

}  // namespace

std::vector<DefinitionError> ValidateDefinition(const WorkflowDefinition& def) { return Validator(def).Run(); }

}  // namespace casus::engine

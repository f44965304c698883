#include "loader/workflow_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "loader/yaml_document.h"

namespace casus::engine {
namespace {

// Paths for problems that concern the file as a whole rather than a key in it.
constexpr const char* kDocumentPath = "(document)";
constexpr const char* kFilePath = "(file)";
constexpr const char* kDirectoryPath = "(directory)";

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::string LineSuffix(const YAML::Mark& mark) {
  return mark.is_null() ? "" : " (line " + std::to_string(mark.line + 1) + ")";
}

// True when one path lies inside the other (or they are equal), e.g.
// "states" and "states[2].initial".
bool OnSameBranch(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  return b.starts_with(a) && (b.size() == a.size() || b[a.size()] == '.' || b[a.size()] == '[');
}

// Whether an unread value at `path` could change which states exist or how
// transitions connect them (the input of the reachability and dead-end checks).
bool AffectsStateGraph(const std::string& path) {
  std::string shape;  // the path with list indices dropped: "transitions[].from[]"
  bool in_index = false;
  for (char c : path) {
    if (c == '[') in_index = true;
    if (!in_index) shape += c;
    if (c == ']') {
      in_index = false;
      shape += "[]";
    }
  }
  for (std::string_view graph_path : {"states[].id", "states[].initial", "states[].terminal", "transitions[].from",
                                      "transitions[].to"})
    if (OnSameBranch(shape, graph_path)) return true;
  return false;
}

// The path with its last ".key" or "[n]" removed; empty at the top.
std::string ParentPath(const std::string& path) {
  const size_t cut = path.find_last_of(".[");
  return cut == std::string::npos ? "" : path.substr(0, cut);
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

struct KeySpec {
  std::string_view name;
  bool required;
};

// Keys per section, as in docs/workflow-format.md.
constexpr KeySpec kTopKeys[] = {{"id", true},         {"version", true},      {"label", true},
                                {"levels", true},     {"initial_level", false}, {"states", true},
                                {"open", true},       {"transitions", true},  {"deadlines", false},
                                {"handling_norms", false}, {"subject_bsn", false},
                                {"overleg", false},  {"report_outcome", false}, {"suggest_for", false}};
constexpr KeySpec kLevelKeys[] = {{"id", true}, {"label", true}};
constexpr KeySpec kStateKeys[] = {{"id", true}, {"label", true}, {"initial", false}, {"terminal", false}};
constexpr KeySpec kOpenKeys[] = {{"roles", true}, {"org_types", false}, {"requires", false}, {"guards", false}};
constexpr KeySpec kTransitionKeys[] = {{"name", true},      {"label", true},     {"from", true},
                                       {"to", false},       {"roles", true},     {"org_types", false},
                                       {"requires", false}, {"guards", false},   {"level", false}};
constexpr KeySpec kFieldKeys[] = {{"name", true}, {"type", true}, {"values", false}, {"label", false}, {"optional", false}};
constexpr KeySpec kDeadlineKeys[] = {{"id", true},       {"label", true},  {"legal_basis", true}, {"kind", false},
                                     {"duration", true}, {"longer", false}, {"start", true},      {"anchor", false},
                                     {"cleared_by", true}, {"due_soon", false}, {"on_overdue", false},
                                     {"atw", false}, {"suspendable", false}};
constexpr KeySpec kSuspendableKeys[] = {{"roles", true}};
constexpr KeySpec kConsequenceKeys[] = {{"take", false}, {"notify", false}};
constexpr KeySpec kLongerKeys[] = {{"when", true}, {"duration", true}};
constexpr KeySpec kStartKeys[] = {{"on_open", false}, {"on_enter", false}, {"on_transition", false}};
constexpr KeySpec kLevelSetKeys[] = {{"set", true}};
constexpr KeySpec kHandlingNormKeys[] = {{"category", true}, {"duration", true}};
constexpr KeySpec kOverlegKeys[] = {{"cadence_days", true},     {"new_states", false},
                                    {"awaiting_states", false}, {"review_deadlines", false},
                                    {"region_wide", false}};
constexpr KeySpec kRegionWideKeys[] = {{"new_states", false}, {"awaiting_states", false}, {"review_deadlines", false}};
constexpr KeySpec kReportOutcomeKeys[] = {{"told_when", true}};
constexpr KeySpec kSuggestionKeys[] = {{"categories", false}, {"incident_codes", false}};

// Turns one YAML document into a WorkflowDefinition, recording every
// structural problem. Where a value cannot be read it leaves a default in
// place (and keeps list positions) so that later paths stay correct.
class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  WorkflowDefinition Parse(const YAML::Node& root) {
    WorkflowDefinition def;
    def.source_file = file_;
    Remember("", root);
    if (!root.IsMap()) {
      Error(kDocumentPath, "expected a map of workflow keys", root);
      return def;
    }
    CheckKeys(root, "", kTopKeys);
    ReadString(root, "", "id", def.id);
    ReadInt(root, "", "version", def.version);
    ReadString(root, "", "label", def.label);
    ReadList(root, "", "levels", def.levels, &Parser::ParseLevel);
    ReadString(root, "", "initial_level", def.initial_level);
    if (def.initial_level.empty() && !def.levels.empty()) def.initial_level = def.levels.front().id;
    ReadList(root, "", "states", def.states, &Parser::ParseState);
    if (const YAML::Node open = Child(root, "", "open")) ParseOpen(open, "open", def.open);
    ReadList(root, "", "transitions", def.transitions, &Parser::ParseTransition);
    ReadList(root, "", "deadlines", def.deadlines, &Parser::ParseDeadline);
    ReadList(root, "", "handling_norms", def.handling_norms, &Parser::ParseHandlingNorm);
    ReadBool(root, "", "subject_bsn", def.subject_bsn);
    if (const YAML::Node overleg = Child(root, "", "overleg")) ParseOverleg(overleg, "overleg", def.overleg);
    if (const YAML::Node outcome = Child(root, "", "report_outcome"))
      ParseReportOutcome(outcome, "report_outcome", def.report_outcome);
    if (const YAML::Node suggest = Child(root, "", "suggest_for")) ParseSuggestions(suggest, "suggest_for", def.suggest_for);
    return def;
  }

  // Validation errors, minus those about data this parser already reported
  // as unreadable (they would only repeat the problem), with line numbers.
  void AddValidationErrors(std::vector<DefinitionError> semantic) {
    const bool graph_incomplete = std::ranges::any_of(lossy_paths_, AffectsStateGraph);
    for (DefinitionError& e : semantic) {
      if (std::ranges::any_of(lossy_paths_, [&](const std::string& p) { return OnSameBranch(p, e.path); })) continue;
      // Reachability and dead-end errors sit on "states[N]"; with part of
      // the state graph unread they are guesses.
      if (graph_incomplete && e.path.starts_with("states[") && e.path.back() == ']' &&
          e.path.find('.') == std::string::npos)
        continue;
      e.file = file_;
      e.message += LineSuffixFor(e.path);
      errors_.push_back(std::move(e));
    }
  }

  std::vector<DefinitionError> TakeErrors() { return std::move(errors_); }

 private:
  // `lossy`: the value was not read, so the definition lacks it.
  void Error(const std::string& path, const std::string& message, const YAML::Node& at, bool lossy = true) {
    errors_.push_back({file_, path, message + LineSuffix(at.Mark())});
    if (lossy) lossy_paths_.push_back(path);
  }

  void Remember(const std::string& path, const YAML::Node& node) {
    if (!node.Mark().is_null()) lines_.emplace(path, node.Mark().line + 1);
  }

  std::string LineSuffixFor(std::string path) const {
    for (;; path = ParentPath(path)) {
      if (auto it = lines_.find(path); it != lines_.end()) return " (line " + std::to_string(it->second) + ")";
      if (path.empty()) return "";
    }
  }

  template <size_t N>
  void CheckKeys(const YAML::Node& map, const std::string& path, const KeySpec (&keys)[N]) {
    std::set<std::string> seen;
    for (const auto& entry : map) {
      const YAML::Node& key_node = entry.first;
      const std::string key = key_node.IsScalar() ? key_node.Scalar() : "?";
      const std::string key_path = Join(path, key);
      if (!seen.insert(key).second) {
        Error(key_path, "duplicate key " + Quote(key), key_node, /*lossy=*/false);  // the first one is read
      } else if (std::ranges::find(keys, key, &KeySpec::name) == std::end(keys)) {
        Error(key_path, "unknown key " + Quote(key) + Suggestion(key, keys), key_node, /*lossy=*/false);
      }
    }
    for (const KeySpec& k : keys)
      if (k.required && !map[std::string(k.name)]) Error(Join(path, k.name), "missing required key " + Quote(k.name), map);
  }

  template <size_t N>
  static std::string Suggestion(std::string_view key, const KeySpec (&keys)[N]) {
    for (const KeySpec& k : keys)
      if (EditDistance(key, k.name) <= (k.name.size() <= 3 ? 1u : 2u)) return " (did you mean " + Quote(k.name) + "?)";
    return "";
  }

  // The value under `key`, or an undefined node when absent (CheckKeys
  // reports absent required keys).
  YAML::Node Child(const YAML::Node& map, const std::string& path, std::string_view key) {
    YAML::Node child = map[std::string(key)];
    if (child) Remember(Join(path, key), child);
    return child;
  }

  bool ScalarText(const YAML::Node& node, const std::string& path, std::string& out) {
    if (!node.IsScalar()) {
      Error(path, "expected a single value", node);
      return false;
    }
    out = node.Scalar();
    return true;
  }

  void ReadString(const YAML::Node& map, const std::string& path, std::string_view key, std::string& out) {
    if (const YAML::Node v = Child(map, path, key)) ScalarText(v, Join(path, key), out);
  }

  void ReadBool(const YAML::Node& map, const std::string& path, std::string_view key, bool& out) {
    const YAML::Node v = Child(map, path, key);
    if (!v) return;
    const std::string p = Join(path, key);
    std::string text;
    if (!ScalarText(v, p, text)) return;
    if (text == "true" || text == "True" || text == "TRUE") {
      out = true;
    } else if (text == "false" || text == "False" || text == "FALSE") {
      out = false;
    } else {
      Error(p, "expected true or false, got " + Quote(text), v);
    }
  }

  void ReadInt(const YAML::Node& map, const std::string& path, std::string_view key, int& out) {
    const YAML::Node v = Child(map, path, key);
    if (!v) return;
    const std::string p = Join(path, key);
    std::string text;
    if (!ScalarText(v, p, text)) return;
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
      Error(p, "expected a whole number, got " + Quote(text), v);
      return;
    }
    out = value;
  }

  void ReadDuration(const YAML::Node& map, const std::string& path, std::string_view key, DurationSpec& out) {
    const YAML::Node v = Child(map, path, key);
    if (!v) return;
    const std::string p = Join(path, key);
    std::string text;
    if (!ScalarText(v, p, text)) return;
    if (auto d = ParseDuration(text)) {
      out = *d;
    } else {
      Error(p, "malformed duration " + Quote(text) + " (expected e.g. 14d, 10wd, 24h, 4w)", v);
    }
  }

  // A list of scalars; a single scalar is accepted where `scalar_ok` (e.g.
  // `from: melding_ontvangen`). Unreadable items become "" to keep indices.
  void ReadStrings(const YAML::Node& map, const std::string& path, std::string_view key, std::vector<std::string>& out,
                   bool scalar_ok = false) {
    const YAML::Node v = Child(map, path, key);
    if (!v) return;
    const std::string p = Join(path, key);
    if (scalar_ok && v.IsScalar()) {
      out.push_back(v.Scalar());
      return;
    }
    if (!v.IsSequence()) {
      Error(p, scalar_ok ? "expected a value or a list" : "expected a list", v);
      return;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      Remember(Index(p, i), v[i]);
      out.emplace_back();
      ScalarText(v[i], Index(p, i), out.back());
    }
  }

  // A list of maps, each parsed by `parse_item`; non-map items stay default.
  template <typename T>
  void ReadList(const YAML::Node& map, const std::string& path, std::string_view key, std::vector<T>& out,
                void (Parser::*parse_item)(const YAML::Node&, const std::string&, T&)) {
    const YAML::Node v = Child(map, path, key);
    if (!v) return;
    const std::string p = Join(path, key);
    if (!v.IsSequence()) {
      Error(p, "expected a list", v);
      return;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      const std::string item_path = Index(p, i);
      Remember(item_path, v[i]);
      out.emplace_back();
      if (!v[i].IsMap()) {
        Error(item_path, "expected a map", v[i]);
        continue;
      }
      (this->*parse_item)(v[i], item_path, out.back());
    }
  }

  void ParseLevel(const YAML::Node& node, const std::string& path, LevelSpec& out) {
    CheckKeys(node, path, kLevelKeys);
    ReadString(node, path, "id", out.id);
    ReadString(node, path, "label", out.label);
  }

  void ParseState(const YAML::Node& node, const std::string& path, StateSpec& out) {
    CheckKeys(node, path, kStateKeys);
    ReadString(node, path, "id", out.id);
    ReadString(node, path, "label", out.label);
    ReadBool(node, path, "initial", out.initial);
    ReadBool(node, path, "terminal", out.terminal);
  }

  void ParseOpen(const YAML::Node& node, const std::string& path, OpenSpec& out) {
    if (!node.IsMap()) {
      Error(path, "expected a map", node);
      return;
    }
    CheckKeys(node, path, kOpenKeys);
    ReadStrings(node, path, "roles", out.roles);
    ReadStrings(node, path, "org_types", out.org_types);
    ReadList(node, path, "requires", out.fields, &Parser::ParseField);
    ReadList(node, path, "guards", out.guards, &Parser::ParseGuard);
  }

  void ParseTransition(const YAML::Node& node, const std::string& path, TransitionSpec& out) {
    CheckKeys(node, path, kTransitionKeys);
    ReadString(node, path, "name", out.name);
    ReadString(node, path, "label", out.label);
    ReadStrings(node, path, "from", out.from, /*scalar_ok=*/true);
    ReadString(node, path, "to", out.to);
    ReadStrings(node, path, "roles", out.roles);
    ReadStrings(node, path, "org_types", out.org_types);
    ReadList(node, path, "requires", out.fields, &Parser::ParseField);
    ReadList(node, path, "guards", out.guards, &Parser::ParseGuard);
    if (const YAML::Node level = Child(node, path, "level")) ParseLevelChange(level, Join(path, "level"), out.level);
  }

  void ParseLevelChange(const YAML::Node& node, const std::string& path, LevelChange& out) {
    if (node.IsScalar() && node.Scalar() == "raise") {
      out.kind = LevelChange::Kind::kRaise;
    } else if (node.IsScalar() && node.Scalar() == "lower") {
      out.kind = LevelChange::Kind::kLower;
    } else if (node.IsMap()) {
      CheckKeys(node, path, kLevelSetKeys);
      if (const YAML::Node set = Child(node, path, "set"); set && ScalarText(set, Join(path, "set"), out.level))
        out.kind = LevelChange::Kind::kSet;
    } else {
      Error(path, "expected raise, lower or {set: <level id>}", node);
    }
  }

  void ParseField(const YAML::Node& node, const std::string& path, FieldSpec& out) {
    CheckKeys(node, path, kFieldKeys);
    ReadString(node, path, "name", out.name);
    std::string type;
    ReadString(node, path, "type", type);
    if (!type.empty()) {
      if (auto t = ParseFieldType(type))
        out.type = *t;
      else
        Error(Join(path, "type"), "unknown field type " + Quote(type) + " (expected text, bool, integer, date, datetime or enum)",
              node["type"]);
    }
    ReadStrings(node, path, "values", out.values);
    ReadString(node, path, "label", out.label);
    ReadBool(node, path, "optional", out.optional);
  }

  // Every key but `name` is an argument; which ones a guard takes is
  // checked by ValidateDefinition against the guard registry.
  void ParseGuard(const YAML::Node& node, const std::string& path, GuardSpec& out) {
    if (!node["name"]) Error(Join(path, "name"), "missing required key \"name\"", node);
    for (const auto& entry : node) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
      const std::string key_path = Join(path, key);
      Remember(key_path, entry.second);
      if (key == "name") {
        ScalarText(entry.second, key_path, out.name);
      } else if (out.args.contains(key)) {
        Error(key_path, "duplicate key " + Quote(key), entry.first);
      } else if (entry.second.IsScalar()) {
        out.args[key] = {entry.second.Scalar()};
      } else if (entry.second.IsSequence()) {
        std::vector<std::string>& values = out.args[key];
        for (size_t i = 0; i < entry.second.size(); ++i) {
          values.emplace_back();
          ScalarText(entry.second[i], Index(key_path, i), values.back());
        }
      } else {
        Error(key_path, "expected a value or a list", entry.second);
      }
    }
  }

  void ParseDeadline(const YAML::Node& node, const std::string& path, DeadlineSpec& out) {
    CheckKeys(node, path, kDeadlineKeys);
    ReadString(node, path, "id", out.id);
    ReadString(node, path, "label", out.label);
    ReadString(node, path, "legal_basis", out.legal_basis);
    ParseDeadlineKind(node, path, out);
    ReadDuration(node, path, "duration", out.duration);
    if (const YAML::Node longer = Child(node, path, "longer")) ParseLonger(longer, Join(path, "longer"), out);
    ReadBool(node, path, "atw", out.atw);
    if (const YAML::Node start = Child(node, path, "start")) ParseStart(start, Join(path, "start"), out);
    ParseAnchor(node, path, out);
    ReadStrings(node, path, "cleared_by", out.cleared_by);
    if (node["due_soon"]) {
      DurationSpec lead;
      ReadDuration(node, path, "due_soon", lead);
      if (lead.amount > 0) out.due_soon = lead;
    }
    ReadList(node, path, "on_overdue", out.on_overdue, &Parser::ParseConsequence);
    if (const YAML::Node suspendable = Child(node, path, "suspendable"))
      ParseSuspendable(suspendable, Join(path, "suspendable"), out);
  }

  // {roles: [..]}: who may suspend and resume the term. Validation judges
  // the roles (at least one, each known).
  void ParseSuspendable(const YAML::Node& node, const std::string& path, DeadlineSpec& out) {
    if (!ExpectMap(node, path, "roles (who may suspend the term)")) return;
    CheckKeys(node, path, kSuspendableKeys);
    SuspensionSpec spec;
    ReadStrings(node, path, "roles", spec.roles);
    out.suspendable = std::move(spec);
  }

  // {take: <transition>} or {notify: coordinator}: exactly one key.
  void ParseConsequence(const YAML::Node& node, const std::string& path, OverdueConsequence& out) {
    CheckKeys(node, path, kConsequenceKeys);
    const bool take = static_cast<bool>(node["take"]), notify = static_cast<bool>(node["notify"]);
    if (take == notify) {
      Error(path, "expected exactly one of take or notify", node);
      return;
    }
    out.kind = take ? OverdueConsequence::Kind::kTake : OverdueConsequence::Kind::kNotify;
    ReadString(node, path, take ? "take" : "notify", out.target);
  }

  void ParseDeadlineKind(const YAML::Node& node, const std::string& path, DeadlineSpec& out) {
    std::string kind;
    ReadString(node, path, "kind", kind);
    if (kind.empty() || kind == "legal") {
      out.kind = DeadlineSpec::Kind::kLegal;
    } else if (kind == "milestone") {
      out.kind = DeadlineSpec::Kind::kMilestone;
    } else if (kind == "norm") {
      out.kind = DeadlineSpec::Kind::kNorm;
    } else {
      Error(Join(path, "kind"), "expected legal, milestone or norm, got " + Quote(kind), node["kind"]);
    }
  }

  void ParseAnchor(const YAML::Node& node, const std::string& path, DeadlineSpec& out) {
    std::string anchor;
    ReadString(node, path, "anchor", anchor);
    if (anchor.empty() || anchor == "trigger") {
      out.anchor = DeadlineSpec::Anchor::kTrigger;
    } else if (anchor == "received") {
      out.anchor = DeadlineSpec::Anchor::kReceived;
    } else {
      Error(Join(path, "anchor"), "expected trigger or received, got " + Quote(anchor), node["anchor"]);
    }
  }

  void ParseLonger(const YAML::Node& node, const std::string& path, DeadlineSpec& out) {
    if (!node.IsMap()) {
      Error(path, "expected a map with when and duration", node);
      return;
    }
    CheckKeys(node, path, kLongerKeys);
    std::string when;
    ReadString(node, path, "when", when);
    DurationSpec duration;
    ReadDuration(node, path, "duration", duration);
    // Both or neither: a half-read `longer` is already reported above.
    if (!when.empty() && duration.amount > 0) {
      out.longer_when_field = when;
      out.longer_duration = duration;
    }
  }

  void ParseStart(const YAML::Node& node, const std::string& path, DeadlineSpec& out) {
    if (!node.IsMap()) {
      Error(path, "expected a map with one of on_open, on_enter, on_transition", node);
      return;
    }
    CheckKeys(node, path, kStartKeys);
    ReadBool(node, path, "on_open", out.start_on_open);
    ReadStrings(node, path, "on_enter", out.start_on_enter, /*scalar_ok=*/true);
    ReadStrings(node, path, "on_transition", out.start_on_transition, /*scalar_ok=*/true);
  }

  // A map, or an error naming what was expected; false when it is not one.
  bool ExpectMap(const YAML::Node& node, const std::string& path, const std::string& what) {
    if (node.IsMap()) return true;
    Error(path, "expected a map with " + what, node);
    return false;
  }

  void ParseOverleg(const YAML::Node& node, const std::string& path, std::optional<OverlegSpec>& out) {
    if (!ExpectMap(node, path, "cadence_days and the agenda rules")) return;
    CheckKeys(node, path, kOverlegKeys);
    OverlegSpec overleg;
    ReadInt(node, path, "cadence_days", overleg.cadence_days);
    ParseAgendaRules(node, path, overleg.local);
    if (const YAML::Node region = Child(node, path, "region_wide")) {
      const std::string region_path = Join(path, "region_wide");
      // `region_wide: {}` is meaningful (nothing on the region-wide agenda).
      if (ExpectMap(region, region_path, "new_states, awaiting_states or review_deadlines")) {
        CheckKeys(region, region_path, kRegionWideKeys);
        ParseAgendaRules(region, region_path, overleg.region_wide.emplace());
      }
    }
    out = std::move(overleg);
  }

  void ParseAgendaRules(const YAML::Node& node, const std::string& path, AgendaRules& out) {
    ReadStrings(node, path, "new_states", out.new_states);
    ReadStrings(node, path, "awaiting_states", out.awaiting_states);
    ReadStrings(node, path, "review_deadlines", out.review_deadlines);
  }

  void ParseReportOutcome(const YAML::Node& node, const std::string& path, std::optional<ReportOutcomeSpec>& out) {
    if (!ExpectMap(node, path, "told_when")) return;
    CheckKeys(node, path, kReportOutcomeKeys);
    ReportOutcomeSpec outcome;
    ReadString(node, path, "told_when", outcome.told_when);
    if (node["told_when"]) out = std::move(outcome);  // validation judges the field it names
  }

  void ParseSuggestions(const YAML::Node& node, const std::string& path, SuggestionSpec& out) {
    if (!ExpectMap(node, path, "categories or incident_codes")) return;
    CheckKeys(node, path, kSuggestionKeys);
    ReadStrings(node, path, "categories", out.categories);
    ReadStrings(node, path, "incident_codes", out.incident_codes);
    if (!node["categories"] && !node["incident_codes"])
      Error(path, "name at least one category or incident code", node, /*lossy=*/false);
  }

  void ParseHandlingNorm(const YAML::Node& node, const std::string& path, HandlingNorm& out) {
    CheckKeys(node, path, kHandlingNormKeys);
    ReadString(node, path, "category", out.category);
    ReadDuration(node, path, "duration", out.duration);
  }

  std::string file_;
  std::vector<DefinitionError> errors_;
  std::vector<std::string> lossy_paths_;
  std::map<std::string, int> lines_;  // path -> 1-based line, for validation messages
};

// One file's outcome, including the id even when the file had errors, so
// that a directory load can still spot two files claiming the same type.
struct ParsedFile {
  WorkflowDefinition definition;
  std::vector<DefinitionError> errors;
};

ParsedFile ParseAndValidate(std::string_view yaml_text, const std::string& file_name) {
  ParsedFile result;
  result.definition.source_file = file_name;
  try {
    const YamlDocument document = LoadSingleYamlDocument(std::string(yaml_text));
    if (!document.error.empty()) {
      result.errors.push_back({file_name, kDocumentPath, document.error});
      return result;
    }
    Parser parser(file_name);
    result.definition = parser.Parse(document.node);
    if (document.node.IsMap()) parser.AddValidationErrors(ValidateDefinition(result.definition));
    result.errors = parser.TakeErrors();
  } catch (const YAML::Exception& e) {
    result.errors.push_back({file_name, kDocumentPath, "YAML syntax error: " + e.msg + LineSuffix(e.mark)});
  } catch (const std::exception& e) {
    // Defensive: a library surprise must not take the server start down with an exception.
    result.errors.push_back({file_name, kDocumentPath, std::string("cannot parse: ") + e.what()});
  }
  return result;
}

void Append(LoadResult& into, ParsedFile parsed) {
  if (parsed.errors.empty()) into.definitions.push_back(std::move(parsed.definition));
  into.errors.insert(into.errors.end(), std::make_move_iterator(parsed.errors.begin()),
                     std::make_move_iterator(parsed.errors.end()));
}

std::optional<std::string> ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

ParsedFile ParseFile(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return {{}, {{name, kFilePath, "is a directory, not a file"}}};
  std::optional<std::string> text = ReadWholeFile(path);
  if (!text) return {{}, {{name, kFilePath, "cannot read " + path.string()}}};
  return ParseAndValidate(*text, name);
}

bool IsWorkflowFile(const std::filesystem::directory_entry& entry) {
  std::error_code ec;
  const std::string ext = entry.path().extension().string();
  return (ext == ".yaml" || ext == ".yml") && entry.is_regular_file(ec);
}

}  // namespace

LoadResult LoadWorkflowText(std::string_view yaml_text, const std::string& file_name) {
  LoadResult result;
  Append(result, ParseAndValidate(yaml_text, file_name));
  return result;
}

LoadResult LoadWorkflowFile(const std::filesystem::path& path) {
  LoadResult result;
  Append(result, ParseFile(path));
  return result;
}

LoadResult LoadWorkflowDirectory(const std::filesystem::path& dir) {
  LoadResult result;
  const std::string dir_name = dir.string();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    result.errors.push_back({dir_name, kDirectoryPath, "not a readable directory"});
    return result;
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (IsWorkflowFile(*it)) files.push_back(it->path());
  if (ec) {
    result.errors.push_back({dir_name, kDirectoryPath, "cannot list: " + ec.message()});
    return result;
  }
  if (files.empty()) {
    result.errors.push_back({dir_name, kDirectoryPath, "no workflow files (*.yaml, *.yml)"});
    return result;
  }
  std::ranges::sort(files, {}, [](const std::filesystem::path& p) { return p.filename().string(); });

  std::map<std::string, std::string> file_of_type;  // case type -> first file defining it
  for (const auto& path : files) {
    ParsedFile parsed = ParseFile(path);
    const std::string& type = parsed.definition.id;
    if (!type.empty()) {
      auto [it, inserted] = file_of_type.emplace(type, parsed.definition.source_file);
      if (!inserted)
        parsed.errors.push_back({parsed.definition.source_file, "id", "case type " + Quote(type) + " is already defined in " + it->second});
    }
    Append(result, std::move(parsed));
  }
  return result;
}

}  // namespace casus::engine

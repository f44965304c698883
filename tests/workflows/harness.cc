#include "tests/workflows/harness.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>

#include "common/contains.h"

namespace casus::workflows_test {
namespace {

using engine::DeadlineSpec;
using engine::LevelChange;

const std::vector<std::string>& Arg(const GuardSpec& g, const std::string& name) {
  static const std::vector<std::string> kNone;
  auto it = g.args.find(name);
  return it == g.args.end() ? kNone : it->second;
}

const FieldSpec* FindField(const std::vector<FieldSpec>& fields, const std::string& name) {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

// True when `t` moves the level of a case at `level` upwards (up) or downwards.
bool Moves(const WorkflowDefinition& def, const TransitionSpec& t, const std::string& level, bool up) {
  int cur = def.LevelIndex(level);
  int top = static_cast<int>(def.levels.size()) - 1;
  switch (t.level.kind) {
    case LevelChange::Kind::kNone: return false;
    case LevelChange::Kind::kRaise: return up && cur < top;
    case LevelChange::Kind::kLower: return !up && cur > 0;
    case LevelChange::Kind::kSet: {
      int to = def.LevelIndex(t.level.level);
      return up ? to > cur : to < cur;
    }
  }
  return false;
}

}  // namespace

const engine::LoadResult& Loaded() {
  // CASUS_TEST_WORKFLOW_DIR points the tests at another copy (mutation checks).
  static const engine::LoadResult result = [] {
    const char* dir = std::getenv("CASUS_TEST_WORKFLOW_DIR");
    return engine::LoadWorkflowDirectory(dir && *dir ? std::filesystem::path(dir)
                                                     : std::filesystem::path(CASUS_SOURCE_DIR) / "workflows");
  }();
  return result;
}

const WorkflowDefinition* Find(std::string_view id) {
  for (const auto& d : Loaded().definitions)
    if (d.id == id) return &d;
  return nullptr;
}

TimePoint At(const char* rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(TimePoint{});
}

Date D(const char* yyyy_mm_dd) {
  auto d = ParseDate(yyyy_mm_dd);
  EXPECT_TRUE(d.has_value()) << yyyy_mm_dd;
  return d.value_or(Date{});
}

FieldValue Text(std::string s) { return FieldValue(std::move(s)); }

Actor MakeActor(const std::string& role, const std::string& org_type) {
  Actor a;
  a.user_id = role == "system" ? "system" : "u-" + role + "-" + org_type;
  a.roles = {role};
  a.org_id = org_type.empty() ? "" : "org-" + org_type;
  a.org_type = org_type;
  a.municipality = "Kerkrade";
  return a;
}

Actor PermittedActor(const std::vector<std::string>& roles, const std::vector<std::string>& org_types) {
  std::string role = roles.empty() ? "meldpunt" : roles.front();
  std::string org = org_types.empty() ? (role == "system" ? "" : "gemeente") : org_types.front();
  return MakeActor(role, org);
}

FieldValue ValidValue(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::kText: return Text("Tekst voor " + f.name);
    case FieldType::kBool: return FieldValue(true);
    case FieldType::kInteger: return FieldValue(std::int64_t{3});
    case FieldType::kDate: return Text("2026-03-02");
    case FieldType::kDateTime: return Text("2026-03-02T09:00:00Z");
    case FieldType::kEnum: return Text(f.values.empty() ? "" : f.values.front());
  }
  return FieldValue(false);
}

FieldValue InvalidValue(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::kText: return Text("");
    case FieldType::kBool: return Text("ja");
    case FieldType::kInteger: return Text("drie");
    case FieldType::kDate: return Text("2026-02-30");
    case FieldType::kDateTime: return Text("2026-03-02 09:00");
    case FieldType::kEnum: return Text("geen_bekende_waarde");
  }
  return FieldValue(false);
}

FieldMap ValidData(const std::vector<FieldSpec>& fields, const std::vector<GuardSpec>& guards) {
  FieldMap data;
  for (const auto& f : fields)
    if (!f.optional) data[f.name] = ValidValue(f);
  for (const auto& g : guards) {
    if (g.name != "any_present") continue;
    const auto& listed = Arg(g, "fields");
    bool present = std::any_of(listed.begin(), listed.end(), [&](const auto& n) { return data.count(n) > 0; });
    if (present || listed.empty()) continue;
    if (const FieldSpec* f = FindField(fields, listed.front())) data[f->name] = ValidValue(*f);
  }
  return data;
}

void AgeBounds::Add(const std::vector<GuardSpec>& guards) {
  for (const auto& g : guards) {
    if (g.name != "subject_age") continue;
    if (const auto& v = Arg(g, "min"); v.size() == 1) lo = std::max(lo, std::stoi(v[0]));
    if (const auto& v = Arg(g, "max_below"); v.size() == 1) hi = std::min(hi, std::stoi(v[0]));
  }
}

Date BirthDateForAge(int age, Date on) {
  Date same_day{on.year() - std::chrono::years(age), on.month(), on.day()};
  return Date{std::chrono::sys_days(same_day) - std::chrono::days(120)};
}

Settings AllFlagsOn(const WorkflowDefinition& def) {
  Settings s;
  auto add = [&](const std::vector<GuardSpec>& guards) {
    for (const auto& g : guards)
      if (g.name == "config_enabled")
        for (const auto& k : Arg(g, "key")) s.flags[k] = true;
  };
  add(def.open.guards);
  for (const auto& t : def.transitions) add(t.guards);
  return s;
}

std::string Reason(const Status& s) { return s.detail() ? std::string(RefusalName(s.detail()->reason)) : ""; }

std::vector<std::string> FieldErrorNames(const Status& s) {
  std::vector<std::string> out;
  if (s.detail())
    for (const auto& e : s.detail()->field_errors) out.push_back(e.field);
  std::sort(out.begin(), out.end());
  return out;
}

CaseState Applied(const CaseState& before, const Outcome& out, const std::string& transition) {
  CaseState next = before;
  next.state = out.state;
  next.level = out.level;
  next.deadlines = out.deadlines;
  next.data = out.data;
  next.history.push_back(transition);
  next.version += 1;
  return next;
}

CaseState CaseIn(const WorkflowDefinition& def, const std::string& state) {
  CaseState c;
  c.id = "case-" + def.id;
  c.type = def.id;
  c.definition_version = def.version;
  c.state = state;
  c.level = def.initial_level.empty() && !def.levels.empty() ? def.levels.front().id : def.initial_level;
  c.version = 3;
  c.municipality = "Kerkrade";
  c.subject_birth_date = ParseDate("2010-06-15");
  c.received_at = At("2026-03-02T08:00:00Z");
  c.opened_at = c.received_at;
  return c;
}

std::set<std::string> ExpectedAllowed(const WorkflowDefinition& def, const std::string& state, const Actor& actor) {
  std::set<std::string> out;
  for (const auto& t : def.transitions) {
    if (!Contains(t.from, state)) continue;
    bool role = std::any_of(actor.roles.begin(), actor.roles.end(), [&](const auto& r) { return Contains(t.roles, r); });
    bool org = t.org_types.empty() || Contains(t.org_types, actor.org_type);
    if (role && org) out.insert(t.name);
  }
  return out;
}

std::vector<std::vector<std::string>> SimplePathsToTerminals(const WorkflowDefinition& def) {
  std::vector<std::vector<std::string>> paths;
  const auto* initial = def.InitialState();
  if (!initial) return paths;
  std::vector<std::string> path;
  std::set<std::string> on_path{initial->id};
  std::function<void(const std::string&)> dfs = [&](const std::string& state) {
    const auto* spec = def.FindState(state);
    if (spec && spec->terminal) {
      paths.push_back(path);
      return;
    }
    for (const auto& t : def.transitions) {
      if (!Contains(t.from, state) || t.to.empty() || t.to == state || on_path.count(t.to)) continue;
      path.push_back(t.name);
      on_path.insert(t.to);
      dfs(t.to);
      on_path.erase(t.to);
      path.pop_back();
    }
  };
  dfs(initial->id);
  return paths;
}

std::optional<std::vector<std::string>> PathTo(const WorkflowDefinition& def, const std::string& state) {
  const auto* initial = def.InitialState();
  if (!initial) return std::nullopt;
  std::map<std::string, std::vector<std::string>> best{{initial->id, {}}};
  std::deque<std::string> queue{initial->id};
  while (!queue.empty()) {
    std::string s = queue.front();
    queue.pop_front();
    if (s == state) return best[s];
    for (const auto& t : def.transitions) {
      if (!Contains(t.from, s) || t.to.empty() || best.count(t.to)) continue;
      auto p = best[s];
      p.push_back(t.name);
      best[t.to] = p;
      queue.push_back(t.to);
    }
  }
  return std::nullopt;
}

Walker::Walker(const WorkflowDefinition& def, TimePoint start) : def_(def), settings_(AllFlagsOn(def)), now_(start) {}

::testing::AssertionResult Walker::Open(const std::vector<std::string>& planned) {
  AgeBounds bounds;
  bounds.Add(def_.open.guards);
  for (const auto& name : planned)
    if (const auto* t = def_.FindTransition(name)) bounds.Add(t->guards);
  if (bounds.lo >= bounds.hi)
    return ::testing::AssertionFailure() << "no age satisfies the subject_age guards of " << def_.id;
  Date birth = BirthDateForAge(bounds.Pick(), calendar_.LocalDate(now_));
  TimePoint received = now_ - std::chrono::hours(1);
  OpenRequest req{"Kerkrade", birth, received, ValidData(def_.open.fields, def_.open.guards)};
  Actor actor = PermittedActor(def_.open.roles, def_.open.org_types);
  auto out = engine::Open(def_, req, actor, ctx());
  if (!out.ok()) return ::testing::AssertionFailure() << "open " << def_.id << ": " << out.status().ToString();
  if (out->events.empty() || out->events.front().type != "case.created")
    return ::testing::AssertionFailure() << "open " << def_.id << ": first event is not case.opened";
  const auto* initial = def_.InitialState();
  if (!initial || out->state != initial->id)
    return ::testing::AssertionFailure() << "open " << def_.id << ": not in the initial state but " << out->state;
  kase_ = CaseState{};
  kase_.id = "case-walk";
  kase_.type = def_.id;
  kase_.definition_version = def_.version;
  kase_.state = out->state;
  kase_.level = out->level;
  kase_.version = 1;
  kase_.municipality = "Kerkrade";
  kase_.subject_birth_date = birth;
  kase_.received_at = received;
  kase_.opened_at = now_;
  kase_.deadlines = out->deadlines;
  kase_.data = out->data;
  last_ = *out;
  now_ += std::chrono::hours(1);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Walker::Take(const std::string& name) {
  const TransitionSpec* t = def_.FindTransition(name);
  if (!t) return ::testing::AssertionFailure() << def_.id << " has no transition " << name;
  std::string where = def_.id + ": " + name + " from " + kase_.state + " at level " + kase_.level;

  if (depth_ < 3) {
    ++depth_;
    // A guard on an earlier step: take that step for real when it is possible here.
    for (const auto& g : t->guards) {
      if (g.name != "prior_transition") continue;
      const auto& any_of = Arg(g, "any_of");
      bool on_record = std::any_of(kase_.history.begin(), kase_.history.end(),
                                   [&](const auto& h) { return Contains(any_of, h); });
      if (on_record || any_of.empty()) continue;
      bool taken = false;
      for (const auto& candidate : any_of) {
        const auto* c = def_.FindTransition(candidate);
        if (c && Contains(c->from, kase_.state) && (c->to.empty() || c->to == kase_.state)) {
          auto r = Take(candidate);
          if (!r) {
            --depth_;
            return r;
          }
          taken = true;
          break;
        }
      }
      if (!taken) kase_.history.push_back(any_of.front());  // on record from an earlier episode
    }
    // Lowering at the bottom / raising at the top: first move the level the other way.
    bool at_bottom = t->level.kind == LevelChange::Kind::kLower && def_.LevelIndex(kase_.level) == 0;
    bool at_top = t->level.kind == LevelChange::Kind::kRaise &&
                  def_.LevelIndex(kase_.level) == static_cast<int>(def_.levels.size()) - 1;
    if (at_bottom || at_top) {
      for (const auto& c : def_.transitions) {
        if (c.name == name || !Contains(c.from, kase_.state) || !(c.to.empty() || c.to == kase_.state)) continue;
        if (!Moves(def_, c, kase_.level, /*up=*/at_bottom)) continue;
        auto r = Take(c.name);
        if (!r) {
          --depth_;
          return r;
        }
        break;
      }
    }
    --depth_;
  }
  // A lapse: let the named deadline run out.
  for (const auto& g : t->guards) {
    if (g.name != "deadline_passed") continue;
    for (const auto& d : kase_.deadlines)
      if (d.active() && Contains(Arg(g, "deadline"), d.id)) now_ = std::max(now_, d.due_at + std::chrono::seconds(1));
  }

  Actor actor = PermittedActor(t->roles, t->org_types);
  FieldMap data = ValidData(t->fields, t->guards);
  auto out = engine::Transition(def_, kase_, Command{name, data}, actor, ctx());
  if (!out.ok()) return ::testing::AssertionFailure() << where << ": " << out.status().ToString();
  auto check = CheckStep(kase_, *t, *out);
  if (!check) return ::testing::AssertionFailure() << where << ": " << check.message();
  kase_ = Applied(kase_, *out, name);
  last_ = *out;
  now_ += std::chrono::hours(1);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Walker::CheckStep(const CaseState& before, const TransitionSpec& t, const Outcome& out) {
  std::string expected_state = t.to.empty() ? before.state : t.to;
  if (out.state != expected_state) return ::testing::AssertionFailure() << "ended in " << out.state;
  if (out.events.empty() || out.events.front().type != "case.transitioned")
    return ::testing::AssertionFailure() << "first event is not case.transitioned";
  std::map<std::string, std::string> want{{"transition", t.name}, {"from", before.state}, {"to", out.state}};
  if (out.events.front().attrs != want) return ::testing::AssertionFailure() << "case.transitioned attrs differ";
  if (out.level != before.level) {
    bool up = def_.LevelIndex(out.level) > def_.LevelIndex(before.level);
    DomainEvent ev{up ? "case.escalated" : "case.deescalated", {{"from_level", before.level}, {"to_level", out.level}}};
    if (out.events.size() < 2 || out.events[1] != ev)
      return ::testing::AssertionFailure() << "no level event after the transition event";
  }
  const auto* state = def_.FindState(out.state);
  bool terminal = state && state->terminal;
  if (terminal != (out.events.back().type == "case.closed"))
    return ::testing::AssertionFailure() << "case.closed iff terminal violated";
  bool entered = out.state != before.state;
  std::map<std::string, int> active;
  for (const auto& d : out.deadlines)
    if (d.active()) ++active[d.id];
  for (const auto& spec : def_.deadlines) {
    bool starts = (entered && Contains(spec.start_on_enter, out.state)) || Contains(spec.start_on_transition, t.name);
    if (active[spec.id] > 1) return ::testing::AssertionFailure() << "two active instances of " << spec.id;
    if (starts) {
      bool event = std::any_of(out.events.begin(), out.events.end(), [&](const DomainEvent& e) {
        return e.type == "deadline.started" && e.attrs.count("deadline") && e.attrs.at("deadline") == spec.id;
      });
      if (!event || active[spec.id] != 1) return ::testing::AssertionFailure() << spec.id << " did not start";
    } else if (entered && Contains(spec.cleared_by, out.state) && active[spec.id] != 0) {
      return ::testing::AssertionFailure() << spec.id << " not cleared on entering " << out.state;
    }
  }
  return ::testing::AssertionSuccess();
}

FieldMap WorkflowTest::DataFor(const std::string& transition, const FieldMap& overrides) const {
  const auto& t = T(transition);
  FieldMap data = ValidData(t.fields, t.guards);
  for (const auto& [k, v] : overrides) data[k] = v;
  return data;
}

const TransitionSpec& WorkflowTest::T(const std::string& name) const {
  static const TransitionSpec kNone;
  const auto* t = def_->FindTransition(name);
  if (!t) ADD_FAILURE() << id_ << " has no transition " << name;
  return t ? *t : kNone;
}

const DeadlineState* WorkflowTest::ActiveDeadline(const std::vector<DeadlineState>& ds, const std::string& id) {
  for (const auto& d : ds)
    if (d.id == id && d.active()) return &d;
  return nullptr;
}

const DeadlineState* WorkflowTest::LastDeadline(const std::vector<DeadlineState>& ds, const std::string& id) {
  const DeadlineState* found = nullptr;
  for (const auto& d : ds)
    if (d.id == id) found = &d;
  return found;
}

bool WorkflowTest::HasEvent(const std::vector<DomainEvent>& events, const std::string& type,
                            const std::map<std::string, std::string>& attrs) {
  return std::any_of(events.begin(), events.end(), [&](const DomainEvent& e) {
    if (e.type != type) return false;
    for (const auto& [k, v] : attrs) {
      auto it = e.attrs.find(k);
      if (it == e.attrs.end() || it->second != v) return false;
    }
    return true;
  });
}

}  // namespace casus::workflows_test

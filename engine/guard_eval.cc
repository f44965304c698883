#include "engine/guard_eval.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace casus::engine {
namespace {

const std::vector<std::string>& Arg(const GuardSpec& g, const std::string& name) {
  static const std::vector<std::string> kNone;
  auto it = g.args.find(name);
  return it == g.args.end() ? kNone : it->second;
}

std::optional<int> IntArg(const GuardSpec& g, const std::string& name) {
  const auto& v = Arg(g, name);
  if (v.size() != 1) return std::nullopt;
  int out = 0;
  auto [ptr, ec] = std::from_chars(v[0].data(), v[0].data() + v[0].size(), out);
  if (ec != std::errc() || ptr != v[0].data() + v[0].size()) return std::nullopt;
  return out;
}

// The value of a field as given now, or else as recorded earlier on the case.
const FieldValue* Lookup(const GuardInput& in, const std::string& field) {
  if (auto it = in.command_data.find(field); it != in.command_data.end()) return &it->second;
  if (auto it = in.kase.data.find(field); it != in.kase.data.end()) return &it->second;
  return nullptr;
}

bool IsPresent(const FieldValue* v) {
  if (!v) return false;
  if (auto b = std::get_if<bool>(v)) return *b;
  if (auto s = std::get_if<std::string>(v)) return !s->empty();
  return true;
}

std::string JoinArgs(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool SubjectAge(const GuardSpec& g, const GuardInput& in, std::string& why) {
  if (!in.kase.subject_birth_date) {
    why = "the subject's date of birth is not known";
    return false;
  }
  bool at_registration = Arg(g, "at") == std::vector<std::string>{"registration"};
  TimePoint moment = at_registration ? in.kase.received_at : in.ctx.now;
  Date on = in.ctx.calendar->LocalDate(moment);
  int age = AgeOn(*in.kase.subject_birth_date, on);
  std::string when = at_registration ? "at registration" : "now";
  if (auto min = IntArg(g, "min"); min && age < *min) {
    why = "the subject is " + std::to_string(age) + " " + when + "; at least " + std::to_string(*min) + " is required";
    return false;
  }
  if (auto max = IntArg(g, "max_below"); max && age >= *max) {
    why = "the subject is " + std::to_string(age) + " " + when + "; younger than " + std::to_string(*max) +
          " is required";
    return false;
  }
  return true;
}

}  // namespace

bool EvaluateGuard(const GuardSpec& g, const GuardInput& in, std::string& why) {
  if (g.name == "config_enabled") {
    const auto& key = Arg(g, "key");
    if (!key.empty() && in.ctx.settings->Flag(key[0])) return true;
    why = "setting \"" + (key.empty() ? std::string() : key[0]) + "\" is not enabled for municipality " +
          in.kase.municipality;
    return false;
  }
  if (g.name == "prior_transition") {
    const auto& any_of = Arg(g, "any_of");
    for (const auto& name : in.kase.history)
      if (std::find(any_of.begin(), any_of.end(), name) != any_of.end()) return true;
    why = "none of these earlier steps is on record: " + JoinArgs(any_of);
    return false;
  }
  if (g.name == "subject_age") return SubjectAge(g, in, why);
  if (g.name == "all_true") {
    std::vector<std::string> not_true;
    for (const auto& f : Arg(g, "fields")) {
      const FieldValue* v = Lookup(in, f);
      if (!v || !std::holds_alternative<bool>(*v) || !std::get<bool>(*v)) not_true.push_back(f);
    }
    if (not_true.empty()) return true;
    why = "these conditions are not met: " + JoinArgs(not_true);
    return false;
  }
  if (g.name == "any_present") {
    const auto& fields = Arg(g, "fields");
    if (std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return IsPresent(Lookup(in, f)); }))
      return true;
    why = "one of these is required: " + JoinArgs(fields);
    return false;
  }
  if (g.name == "deadline_passed") {
    const auto& id = Arg(g, "deadline");
    // A suspended term has not passed, whatever its (original) end says.
    for (const auto& d : in.kase.deadlines)
      if (!id.empty() && d.id == id[0] && d.active() && !d.suspended() && d.due_at <= in.ctx.now) return true;
    why = "deadline \"" + (id.empty() ? std::string() : id[0]) + "\" has not passed";
    return false;
  }
  if (g.name == "deadline_running") {
    const auto& id = Arg(g, "deadline");
    // The mirror of deadline_passed, decided by the clock and not by the
    // tick: a term whose end has come is over even before the tick records
    // it. A suspended term is running, whatever its (original) end says.
    for (const auto& d : in.kase.deadlines)
      if (!id.empty() && d.id == id[0] && d.active() && (d.suspended() || in.ctx.now < d.due_at)) return true;
    why = "deadline \"" + (id.empty() ? std::string() : id[0]) + "\" is not running";
    return false;
  }
  why = "unknown guard " + g.name;  // the loader refuses these; defensive
  return false;
}

}  // namespace casus::engine

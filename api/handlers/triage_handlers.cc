// Meldpunt triage: the duplicate check on person and address, linking a
// report to an existing case; and what the web pages choose from and label
// with: the organisation directory and the loaded workflow definitions.
#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/query_params.h"
#include "api/handlers/routes.h"
#include "app/case_access.h"
#include "app/report_triage.h"

namespace casus::api::handlers {
namespace {

constexpr std::size_t kMaxDirectoryOrganisations = 1000;

HttpResponse FindKnown(HandlerEnv& env, app::ReportTriage& triage, const HttpRequest& req, const app::Caller& caller) {
  auto q = QueryParams::Parse(req.query, {"name", "birth_date", "street", "municipality"});
  if (!q.ok()) return ProblemResponse(q.status());
  app::KnownQuery query;
  query.name = q->Text("name", 200).value_or("");
  query.street = q->Text("street", 200).value_or("");
  query.municipality = q->Text("municipality", 100).value_or("");
  const auto birth_date = q->Text("birth_date", 10);
  if (!q->status().ok()) return ProblemResponse(q->status());
  if (birth_date && !birth_date->empty()) {
    query.birth_date = ParseDate(*birth_date);
    if (!query.birth_date)
      return ProblemResponse(Status(StatusCode::kInvalidArgument, "birth_date: must be a date YYYY-MM-DD",
                                    StatusDetail{Refusal::kInvalidRequest, {}, {{"birth_date", "must be a date YYYY-MM-DD"}}, ""}));
  }
  auto known = triage.FindKnown(query, caller);
  if (!known.ok()) return ProblemResponse(known.status());
  boost::json::array cases;
  for (const auto& k : *known) {
    boost::json::object c{{"id", k.kase.id},
                          {"type", k.kase.type},
                          {"state", k.kase.state},
                          {"level", k.kase.level},
                          {"municipality", k.kase.municipality},
                          {"subject", PersonJson(k.subject)},
                          {"by_person", k.by_person},
                          {"by_address", k.by_address},
                          {"created_at", FormatRfc3339(k.kase.created_at)}};
    if (const auto* def = env.registry.Find(k.kase.type, k.kase.definition_version))
      if (const auto* s = def->FindState(k.kase.state)) c["state_label"] = s->label;
    cases.push_back(std::move(c));
  }
  return JsonResponse(200, boost::json::object{{"cases", std::move(cases)}});
}

HttpResponse LinkReport(HandlerEnv& env, app::ReportTriage& triage, const HttpRequest& req, const std::string& id,
                        const app::Caller& caller) {
  std::optional<std::string> case_id;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) { case_id = in.Text("case_id", Need::kRequired, 64); });
  if (!decoded.ok()) return ProblemResponse(decoded);
  if (!IsValidId(*case_id))
    return ProblemResponse(Status(StatusCode::kInvalidArgument, "case_id: is not a valid id",
                                  StatusDetail{Refusal::kInvalidRequest, {}, {{"case_id", "is not a valid id"}}, ""}));
  auto report = triage.LinkToCase(id, *case_id, caller);
  if (!report.ok()) return ProblemResponse(report.status());
  return JsonResponse(200, ReportJson(*report, caller.actor, env.norms, env.clock.Now()));
}

// Organisations with their active staff (id, username, roles): what a team
// or afspraak form offers. No case or person data, so not audited; the
// admin role sees it too.
HttpResponse Directory(HandlerEnv& env) {
  auto entries = env.services.directory.List(kMaxDirectoryOrganisations);
  if (!entries.ok()) return ProblemResponse(entries.status());
  boost::json::array out;
  for (const auto& entry : *entries) {
    boost::json::object o = OrganisationJson(entry.organisation);
    boost::json::array staff;
    for (const auto& u : entry.staff) {
      boost::json::array roles;
      for (const auto& r : u.roles) roles.push_back(boost::json::value(r));
      staff.push_back(boost::json::object{{"id", u.id}, {"username", u.username}, {"roles", std::move(roles)}});
    }
    o["users"] = std::move(staff);
    out.push_back(std::move(o));
  }
  return JsonResponse(200, boost::json::object{{"organisations", std::move(out)}});
}

// ---- /api/v1/workflows: the loaded case types, definitions only ----

boost::json::array WorkflowStrings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.push_back(boost::json::value(s));
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
          {"from", WorkflowStrings(t.from)},
          {"to", t.to.empty() ? boost::json::value(nullptr) : boost::json::value(t.to)},
          {"roles", WorkflowStrings(t.roles)},
          {"org_types", WorkflowStrings(t.org_types)},
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
  if (!d.start_on_enter.empty()) start["on_enter"] = WorkflowStrings(d.start_on_enter);
  if (!d.start_on_transition.empty()) start["on_transition"] = WorkflowStrings(d.start_on_transition);
  boost::json::object o{{"id", d.id},
                        {"label", d.label},
                        {"legal_basis", d.legal_basis},
                        {"kind", WorkflowDeadlineKind(d.kind)},
                        {"duration", d.duration.ToString()},
                        {"atw", d.atw},
                        {"start", std::move(start)},
                        {"cleared_by", WorkflowStrings(d.cleared_by)}};
  if (d.longer_when_field && d.longer_duration)
    o["longer"] = boost::json::object{{"when", *d.longer_when_field}, {"duration", d.longer_duration->ToString()}};
  return o;
}

boost::json::object WorkflowAgendaRulesJson(const engine::AgendaRules& rules) {
  return {{"new_states", WorkflowStrings(rules.new_states)},
          {"awaiting_states", WorkflowStrings(rules.awaiting_states)},
          {"review_deadlines", WorkflowStrings(rules.review_deadlines)}};
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

boost::json::object WorkflowJson(const engine::WorkflowDefinition& def) {
  boost::json::array states, levels, transitions, deadlines;
  for (const auto& s : def.states)
    states.push_back(boost::json::object{{"id", s.id}, {"label", s.label}, {"initial", s.initial}, {"terminal", s.terminal}});
  for (const auto& l : def.levels) levels.push_back(boost::json::object{{"id", l.id}, {"label", l.label}});
  for (const auto& t : def.transitions) transitions.push_back(WorkflowTransitionJson(t));
  for (const auto& d : def.deadlines) deadlines.push_back(WorkflowDeadlineJson(d));
  return {{"id", def.id},
          {"version", def.version},
          {"label", def.label},
          {"subject_bsn", def.subject_bsn},
          {"states", std::move(states)},
          {"levels", std::move(levels)},
          {"initial_level", def.initial_level},
          {"transitions", std::move(transitions)},
          {"deadlines", std::move(deadlines)},
          {"open", boost::json::object{{"roles", WorkflowStrings(def.open.roles)},
                                       {"org_types", WorkflowStrings(def.open.org_types)},
                                       {"fields", WorkflowFields(def.open.fields)}}},
          {"overleg", WorkflowOverlegJson(def.overleg)},
          {"report_outcome", def.report_outcome
                                 ? boost::json::value(boost::json::object{{"told_when", def.report_outcome->told_when}})
                                 : boost::json::value(nullptr)},
          {"suggest_for", boost::json::object{{"categories", WorkflowStrings(def.suggest_for.categories)},
                                              {"incident_codes", WorkflowStrings(def.suggest_for.incident_codes)}}}};
}

// The loaded case types (the latest version of each, by id) with everything
// a page or a diagram needs: labels of the type, states, levels,
// transitions, deadlines and fields; the transition graph; deadline terms;
// overleg rules; who is told a report's outcome. No case data.
HttpResponse Workflows(HandlerEnv& env) {
  boost::json::array out;
  for (const auto* def : env.registry.LatestOfEach()) out.push_back(WorkflowJson(*def));
  return JsonResponse(200, boost::json::object{{"workflows", std::move(out)}});
}

}  // namespace

void RegisterTriageRoutes(Routes& routes, HandlerEnv& env) {
  app::ReportTriage* triage = &env.services.triage;
  routes.Authed("GET", "/api/v1/known-cases",
                [&env, triage](const AuthedCall& c) { return FindKnown(env, *triage, c.request, c.caller); });
  routes.Authed("POST", "/api/v1/reports/{id}/link", [&env, triage](const AuthedCall& c) {
    return LinkReport(env, *triage, c.request, c.params.at("id"), c.caller);
  });
  routes.Authed("GET", "/api/v1/workflows", [&env](const AuthedCall&) { return Workflows(env); });
  routes.Authed("GET", "/api/v1/organisations", [&env](const AuthedCall&) { return Directory(env); });
}

}  // namespace casus::api::handlers

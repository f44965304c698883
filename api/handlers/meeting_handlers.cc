// Overleggen: meetings, their agendas per date and the decisions recorded
// during a meeting (app/meetings.h). Bodies are decoded strictly like the
// other handlers; the lists inside them (participants, items, actions) are
// checked element by element with the same field naming ("actions[0].due_at").
#include <memory>

#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"
#include "app/meetings.h"

namespace casus::api::handlers {
namespace {

constexpr std::size_t kMaxParticipants = 50;
constexpr std::size_t kMaxItems = 200;
constexpr std::size_t kMaxActions = 20;

// Decodes an object body whose `list_key` holds an array: `read` reads the
// other fields (unknown ones refused), `read_element` each element.
Status DecodeWithList(const HttpRequest& req, const std::string& list_key, Need need, std::size_t max_items,
                      const std::function<void(ObjectReader&)>& read,
                      const std::function<void(const boost::json::value&, const std::string&, FieldErrors&)>& element) {
  ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(req.body));
  FieldErrors errors;
  boost::json::value list;
  if (auto* v = body.if_contains(list_key)) {
    list = *v;
    body.erase(list_key);
  }
  ObjectReader reader(body, "", errors);
  read(reader);
  reader.Finish();
  if (list.is_null()) {
    if (need == Need::kRequired) errors.Missing(list_key);
  } else if (!list.is_array()) {
    errors.Bad(list_key, "must be an array");
  } else if (list.as_array().size() > max_items) {
    errors.Bad(list_key, "at most " + std::to_string(max_items) + " elements");
  } else {
    const auto& arr = list.as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) element(arr[i], list_key + "[" + std::to_string(i) + "]", errors);
  }
  return errors.ToStatus();
}

boost::json::object MeetingJson(const storage::Meeting& m) {
  boost::json::array participants;
  for (const auto& org : m.participant_org_ids) participants.push_back(boost::json::value(org));
  return {{"id", m.id},
          {"case_type", m.case_type},
          {"municipality", m.municipality},
          {"name", m.name},
          {"cadence_days", m.cadence_days},
          {"created_at", FormatRfc3339(m.created_at)},
          {"participants", std::move(participants)}};
}

boost::json::object DecisionJson(const storage::AgendaDecision& d) {
  return {{"case_id", d.case_id},
          {"decided_at", FormatRfc3339(d.decided_at)},
          {"decided_by", d.decided_by},
          {"summary", d.summary}};
}

boost::json::object AgendaJson(const app::AgendaView& v) {
  boost::json::array items;
  for (const auto& iv : v.items) {
    const auto& r = iv.record;
    boost::json::object kase{{"id", r.id},
                             {"zaaknummer", r.case_number},
                             {"type", r.type},
                             {"state", r.state},
                             {"level", r.level},
                             {"version", r.version},
                             {"municipality", r.municipality},
                             {"subject", {{"id", r.subject_person_id}, {"name", iv.subject_name}}}};
    items.push_back(boost::json::object{{"position", iv.item.position},
                                        {"case_id", iv.item.case_id},
                                        {"reason", iv.item.reason},
                                        {"case", std::move(kase)}});
  }
  return {{"id", v.agenda.id},
          {"meeting_id", v.agenda.meeting_id},
          {"date", v.agenda.date},
          {"created_at", FormatRfc3339(v.agenda.created_at)},
          {"items", std::move(items)},
          {"decisions", ArrayOf(v.decisions, DecisionJson)}};
}

HttpResponse CreateMeeting(HandlerEnv& env, app::MeetingService& svc, const HttpRequest& req,
                           const app::Caller& caller) {
  app::CreateMeetingInput in;
  std::vector<std::string> case_types;  // the loaded workflows are the list
  for (const auto* def : env.registry.LatestOfEach()) case_types.push_back(def->id);
  Status decoded = DecodeWithList(
      req, "participants", Need::kRequired, kMaxParticipants,
      [&](ObjectReader& r) {
        in.case_type = r.Enum("case_type", Need::kRequired, case_types).value_or("");
        in.municipality = r.Text("municipality", Need::kRequired, 100).value_or("");
        in.name = r.Text("name", Need::kRequired, 200).value_or("");
        in.cadence_days = static_cast<int>(r.Integer("cadence_days", Need::kOptional, 1, 366).value_or(0));
      },
      [&](const boost::json::value& v, const std::string& field, FieldErrors& errors) {
        if (!v.is_string() || !IsValidId(std::string(v.as_string()))) {
          errors.Bad(field, "must be an organisation id");
          return;
        }
        in.participant_org_ids.emplace_back(v.as_string());
      });
  if (!decoded.ok()) return ProblemResponse(decoded);
  if (in.municipality != app::kRegionWide && env.config.municipalities.count(in.municipality) == 0)
    return ProblemResponse(Status(StatusCode::kInvalidArgument, "municipality: is not a municipality this Casus serves",
                                  StatusDetail{Refusal::kInvalidData, {}, {{"municipality", "is not a municipality this Casus serves"}}, ""}));
  auto m = svc.Create(in, caller);
  if (!m.ok()) return ProblemResponse(m.status());
  return JsonResponse(201, MeetingJson(*m));
}

HttpResponse SetItems(app::MeetingService& svc, const HttpRequest& req, const std::string& meeting_id, Date date,
                      const app::Caller& caller) {
  std::vector<storage::AgendaItem> items;
  Status decoded = DecodeWithList(
      req, "items", Need::kRequired, kMaxItems, [](ObjectReader&) {},
      [&](const boost::json::value& v, const std::string& field, FieldErrors& errors) {
        if (!v.is_object()) {
          errors.Bad(field, "must be an object");
          return;
        }
        ObjectReader r(v.as_object(), field, errors);
        storage::AgendaItem item;
        item.case_id = r.Text("case_id", Need::kRequired, 64).value_or("");
        item.reason = r.Text("reason", Need::kOptional, 200).value_or("manual");
        r.Finish();
        if (!item.case_id.empty() && !IsValidId(item.case_id)) errors.Bad(field + ".case_id", "is not a valid id");
        items.push_back(std::move(item));
      });
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto view = svc.SetItems(meeting_id, date, items, caller);
  if (!view.ok()) return ProblemResponse(view.status());
  return JsonResponse(200, AgendaJson(*view));
}

HttpResponse RecordDecision(HandlerEnv& env, app::MeetingService& svc, const HttpRequest& req,
                            const std::string& meeting_id, Date date, const app::Caller& caller) {
  app::DecisionInput in;
  Status decoded = DecodeWithList(
      req, "actions", Need::kOptional, kMaxActions,
      [&](ObjectReader& r) {
        in.case_id = r.Text("case_id", Need::kRequired, 64).value_or("");
        in.transition = r.Text("transition", Need::kOptional, 64);
        in.version = r.Integer("version", Need::kOptional, 1);
        in.data = r.Data("data", Need::kOptional).value_or(engine::FieldMap{});
        in.note = r.Text("note", Need::kOptional, 20000, 1, true);
      },
      [&](const boost::json::value& v, const std::string& field, FieldErrors& errors) {
        if (!v.is_object()) {
          errors.Bad(field, "must be an object");
          return;
        }
        ObjectReader r(v.as_object(), field, errors);
        storage::Action a;
        a.description = r.Text("description", Need::kRequired, 2000, 1, true).value_or("");
        a.owner_org_id = r.Text("owner_org", Need::kRequired, 64).value_or("");
        a.owner_user_id = r.Text("owner_user", Need::kOptional, 64).value_or("");
        auto due = r.Text("due_at", Need::kRequired, 40);
        r.Finish();
        if (due) {
          auto parsed = ParseRfc3339(*due);
          if (!parsed) errors.Bad(field + ".due_at", "must be an RFC 3339 time");
          else a.due_at = *parsed;
        }
        in.actions.push_back(std::move(a));
      });
  if (!decoded.ok()) return ProblemResponse(decoded);
  if (!IsValidId(in.case_id)) return NotFoundProblem();
  // The case's view comes from the transition's own snapshot (no read after the commit).
  std::optional<app::CaseView> view;
  auto answer = [&](const app::AnswerContext& c) -> Status {
    if (c.refused) return Status::Ok();
    ASSIGN_OR_RETURN(view, env.queries.AnswerView(c, caller.actor, env.clock.Now()));
    return Status::Ok();
  };
  auto result = svc.RecordDecision(meeting_id, date, in, caller, answer);
  if (!result.ok()) {
    HttpResponse r = ProblemResponse(TransitionProblem(result.status()));
    return r;
  }
  boost::json::object body{{"decision", DecisionJson(result->decision)},
                           {"note", result->note ? boost::json::value(NoteJson(*result->note)) : nullptr},
                           {"actions", ArrayOf(result->actions, ActionJson)}};
  body["case"] = view ? boost::json::value(CaseJson(*view)) : boost::json::value(nullptr);
  if (result->transitioned && env.deps.count_transition) env.deps.count_transition(result->transitioned->type, "ok");
  return JsonResponse(201, body);
}

// The agenda routes name a date: one that is no calendar date names no
// agenda and is answered like an unknown one. Routes::Authed has checked
// the meeting id before.
template <typename Fn>
AuthedRouteFn OnAgendaDate(Fn fn) {
  return [fn](const AuthedCall& c) {
    auto date = ParseDate(c.params.at("date"));
    if (!date) return NotFoundProblem();
    return fn(c, *date);
  };
}

}  // namespace

void RegisterMeetingRoutes(Routes& routes, HandlerEnv& env) {
  app::MeetingService* svc = &env.services.meetings;
  routes.Authed("POST", "/api/v1/meetings",
                [svc, &env](const AuthedCall& c) { return CreateMeeting(env, *svc, c.request, c.caller); });
  routes.Authed("GET", "/api/v1/meetings", [svc](const AuthedCall& c) {
    auto list = svc->List(c.caller);
    if (!list.ok()) return ProblemResponse(list.status());
    return JsonResponse(200, boost::json::object{{"meetings", ArrayOf(*list, MeetingJson)}});
  });
  routes.Authed("GET", "/api/v1/meetings/{id}", [svc](const AuthedCall& c) {
    auto m = svc->Get(c.params.at("id"), c.caller);
    if (!m.ok()) return ProblemResponse(m.status());
    return JsonResponse(200, MeetingJson(*m));
  });
  routes.Authed("POST", "/api/v1/meetings/{id}/agendas", [svc](const AuthedCall& c) {
    std::optional<std::string> date;
    Status decoded = DecodeBody(c.request, [&](ObjectReader& in) { date = in.Text("date", Need::kRequired, 10); });
    if (!decoded.ok()) return ProblemResponse(decoded);
    auto parsed = ParseDate(*date);
    if (!parsed)
      return ProblemResponse(Status(StatusCode::kInvalidArgument, "date: must be YYYY-MM-DD",
                                    StatusDetail{Refusal::kInvalidRequest, {}, {{"date", "must be YYYY-MM-DD"}}, ""}));
    auto view = svc->GenerateAgenda(c.params.at("id"), *parsed, c.caller);
    if (!view.ok()) return ProblemResponse(view.status());
    return JsonResponse(201, AgendaJson(*view));
  });
  routes.Authed("GET", "/api/v1/meetings/{id}/agendas/{date}", OnAgendaDate([svc](const AuthedCall& c, Date date) {
                  auto view = svc->GetAgenda(c.params.at("id"), date, c.caller);
                  if (!view.ok()) return ProblemResponse(view.status());
                  return JsonResponse(200, AgendaJson(*view));
                }));
  routes.Authed("PUT", "/api/v1/meetings/{id}/agendas/{date}/items",
                OnAgendaDate([svc](const AuthedCall& c, Date date) {
                  return SetItems(*svc, c.request, c.params.at("id"), date, c.caller);
                }));
  routes.Authed("POST", "/api/v1/meetings/{id}/agendas/{date}/decisions",
                OnAgendaDate([svc, &env](const AuthedCall& c, Date date) {
                  return RecordDecision(env, *svc, c.request, c.params.at("id"), date, c.caller);
                }));
}

}  // namespace casus::api::handlers

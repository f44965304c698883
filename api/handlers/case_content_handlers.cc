// What is added to a case: notes, afspraken (actions) and case-team members.
#include "api/handlers/json_output.h"
#include "api/handlers/problem.h"
#include "api/handlers/routes.h"
#include "app/case_access.h"

namespace casus::api::handlers {
namespace {

constexpr std::size_t kMaxNoteChars = 20000;
constexpr std::size_t kMaxActionDescription = 2000;

// The owner's ids are well-formed; whether they exist is CaseService's check.
Status CheckOwnerIds(const std::string& org_field, const std::string& org_id, const std::string& user_field,
                     const std::string& user_id) {
  if (!IsValidId(org_id)) return FieldProblem(org_field, "is not a valid id");
  if (!user_id.empty() && !IsValidId(user_id)) return FieldProblem(user_field, "is not a valid id");
  return Status::Ok();
}

HttpResponse AddNote(HandlerEnv& env, const HttpRequest& req, const std::string& case_id, const app::Caller& caller) {
  std::optional<std::string> text;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) { text = in.Text("text", Need::kRequired, kMaxNoteChars, 1, true); });
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto note = env.cases.AddNote(case_id, *text, caller);
  if (!note.ok()) return ProblemResponse(note.status());
  return JsonResponse(201, NoteJson(*note));
}

HttpResponse AddAction(HandlerEnv& env, const HttpRequest& req, const std::string& case_id,
                       const app::Caller& caller) {
  storage::Action action;
  std::optional<std::string> due_at;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    action.description = in.Text("description", Need::kRequired, kMaxActionDescription, 1, true).value_or("");
    action.owner_org_id = in.Text("owner_org", Need::kRequired, 64).value_or("");
    action.owner_user_id = in.Text("owner_user", Need::kOptional, 64).value_or("");
    due_at = in.Text("due_at", Need::kRequired, 40);
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  auto due = ParseRfc3339(*due_at);
  if (!due) return ProblemResponse(FieldProblem("due_at", "must be an RFC 3339 time"));
  action.due_at = *due;
  action.case_id = case_id;
  Status owner = CheckOwnerIds("owner_org", action.owner_org_id, "owner_user", action.owner_user_id);
  if (!owner.ok()) return ProblemResponse(owner);
  auto added = env.cases.AddAction(action, caller);
  if (!added.ok()) return ProblemResponse(added.status());
  return JsonResponse(201, ActionJson(*added));
}

HttpResponse AddTeamMember(HandlerEnv& env, const HttpRequest& req, const std::string& case_id,
                           const app::Caller& caller) {
  storage::TeamMember member;
  Status decoded = DecodeBody(req, [&](ObjectReader& in) {
    member.org_id = in.Text("org", Need::kRequired, 64).value_or("");
    member.user_id = in.Text("user", Need::kOptional, 64).value_or("");
    member.role = in.Enum("role", Need::kOptional, {"lid", "deelnemer", "regisseur"}).value_or("");
  });
  if (!decoded.ok()) return ProblemResponse(decoded);
  if (member.role.empty()) member.role = member.user_id.empty() ? "lid" : "deelnemer";
  if (member.role == "deelnemer" && member.user_id.empty())
    return ProblemResponse(FieldProblem("user", "a deelnemer is one named user", Refusal::kInvalidData));
  member.case_id = case_id;
  Status owner = CheckOwnerIds("org", member.org_id, "user", member.user_id);
  if (!owner.ok()) return ProblemResponse(owner);
  Status added = env.cases.AddTeamMember(member, caller);
  if (!added.ok()) return ProblemResponse(added);
  member.added_at = env.clock.Now();
  app::TeamMemberView view{member, std::nullopt};
  return JsonResponse(201, TeamMemberJson(view));
}

}  // namespace

void RegisterCaseContentRoutes(Routes& routes, HandlerEnv& env) {
  routes.Authed("POST", "/api/v1/cases/{id}/notes",
                [&env](const AuthedCall& c) { return AddNote(env, c.request, c.params.at("id"), c.caller); });
  routes.Authed("GET", "/api/v1/cases/{id}/notes", [&env](const AuthedCall& c) {
    auto notes = env.queries.Notes(c.params.at("id"), c.caller);
    if (!notes.ok()) return ProblemResponse(notes.status());
    return JsonResponse(200, boost::json::object{{"notes", ArrayOf(*notes, NoteJson)}});
  });
  routes.Authed("POST", "/api/v1/cases/{id}/actions",
                [&env](const AuthedCall& c) { return AddAction(env, c.request, c.params.at("id"), c.caller); });
  routes.Authed("GET", "/api/v1/cases/{id}/actions", [&env](const AuthedCall& c) {
    auto actions = env.queries.Actions(c.params.at("id"), c.caller);
    if (!actions.ok()) return ProblemResponse(actions.status());
    return JsonResponse(200, boost::json::object{{"actions", ArrayOf(*actions, ActionJson)}});
  });
  routes.Authed("POST", "/api/v1/cases/{id}/team",
                [&env](const AuthedCall& c) { return AddTeamMember(env, c.request, c.params.at("id"), c.caller); });
  routes.Authed("GET", "/api/v1/cases/{id}/team", [&env](const AuthedCall& c) {
    auto team = env.queries.Team(c.params.at("id"), c.caller);
    if (!team.ok()) return ProblemResponse(team.status());
    return JsonResponse(200, boost::json::object{{"team", ArrayOf(*team, TeamMemberJson)}});
  });
}

}  // namespace casus::api::handlers

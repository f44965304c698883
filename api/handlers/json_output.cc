#include "api/handlers/json_output.h"

#include <algorithm>

#include "app/case_access.h"
#include "app/field_policy.h"

namespace casus::api::handlers {

boost::json::array Strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.push_back(boost::json::value(s));
  return out;
}

boost::json::object FieldSpecJson(const engine::FieldSpec& f) {
  boost::json::object o{{"name", f.name}, {"type", engine::FieldTypeName(f.type)}, {"label", f.label},
                        {"optional", f.optional}};
  if (!f.values.empty()) o["values"] = Strings(f.values);
  return o;
}

boost::json::object OrganisationJson(const storage::Organisation& org) {
  return {{"id", org.id}, {"name", org.name}, {"type", org.type}, {"municipality", org.municipality}};
}

boost::json::object UserJson(const app::Principal& p) {
  return {{"id", p.user.id},
          {"username", p.user.username},
          {"roles", Strings(p.user.roles)},
          {"organisation", OrganisationJson(p.org)}};
}

boost::json::object PersonJson(const storage::Person& person) {
  boost::json::object o{{"id", person.id}, {"name", person.name}};
  if (person.birth_date) o["birth_date"] = FormatDate(*person.birth_date);
  o["objected"] = person.objected_at.has_value();
  if (person.objected_at) o["objected_at"] = FormatRfc3339(*person.objected_at);
  return o;
}

boost::json::value FieldValueJson(const engine::FieldValue& value) {
  return std::visit([](const auto& v) { return boost::json::value(v); }, value);
}

boost::json::object TeamMemberJson(const app::TeamMemberView& m) {
  boost::json::object o{{"org_id", m.member.org_id},
                        {"role", m.member.role},
                        {"added_at", FormatRfc3339(m.member.added_at)}};
  if (m.org) {
    o["org_name"] = m.org->name;
    o["org_type"] = m.org->type;
  }
  if (!m.member.user_id.empty()) o["user_id"] = m.member.user_id;
  return o;
}

boost::json::object CaseJson(const app::CaseView& view) {
  const storage::CaseRecord& r = view.record;
  const engine::WorkflowDefinition* def = view.definition;
  boost::json::object o;
  o["id"] = r.id;
  o["zaaknummer"] = r.case_number;
  o["type"] = r.type;
  o["definition_version"] = r.definition_version;
  o["state"] = r.state;
  if (def)
    if (const auto* s = def->FindState(r.state)) o["state_label"] = s->label;
  o["level"] = r.level;
  if (def)
    for (const auto& l : def->levels)
      if (l.id == r.level) o["level_label"] = l.label;
  o["version"] = r.version;
  o["municipality"] = r.municipality;
  o["confidentiality"] = r.confidentiality;
  const app::CaseFieldPolicy fields =
      view.complete ? app::CaseFieldPolicy{true, true, true} : app::CaseFieldsFor(view.viewer_roles);
  if (r.subject_person_id.empty()) {
    o["subject"] = nullptr;  // erased by retention
  } else {
    boost::json::object subject = PersonJson(view.subject);
    if (!fields.subject_birth_date) subject.erase("birth_date");
    o["subject"] = std::move(subject);
  }
  if (r.report_id && fields.report_id) o["report_id"] = *r.report_id;
  o["team"] = ArrayOf(view.team, TeamMemberJson);
  boost::json::array deadlines;
  for (const auto& d : r.deadlines) {
    boost::json::object dj{{"name", d.id},
                           {"started_at", FormatRfc3339(d.started_at)},
                           {"due_at", FormatRfc3339(d.due_at)},
                           {"overdue", d.active() && !d.suspended() && d.due_at < view.now}};
    bool may_suspend = false;
    if (def)
      if (const auto* spec = def->FindDeadline(d.id)) {
        dj["label"] = spec->label;
        dj["legal_basis"] = spec->legal_basis;
        dj["suspendable"] = spec->suspendable.has_value();
        if (spec->suspendable)
          may_suspend = std::ranges::find_first_of(view.viewer_roles, spec->suspendable->roles) !=
                        view.viewer_roles.end();
      }
    // Whether this viewer may suspend or resume it now (the engine decides when asked).
    dj["may_suspend"] = may_suspend && d.active() && (d.suspended() || d.due_at > view.now);
    if (d.term) dj["term"] = d.term->ToString();
    if (d.extended_by > 0) dj["extended_by"] = d.extended_by;  // in the term's unit (seconds for hours)
    if (d.suspended()) {
      dj["suspended_at"] = FormatRfc3339(*d.suspended_at);
      // The reason is case content, for those who read the case's data.
      if (fields.data) dj["suspension_reason"] = d.suspension_reason;
    }
    if (d.cleared_at) dj["cleared_at"] = FormatRfc3339(*d.cleared_at);
    deadlines.push_back(std::move(dj));
  }
  o["deadlines"] = std::move(deadlines);
  o["overdue"] = app::IsOverdue(r, view.now);
  boost::json::array allowed;
  for (const auto& t : view.allowed_transitions) {
    boost::json::array requires_, fields;
    for (const auto& f : t.fields) {
      if (!f.optional) requires_.push_back(boost::json::value(f.name));
      fields.push_back(FieldSpecJson(f));
    }
    allowed.push_back(
        {{"name", t.name}, {"label", t.label}, {"to", t.to}, {"requires", std::move(requires_)}, {"fields", std::move(fields)}});
  }
  o["allowed_transitions"] = std::move(allowed);
  if (fields.data) {
    boost::json::object data;
    for (const auto& [k, v] : r.data) data[k] = FieldValueJson(v);
    o["data"] = std::move(data);
  }
  o["history"] = Strings(r.history);
  if (view.via_break_glass) o["via_break_glass"] = true;
  o["received_at"] = FormatRfc3339(r.received_at);
  o["created_at"] = FormatRfc3339(r.created_at);
  o["updated_at"] = FormatRfc3339(r.updated_at);
  return o;
}

boost::json::object NoteJson(const storage::Note& n) {
  return {{"id", n.id}, {"case_id", n.case_id}, {"author_user_id", n.author_user_id}, {"text", n.text},
          {"created_at", FormatRfc3339(n.created_at)}};
}

boost::json::object ActionJson(const storage::Action& a) {
  boost::json::object o{{"id", a.id},
                        {"case_id", a.case_id},
                        {"description", a.description},
                        {"owner_org", a.owner_org_id},
                        {"due_at", FormatRfc3339(a.due_at)},
                        {"status", a.status},
                        {"created_at", FormatRfc3339(a.created_at)}};
  if (!a.owner_user_id.empty()) o["owner_user"] = a.owner_user_id;
  return o;
}

boost::json::object EventJson(const storage::CaseEvent& e) {
  boost::json::object o{{"id", e.id}, {"case_id", e.case_id}, {"type", e.type}, {"at", FormatRfc3339(e.at)},
                        {"actor_user_id", e.actor_user_id}};
  boost::json::error_code ec;
  boost::json::value payload = boost::json::parse(e.payload_json, ec);
  o["payload"] = (!ec && payload.is_object()) ? payload : boost::json::object{};
  return o;
}

boost::json::object GrantJson(const storage::AccessGrant& g) {
  boost::json::object o{{"id", g.id},
                        {"case_id", g.case_id},
                        {"user_id", g.user_id},
                        {"reason", g.reason},
                        {"granted_at", FormatRfc3339(g.granted_at)},
                        {"expires_at", FormatRfc3339(g.expires_at)}};
  if (g.reviewed_at) {
    o["reviewed_at"] = FormatRfc3339(*g.reviewed_at);
    o["reviewed_by"] = g.reviewed_by;
  }
  return o;
}

boost::json::object ReportJson(const storage::Report& r, const engine::Actor& viewer) {
  boost::json::object location{{"street", r.street}, {"wijk", r.wijk}, {"municipality", r.municipality}};
  boost::json::object o{{"id", r.id},
                        {"tracking_code", r.tracking_code},
                        {"source", r.source},
                        {"category", r.category},
                        {"description", r.description},
                        {"incident_code", r.incident_code},
                        {"location", std::move(location)},
                        {"status", r.status},
                        {"received_at", FormatRfc3339(r.received_at)},
                        {"updated_at", FormatRfc3339(r.updated_at)}};
  if (r.subject_person_id) o["subject_person_id"] = *r.subject_person_id;
  if (r.case_id) o["case_id"] = *r.case_id;
  const bool has_contact = !r.reporter_name.empty() || !r.reporter_email.empty() || !r.reporter_phone.empty();
  o["reporter_known"] = has_contact;
  if (app::HasRole(viewer, "meldpunt") && has_contact)
    o["reporter"] = {{"name", r.reporter_name}, {"email", r.reporter_email}, {"phone", r.reporter_phone}};
  return o;
}

boost::json::object HandlingJson(const app::ReportHandling& h) {
  return {{"norm", h.norm.ToString()}, {"due_at", FormatRfc3339(h.due_at)}, {"late", h.late}, {"late3", h.late3}};
}

boost::json::object ReportJson(const storage::Report& r, const engine::Actor& viewer, const app::ReportNorms& norms,
                               TimePoint now) {
  boost::json::object o = ReportJson(r, viewer);
  if (auto h = norms.Evaluate(r, now)) o["handling"] = HandlingJson(*h);
  return o;
}

boost::json::object PersonViewJson(const app::PersonView& view) {
  boost::json::array cases;
  for (const auto& pc : view.cases) {
    boost::json::object c = CaseJson(pc.kase);
    c["actions"] = ArrayOf(pc.actions, ActionJson);
    cases.push_back(std::move(c));
  }
  return {{"person", PersonJson(view.person)}, {"cases", std::move(cases)}};
}

boost::json::object AuditEntryJson(const storage::AuditEntry& e) {
  return {{"seq", e.seq},          {"at", FormatRfc3339(e.at)}, {"action", e.action},
          {"result", e.result},    {"user_id", e.user_id},      {"role", e.role},
          {"org_id", e.org_id},    {"on_behalf_of", e.on_behalf_of}, {"client", e.client},
          {"object_type", e.object_type}, {"object_id", e.object_id}, {"person_id", e.person_id},
          {"reason", e.reason},    {"detail", e.detail},          {"hash", e.hash},
          {"erased_at", e.erased_at ? boost::json::value(FormatRfc3339(*e.erased_at)) : boost::json::value(nullptr)}};
}

boost::json::object AccessLogEntryJson(const app::AccessLogEntry& a) {
  const auto& e = a.entry;
  return {{"seq", e.seq},
          {"at", FormatRfc3339(e.at)},
          {"user_id", e.user_id},
          {"username", a.username},
          {"role", e.role},
          {"org_id", e.org_id},
          {"organisation", a.org_name},
          {"action", e.action},
          {"result", e.result},
          {"object_type", e.object_type},
          {"object_id", e.object_id},
          {"client", e.client},
          {"reason", e.reason}};
}

boost::json::object PersonExportJson(const app::PersonExport& data) {
  boost::json::object person = PersonJson(data.person);
  person["bsn_recorded"] = data.person.bsn.has_value();  // the number itself never leaves the server
  person["created_at"] = FormatRfc3339(data.person.created_at);
  boost::json::array cases;
  for (const auto& ec : data.cases) {
    boost::json::object c = CaseJson(ec.kase);
    c.erase("allowed_transitions");
    c["events"] = ArrayOf(ec.events, EventJson);
    c["notes"] = ArrayOf(ec.notes, NoteJson);
    c["actions"] = ArrayOf(ec.actions, ActionJson);
    c["access_grants"] = ArrayOf(ec.grants, GrantJson);
    cases.push_back(std::move(c));
  }
  // The privacy officer answers the person: reporter contact details are
  // third-party data and stay out of the export.
  engine::Actor no_contact_details;
  boost::json::array reports;
  for (const auto& r : data.reports) reports.push_back(ReportJson(r, no_contact_details));
  return {{"person", std::move(person)},
          {"cases", std::move(cases)},
          {"reports", std::move(reports)},
          {"access_log", ArrayOf(data.access_log, AccessLogEntryJson)},
          {"access_log_truncated", data.access_log_truncated},
          {"generated_at", FormatRfc3339(data.generated_at)}};
}

}  // namespace casus::api::handlers

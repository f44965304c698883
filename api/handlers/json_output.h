// Records -> JSON for responses. Never a BSN, password hash, TOTP secret or
// token hash; reporter contact details only for the meldpunt role.
#pragma once

#include <boost/json.hpp>

#include "app/audit_queries.h"
#include "app/auth_service.h"
#include "app/case_queries.h"
#include "app/person_queries.h"
#include "app/report_norms.h"
#include "storage/records.h"

namespace casus::api::handlers {

boost::json::object OrganisationJson(const storage::Organisation& org);
// {id, username, roles, organisation}
boost::json::object UserJson(const app::Principal& principal);
// {id, name, birth_date?}; never the BSN.
boost::json::object PersonJson(const storage::Person& person);
boost::json::value FieldValueJson(const engine::FieldValue& value);
// A JSON array of the strings, in order.
boost::json::array Strings(const std::vector<std::string>& items);
// {name, type, label, optional, values?}: a field a form must ask for.
boost::json::object FieldSpecJson(const engine::FieldSpec& field);

// The case as API.md describes it, plus labels and data.
boost::json::object CaseJson(const app::CaseView& view);
boost::json::object TeamMemberJson(const app::TeamMemberView& member);
boost::json::object NoteJson(const storage::Note& note);
boost::json::object ActionJson(const storage::Action& action);
boost::json::object EventJson(const storage::CaseEvent& event);
boost::json::object GrantJson(const storage::AccessGrant& grant);

// Reporter contact details only when `viewer` has the meldpunt role.
boost::json::object ReportJson(const storage::Report& report, const engine::Actor& viewer);
// The same for staff views, plus `handling: {norm, due_at, late, late3}` at
// `now` when the report's category has a handling norm (absent otherwise).
boost::json::object ReportJson(const storage::Report& report, const engine::Actor& viewer,
                               const app::ReportNorms& norms, TimePoint now);
boost::json::object HandlingJson(const app::ReportHandling& handling);

boost::json::object PersonViewJson(const app::PersonView& view);
boost::json::object PersonExportJson(const app::PersonExport& data);
boost::json::object AuditEntryJson(const storage::AuditEntry& entry);
boost::json::object AccessLogEntryJson(const app::AccessLogEntry& entry);

template <typename T, typename F>
boost::json::array ArrayOf(const std::vector<T>& items, F to_json) {
  boost::json::array out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace casus::api::handlers

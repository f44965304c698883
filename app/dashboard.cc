#include "app/dashboard.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>
#include <tuple>

#include "app/case_access.h"
#include "app/reachable_cases.h"
#include "engine/access_policy.h"

namespace casus::app {
namespace {

constexpr int kScanBatch = 200;

// The broad scope of DecideCaseRead (mirrors CaseQueries): a ZVH coordinator
// the region, municipal roles of a gemeente their municipality. Everyone
// else reaches cases only through the case team.
enum class Scope { kNone, kMunicipality, kRegion };
Scope ScopeFor(const engine::Actor& a) {
  if (a.org_type == "zvh" && HasRole(a, "coordinator")) return Scope::kRegion;
  if (a.org_type == "gemeente" && !a.municipality.empty() && HasAnyRole(a, {"coordinator", "meldpunt", "burgemeester"}))
    return Scope::kMunicipality;
  return Scope::kNone;
}

std::string PayloadText(const std::string& payload_json, const char* key) {
  boost::system::error_code ec;
  auto v = boost::json::parse(payload_json, ec);
  if (ec || !v.is_object()) return "";
  const auto* f = v.as_object().if_contains(key);
  return f && f->is_string() ? std::string(f->as_string()) : "";
}

}  // namespace

DashboardService::DashboardService(storage::Store& store, const engine::DefinitionRegistry& registry,
                                   const Clock& clock, const engine::DutchCalendar& calendar)
    : store_(store), registry_(registry), clock_(clock), calendar_(calendar) {}

StatusOr<Dashboard> DashboardService::Build(const Caller& caller) {
  const TimePoint now = clock_.Now();
  const engine::Actor& actor = caller.actor;
  // The privacy officer reads logs and the admin manages accounts, not cases (DOMAIN.md §5).
  if (HasAnyRole(actor, {"privacy_officer", "admin"})) {
    RETURN_IF_ERROR(AppendAudit(store_, {MakeAudit(caller, now, "dashboard.read", "denied", "dashboard", "", "")}));
    return Status(StatusCode::kPermissionDenied, "this role has no access to case monitoring",
                  StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
  }

  Dashboard out;
  out.now = now;
  out.due_soon_until = calendar_.EndOfLocalDay(calendar_.AddWorkingDays(calendar_.LocalDate(now), kDueSoonWorkingDays));
  const TimePoint escalations_since = now - std::chrono::days(kRecentEscalationDays);

  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    std::set<std::string> considered;
    int count = 0;
    // Adds one case when the policy lets the caller read it (without grants).
    auto consider = [&](const storage::CaseRecord& rec) -> Status {
      if (!considered.insert(rec.id).second) return Status::Ok();
      if (++count > kDashboardMaxCases) {
        out.truncated = true;
        return Status::Ok();
      }
      ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(rec.id));
      if (!engine::DecideCaseRead(actor, FactsFor(rec, team, false)).allowed) return Status::Ok();

      const engine::WorkflowDefinition* def = registry_.Find(rec.type, rec.definition_version);
      const engine::StateSpec* state = def ? def->FindState(rec.state) : nullptr;
      const bool closed = state && state->terminal;

      // Recent escalations count for closed cases too.
      ASSIGN_OR_RETURN(auto events, tx.events().ListForCase(rec.id));
      for (const auto& e : events)
        if (e.type == "case.escalated" && e.at >= escalations_since)
          out.recent_escalations.push_back({e.id, rec.id, rec.type, e.at, PayloadText(e.payload_json, "from_level"),
                                            PayloadText(e.payload_json, "to_level"), rec.case_number});
      if (closed) {
        ++out.closed_cases;
        return Status::Ok();
      }
      ++out.open_cases;
      ++out.by_type[rec.type];
      ++out.by_state[rec.type][rec.state];
      ++out.by_level[rec.type][rec.level];

      for (const auto& d : rec.deadlines) {
        if (!d.active() || d.suspended()) continue;  // a suspended term is neither due soon nor overdue
        const engine::DeadlineSpec* spec = def ? def->FindDeadline(d.id) : nullptr;
        DashboardDeadline item{rec.id,   rec.type, d.id, spec && !spec->label.empty() ? spec->label : d.id,
                               d.due_at, rec.case_number};
        if (d.due_at < now) out.overdue.push_back(std::move(item));
        else if (d.due_at <= out.due_soon_until) out.due_soon.push_back(std::move(item));
      }
      if (std::none_of(team.begin(), team.end(), [](const storage::TeamMember& m) { return m.role == "regisseur"; }))
        out.without_regisseur.push_back({rec.id, rec.type, rec.state, rec.level, rec.case_number});
      ASSIGN_OR_RETURN(auto actions, tx.actions().ListForCase(rec.id));
      for (const auto& a : actions)
        if (a.status == "open" && a.due_at < now)
          out.overdue_actions.push_back({a.id, rec.id, a.owner_org_id, a.due_at, rec.case_number});
      return Status::Ok();
    };

    const Scope scope = ScopeFor(actor);
    if (scope != Scope::kNone) {
      storage::CaseFilter filter;
      if (scope == Scope::kMunicipality) filter.municipality = actor.municipality;
      filter.limit = kScanBatch;
      while (!out.truncated) {
        ASSIGN_OR_RETURN(auto batch, tx.cases().List(filter));
        for (const auto& rec : batch) {
          filter.after_id = rec.id;
          RETURN_IF_ERROR(consider(rec));
        }
        if (static_cast<int>(batch.size()) < kScanBatch) break;
      }
    }
    return VisitReachableCases(tx, actor, now, storage::CaseFilter{}, Reach{},
                               [&](storage::CaseRecord rec) -> StatusOr<bool> {
                                 if (out.truncated) return false;
                                 if (considered.count(rec.id)) return true;
                                 RETURN_IF_ERROR(consider(rec));
                                 return true;
                               });
  }));

  auto by_due = [](const DashboardDeadline& a, const DashboardDeadline& b) {
    return std::tie(a.due_at, a.case_id, a.deadline) < std::tie(b.due_at, b.case_id, b.deadline);
  };
  std::sort(out.overdue.begin(), out.overdue.end(), by_due);
  std::sort(out.due_soon.begin(), out.due_soon.end(), by_due);
  std::sort(out.recent_escalations.begin(), out.recent_escalations.end(),
            [](const DashboardEscalation& a, const DashboardEscalation& b) { return a.event_id > b.event_id; });
  std::sort(out.without_regisseur.begin(), out.without_regisseur.end(),
            [](const DashboardCase& a, const DashboardCase& b) { return a.case_id < b.case_id; });
  std::sort(out.overdue_actions.begin(), out.overdue_actions.end(),
            [](const DashboardAction& a, const DashboardAction& b) {
              return std::tie(a.due_at, a.action_id) < std::tie(b.due_at, b.action_id);
            });

  // On record before anything is handed out; no per-case content in it.
  RETURN_IF_ERROR(AppendAudit(store_, {MakeAudit(caller, now, "dashboard.read", "success", "dashboard", "", "")}));
  return out;
}

}  // namespace casus::app

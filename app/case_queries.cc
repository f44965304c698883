#include "app/case_queries.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "app/case_access.h"
#include "app/reachable_cases.h"

namespace casus::app {
namespace {

constexpr int kScanBatch = 200;
constexpr int kMaxScanned = 50000;  // bounds one list request over a very large municipality

bool MatchesFilters(const storage::CaseRecord& rec, const CaseListQuery& q, TimePoint now) {
  if (q.type && rec.type != *q.type) return false;
  if (q.state && rec.state != *q.state) return false;
  if (q.level && rec.level != *q.level) return false;
  if (q.overdue && IsOverdue(rec, now) != *q.overdue) return false;
  if (q.case_number && rec.case_number != *q.case_number) return false;
  return true;
}

// Where a broad scan applies: a ZVH coordinator sees the region, municipal
// roles of a gemeente their municipality. Everyone else only reaches cases
// through team membership or grants.
enum class Scope { kNone, kMunicipality, kRegion };
Scope ScopeFor(const engine::Actor& a) {
  if (a.org_type == "zvh" && HasRole(a, "coordinator")) return Scope::kRegion;
  if (a.org_type == "gemeente" && !a.municipality.empty() &&
      HasAnyRole(a, {"coordinator", "meldpunt", "burgemeester"}))
    return Scope::kMunicipality;
  return Scope::kNone;
}

}  // namespace

bool IsOverdue(const storage::CaseRecord& record, TimePoint now) {
  return std::any_of(record.deadlines.begin(), record.deadlines.end(),
                     [&](const engine::DeadlineState& d) { return d.active() && !d.suspended() && d.due_at < now; });
}

CaseQueries::CaseQueries(storage::Store& store, const engine::DefinitionRegistry& registry, const Clock& clock)
    : store_(store), registry_(registry), clock_(clock) {}

StatusOr<CaseView> CaseQueries::BuildView(storage::Transaction& tx, storage::CaseRecord record,
                                          const std::vector<storage::TeamMember>& team, const engine::Actor& actor,
                                          bool via_break_glass, TimePoint now) const {
  std::optional<storage::Person> subject;
  if (!record.subject_person_id.empty()) {
    ASSIGN_OR_RETURN(subject, tx.persons().Get(record.subject_person_id));
  }
  return ViewWithSubject(tx, std::move(record), std::move(subject), team, actor, via_break_glass, now);
}

StatusOr<CaseView> CaseQueries::AnswerView(const AnswerContext& command, const engine::Actor& actor,
                                           TimePoint now) const {
  return ViewWithSubject(command.snapshot, command.after, command.subject, command.team, actor,
                         command.via_break_glass, now);
}

StatusOr<CaseView> CaseQueries::ViewWithSubject(storage::Transaction& tx, storage::CaseRecord record,
                                                std::optional<storage::Person> subject,
                                                const std::vector<storage::TeamMember>& team,
                                                const engine::Actor& actor, bool via_break_glass,
                                                TimePoint now) const {
  CaseView view;
  view.definition = registry_.Find(record.type, record.definition_version);
  if (subject) view.subject = std::move(*subject);
  for (const auto& m : team) {
    TeamMemberView tv{m, std::nullopt};
    auto org = tx.organisations().Get(m.org_id);
    if (org.ok()) tv.org = std::move(org).value();
    else if (org.status().code() != StatusCode::kNotFound) return org.status();
    view.team.push_back(std::move(tv));
  }
  if (view.definition)
    view.allowed_transitions =
        engine::AllowedTransitions(*view.definition, CaseService::ToCaseState(record, view.subject.birth_date), actor);
  view.record = std::move(record);
  view.via_break_glass = via_break_glass;
  view.now = now;
  view.viewer_roles = actor.roles;
  return view;
}

template <typename T, typename Load>
StatusOr<T> CaseQueries::ReadContent(const std::string& case_id, const Caller& caller, const std::string& action,
                                     Load load) {
  const TimePoint now = clock_.Now();
  std::optional<T> result;
  engine::AccessDecision decision;
  std::string person_id;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(case_id));
    person_id = rec.subject_person_id;
    ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(rec.id));
    ASSIGN_OR_RETURN(auto grants, tx.grants().ListActive(rec.id, caller.actor.user_id, now));
    decision = engine::DecideCaseRead(caller.actor, FactsFor(rec, team, !grants.empty()));
    if (!decision.allowed) return Status::Ok();
    ASSIGN_OR_RETURN(T value, load(tx, std::move(rec), team, decision, now));
    result = std::move(value);
    return Status::Ok();
  }));
  // The read is on record before anything is handed out.
  RETURN_IF_ERROR(AppendAudit(store_, {MakeAudit(caller, now, action, decision.allowed ? "success" : "denied", "case",
                                                 case_id, person_id,
                                                 decision.via_break_glass ? "break-the-glass access" : "")}));
  if (!decision.allowed) return AccessDenied(decision);
  return std::move(*result);
}

StatusOr<CaseView> CaseQueries::Get(const std::string& case_id, const Caller& caller) {
  return ReadContent<CaseView>(
      case_id, caller, "case.read",
      [&](storage::Transaction& tx, storage::CaseRecord rec, const std::vector<storage::TeamMember>& team,
          const engine::AccessDecision& d, TimePoint now) {
        return BuildView(tx, std::move(rec), team, caller.actor, d.via_break_glass, now);
      });
}

StatusOr<CasePage> CaseQueries::List(const CaseListQuery& query, const Caller& caller) {
  if (query.limit < 1 || query.limit > 100) return Status::InvalidArgument("limit must be between 1 and 100");
  const TimePoint now = clock_.Now();
  const engine::Actor& actor = caller.actor;
  std::map<std::string, CaseView> visible;  // ordered by id, like the cursor
  std::set<std::string> considered;

  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    // Returns whether the case became visible.
    auto consider = [&](storage::CaseRecord rec) -> StatusOr<bool> {
      if (!considered.insert(rec.id).second) return visible.count(rec.id) > 0;
      if (!MatchesFilters(rec, query, now)) return false;
      ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(rec.id));
      ASSIGN_OR_RETURN(auto grants, tx.grants().ListActive(rec.id, actor.user_id, now));
      auto decision = engine::DecideCaseRead(actor, FactsFor(rec, team, !grants.empty()));
      if (!decision.allowed) return false;
      std::string id = rec.id;
      ASSIGN_OR_RETURN(CaseView view, BuildView(tx, std::move(rec), team, actor, decision.via_break_glass, now));
      visible.emplace(id, std::move(view));
      return true;
    };

    // A zaaknummer names one case: it is looked up directly and shown only
    // when need-to-know allows, like any listed case; a case the caller may
    // not read is simply not found.
    if (query.case_number) {
      storage::CaseFilter by_number;
      by_number.case_number = query.case_number;
      by_number.after_id = query.cursor;
      by_number.limit = 1;
      ASSIGN_OR_RETURN(auto found, tx.cases().List(by_number));
      for (auto& rec : found) RETURN_IF_ERROR(consider(std::move(rec)).status());
      return Status::Ok();
    }

    // 1. The broad scope, scanned in id order until one more than a page is visible.
    const Scope scope = ScopeFor(actor);
    if (scope != Scope::kNone) {
      storage::CaseFilter filter;
      filter.type = query.type;
      filter.state = query.state;
      filter.level = query.level;
      if (scope == Scope::kMunicipality) filter.municipality = actor.municipality;
      filter.after_id = query.cursor;
      // Most cases of a scope are visible: the first batch is one page and
      // one more; later batches (after refusals) are larger.
      filter.limit = query.limit + 1;
      int found = 0;
      int scanned = 0;
      while (found <= query.limit && scanned < kMaxScanned) {
        ASSIGN_OR_RETURN(auto batch, tx.cases().List(filter));
        for (auto& rec : batch) {
          filter.after_id = rec.id;
          ASSIGN_OR_RETURN(bool seen, consider(std::move(rec)));
          if (seen && ++found > query.limit) break;
        }
        scanned += static_cast<int>(batch.size());
        if (static_cast<int>(batch.size()) < filter.limit) break;
        filter.limit = kScanBatch;
      }
    }

    // 2. Cases reached through the team or an active grant, in id order.
    storage::CaseFilter among;
    among.type = query.type;
    among.state = query.state;
    among.level = query.level;
    among.after_id = query.cursor;
    Reach reach;
    reach.via_grants = ViaGrants::kYes;
    reach.max_ids = kMaxScanned;
    // Once a next page is known to exist, an id past this page's last cannot change the page.
    auto past_end = [&](const std::string& id) {
      return static_cast<int>(visible.size()) > query.limit && id > std::next(visible.begin(), query.limit - 1)->first;
    };
    reach.past_end = past_end;
    int found = 0;
    return VisitReachableCases(tx, actor, now, among, reach, [&](storage::CaseRecord rec) -> StatusOr<bool> {
      if (past_end(rec.id)) return false;
      ASSIGN_OR_RETURN(bool seen, consider(std::move(rec)));
      return !(seen && ++found > query.limit);
    });
  }));

  CasePage page;
  std::vector<storage::AuditEntry> audit;
  for (auto& [id, view] : visible) {
    if (static_cast<int>(page.cases.size()) == query.limit) {
      page.next_cursor = page.cases.back().record.id;
      break;
    }
    audit.push_back(MakeAudit(caller, now, "case.list", "success", "case", id, view.record.subject_person_id,
                              view.via_break_glass ? "break-the-glass access" : ""));
    page.cases.push_back(std::move(view));
  }
  RETURN_IF_ERROR(AppendAudit(store_, std::move(audit)));
  return page;
}

StatusOr<std::vector<storage::CaseEvent>> CaseQueries::Timeline(const std::string& case_id, const Caller& caller) {
  return ReadContent<std::vector<storage::CaseEvent>>(
      case_id, caller, "case.timeline.read",
      [](storage::Transaction& tx, storage::CaseRecord rec, const std::vector<storage::TeamMember>&,
         const engine::AccessDecision&, TimePoint) { return tx.events().ListForCase(rec.id); });
}

StatusOr<std::vector<storage::Note>> CaseQueries::Notes(const std::string& case_id, const Caller& caller) {
  return ReadContent<std::vector<storage::Note>>(
      case_id, caller, "note.read",
      [](storage::Transaction& tx, storage::CaseRecord rec, const std::vector<storage::TeamMember>&,
         const engine::AccessDecision&, TimePoint) { return tx.notes().ListForCase(rec.id); });
}

StatusOr<std::vector<storage::Action>> CaseQueries::Actions(const std::string& case_id, const Caller& caller) {
  return ReadContent<std::vector<storage::Action>>(
      case_id, caller, "action.read",
      [](storage::Transaction& tx, storage::CaseRecord rec, const std::vector<storage::TeamMember>&,
         const engine::AccessDecision&, TimePoint) { return tx.actions().ListForCase(rec.id); });
}

StatusOr<std::vector<TeamMemberView>> CaseQueries::Team(const std::string& case_id, const Caller& caller) {
  return ReadContent<std::vector<TeamMemberView>>(
      case_id, caller, "team.read",
      [](storage::Transaction& tx, storage::CaseRecord, const std::vector<storage::TeamMember>& team,
         const engine::AccessDecision&, TimePoint) -> StatusOr<std::vector<TeamMemberView>> {
        std::vector<TeamMemberView> out;
        for (const auto& m : team) {
          TeamMemberView tv{m, std::nullopt};
          auto org = tx.organisations().Get(m.org_id);
          if (org.ok()) tv.org = std::move(org).value();
          out.push_back(std::move(tv));
        }
        return out;
      });
}

}  // namespace casus::app

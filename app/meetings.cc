#include "app/meetings.h"

#include <algorithm>
#include <map>
#include <set>

#include "app/case_access.h"
#include "engine/access_policy.h"
#include "common/contains.h"

namespace casus::app {
namespace {

constexpr int kAgendaScanBatch = 500;
constexpr int kAgendaMaxScanned = 20000;
constexpr std::size_t kMaxAgendaItems = 200;

// Which cases of a type a meeting discusses (see meetings.h): none when the
// type's workflow has no overleg section.
const engine::AgendaRules kMeetingNoRules{};

const engine::AgendaRules& RulesFor(const engine::WorkflowDefinition* def, bool region_wide) {
  if (def == nullptr || !def->overleg) return kMeetingNoRules;
  if (region_wide && def->overleg->region_wide) return *def->overleg->region_wide;
  return def->overleg->local;
}

int ReasonRank(const std::string& reason) {
  if (reason == "new") return 0;
  if (reason == "awaiting_overleg") return 1;
  if (reason == "review_due") return 2;
  return 3;
}

// The reason a case is due on the agenda of `date`, or "" when it is not.
std::string DueReason(const storage::CaseRecord& rec, const engine::AgendaRules& rules, TimePoint end_of_date) {
  if (Contains(rules.new_states, rec.state)) return "new";
  if (Contains(rules.awaiting_states, rec.state)) return "awaiting_overleg";
  for (const auto& d : rec.deadlines) {
    // A suspended review is not due: the case waits (e.g. the person is detained).
    if (d.active() && !d.suspended() && Contains(rules.review_deadlines, d.id) && d.due_at <= end_of_date)
      return "review_due";
  }
  return "";
}

Status Refused(const std::string& message, Refusal reason = Refusal::kRoleRefused) {
  return Status(StatusCode::kPermissionDenied, message, StatusDetail{reason, {}, {}, ""});
}

Status Invalid(const std::string& field, const std::string& message) {
  return Status(StatusCode::kInvalidArgument, field + ": " + message,
                StatusDetail{Refusal::kInvalidData, {}, {{field, message}}, ""});
}

bool InScope(const storage::CaseRecord& rec, const storage::Meeting& m) {
  return rec.type == m.case_type && (m.municipality == kRegionWide || rec.municipality == m.municipality);
}

}  // namespace

MeetingService::MeetingService(storage::Store& store, CaseService& cases, const engine::DefinitionRegistry& registry,
                               const Clock& clock, IdGenerator& ids)
    : store_(store), cases_(cases), registry_(registry), clock_(clock), ids_(ids) {}

bool MeetingService::Organises(const engine::Actor& a, const storage::Meeting& m) {
  if (a.org_type == "zvh" && HasRole(a, "coordinator")) return true;
  return a.org_type == "gemeente" && m.municipality != kRegionWide && a.municipality == m.municipality &&
         HasAnyRole(a, {"coordinator", "meldpunt"});
}

bool MeetingService::Participates(const engine::Actor& a, const storage::Meeting& m) {
  return !a.org_id.empty() && Contains(m.participant_org_ids, a.org_id);
}

StatusOr<storage::Meeting> MeetingService::Create(const CreateMeetingInput& in, const Caller& caller) {
  const engine::WorkflowDefinition* def = registry_.Latest(in.case_type);
  if (def == nullptr) return Invalid("case_type", "unknown case type");
  if (in.municipality.empty()) return Invalid("municipality", "is required");
  if (in.name.empty() || in.name.size() > 200) return Invalid("name", "must have 1 to 200 characters");
  if (in.cadence_days < 0 || in.cadence_days > 366) return Invalid("cadence_days", "must be between 1 and 366");
  if (in.cadence_days == 0 && !def->overleg)
    return Invalid("cadence_days", "is required: the workflow of this case type sets no default");
  storage::Meeting m;
  m.id = ids_.NewId("meeting_");
  m.case_type = in.case_type;
  m.municipality = in.municipality;
  m.name = in.name;
  m.cadence_days = in.cadence_days == 0 ? def->overleg->cadence_days : in.cadence_days;
  m.created_at = clock_.Now();
  std::set<std::string> orgs(in.participant_org_ids.begin(), in.participant_org_ids.end());
  m.participant_org_ids.assign(orgs.begin(), orgs.end());
  if (!Organises(caller.actor, m))
    return Refused(m.municipality == kRegionWide
                       ? "only a ZVH coordinator organises the region-wide casusoverleg"
                       : "only a coordinator or meldpunt of " + m.municipality + " (or the ZVH) organises its meetings");
  Status problem = Status::Ok();
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    for (const auto& org : m.participant_org_ids) {
      auto found = tx.organisations().Get(org);
      if (!found.ok()) {
        if (found.status().code() != StatusCode::kNotFound) return found.status();
        problem = Invalid("participants", "unknown organisation " + org);
        return Status::Ok();
      }
    }
    RETURN_IF_ERROR(tx.meetings().Insert(m));
    ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                     tx.audit().Append(MakeAudit(caller, m.created_at, "meeting.create", "success", "meeting", m.id, "")));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(problem);
  return m;
}

StatusOr<std::vector<storage::Meeting>> MeetingService::List(const Caller& caller) {
  std::vector<storage::Meeting> out;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto all, tx.meetings().List());
    for (auto& m : all)
      if (Organises(caller.actor, m) || Participates(caller.actor, m)) out.push_back(std::move(m));
    return Status::Ok();
  }));
  return out;
}

StatusOr<storage::Meeting> MeetingService::LoadVisible(storage::Transaction& tx, const std::string& meeting_id,
                                                       const Caller& caller) {
  ASSIGN_OR_RETURN(storage::Meeting m, tx.meetings().Get(meeting_id));
  // Not revealing meetings one has no part in.
  if (!Organises(caller.actor, m) && !Participates(caller.actor, m))
    return Status::NotFound("meeting " + meeting_id + " not found");
  return m;
}

StatusOr<storage::Meeting> MeetingService::Get(const std::string& meeting_id, const Caller& caller) {
  storage::Meeting out;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(out, LoadVisible(tx, meeting_id, caller));
    return Status::Ok();
  }));
  return out;
}

StatusOr<AgendaView> MeetingService::BuildView(storage::Transaction& tx, storage::Meeting meeting,
                                               storage::Agenda agenda, const Caller& caller, TimePoint now) {
  AgendaView view;
  std::set<std::string> visible;
  std::vector<storage::AgendaItem> shown;
  for (const auto& item : agenda.items) {
    auto rec = tx.cases().Get(item.case_id);
    if (!rec.ok()) {
      if (rec.status().code() == StatusCode::kNotFound) continue;
      return rec.status();
    }
    ASSIGN_OR_RETURN(auto facts, LoadAccessFacts(tx, *rec, caller.actor.user_id, now));
    if (!engine::DecideCaseRead(caller.actor, facts).allowed) continue;
    AgendaItemView iv{item, std::move(rec).value(), ""};
    auto person = tx.persons().Get(iv.record.subject_person_id);
    if (person.ok()) iv.subject_name = person->name;
    visible.insert(item.case_id);
    shown.push_back(item);
    view.items.push_back(std::move(iv));
  }
  ASSIGN_OR_RETURN(auto decisions, tx.meetings().ListDecisions(agenda.id));
  for (auto& d : decisions)
    if (visible.count(d.case_id) > 0) view.decisions.push_back(std::move(d));
  agenda.items = std::move(shown);
  view.meeting = std::move(meeting);
  view.agenda = std::move(agenda);
  return view;
}

Status MeetingService::AuditView(const AgendaView& view, const Caller& caller, TimePoint now) {
  std::vector<storage::AuditEntry> audit;
  for (const auto& iv : view.items)
    audit.push_back(MakeAudit(caller, now, "meeting.agenda.read", "success", "case", iv.record.id,
                              iv.record.subject_person_id, "agenda " + view.agenda.id));
  if (audit.empty())
    audit.push_back(MakeAudit(caller, now, "meeting.agenda.read", "success", "agenda", view.agenda.id, ""));
  return AppendAudit(store_, std::move(audit));
}

StatusOr<AgendaView> MeetingService::GenerateAgenda(const std::string& meeting_id, Date date, const Caller& caller) {
  if (!date.ok()) return Invalid("date", "is not a valid date");
  const TimePoint now = clock_.Now();
  const std::string date_text = FormatDate(date);
  AgendaView view;
  Status problem = Status::Ok();
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::Meeting m, LoadVisible(tx, meeting_id, caller));
    if (!Organises(caller.actor, m)) {
      problem = Refused("only the meeting's organisers generate its agenda");
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(auto existing, tx.meetings().FindAgenda(m.id, date_text));
    if (existing) {
      problem = Status(StatusCode::kFailedPrecondition, "the meeting already has an agenda on " + date_text,
                       StatusDetail{Refusal::kAgendaExists, {}, {}, ""});
      return Status::Ok();
    }
    const engine::AgendaRules& rules = RulesFor(registry_.Latest(m.case_type), m.municipality == kRegionWide);
    // Due by the meeting day: by the end of that day in Amsterdam.
    const TimePoint end = cases_.calendar().EndOfLocalDay(date);
    std::vector<storage::AgendaItem> items;
    storage::CaseFilter filter;
    filter.type = m.case_type;
    if (m.municipality != kRegionWide) filter.municipality = m.municipality;
    filter.limit = kAgendaScanBatch;
    for (int scanned = 0; scanned < kAgendaMaxScanned;) {
      ASSIGN_OR_RETURN(auto batch, tx.cases().List(filter));
      for (const auto& rec : batch) {
        filter.after_id = rec.id;
        std::string reason = DueReason(rec, rules, end);
        if (reason.empty()) continue;
        ASSIGN_OR_RETURN(auto facts, LoadAccessFacts(tx, rec, caller.actor.user_id, now));
        if (!engine::DecideCaseRead(caller.actor, facts).allowed) continue;
        items.push_back({rec.id, 0, reason});
      }
      scanned += static_cast<int>(batch.size());
      if (static_cast<int>(batch.size()) < kAgendaScanBatch) break;
    }
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
      return ReasonRank(a.reason) < ReasonRank(b.reason);  // cases come in id order within a reason
    });
    for (std::size_t i = 0; i < items.size(); ++i) items[i].position = static_cast<int>(i) + 1;
    storage::Agenda agenda{ids_.NewId("agenda_"), m.id, date_text, now, std::move(items)};
    RETURN_IF_ERROR(tx.meetings().InsertAgenda(agenda));
    ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                     tx.audit().Append(MakeAudit(caller, now, "meeting.agenda.create", "success", "agenda", agenda.id, "")));
    ASSIGN_OR_RETURN(view, BuildView(tx, std::move(m), std::move(agenda), caller, now));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(problem);
  RETURN_IF_ERROR(AuditView(view, caller, now));
  return view;
}

StatusOr<AgendaView> MeetingService::GetAgenda(const std::string& meeting_id, Date date, const Caller& caller) {
  if (!date.ok()) return Invalid("date", "is not a valid date");
  const TimePoint now = clock_.Now();
  AgendaView view;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::Meeting m, LoadVisible(tx, meeting_id, caller));
    ASSIGN_OR_RETURN(auto agenda, tx.meetings().FindAgenda(m.id, FormatDate(date)));
    if (!agenda) return Status::NotFound("no agenda on " + FormatDate(date));
    ASSIGN_OR_RETURN(view, BuildView(tx, std::move(m), std::move(*agenda), caller, now));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(AuditView(view, caller, now));
  return view;
}

StatusOr<AgendaView> MeetingService::SetItems(const std::string& meeting_id, Date date,
                                              const std::vector<storage::AgendaItem>& items, const Caller& caller) {
  if (!date.ok()) return Invalid("date", "is not a valid date");
  if (items.size() > kMaxAgendaItems) return Invalid("items", "at most 200 items");
  const TimePoint now = clock_.Now();
  AgendaView view;
  Status problem = Status::Ok();
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::Meeting m, LoadVisible(tx, meeting_id, caller));
    if (!Organises(caller.actor, m)) {
      problem = Refused("only the meeting's organisers edit its agenda");
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(auto agenda, tx.meetings().FindAgenda(m.id, FormatDate(date)));
    if (!agenda) return Status::NotFound("no agenda on " + FormatDate(date));
    std::vector<storage::AgendaItem> next;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string field = "items[" + std::to_string(i) + "].case_id";
      if (!seen.insert(items[i].case_id).second) {
        problem = Invalid(field, "is on the agenda twice");
        return Status::Ok();
      }
      auto rec = tx.cases().Get(items[i].case_id);
      bool ok = rec.ok();
      if (!ok && rec.status().code() != StatusCode::kNotFound) return rec.status();
      if (ok) {
        ASSIGN_OR_RETURN(auto facts, LoadAccessFacts(tx, *rec, caller.actor.user_id, now));
        ok = InScope(*rec, m) && engine::DecideCaseRead(caller.actor, facts).allowed;
      }
      if (!ok) {  // the same answer for absent and unreadable cases
        problem = Invalid(field, "is not a case of this meeting");
        return Status::Ok();
      }
      next.push_back({items[i].case_id, static_cast<int>(i) + 1, items[i].reason.empty() ? "manual" : items[i].reason});
    }
    RETURN_IF_ERROR(tx.meetings().ReplaceItems(agenda->id, next));
    ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                     tx.audit().Append(MakeAudit(caller, now, "meeting.agenda.update", "success", "agenda", agenda->id, "")));
    agenda->items = std::move(next);
    ASSIGN_OR_RETURN(view, BuildView(tx, std::move(m), std::move(*agenda), caller, now));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(problem);
  return view;
}

StatusOr<DecisionResult> MeetingService::RecordDecision(const std::string& meeting_id, Date date,
                                                        const DecisionInput& in, const Caller& caller,
                                                        const AnswerBuilder& answer) {
  if (!date.ok()) return Invalid("date", "is not a valid date");
  if (!in.transition && !in.note && in.actions.empty())
    return Invalid("body", "a decision needs a transition, a note or actions");
  if (in.transition && !in.version) return Invalid("version", "is required with a transition");
  if (!in.transition && !in.data.empty()) return Invalid("data", "belongs to a transition");
  std::string agenda_id;
  // The meeting, its agenda and the item are checked before the case is planned.
  Status problem = Status::Ok();
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::Meeting m, LoadVisible(tx, meeting_id, caller));
    ASSIGN_OR_RETURN(auto agenda, tx.meetings().FindAgenda(m.id, FormatDate(date)));
    if (!agenda) return Status::NotFound("no agenda on " + FormatDate(date));
    agenda_id = agenda->id;
    bool on_agenda = std::any_of(agenda->items.begin(), agenda->items.end(),
                                 [&](const storage::AgendaItem& i) { return i.case_id == in.case_id; });
    if (!on_agenda) problem = Invalid("case_id", "is not on this agenda");
    return Status::Ok();
  }));
  RETURN_IF_ERROR(problem);

  // One write set (CaseService::ApplyChanges): the transition, the note, the
  // afspraken, their events and audit entries, and the decision row with its
  // meeting.decision entry naming what was done. A refusal or failure of any
  // part writes none of the others.
  const CaseChanges changes{in.transition, in.version.value_or(0), in.data, in.note, in.actions};
  storage::AgendaDecision decision;
  auto record = [&](storage::Transaction&, const storage::CaseRecord& after, const CaseChangesResult& planned,
                    storage::WriteSet& writes) -> Status {
    std::vector<std::string> done;
    if (planned.transitioned) done.push_back("transition " + *in.transition);
    if (planned.note) done.push_back("note " + planned.note->id);
    for (const auto& a : planned.actions) done.push_back("action " + a.id);
    std::string summary;
    for (const auto& d : done) summary += (summary.empty() ? "" : "; ") + d;
    const TimePoint now = clock_.Now();
    decision = {agenda_id, after.id, now, caller.actor.user_id, summary};
    writes.agenda_decisions.push_back(decision);
    writes.audit.push_back(MakeAudit(caller, now, "meeting.decision", "success", "case", after.id,
                                     after.subject_person_id, "agenda " + agenda_id));
    return Status::Ok();
  };
  ASSIGN_OR_RETURN(CaseChangesResult changed, cases_.ApplyChanges(in.case_id, changes, caller, answer, record));
  return DecisionResult{std::move(changed.transitioned), std::move(changed.note), std::move(changed.actions),
                        std::move(decision)};
}

}  // namespace casus::app

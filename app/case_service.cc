#include "app/case_service.h"

#include <algorithm>
#include <future>
#include <memory>

#include "storage/write_set.h"

#include "app/case_access.h"
#include "app/directory.h"
#include "app/event_payload.h"
#include "engine/access_policy.h"
#include "engine/bsn.h"

namespace casus::app {
namespace {

std::vector<storage::CaseEvent> EventRows(const storage::CaseRecord& rec, const std::string& actor, TimePoint now,
                                          const std::vector<engine::DomainEvent>& events) {
  std::vector<storage::CaseEvent> rows;
  for (const auto& ev : events) rows.push_back({0, rec.id, ev.type, now, actor, EventPayloadJson(ev)});
  return rows;
}

// Refusals that say what may be done instead carry the transitions allowed
// now, so that the answer needs no second read.
Status WithAllowedTransitions(Status refusal, const std::vector<std::string>& allowed) {
  const StatusDetail* d = refusal.detail();
  if (!RefusalNamesAlternatives(refusal) || (d && !d->allowed_transitions.empty())) return refusal;
  StatusDetail detail = d ? *d : StatusDetail{};
  detail.allowed_transitions = allowed;
  return Status(refusal.code(), refusal.message(), std::move(detail));
}

}  // namespace

// Case content is for those who work on cases: the privacy officer reads
// logs and the admin manages accounts (DOMAIN.md §5).
Status CaseService::RequireCaseWorker(const Caller& caller) {
  for (const auto& role : caller.actor.roles)
    if (role != "privacy_officer" && role != "admin") return Status::Ok();
  return Status(StatusCode::kPermissionDenied, "this role has no access to case content",
                StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
}

bool RefusalNamesAlternatives(const Status& refusal) {
  const StatusDetail* d = refusal.detail();
  return refusal.code() == StatusCode::kFailedPrecondition || refusal.code() == StatusCode::kAborted ||
         (refusal.code() == StatusCode::kNotFound && d && d->reason == Refusal::kUnknownTransition);
}

CaseService::CaseService(storage::Store& store, const engine::DefinitionRegistry& registry, const Config& config,
                         const engine::DutchCalendar& calendar, const Clock& clock, IdGenerator& ids)
    : store_(store), registry_(registry), config_(config), calendar_(calendar), clock_(clock), ids_(ids) {}

StatusOr<const engine::WorkflowDefinition*> CaseService::PinnedDefinition(const storage::CaseRecord& rec) const {
  const engine::WorkflowDefinition* def = registry_.Find(rec.type, rec.definition_version);
  if (!def)
    return Status::Internal("case " + rec.id + " is pinned to " + rec.type + " version " +
                            std::to_string(rec.definition_version) + ", which is not loaded");
  return def;
}

engine::Context CaseService::ContextFor(const engine::Settings& settings) const {
  return engine::Context{clock_.Now(), &calendar_, &settings};
}

engine::CaseState CaseService::ToCaseState(const storage::CaseRecord& r, std::optional<Date> birth_date) {
  engine::CaseState c;
  c.id = r.id;
  c.type = r.type;
  c.definition_version = r.definition_version;
  c.state = r.state;
  c.level = r.level;
  c.version = r.version;
  c.municipality = r.municipality;
  c.subject_birth_date = birth_date;
  c.received_at = r.received_at;
  c.opened_at = r.created_at;
  c.deadlines = r.deadlines;
  c.history = r.history;
  c.data = r.data;
  return c;
}

StatusOr<storage::CaseRecord> CaseService::OpenCase(const OpenCaseInput& input, const Caller& caller,
                                                    const AnswerBuilder& answer) {
  // A BSN is checked for its form here and kept only where the workflow
  // declares subject_bsn (below; docs/privacy.md).
  if (!input.subject.bsn.empty() && !engine::IsValidBsn(input.subject.bsn))
    return Status(StatusCode::kInvalidArgument, "subject.bsn: is not a valid BSN",
                  StatusDetail{Refusal::kInvalidRequest, {}, {{"subject.bsn", "is not a valid BSN"}}, ""});
  // Nobody opens a case they could not read.
  const int ceiling = engine::ActorMaxConfidentiality(caller.actor);
  if (ceiling == 0)
    return Status(StatusCode::kPermissionDenied, "this role has no access to case content",
                  StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
  if (input.confidentiality > ceiling)
    return Status(StatusCode::kInvalidArgument, "confidentiality: is above what your role may read",
                  StatusDetail{Refusal::kInvalidRequest, {}, {{"confidentiality", "is above what your role may read"}}, ""});
  const engine::WorkflowDefinition* def = registry_.Latest(input.type);
  if (!def) return Status::InvalidArgument("unknown case type \"" + input.type + "\"");
  if (input.subject.name.empty()) return Status::InvalidArgument("the subject's name is required");
  if (!config_.municipalities.contains(input.municipality))
    return Status(StatusCode::kInvalidArgument, "unknown municipality \"" + input.municipality + "\"",
                  StatusDetail{Refusal::kInvalidArgument, {}, {{"municipality", "is not a municipality this Casus serves"}}, ""});
  if (input.confidentiality < 1 || input.confidentiality > 3)
    return Status::InvalidArgument("confidentiality must be 1, 2 or 3");

  const engine::Settings settings = config_.SettingsFor(input.municipality);
  // Planned on a snapshot like a transition. The writer checks that the
  // persons matching the subject and the report's link are still as read;
  // when not, the opening is planned again on a new snapshot (it then links
  // the person added meanwhile, or finds the report already linked).
  for (int attempt = 1;; ++attempt) {
    storage::WriteSet writes;
    Status domain = Status::Ok();
    std::optional<storage::CaseRecord> created;
    engine::CaseAccessFacts facts;
    RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
      const engine::Context ctx = ContextFor(settings);
      auto refuse = [&](Status why) {
        domain = std::move(why);
        writes.audit.push_back(MakeAudit(caller, ctx.now, "case.create", "denied", "case", "", "", caller.reason));
        return Status::Ok();  // the refusal goes on record; nothing else changes
      };
      // A municipality's own staff work for that municipality only (DOMAIN.md
      // §5); regional partners (politie, OM, ZVH, ...) serve every one.
      if (caller.actor.org_type == "gemeente" && caller.actor.municipality != input.municipality)
        return refuse(Status(StatusCode::kPermissionDenied,
                             "staff of a gemeente open cases for their own municipality only",
                             StatusDetail{Refusal::kOtherMunicipality, {}, {}, ""}));
      std::optional<storage::Report> report;
      if (input.report_id) {
        ASSIGN_OR_RETURN(report, tx.reports().Get(*input.report_id));
        if (report->case_id) return Status::FailedPrecondition("report " + report->id + " is already linked to a case");
      }
      engine::OpenRequest request{input.municipality, input.subject.birth_date,
                                  report ? std::optional<TimePoint>(report->received_at) : std::nullopt, input.data};
      auto outcome = engine::Open(*def, request, caller.actor, ctx);
      if (!outcome.ok()) return refuse(outcome.status());

      // A known person (same name, case-insensitive, same birth date) is linked, not created again.
      ASSIGN_OR_RETURN(auto matches, tx.persons().FindByName(input.subject.name, input.subject.birth_date));
      storage::PersonMatchGuard guard{input.subject.name, input.subject.birth_date, {}};
      for (const auto& p : matches) guard.person_ids.push_back(p.id);
      std::sort(guard.person_ids.begin(), guard.person_ids.end());
      writes.person_guards.push_back(std::move(guard));
      storage::Person subject;
      if (matches.size() == 1 && matches[0].birth_date == input.subject.birth_date) {
        subject = matches[0];
      } else {
        subject = {ids_.NewId("person_"), input.subject.name, input.subject.birth_date,
                   def->subject_bsn && !input.subject.bsn.empty() ? std::optional<std::string>(input.subject.bsn)
                                                                  : std::nullopt,
                   ctx.now};
        writes.persons.push_back(subject);
      }
      const std::string& person_id = subject.id;

      storage::CaseRecord rec;
      rec.id = ids_.NewId("case_");
      rec.type = def->id;
      rec.definition_version = def->version;
      rec.state = outcome->state;
      rec.level = outcome->level;
      rec.version = 1;
      rec.municipality = input.municipality;
      rec.confidentiality = input.confidentiality;
      rec.subject_person_id = person_id;
      rec.report_id = input.report_id;
      rec.received_at = request.received_at.value_or(ctx.now);
      rec.created_at = rec.updated_at = ctx.now;
      rec.deadlines = outcome->deadlines;
      rec.data = outcome->data;
      writes.cases.push_back(rec);
      const std::vector<storage::TeamMember> team{{rec.id, caller.actor.org_id, "", "lid", ctx.now}};
      writes.team.push_back(team.front());
      if (report) writes.report_links.push_back({report->id, rec.id, person_id, ctx.now});
      writes.events = EventRows(rec, caller.actor.user_id, ctx.now, outcome->events);
      facts = FactsFor(rec, team, /*break_glass_active=*/false);
      writes.audit.push_back(MakeAudit(caller, ctx.now, "case.create", "success", "case", rec.id, person_id, caller.reason));
      // rec has no zaaknummer yet: the writer numbers the case as it inserts
      // it, and the returned record carries the number.
      if (answer) RETURN_IF_ERROR(answer({tx, rec, team, subject, /*via_break_glass=*/false, /*refused=*/false}));
      created = std::move(rec);
      return Status::Ok();
    }));
    Status committed = CommitWriteSet(writes, facts);
    if (storage::IsStaleVersion(committed) && attempt < kMaxPlans) continue;
    RETURN_IF_ERROR(committed);
    if (!domain.ok()) return domain;
    // The writer numbered the case (the zaaknummer) as it inserted it.
    created->case_number = writes.cases.front().case_number;
    return std::move(*created);
  }
}

CaseService::CaseStep CaseService::TransitionStep(const std::string& transition, const engine::FieldMap& data,
                                                 const Caller& caller) {
  return {"case.transition", caller.reason, transition,
          [&transition, &data, &caller](const engine::WorkflowDefinition& def, const engine::CaseState& state,
                                        const engine::Context& ctx) {
            return engine::Transition(def, state, {transition, data}, caller.actor, ctx);
          }};
}

StatusOr<CaseService::TransitionPlan> CaseService::PlanStep(const std::string& case_id, std::int64_t expected_version,
                                                            const CaseStep& step, const Caller& caller,
                                                            const AnswerBuilder& answer) const {
  TransitionPlan plan;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    RETURN_IF_ERROR(PlanStepIn(tx, case_id, expected_version, step, caller, plan));
    if (answer)
      RETURN_IF_ERROR(answer({tx, plan.after, plan.team, plan.subject, plan.via_break_glass, !plan.refusal.ok()}));
    return Status::Ok();
  }));
  return plan;
}

Status CaseService::PlanStepIn(storage::Transaction& tx, const std::string& case_id, std::int64_t expected_version,
                               const CaseStep& step, const Caller& caller, TransitionPlan& plan) const {
  ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(case_id));
  ASSIGN_OR_RETURN(const engine::WorkflowDefinition* def, PinnedDefinition(rec));
  ASSIGN_OR_RETURN(plan.subject, tx.persons().Get(rec.subject_person_id));
  const storage::Person& subject = plan.subject;
  const engine::Settings settings = config_.SettingsFor(rec.municipality);
  const engine::Context ctx = ContextFor(settings);
  ASSIGN_OR_RETURN(plan.team, tx.team().ListForCase(rec.id));
  ASSIGN_OR_RETURN(auto grants, tx.grants().ListActive(rec.id, caller.actor.user_id, ctx.now));
  const engine::AccessDecision access =
      engine::DecideCaseWrite(caller.actor, FactsFor(rec, plan.team, !grants.empty()));
  plan.via_break_glass = access.via_break_glass;
  const engine::CaseState state = ToCaseState(rec, subject.birth_date);

  auto refuse = [&](Status why) -> Status {
    plan.refusal = std::move(why);
    plan.writes.audit.push_back(MakeAudit(caller, ctx.now, step.audit_action, "denied", "case", rec.id,
                                          rec.subject_person_id, step.audit_reason));
    plan.after = std::move(rec);
    return Status::Ok();  // the refusal goes on record; nothing else changes
  };
  if (!access.allowed) return refuse(AccessDenied(access));
  const std::vector<std::string> allowed_now =
      engine::TransitionNames(engine::AllowedTransitions(*def, state, caller.actor));
  if (rec.version != expected_version)
    return refuse(Status(StatusCode::kAborted,
                         "the case was changed by someone else (now version " + std::to_string(rec.version) + ")",
                         StatusDetail{Refusal::kStaleVersion, allowed_now, {}, ""}));
  auto outcome = step.run(*def, state, ctx);
  if (!outcome.ok()) return refuse(WithAllowedTransitions(outcome.status(), allowed_now));

  storage::CaseProgress progress{rec.id, rec.version, outcome->state, outcome->level, rec.history, outcome->data,
                                 ctx.now, std::nullopt};
  if (!step.history_entry.empty()) progress.history.push_back(step.history_entry);
  if (outcome->deadlines != rec.deadlines) progress.deadlines = outcome->deadlines;
  plan.writes.events = EventRows(rec, caller.actor.user_id, ctx.now, outcome->events);
  plan.writes.audit.push_back(
      MakeAudit(caller, ctx.now, step.audit_action, "success", "case", rec.id, subject.id, step.audit_reason));

  rec.state = progress.state;
  rec.level = progress.level;
  rec.deadlines = outcome->deadlines;
  rec.data = progress.data;
  rec.history = progress.history;
  rec.updated_at = ctx.now;
  rec.version = expected_version + 1;
  plan.writes.case_progress.push_back(std::move(progress));
  plan.facts = FactsFor(rec, plan.team, /*break_glass_active=*/false);
  plan.after = std::move(rec);
  return Status::Ok();
}

StatusOr<storage::CaseRecord> CaseService::Transition(const std::string& case_id, const std::string& transition,
                                                      std::int64_t expected_version, const engine::FieldMap& data,
                                                      const Caller& caller, const AnswerBuilder& answer) {
  return CommitStep(case_id, expected_version, TransitionStep(transition, data, caller), caller, answer);
}

StatusOr<storage::CaseRecord> CaseService::CommitStep(const std::string& case_id, std::int64_t expected_version,
                                                      const CaseStep& step, const Caller& caller,
                                                      const AnswerBuilder& answer) {
  // Two plans at most in practice: when the writer finds that the case
  // moved on since the snapshot, the second plan sees the new version and
  // refuses the client's as stale (a refusal checks no version, so it commits).
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(TransitionPlan plan, PlanStep(case_id, expected_version, step, caller, answer));
    Status committed = CommitWriteSet(plan.writes, plan.facts);
    if (storage::IsStaleVersion(committed) && attempt < kMaxPlans) continue;
    RETURN_IF_ERROR(committed);
    if (!plan.refusal.ok()) return plan.refusal;
    return std::move(plan.after);
  }
}

CaseService::AddRows CaseService::NoteRows(const std::string& text, const Caller& caller, storage::Note& note) {
  return [this, &text, &caller, &note](storage::Transaction&, const storage::CaseRecord& rec, TimePoint now,
                                       storage::WriteSet& writes) -> StatusOr<std::string> {
    note = {ids_.NewId("note_"), rec.id, caller.actor.user_id, text, now};
    writes.notes.push_back(note);
    return note.id;
  };
}

CaseService::AddRows CaseService::ActionRows(storage::Action& action, const std::string& field_prefix) {
  return [this, &action, field_prefix](storage::Transaction& tx, const storage::CaseRecord& rec, TimePoint now,
                                       storage::WriteSet& writes) -> StatusOr<std::string> {
    RETURN_IF_ERROR(CheckOwner(tx, field_prefix + "owner_org", action.owner_org_id, field_prefix + "owner_user",
                               action.owner_user_id));
    action.case_id = rec.id;
    action.id = ids_.NewId("action_");
    action.status = "open";
    action.created_at = now;
    writes.actions.push_back(action);
    return action.id;
  };
}

StatusOr<storage::Note> CaseService::AddNote(const std::string& case_id, const std::string& text,
                                             const Caller& caller) {
  RETURN_IF_ERROR(RequireCaseWorker(caller));
  if (text.empty() || text.size() > kMaxNoteBytes)
    return Status::InvalidArgument("a note must have 1 to " + std::to_string(kMaxNoteBytes) + " bytes of text");
  storage::Note note;
  RETURN_IF_ERROR(CommitAddition(case_id, caller, "note.create", "note.added", "note_id", NoteRows(text, caller, note)));
  return note;
}

StatusOr<storage::Action> CaseService::AddAction(storage::Action action, const Caller& caller) {
  RETURN_IF_ERROR(RequireCaseWorker(caller));
  if (action.description.empty() || action.description.size() > kMaxAfspraakBytes)
    return Status::InvalidArgument("an afspraak needs a description of 1 to " + std::to_string(kMaxAfspraakBytes) +
                                   " bytes");
  if (action.owner_org_id.empty()) return Status::InvalidArgument("an afspraak needs an owning organisation");
  const std::string case_id = action.case_id;
  RETURN_IF_ERROR(
      CommitAddition(case_id, caller, "action.create", "action.added", "action_id", ActionRows(action, "")));
  return action;
}

Status CaseService::AddTeamMember(storage::TeamMember member, const Caller& caller) {
  RETURN_IF_ERROR(RequireCaseWorker(caller));
  // Who sits on the case team is the meldpunt's, regisseur's and
  // coordinator's call; partners work within the team they are given.
  if (!HasAnyRole(caller.actor, {"meldpunt", "regisseur", "coordinator"}))
    return Status(StatusCode::kPermissionDenied, "this role may not change the case team",
                  StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
  return CommitAddition(member.case_id, caller, "team.add", "team.added", "org_id",
                        [&](storage::Transaction& tx, const storage::CaseRecord&, TimePoint now,
                            storage::WriteSet& writes) -> StatusOr<std::string> {
                          RETURN_IF_ERROR(CheckOwner(tx, "org", member.org_id, "user", member.user_id));
                          member.added_at = now;
                          writes.team.push_back(member);
                          return member.org_id;
                        });
}

Status CaseService::CommitAddition(const std::string& case_id, const Caller& caller, const std::string& audit_action,
                                   const std::string& event_type, const std::string& attr, const AddRows& add) {
  // As with transitions: a case that moved on between the snapshot and the
  // commit (a transition, an erasure) is planned again on the new snapshot.
  for (int attempt = 1;; ++attempt) {
    storage::WriteSet writes;
    Status refusal = Status::Ok();
    engine::CaseAccessFacts facts;
    RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
      return PlanAdditionIn(tx, case_id, caller, audit_action, event_type, attr, add, writes, refusal, facts);
    }));
    Status committed = CommitWriteSet(writes, facts);
    if (storage::IsStaleVersion(committed) && attempt < kMaxPlans) continue;
    RETURN_IF_ERROR(committed);
    return refusal;
  }
}

Status CaseService::PlanAdditionIn(storage::Transaction& tx, const std::string& case_id, const Caller& caller,
                                   const std::string& audit_action, const std::string& event_type,
                                   const std::string& attr, const AddRows& add, storage::WriteSet& writes,
                                   Status& refusal, engine::CaseAccessFacts& facts) {
  ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(case_id));
  const TimePoint now = clock_.Now();
  ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(rec.id));
  ASSIGN_OR_RETURN(auto grants, tx.grants().ListActive(rec.id, caller.actor.user_id, now));
  const engine::AccessDecision decision = engine::DecideCaseWrite(caller.actor, FactsFor(rec, team, !grants.empty()));
  if (!decision.allowed) {
    refusal = AccessDenied(decision);
    writes.audit.push_back(
        MakeAudit(caller, now, audit_action, "denied", "case", rec.id, rec.subject_person_id, caller.reason));
    return Status::Ok();
  }
  writes.case_guards.push_back({rec.id, rec.version});
  ASSIGN_OR_RETURN(std::string value, add(tx, rec, now, writes));
  // The event's facts as the commit leaves the case: a member added now sees it.
  team.insert(team.end(), writes.team.begin(), writes.team.end());
  facts = FactsFor(rec, team, /*break_glass_active=*/false);
  writes.events.push_back({0, rec.id, event_type, now, caller.actor.user_id, SingleAttributeJson(attr, value)});
  writes.audit.push_back(
      MakeAudit(caller, now, audit_action, "success", "case", rec.id, rec.subject_person_id, caller.reason));
  return Status::Ok();
}

Status CaseService::CommitWriteSet(storage::WriteSet& writes, const engine::CaseAccessFacts& facts) {
  std::vector<PublishedEvent> published;
  auto work = [&](storage::Transaction& tx) -> Status {
    RETURN_IF_ERROR(storage::ApplyWriteSet(tx, writes));
    for (const auto& e : writes.events) published.push_back(ToPublished(e, facts));
    return Status::Ok();
  };
  // Handed over on the writer thread right after the commit, so in commit
  // order: event ids increase in that order, and a subscriber relies on it
  // (it never sends an id lower than one it already sent). The publisher
  // (app/event_dispatcher.h) delivers them off the writer thread.
  auto answer = std::make_shared<std::promise<Status>>();
  std::future<Status> result = answer->get_future();
  Status queued = store_.SubmitWrite(std::move(work), [this, &published, answer](Status committed) {
    if (committed.ok() && publisher_ && !published.empty()) publisher_->Publish(std::move(published));
    answer->set_value(std::move(committed));
  });
  if (!queued.ok()) return queued;
  return result.get();
}

}  // namespace casus::app

#include "app/break_glass.h"

#include <boost/json.hpp>

#include <algorithm>
#include <optional>

#include "app/case_access.h"
#include "engine/access_policy.h"

namespace casus::app {

std::size_t Utf8Length(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

BreakGlassService::BreakGlassService(storage::Store& store, const Config& config, const Clock& clock,
                                     IdGenerator& ids)
    : store_(store), config_(config), clock_(clock), ids_(ids) {}

StatusOr<storage::AccessGrant> BreakGlassService::Request(const std::string& case_id, const std::string& reason,
                                                          const Caller& caller) {
  const std::size_t len = Utf8Length(reason);
  if (len < kMinBreakGlassReason || len > kMaxBreakGlassReason)
    return Status(StatusCode::kInvalidArgument, "a reason of 10 to 1000 characters is required",
                  StatusDetail{Refusal::kInvalidData, {}, {{"reason", "must have 10 to 1000 characters"}}, ""});
  const TimePoint now = clock_.Now();
  std::optional<storage::AccessGrant> granted;
  Status refused = Status::Ok();
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(case_id));
    ASSIGN_OR_RETURN(auto team, tx.team().ListForCase(rec.id));
    const engine::CaseAccessFacts facts = FactsFor(rec, team, false);
    if (engine::DecideCaseRead(caller.actor, facts).allowed) {
      refused = Status(StatusCode::kFailedPrecondition, "you already have access to this case",
                       StatusDetail{Refusal::kAlreadyHasAccess, {}, {}, ""});
      return Status::Ok();
    }
    auto decision = engine::DecideBreakGlass(caller.actor, facts);
    if (!decision.allowed) {
      refused = Status(StatusCode::kPermissionDenied, "break-the-glass is not allowed: " + decision.why,
                       StatusDetail{Refusal::kBreakGlassRefused, {}, {}, ""});
      ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                       tx.audit().Append(MakeAudit(caller, now, "case.break_glass", "denied", "case", rec.id,
                                                   rec.subject_person_id, reason)));
      return Status::Ok();  // the refusal is on record
    }
    storage::AccessGrant grant;
    grant.id = ids_.NewId("grant_");
    grant.case_id = rec.id;
    grant.user_id = caller.actor.user_id;
    grant.reason = reason;
    grant.granted_at = now;
    grant.expires_at = now + std::chrono::minutes(config_.limits.break_glass_minutes);
    RETURN_IF_ERROR(tx.grants().Insert(grant));
    // Flag for review: the timeline shows who broke the glass and until when;
    // the reason itself stays in the audit log and the grant.
    boost::json::object payload{{"grant_id", grant.id},
                                {"user_id", grant.user_id},
                                {"org_id", caller.actor.org_id},
                                {"expires_at", FormatRfc3339(grant.expires_at)},
                                {"review_by", boost::json::array{"privacy_officer", "regisseur"}}};
    ASSIGN_OR_RETURN([[maybe_unused]] auto event_id,
                     tx.events().Append({0, rec.id, "access.break_glass", now, caller.actor.user_id,
                                         boost::json::serialize(payload)}));
    ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                     tx.audit().Append(MakeAudit(caller, now, "case.break_glass", "success", "case", rec.id,
                                                 rec.subject_person_id, reason)));
    granted = std::move(grant);
    return Status::Ok();
  }));
  if (!refused.ok()) return refused;
  return std::move(*granted);
}

namespace {

Status NotPrivacyOfficer() {
  return Status(StatusCode::kPermissionDenied, "only the privacy officer reviews break-the-glass access",
                StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
}

}  // namespace

StatusOr<std::vector<storage::AccessGrant>> BreakGlassService::PendingReviews(const Caller& caller, int limit) {
  if (!HasRole(caller.actor, "privacy_officer")) return NotPrivacyOfficer();
  std::vector<storage::AccessGrant> pending;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(pending, tx.grants().ListUnreviewed(limit));
    ASSIGN_OR_RETURN([[maybe_unused]] auto e, tx.audit().Append(MakeAudit(caller, clock_.Now(), "break_glass.review_list",
                                                                          "success", "access_grant", "", "")));
    return Status::Ok();
  }));
  return pending;
}

Status BreakGlassService::MarkReviewed(const std::string& grant_id, const Caller& caller) {
  if (!HasRole(caller.actor, "privacy_officer")) return NotPrivacyOfficer();
  Status outcome = Status::Ok();
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto unreviewed, tx.grants().ListUnreviewed(10000));
    auto it = std::find_if(unreviewed.begin(), unreviewed.end(),
                           [&](const storage::AccessGrant& g) { return g.id == grant_id; });
    if (it == unreviewed.end()) {
      outcome = Status::NotFound("no unreviewed break-the-glass grant " + grant_id);
      return Status::Ok();
    }
    const TimePoint now = clock_.Now();
    RETURN_IF_ERROR(tx.grants().MarkReviewed(grant_id, caller.actor.user_id, now));
    ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(it->case_id));
    ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                     tx.audit().Append(MakeAudit(caller, now, "break_glass.review", "success", "case", rec.id,
                                                 rec.subject_person_id)));
    return Status::Ok();
  }));
  return outcome;
}

}  // namespace casus::app

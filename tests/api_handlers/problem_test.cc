// Refusal reasons on the wire: every enumerator has its own name, the names
// are the ones clients already know, and the HTTP status comes from the
// reason where it decides and from the status code otherwise.
#include "api/handlers/problem.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace casus::api::handlers::testing {
namespace {

Status Refused(StatusCode code, Refusal reason) { return Status(code, "refused", StatusDetail{reason, {}, {}, ""}); }

TEST(RefusalTest, EveryReasonHasItsOwnName) {
  EXPECT_EQ(RefusalName(Refusal::kNone), "");  // no reason: the problem has no `reason`
  std::set<std::string_view> seen;
  for (int i = static_cast<int>(Refusal::kNone) + 1; i <= static_cast<int>(kLastRefusal); ++i) {
    const std::string_view name = RefusalName(static_cast<Refusal>(i));
    EXPECT_FALSE(name.empty()) << "enumerator " << i;
    EXPECT_TRUE(seen.insert(name).second) << "enumerator " << i << " repeats " << name;
  }
}

// The names are an API contract (the problem's `reason` and `type`): a
// rename must fail here, not in a client.
TEST(RefusalTest, WireNamesStayAsPublished) {
  const std::pair<Refusal, std::string_view> published[] = {
      {Refusal::kUnknownTransition, "unknown_transition"},
      {Refusal::kCaseClosed, "case_closed"},
      {Refusal::kNotAllowedInState, "not_allowed_in_state"},
      {Refusal::kRoleRefused, "role_refused"},
      {Refusal::kOrgRefused, "org_refused"},
      {Refusal::kInvalidData, "invalid_data"},
      {Refusal::kGuardFailed, "guard_failed"},
      {Refusal::kLevelBound, "level_bound"},
      {Refusal::kUnknownDeadline, "unknown_deadline"},
      {Refusal::kNotSuspendable, "not_suspendable"},
      {Refusal::kDeadlineNotRunning, "deadline_not_running"},
      {Refusal::kAlreadySuspended, "already_suspended"},
      {Refusal::kNotSuspended, "not_suspended"},
      {Refusal::kInvalidRequest, "invalid_request"},
      {Refusal::kInvalidArgument, "invalid_argument"},
      {Refusal::kInvalidField, "invalid_field"},
      {Refusal::kUnauthenticated, "unauthenticated"},
      {Refusal::kCsrfRequired, "csrf_required"},
      {Refusal::kOriginMismatch, "origin_mismatch"},
      {Refusal::kAccessDenied, "access_denied"},
      {Refusal::kOtherMunicipality, "other_municipality"},
      {Refusal::kBreakGlassRefused, "break_glass_refused"},
      {Refusal::kAlreadyHasAccess, "already_has_access"},
      {Refusal::kAlreadyLinked, "already_linked"},
      {Refusal::kAgendaExists, "agenda_exists"},
      {Refusal::kStaleVersion, "stale_version"},
      {Refusal::kRateLimited, "rate_limited"},
      {Refusal::kStorageFull, "storage_full"},
  };
  EXPECT_EQ(std::size(published), static_cast<std::size_t>(kLastRefusal));  // every reason listed
  for (const auto& [reason, name] : published) EXPECT_EQ(RefusalName(reason), name);
}

TEST(RefusalTest, HttpStatusFromTheReasonOrTheCode) {
  EXPECT_EQ(HttpStatusFor(Refused(StatusCode::kAborted, Refusal::kStaleVersion)), 409);
  EXPECT_EQ(HttpStatusFor(Refused(StatusCode::kInvalidArgument, Refusal::kInvalidData)), 422);
  EXPECT_EQ(HttpStatusFor(Refused(StatusCode::kInvalidArgument, Refusal::kInvalidRequest)), 400);
  EXPECT_EQ(HttpStatusFor(Refused(StatusCode::kPermissionDenied, Refusal::kRoleRefused)), 403);
  EXPECT_EQ(HttpStatusFor(Refused(StatusCode::kUnavailable, Refusal::kStorageFull)), 503);
  EXPECT_EQ(HttpStatusFor(Refused(StatusCode::kResourceExhausted, Refusal::kRateLimited)), 429);
  EXPECT_EQ(HttpStatusFor(Refused(StatusCode::kFailedPrecondition, Refusal::kNotAllowedInState)), 409);
  EXPECT_EQ(HttpStatusFor(Status::InvalidArgument("no detail")), 400);
}

TEST(RefusalTest, ProblemCarriesTheWireName) {
  auto body = boost::json::parse(ProblemResponse(Refused(StatusCode::kAborted, Refusal::kStaleVersion)).body);
  EXPECT_EQ(std::string(body.at("reason").as_string()), "stale_version");
  EXPECT_EQ(std::string(body.at("type").as_string()), "urn:casus:problem:stale-version");

  auto plain = boost::json::parse(ProblemResponse(Refused(StatusCode::kNotFound, Refusal::kNone)).body);
  EXPECT_FALSE(plain.as_object().contains("reason"));
  EXPECT_EQ(std::string(plain.at("type").as_string()), "urn:casus:problem:not-found");
}

}  // namespace
}  // namespace casus::api::handlers::testing

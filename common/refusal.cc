#include "common/refusal.h"

namespace casus {

// A switch rather than an array so that a new enumerator without a name
// fails to compile (-Wswitch) instead of shifting the names.
std::string_view RefusalName(Refusal refusal) {
  switch (refusal) {
    case Refusal::kNone: return "";
    case Refusal::kUnknownTransition: return "unknown_transition";
    case Refusal::kCaseClosed: return "case_closed";
    case Refusal::kNotAllowedInState: return "not_allowed_in_state";
    case Refusal::kRoleRefused: return "role_refused";
    case Refusal::kOrgRefused: return "org_refused";
    case Refusal::kInvalidData: return "invalid_data";
    case Refusal::kGuardFailed: return "guard_failed";
    case Refusal::kLevelBound: return "level_bound";
    case Refusal::kUnknownDeadline: return "unknown_deadline";
    case Refusal::kNotSuspendable: return "not_suspendable";
    case Refusal::kDeadlineNotRunning: return "deadline_not_running";
    case Refusal::kAlreadySuspended: return "already_suspended";
    case Refusal::kNotSuspended: return "not_suspended";
    case Refusal::kInvalidRequest: return "invalid_request";
    case Refusal::kInvalidArgument: return "invalid_argument";
    case Refusal::kInvalidField: return "invalid_field";
    case Refusal::kUnauthenticated: return "unauthenticated";
    case Refusal::kCsrfRequired: return "csrf_required";
    case Refusal::kOriginMismatch: return "origin_mismatch";
    case Refusal::kAccessDenied: return "access_denied";
    case Refusal::kOtherMunicipality: return "other_municipality";
    case Refusal::kBreakGlassRefused: return "break_glass_refused";
    case Refusal::kAlreadyHasAccess: return "already_has_access";
    case Refusal::kAlreadyLinked: return "already_linked";
    case Refusal::kAgendaExists: return "agenda_exists";
    case Refusal::kStaleVersion: return "stale_version";
    case Refusal::kRateLimited: return "rate_limited";
    case Refusal::kStorageFull: return "storage_full";
  }
  return "";
}

}  // namespace casus

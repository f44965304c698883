// Why a command was refused, as a closed set. The API sends RefusalName()
// as a problem's `reason` and in its `type` URN, so the names are part of
// the API contract: never rename one. Standard library only (the engine
// uses it).
#pragma once

#include <cstdint>
#include <string_view>

namespace casus {

enum class Refusal : std::uint8_t {
  kNone,  // no reason given: the status code alone says why
  // Engine (engine/engine.h lists which code each comes with).
  kUnknownTransition,
  kCaseClosed,
  kNotAllowedInState,
  kRoleRefused,
  kOrgRefused,
  kInvalidData,  // well-formed input refused by a rule (HTTP 422)
  kGuardFailed,
  kLevelBound,
  // Opschorting (engine SuspendDeadline/ResumeDeadline).
  kUnknownDeadline,
  kNotSuspendable,
  kDeadlineNotRunning,
  kAlreadySuspended,
  kNotSuspended,
  // Input the API could not take as it came.
  kInvalidRequest,  // malformed (HTTP 400)
  kInvalidArgument,
  kInvalidField,
  // Access.
  kUnauthenticated,
  kCsrfRequired,
  kOriginMismatch,
  kAccessDenied,
  kOtherMunicipality,
  kBreakGlassRefused,
  // State of what the command touches.
  kAlreadyHasAccess,
  kAlreadyLinked,
  kAgendaExists,
  kStaleVersion,
  // Capacity.
  kRateLimited,
  kStorageFull,
};

// The last enumerator, so that tests can walk them all; keep it in step.
inline constexpr Refusal kLastRefusal = Refusal::kStorageFull;

// The wire name ("stale_version"); "" for kNone.
std::string_view RefusalName(Refusal refusal);

}  // namespace casus

// Break-the-glass (DOMAIN.md §5): access to a case outside one's case team
// for a limited time, with a mandatory reason. The grant, its case event
// "access.break_glass" (the flag the privacy officer and the case's
// regisseur review) and the audit entry "case.break_glass" with the reason
// commit in one transaction. Thread-safe.
#pragma once

#include <string>

#include "app/case_service.h"
#include "app/config.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace casus::app {

inline constexpr std::size_t kMinBreakGlassReason = 10;   // characters
inline constexpr std::size_t kMaxBreakGlassReason = 1000;

class BreakGlassService {
 public:
  BreakGlassService(storage::Store& store, const Config& config, const Clock& clock, IdGenerator& ids);

  // InvalidArgument for a reason outside 10..1000 characters; NotFound for
  // an unknown case; PermissionDenied (audited) when DecideBreakGlass
  // refuses; FailedPrecondition when the caller can already read the case.
  StatusOr<storage::AccessGrant> Request(const std::string& case_id, const std::string& reason, const Caller& caller);

  // The privacy officer's review queue: grants not yet reviewed, oldest
  // first. PermissionDenied for every other role. Audited as
  // break_glass.review_list.
  StatusOr<std::vector<storage::AccessGrant>> PendingReviews(const Caller& caller, int limit);

  // Marks a grant reviewed by the privacy officer. NotFound for an unknown
  // grant; FailedPrecondition when already reviewed. Audited as
  // break_glass.review with the grant's case.
  Status MarkReviewed(const std::string& grant_id, const Caller& caller);

 private:
  storage::Store& store_;
  const Config& config_;
  const Clock& clock_;
  IdGenerator& ids_;
};

// Characters (UTF-8 code points) in `text`.
std::size_t Utf8Length(const std::string& text);

}  // namespace casus::app

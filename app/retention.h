// The retention job (docs/privacy.md): after a case's or report's period
// after closure has passed, its content is erased; persons no longer
// referenced are deleted; audit entries past the audit period lose their
// erasable content (client address, reason, detail) while the chain stays
// verifiable. What remains is kept in the retention log (type, dates,
// counts) and each erasure is an audit entry by the system.
// Thread-safe as far as the store is; run one job at a time.
#pragma once

#include <string>
#include <vector>

#include "app/config.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::app {

// One record the job erased (or, in a dry run, would erase).
struct RetentionItem {
  std::string object_type;  // case, report
  std::string object_id;
  std::string kind;         // case type or report category
  std::string state;        // the closing state or report status
  TimePoint closed_at{};
  std::string period;       // e.g. "5y"
};

struct RetentionSummary {
  bool dry_run = false;
  TimePoint at{};
  std::vector<RetentionItem> items;
  int cases = 0;
  int reports = 0;
  int persons = 0;        // deleted (not counted in a dry run)
  int audit_entries = 0;  // whose content was erased (in a dry run: due)
};

// InvalidArgument when the configuration names a case type the registry
// does not know, or a state that is not a terminal state of that type.
Status CheckRetentionConfig(const RetentionConfig& config, const engine::DefinitionRegistry& registry);

class RetentionService {
 public:
  RetentionService(storage::Store& store, const engine::DefinitionRegistry& registry, const RetentionConfig& config,
                   const Clock& clock);

  // Erases what expired at the clock's now; with `dry_run`, only reports it.
  StatusOr<RetentionSummary> Run(bool dry_run);

 private:
  StatusOr<std::vector<RetentionItem>> FindExpired(TimePoint now);
  Status EraseCase(const RetentionItem& item, TimePoint now, RetentionSummary& summary);
  // Reports go in batches: one transaction (and fsync) per batch.
  Status EraseReports(const std::vector<const RetentionItem*>& items, TimePoint now, RetentionSummary& summary);
  StatusOr<int> EraseAuditContent(TimePoint now, bool dry_run);

  storage::Store& store_;
  const engine::DefinitionRegistry& registry_;
  const RetentionConfig& config_;
  const Clock& clock_;
};

}  // namespace casus::app

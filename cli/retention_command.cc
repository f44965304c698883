#include "cli/retention_command.h"

#include <iostream>

#include "app/retention.h"
#include "app/workflow_catalog.h"
#include "cli/store_access.h"

namespace casus::cli {

int RetentionRun(const CommonOptions& options, bool dry_run) {
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  auto store = OpenStoreOrReport(*config, /*create=*/false);
  if (!store) return 2;
  auto registry = app::SyncWorkflows(*store, config->workflows_dir);
  if (!registry.ok()) {
    std::cerr << "retention: invalid workflow definitions\n" << registry.status().message() << "\n";
    return 2;
  }
  if (Status st = app::CheckRetentionConfig(config->retention, *registry); !st.ok()) {
    std::cerr << "configuration: " << st.message() << "\n";
    return 2;
  }
  SystemClock clock;
  app::RetentionService retention(*store, *registry, config->retention, clock);
  auto summary = retention.Run(dry_run);
  if (!summary.ok()) {
    std::cerr << "retention: " << summary.status().message() << "\n";
    return 1;
  }
  const char* verb = dry_run ? "would erase" : "erased";
  for (const auto& item : summary->items)
    std::cout << verb << " " << item.object_type << " " << item.object_id << " (" << item.kind << ", "
              << item.state << ", closed " << FormatRfc3339(item.closed_at) << ", period " << item.period << ")\n";
  std::cout << (dry_run ? "dry run: " : "") << summary->cases << " cases, " << summary->reports << " reports, "
            << summary->persons << " persons, " << summary->audit_entries << " audit entries' content "
            << (dry_run ? "due" : "erased") << "\n";
  return 0;
}

}  // namespace casus::cli

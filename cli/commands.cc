#include "cli/commands.h"

#include <filesystem>
#include <iostream>

#include "app/auth_service.h"
#include "app/case_service.h"
#include "app/config.h"
#include "app/demo_data.h"
#include "app/workflow_catalog.h"
#include "cli/store_access.h"
#include "loader/workflow_loader.h"
#include "storage/sqlite_store.h"
#include "tz/tzdb_civil_time.h"

namespace casus::cli {

int WorkflowsCheck(const CommonOptions& options, const std::optional<std::string>& dir_arg) {
  std::filesystem::path dir;
  if (dir_arg) {
    dir = *dir_arg;
  } else {
    auto config = LoadConfigOrReport(options);
    if (!config) return 2;
    dir = config->workflows_dir;
  }
  engine::LoadResult result = engine::LoadWorkflowDirectory(dir);
  for (const auto& def : result.definitions) {
    std::cout << def.source_file << ": " << def.id << " version " << def.version << " valid (" << def.states.size()
              << " states, " << def.transitions.size() << " transitions, " << def.levels.size() << " levels, "
              << def.deadlines.size() << " deadlines)\n";
  }
  for (const auto& e : result.errors) std::cerr << e.ToString() << "\n";
  if (!result.ok()) {
    std::cerr << result.errors.size() << (result.errors.size() == 1 ? " error" : " errors") << " in " << dir.string()
              << "\n";
    return 1;
  }
  std::cout << result.definitions.size() << " workflow definitions in " << dir.string() << " are valid\n";
  return 0;
}

int Init(const CommonOptions& options, bool demo) {
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  auto store = OpenStoreOrReport(*config, /*create=*/true);
  if (!store) return 2;
  if (config->storage.backend == app::StorageConfig::Backend::kPostgres)
    std::cout << "database " << DatabaseName(*config) << " ready (PostgreSQL)\n";
  else
    std::cout << "database " << DatabaseName(*config) << " ready (schema version " << storage::CurrentSchemaVersion()
              << ", synchronous=" << config->synchronous << ")\n";
  auto registry = app::SyncWorkflows(*store, config->workflows_dir);
  if (!registry.ok()) {
    std::cerr << "workflows:\n" << registry.status().message() << "\n";
    return 1;
  }
  for (const auto* def : registry->LatestOfEach())
    std::cout << "workflow " << def->id << " version " << def->version << " recorded\n";
  if (!demo) return 0;

  auto zone = tz::LoadAmsterdam();
  if (!zone.ok()) {
    std::cerr << "demo data: " << zone.status().message() << "\n";
    return 2;
  }
  engine::DutchCalendar calendar(**zone, config->calendar);
  SystemClock clock;
  RandomIdGenerator ids;
  app::CaseService cases(*store, *registry, *config, calendar, clock, ids);
  app::AuthService auth(*store, clock, ids);
  auto summary = app::SeedDemoData(*store, cases, auth, *registry, ids, clock);
  if (!summary.ok()) {
    std::cerr << "demo data: " << summary.status().message() << "\n";
    return 1;
  }
  for (const auto& line : summary->lines) std::cout << "demo: " << line << "\n";
  for (const auto& a : summary->accounts)
    std::cout << "demo account: " << a.username << " (" << a.role << ", " << a.org_name << ")\n";
  auto audit = store->VerifyAudit();
  if (audit.ok()) std::cout << "audit chain intact: " << audit->entries << " entries\n";
  return 0;
}

int AuditVerify(const CommonOptions& options) {
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  auto store = OpenStoreOrReport(*config, /*create=*/false);
  if (!store) return 2;
  auto result = store->VerifyAudit();
  if (!result.ok()) {
    std::cerr << "audit verify: " << result.status().message() << "\n";
    return 2;
  }
  if (!result->intact) {
    std::cerr << "audit chain BROKEN at entry " << result->first_bad_seq << ": " << result->problem << " ("
              << result->entries << " entries read)\n";
    return 1;
  }
  std::cout << "audit chain intact: " << result->entries << " entries\n";
  return 0;
}

}  // namespace casus::cli

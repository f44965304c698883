// A real Casus behind ApiHandler for the fuzz targets (no gtest): a
// temp-file SQLite store under $TMPDIR, the real workflows, the real
// AuthService with three logged-in users, one open IAWW case and one
// meeting. Built once per process and never destroyed (libFuzzer exits
// from inside its loop; the writer thread must not be torn down there).
#pragma once

#include <string>
#include <vector>

#include "api/handlers/api_handler.h"

namespace casus::fuzz {

struct FuzzUser {
  std::string token;
  std::string csrf;
};

struct ApiEnv {
  api::handlers::ApiHandler* api = nullptr;
  std::vector<FuzzUser> users;  // meldpunt, regisseur, coordinator (all Gemeente Kerkrade)
  std::string case_id;
  std::string meeting_id;
};

// Aborts when the environment cannot be built: a fuzz run without it
// would test nothing.
const ApiEnv& GetApiEnv();

}  // namespace casus::fuzz

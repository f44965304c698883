// The demo data set: organisations and staff of the Parkstad region, the
// Kerkrade meldpunt's historical report counts (seed 000, 2018–2020), and
// open cases of each type taken a few steps through their workflows.
// Everything is fictional; persons' names are invented.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/auth_service.h"
#include "app/case_service.h"
#include "common/status.h"
#include "storage/store.h"

namespace casus::app {

// The Kerkrade meldpunt's reports per category and year, as published.
struct YearlyCount {
  int year;
  std::string category;
  int count;
};
const std::vector<YearlyCount>& KerkradeMeldpuntCounts();

// Every demo account has this password: the data set is for trying Casus
// out on localhost, never for real data.
inline constexpr std::string_view kDemoPassword = "demo-wachtwoord";

struct DemoAccount {
  std::string username;
  std::string role;
  std::string org_name;
};

struct DemoSummary {
  std::vector<std::string> lines;  // what was done, for people to read
  std::vector<DemoAccount> accounts;
};

// Seeds an empty database; FailedPrecondition when it already holds
// organisations (the demo is never mixed into real data).
StatusOr<DemoSummary> SeedDemoData(storage::Store& store, CaseService& cases, AuthService& auth,
                                   const engine::DefinitionRegistry& registry, IdGenerator& ids, const Clock& clock);

}  // namespace casus::app

// A real Casus behind ApiHandler, without a network: a temp-file SQLite
// store, or with CASUS_TEST_BACKEND=postgres a fresh database on the
// binary's throwaway PostgreSQL (the `<binary>_postgres` ctest entries run
// the same suites that way); the real workflows, the real AuthService
// (users added and logged in with a TOTP code computed here), a manual clock.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "api/handlers/api_handler.h"
#include "app/auth_service.h"
#include "app/case_service.h"
#include "app/services.h"
#include "app/config.h"
#include "engine/calendar.h"
#include "engine/registry.h"
#include "storage/store.h"
#include "tests/support/backends.h"
#include "tests/support/temp_dir.h"
#include "tz/tzdb_civil_time.h"

namespace casus::api::handlers::testing {

struct Login {
  std::string user_id;
  std::string token;
  std::string csrf;
  std::string org_id;
  HttpResponse response;  // of the login
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Adds the user (creating the organisation when new) and logs in through the API.
  Login AddUser(const std::string& username, const std::string& role, const std::string& org_name,
                const std::string& org_type, const std::string& municipality);

  HttpResponse Call(const std::string& method, const std::string& target, const std::string& body = "",
                    const std::string& token = "",
                    std::vector<std::pair<std::string, std::string>> headers = {});
  static boost::json::value Json(const HttpResponse& r);
  static std::string Header(const HttpResponse& r, const std::string& name);

  // An IAWW case in Kerkrade opened by `who` (a meldpunt of Gemeente Kerkrade); returns its JSON.
  boost::json::object OpenIaww(const Login& who, const std::string& subject = "Jan Demo",
                               const std::string& municipality = "Kerkrade");

  std::vector<storage::AuditEntry> Audit();
  storage::CaseRecord StoredCase(const std::string& id);

  // SQL on the database itself, past the store, as someone with access to
  // the database (file) could run it; pending writes are flushed first.
  // Keep to SQL both backends read alike. RawExec returns "" or the error;
  // RawInt and RawText the first column of the first row ("" for NULL),
  // failing the test on error.
  std::string RawExec(const std::string& sql);
  std::int64_t RawInt(const std::string& sql);
  std::string RawText(const std::string& sql);
  // `DROP TRIGGER` in this backend's dialect (PostgreSQL names the table).
  std::string DropTrigger(const std::string& trigger, const std::string& table) const;

  casus::testing::TempDir dir;
  std::optional<casus::testing::BackendDatabase> database;  // the test's SQLite file or PostgreSQL database
  bool on_postgres = false;
  std::unique_ptr<storage::Store> store;
  engine::DefinitionRegistry registry;
  app::Config config;
  engine::DutchCalendar calendar{tz::Amsterdam()};
  ManualClock clock{*ParseRfc3339("2026-03-02T09:00:00Z")};
  SequentialIdGenerator ids;
  std::unique_ptr<app::Services> services;
  app::AuthService* auth = nullptr;   // in `services`
  app::CaseService* cases = nullptr;  // in `services`
  std::unique_ptr<ApiHandler> api;
  std::vector<std::pair<std::string, std::string>> transitions_counted;
  static constexpr const char* kPassword = "correct horse battery staple";
};

}  // namespace casus::api::handlers::testing

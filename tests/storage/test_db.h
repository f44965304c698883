// Test helpers: a unique temp directory per test, store opening, raw SQL on
// the database file (bypassing the store, as an attacker with the file
// would), and record builders with every field set.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/sqlite_store.h"

namespace casus::storage::testing {

// Created under temp_directory_path(), removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class StorageTest : public ::testing::Test {
 protected:
  SqliteOptions Options() const;
  std::unique_ptr<Store> OpenStore(const SqliteOptions& options);
  std::unique_ptr<Store> OpenStore() { return OpenStore(Options()); }
  std::filesystem::path db_path() const { return dir_.path() / "casus.db"; }

  TempDir dir_;
};

// Runs `sql` on a connection of its own (creating the file when absent);
// returns "" or SQLite's error message.
std::string RawExec(const std::filesystem::path& db, const std::string& sql);
// The first column of the first row as an integer (fails the test on error).
std::int64_t RawInt(const std::filesystem::path& db, const std::string& sql);

TimePoint At(int day, int hour = 12, int minute = 0);  // 2026-03-<day>T<hour>:<minute>:00Z

Organisation MakeOrganisation(const std::string& id, const std::string& name);
User MakeUser(const std::string& id, const std::string& username, const std::string& org_id);
Person MakePerson(const std::string& id, const std::string& name);
Report MakeReport(const std::string& id, const std::string& tracking_code, TimePoint received_at);
CaseRecord MakeCase(const std::string& id, const std::string& person_id);
AuditEntry MakeAuditEntry(int n);

// Writes `work` and expects OK.
void MustWrite(Store& store, WorkFn work);

}  // namespace casus::storage::testing

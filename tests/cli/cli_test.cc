// The casus binary as a user runs it: workflow checking, init with the
// demo set, and audit verification — including tampering with plain SQL,
// each kind of tampering as its own test.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/wait.h>

#include "tests/cli/run_shell.h"
#include "tests/support/temp_dir.h"

namespace {

using casus::testing::RunResult;

RunResult RunCasus(const std::string& args) {
  // From the repository root, as a user would: config/ and workflows/ are found there.
  std::string command = "cd " CASUS_SOURCE_DIR " && " + std::string(CASUS_BINARY) + " " + args + " 2>&1";
  return casus::testing::RunShell(command);
}

std::string Source(const std::string& rel) { return std::string(CASUS_SOURCE_DIR) + "/" + rel; }

// Runs `sql` on the database file; returns SQLite's error message, empty on success.
std::string TrySql(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  if (sqlite3_open(db.c_str(), &handle) != SQLITE_OK) return "cannot open";
  char* error = nullptr;
  int rc = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error);
  std::string message = rc == SQLITE_OK ? "" : (error ? error : "error");
  sqlite3_free(error);
  sqlite3_close(handle);
  return message;
}

// Tampering as someone with write access to the file would do it: first
// drop the append-only triggers (defence in depth, not the proof), then
// change the rows.
void Tamper(const std::filesystem::path& db, const std::string& sql) {
  std::string drop = "SELECT 1;";
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(handle, "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name IN "
                                       "('audit_log','audit_head')", -1, &stmt, nullptr), SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW)
    drop += std::string("DROP TRIGGER ") + reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)) + ";";
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  std::string error = TrySql(db, drop + sql);
  ASSERT_EQ(error, "");
}

TEST(WorkflowsCheck, TheAuthoredWorkflowsAreValid) {
  auto r = RunCasus("workflows check " + Source("workflows"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* file : {"huisverbod.yaml", "iaww.yaml", "jpp.yaml", "topx.yaml", "wvggz.yaml"})
    EXPECT_NE(r.output.find(std::string(file) + ": "), std::string::npos) << file << "\n" << r.output;
  EXPECT_NE(r.output.find("5 workflow definitions"), std::string::npos) << r.output;
}

TEST(WorkflowsCheck, BrokenWorkflowFailsNamingFileAndPathOfEveryError) {
  auto r = RunCasus("workflows check " + Source("tests/cli/fixtures/broken"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("wvggz.yaml: transitions[1].to: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("besluit"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("wvggz.yaml: transitions[1].roles[0]: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("wvggz.yaml: deadlines[0].duration: "), std::string::npos) << r.output;
}

TEST(WorkflowsCheck, MissingDirectoryFails) {
  auto r = RunCasus("workflows check /nonexistent/casus-workflows");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("/nonexistent/casus-workflows"), std::string::npos) << r.output;
}

class DemoDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunCasus("init --demo --data-dir " + dir.path().string() + " --config " + Source("config/casus.yaml"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    init_output = r.output;
  }
  std::filesystem::path db() const { return dir.path() / "casus.db"; }
  RunResult Verify() { return RunCasus("audit verify --data-dir " + dir.path().string()); }

  casus::testing::TempDir dir;
  std::string init_output;
};

TEST_F(DemoDatabase, InitPrintsWhatItDidAndTheChainVerifies) {
  EXPECT_NE(init_output.find("workflow wvggz version"), std::string::npos) << init_output;
  EXPECT_NE(init_output.find("707 historical Kerkrade meldpunt reports"), std::string::npos) << init_output;
  EXPECT_NE(init_output.find("9 demo cases"), std::string::npos) << init_output;
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("audit chain intact"), std::string::npos);
}

// Retention by hand (dry run, run, re-run) is tested on both backends in
// cli_backends_test.cc.

TEST_F(DemoDatabase, DemoIsNeverLoadedIntoADatabaseWithData) {
  auto r = RunCasus("init --demo --data-dir " + dir.path().string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("already holds data"), std::string::npos) << r.output;
}

TEST_F(DemoDatabase, AuditRowsCannotBeChangedThroughSqlWhileTriggersStand) {
  EXPECT_NE(TrySql(db(), "UPDATE audit_log SET user_id = 'x' WHERE seq = 1"), "");
  EXPECT_NE(TrySql(db(), "DELETE FROM audit_log WHERE seq = 1"), "");
  EXPECT_EQ(Verify().exit_code, 0);
}

TEST_F(DemoDatabase, TamperUpdateOfAnEntryIsDetected) {
  Tamper(db(), "UPDATE audit_log SET user_id = 'someone_else' WHERE seq = 3");
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("BROKEN at entry 3"), std::string::npos) << r.output;
}

TEST_F(DemoDatabase, TamperDeleteOfAnEntryIsDetected) {
  Tamper(db(), "DELETE FROM audit_log WHERE seq = 5");
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("BROKEN at entry"), std::string::npos) << r.output;
}

TEST_F(DemoDatabase, TamperDeleteOfTheLastEntryIsDetected) {
  Tamper(db(), "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)");
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("BROKEN at entry"), std::string::npos) << r.output;
}

TEST_F(DemoDatabase, TamperInsertOfAForgedEntryIsDetected) {
  // Make room after entry 2 and slot a copy of entry 2 in as entry 3.
  Tamper(db(), "UPDATE audit_log SET seq = seq + 1000000 WHERE seq > 2;"
            "UPDATE audit_log SET seq = seq - 1000000 + 1 WHERE seq > 1000000;"
            "INSERT INTO audit_log SELECT 3, " 
            "at, action, result, user_id, role, org_id, on_behalf_of, client, object_type, object_id, person_id, "
            "reason, prev_hash, hash, scheme, detail, salt, content_digest, erased_at FROM audit_log WHERE seq = 2");
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("BROKEN at entry 3"), std::string::npos) << r.output;
}

TEST_F(DemoDatabase, TamperSwapOfTwoEntriesIsDetected) {
  Tamper(db(), "UPDATE audit_log SET seq = -1 WHERE seq = 4;"
            "UPDATE audit_log SET seq = 4 WHERE seq = 5;"
            "UPDATE audit_log SET seq = 5 WHERE seq = -1");
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("BROKEN at entry 4"), std::string::npos) << r.output;
}

TEST(AuditVerify, MissingDatabaseIsAnErrorNotIntact) {
  casus::testing::TempDir empty;
  auto r = RunCasus("audit verify --data-dir " + empty.path().string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("casus init"), std::string::npos) << r.output;
}

TEST(Init, ChangedWorkflowWithoutNewVersionIsRefused) {
  casus::testing::TempDir data, flows;
  std::filesystem::copy(Source("tests/cli/fixtures/valid/iaww.yaml"), flows.path() / "iaww.yaml");
  ASSERT_EQ(setenv("CASUS_WORKFLOWS_DIR", flows.path().c_str(), 1), 0);
  auto first = RunCasus("init --data-dir " + data.path().string());
  ASSERT_EQ(first.exit_code, 0) << first.output;
  {
    std::ofstream out(flows.path() / "iaww.yaml", std::ios::app);
    out << "  - {name: heropenen, label: Heropenen, from: nieuw, to: nieuw, roles: [coordinator]}\n";
  }
  auto second = RunCasus("init --data-dir " + data.path().string());
  unsetenv("CASUS_WORKFLOWS_DIR");
  EXPECT_EQ(second.exit_code, 1) << second.output;
  EXPECT_NE(second.output.find("raise `version`"), std::string::npos) << second.output;
}

TEST(Init, BadConfigurationIsReportedWithTheKey) {
  casus::testing::TempDir data;
  std::ofstream(data.path() / "bad.yaml") << "database:\n  synchronous: SOMETIMES\n";
  auto r = RunCasus("init --data-dir " + data.path().string() + " --config " + (data.path() / "bad.yaml").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("database.synchronous"), std::string::npos) << r.output;
}

}  // namespace

namespace {

TEST_F(DemoDatabase, DemoTotpWorksForDemoAccountsOnly) {
  auto code = RunCasus("demo totp --username coordinator.kerkrade --data-dir " + dir.path().string());
  EXPECT_EQ(code.exit_code, 0) << code.output;
  ASSERT_EQ(code.output.size(), 7u) << code.output;  // six digits and a newline
  std::ofstream(dir.path() / "pw.txt") << "een echt en lang wachtwoord\n";
  auto added = RunCasus("user add --username echte.gebruiker --role regisseur --org \"Gemeente Kerkrade\" "
                        "--org-type gemeente --municipality Kerkrade --data-dir " + dir.path().string() + " < " +
                        (dir.path() / "pw.txt").string());
  ASSERT_EQ(added.exit_code, 0) << added.output;
  auto refused = RunCasus("demo totp --username echte.gebruiker --data-dir " + dir.path().string());
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("only for demo accounts"), std::string::npos) << refused.output;
  auto unknown = RunCasus("demo totp --username niemand --data-dir " + dir.path().string());
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
}

}  // namespace

namespace {

TEST(Serve, RefusesToStartOnInvalidWorkflows) {
  casus::testing::TempDir data;
  // With valid workflows it would run until stopped; with broken ones it must exit 1 at once.
  ASSERT_EQ(setenv("CASUS_WORKFLOWS_DIR", Source("tests/cli/fixtures/broken").c_str(), 1), 0);
  auto refused = RunCasus("serve --listen 127.0.0.1:0 --data-dir " + data.path().string());
  unsetenv("CASUS_WORKFLOWS_DIR");
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("refusing to start"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("wvggz.yaml: transitions[1].to"), std::string::npos) << refused.output;
}

}  // namespace

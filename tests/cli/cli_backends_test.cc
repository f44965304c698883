// The casus commands that work on the database, run as an operator runs
// them, on both backends with one test body: SQLite in the data directory,
// and a PostgreSQL database named by CASUS_DATABASE_URL (the binary picks
// the backend from its environment, as in a region with several nodes).
// Covered: init, user add, audit verify (intact and tampered), and the
// retention job by hand: dry run, run, idempotent re-run.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "storage/postgres/connection.h"
#include "tests/support/backends.h"
#include "tests/cli/run_shell.h"
#include "tests/support/postgres_server.h"
#include "tests/support/temp_dir.h"

namespace {

using casus::testing::Backend;

using casus::testing::RunResult;

// `tail` of a long output, for failure messages that stay readable.
std::string Tail(const std::string& s, std::size_t n = 400) { return s.size() > n ? s.substr(s.size() - n) : s; }

class CliOnBothBackends : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      // Whatever the caller's environment says, this run is SQLite's.
      env_ = "env -u CASUS_DATABASE_URL";
      return;
    }
    std::string reason;
    server_ = casus::testing::SharedPostgres(&reason);
    if (!server_) GTEST_SKIP() << "PostgreSQL unavailable: " << reason;
    static std::atomic<int> counter{0};
    auto url = server_->CreateDatabase("casus_cli_" + std::to_string(++counter));
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    env_ = "CASUS_DATABASE_URL='" + url_ + "'";
  }

  bool postgres() const { return GetParam() == Backend::kPostgres; }

  // `casus ARGS --data-dir DIR` from the repository root (config/ and
  // workflows/ are found there), with this backend's environment. On
  // PostgreSQL the data directory still holds no database: it is given as
  // an operator would, and must not matter.
  RunResult Casus(const std::string& args, const std::string& stdin_file = "") {
    std::string command = "cd " CASUS_SOURCE_DIR " && " + env_ + " " + std::string(CASUS_BINARY) + " " + args +
                          " --data-dir " + dir_.path().string() + (stdin_file.empty() ? " < /dev/null" : " < " + stdin_file) +
                          " 2>&1";
    return casus::testing::RunShell(command);
  }

  // A file holding `text`, for a command's standard input.
  std::string InputFile(const std::string& name, const std::string& text) {
    const std::filesystem::path file = dir_.path() / name;
    std::ofstream(file) << text;
    return file.string();
  }

  // One integer from `sql` (the same SQL on both backends); -1 on failure.
  std::int64_t Count(const std::string& sql) {
    if (postgres()) {
      auto pg = casus::storage::postgres::Connection::Open(url_);
      if (!pg.ok()) {
        ADD_FAILURE() << pg.status().ToString();
        return -1;
      }
      auto value = (*pg)->QueryInt(sql);
      if (!value.ok()) ADD_FAILURE() << sql << ": " << value.status().ToString();
      return value.ok() ? *value : -1;
    }
    sqlite3* handle = nullptr;
    std::int64_t value = -1;
    if (sqlite3_open_v2(db().c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
      else
        ADD_FAILURE() << sql << ": " << sqlite3_errmsg(handle);
      sqlite3_finalize(stmt);
    }
    sqlite3_close(handle);
    return value;
  }

  // Changes the audit log as someone with write access to the database
  // would: first the append-only triggers go (defence in depth, not the
  // proof), then `sql` runs.
  void Tamper(const std::string& sql) {
    if (postgres()) {
      auto pg = casus::storage::postgres::Connection::Open(url_);
      ASSERT_TRUE(pg.ok()) << pg.status().ToString();
      const casus::Status done = (*pg)->Exec("ALTER TABLE audit_log DISABLE TRIGGER USER; " + sql);
      ASSERT_TRUE(done.ok()) << done.ToString();
      return;
    }
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &handle), SQLITE_OK);
    std::string script;
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(handle, "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log'",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW)
      script += std::string("DROP TRIGGER ") + reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)) + ";";
    sqlite3_finalize(stmt);
    script += sql;
    char* error = nullptr;
    const int rc = sqlite3_exec(handle, script.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(handle);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  // Where this backend's database is not: a data directory without
  // casus.db, or a PostgreSQL database never created.
  std::string MissingDatabaseEnv() const {
    return postgres() ? "CASUS_DATABASE_URL='" + server_->Url("casus_cli_never_created") + "'"
                      : "env -u CASUS_DATABASE_URL CASUS_DATA_DIR=/nonexistent/casus-data";
  }
  RunResult CasusWithoutDatabase(const std::string& args) {
    // --data-dir would win over CASUS_DATA_DIR: here it is left out.
    const std::string command = "cd " CASUS_SOURCE_DIR " && " + MissingDatabaseEnv() + " " +
                                std::string(CASUS_BINARY) + " " + args + " < /dev/null 2>&1";
    return casus::testing::RunShell(command);
  }

  std::filesystem::path db() const { return dir_.path() / "casus.db"; }

  casus::testing::PostgresServer* server_ = nullptr;
  std::string url_;
  std::string env_;
  casus::testing::TempDir dir_;
};

// A fresh installation as an operator sets it up: init (twice: the second
// finds the schema current and the definitions recorded), the first
// account, the chain checked; then the chain is tampered with and the
// verification names the entry.
TEST_P(CliOnBothBackends, InitUserAddAndAuditVerify) {
  auto missing = CasusWithoutDatabase("audit verify");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;

  auto init = Casus("init");
  ASSERT_EQ(init.exit_code, 0) << init.output;
  EXPECT_NE(init.output.find(postgres() ? "ready (PostgreSQL)" : "ready (schema version"), std::string::npos)
      << init.output;
  EXPECT_NE(init.output.find("workflow wvggz version"), std::string::npos) << init.output;
  if (postgres()) {
    EXPECT_FALSE(std::filesystem::exists(db())) << "the PostgreSQL run wrote a SQLite database";
  }
  auto again = Casus("init");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  // One row per workflow file, however many the region dropped in; a second
  // init records nothing twice.
  std::int64_t workflow_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CASUS_SOURCE_DIR "/workflows"))
    if (entry.path().extension() == ".yaml") ++workflow_files;
  EXPECT_GE(workflow_files, 5);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow_definitions"), workflow_files);

  const std::string password = InputFile("pw.txt", "een echt en lang wachtwoord\n");
  const std::string add_args = "user add --username beheer.regio --role admin --org \"Gemeente Kerkrade\" "
                               "--org-type gemeente --municipality Kerkrade";
  auto added = Casus(add_args, password);
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_NE(added.output.find("user beheer.regio created with id "), std::string::npos) << added.output;
  EXPECT_NE(added.output.find("otpauth://totp/"), std::string::npos) << added.output;
  EXPECT_EQ(added.output.find("een echt en lang wachtwoord"), std::string::npos) << "the password was echoed";
  EXPECT_EQ(Count("SELECT count(*) FROM users WHERE username = 'beheer.regio'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM organisations WHERE name = 'Gemeente Kerkrade'"), 1);
  auto twice = Casus(add_args, password);
  EXPECT_EQ(twice.exit_code, 1) << twice.output;
  auto no_password = Casus(add_args);
  EXPECT_EQ(no_password.exit_code, 1) << no_password.output;
  EXPECT_NE(no_password.output.find("no password on standard input"), std::string::npos) << no_password.output;
  EXPECT_EQ(Count("SELECT count(*) FROM users"), 1);

  // The demo set goes only into an empty database.
  auto demo = Casus("init --demo");
  EXPECT_EQ(demo.exit_code, 1) << demo.output;
  EXPECT_NE(demo.output.find("already holds data"), std::string::npos) << demo.output;

  const std::int64_t entries = Count("SELECT count(*) FROM audit_log");
  ASSERT_GE(entries, 1);
  auto verify = Casus("audit verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("audit chain intact: " + std::to_string(entries) + " entries"), std::string::npos)
      << verify.output;

  Tamper("UPDATE audit_log SET user_id = 'someone_else' WHERE seq = 1");
  auto broken = Casus("audit verify");
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("BROKEN at entry 1"), std::string::npos) << broken.output;
}

// The demo's 707 historical reports (closed 2018-2020, no case) have
// passed their period: the dry run lists them and changes nothing, the
// run erases their content with one audit entry each, a second run finds
// nothing, the demo cases' reports are untouched, and the chain verifies
// throughout.
TEST_P(CliOnBothBackends, RetentionRunsByHandAndTheChainStillVerifies) {
  auto init = Casus("init --demo");
  ASSERT_EQ(init.exit_code, 0) << init.output;
  ASSERT_NE(init.output.find("707 historical Kerkrade meldpunt reports"), std::string::npos) << init.output;
  const std::string historical = "SELECT count(*) FROM reports WHERE description = 'Historische melding (demo)'";
  const std::string erased = "SELECT count(*) FROM reports WHERE erased_at IS NOT NULL";
  const std::string retention_audits = "SELECT count(*) FROM audit_log WHERE action = 'retention.erase'";
  const std::string demo_case_reports =
      "SELECT count(*) FROM reports WHERE case_id IS NOT NULL AND erased_at IS NULL AND description <> ''";
  ASSERT_EQ(Count(historical), 707);
  ASSERT_EQ(Count(demo_case_reports), 9);  // one per demo case
  const std::int64_t entries_before = Count("SELECT count(*) FROM audit_log");

  auto dry = Casus("retention run --dry-run");
  EXPECT_EQ(dry.exit_code, 0) << Tail(dry.output);
  EXPECT_NE(dry.output.find("dry run: 0 cases, 707 reports"), std::string::npos) << Tail(dry.output);
  EXPECT_NE(dry.output.find("would erase report "), std::string::npos) << Tail(dry.output);
  EXPECT_EQ(Count(historical), 707) << "the dry run erased";
  EXPECT_EQ(Count(erased), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_log"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), entries_before);
  auto verify_dry = Casus("audit verify");
  EXPECT_EQ(verify_dry.exit_code, 0) << verify_dry.output;

  auto run = Casus("retention run");
  EXPECT_EQ(run.exit_code, 0) << Tail(run.output);
  EXPECT_NE(run.output.find("\n0 cases, 707 reports, 0 persons"), std::string::npos) << Tail(run.output);
  // What retention must erase is gone: the reports' text and contact
  // details, their subject link; what stays is the row, its category and
  // dates (statistics), and a retention log line and audit entry each.
  EXPECT_EQ(Count(historical), 0);
  EXPECT_EQ(Count(erased), 707);
  EXPECT_EQ(Count("SELECT count(*) FROM reports WHERE erased_at IS NOT NULL AND (description <> '' OR street <> '' "
                  "OR reporter_name <> '' OR reporter_email <> '' OR reporter_phone <> '' "
                  "OR subject_person_id IS NOT NULL)"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM retention_log WHERE object_type = 'report'"), 707);
  EXPECT_EQ(Count(retention_audits), 707);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'retention.erase' AND user_id <> 'system'"), 0);
  EXPECT_EQ(Count(demo_case_reports), 9) << "open cases' reports were erased";
  EXPECT_EQ(Count("SELECT count(*) FROM cases WHERE erased_at IS NOT NULL"), 0);

  auto again = Casus("retention run");
  EXPECT_EQ(again.exit_code, 0) << Tail(again.output);
  EXPECT_NE(again.output.find("0 cases, 0 reports, 0 persons"), std::string::npos) << Tail(again.output);
  EXPECT_EQ(Count(retention_audits), 707) << "the re-run erased again";
  EXPECT_EQ(Count("SELECT count(*) FROM retention_log"), 707);

  auto verify = Casus("audit verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("audit chain intact"), std::string::npos) << verify.output;

  auto missing = CasusWithoutDatabase("retention run");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

INSTANTIATE_TEST_SUITE_P(Backends, CliOnBothBackends,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), casus::testing::BackendName);

}  // namespace

// The fixture of the storage suites that run on both backends: a database
// of the test's parameter (tests/support/backends.h), and the SQL an
// attacker with database rights would run, where the backends spell it
// differently.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "tests/storage/test_db.h"
#include "tests/support/backends.h"

namespace casus::storage::testing {

using casus::testing::Backend;
using casus::testing::BackendDatabase;
using casus::testing::BackendName;
using casus::testing::StoreLimits;

// Suites derived from this call BackendTest::SetUp() first and return when
// IsSkipped() (no PostgreSQL here) or HasFatalFailure().
class BackendTest : public StorageTest, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override {
    std::string skip;
    db_ = BackendDatabase::Create(GetParam(), dir_.path(), &skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_TRUE(db_.has_value());
  }

  // A store on the test's database; another one after a reset is a restart.
  std::unique_ptr<Store> OpenStore(const StoreLimits& limits = {}) { return db_->Open(limits); }

  // Runs `sql` on the database behind every store's back; fails the test
  // when the database refuses it.
  void RawSql(const std::string& sql) {
    Status st = db_->Exec(sql);
    ASSERT_TRUE(st.ok()) << sql << ": " << st.ToString();
  }
  // The first column of the first row as an integer (-1 and a failure on error).
  std::int64_t RawInt(const std::string& sql) {
    auto value = db_->QueryInt(sql);
    EXPECT_TRUE(value.ok()) << sql << ": " << value.status().ToString();
    return value.ok() ? *value : -1;
  }

  // What an attacker with write access to the database does first: switch
  // off the audit log's append-only triggers. SQLite: drop them (the file's
  // owner can); PostgreSQL: disable them (the table's owner or a superuser can).
  void DisableAuditTriggers() {
    RawSql(GetParam() == Backend::kSqlite ? "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                                          : "ALTER TABLE audit_log DISABLE TRIGGER ALL");
  }

  std::optional<BackendDatabase> db_;
};

}  // namespace casus::storage::testing

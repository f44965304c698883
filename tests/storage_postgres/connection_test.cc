// The libpq wrapper: parameters and NULLs round-trip, errors carry the
// SQLSTATE's meaning but never a row's values, and a password never
// appears in a message.
#include <gtest/gtest.h>

#include "tests/storage_postgres/pg_fixture.h"

namespace casus::storage::postgres {
namespace {

TEST_F(PgTest, ParametersAndNullsRoundTrip) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->Exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, note TEXT)").ok());
  auto inserted = conn->Query("INSERT INTO t VALUES ($1, $2, $3)", {"7", "Jan 'Demo' \"x\"; DROP TABLE t", std::nullopt});
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  EXPECT_EQ(inserted->Affected(), 1);
  auto r = conn->Query("SELECT id, name, note FROM t WHERE id = $1", {"7"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows(), 1);
  EXPECT_EQ(r->Int(0, 0), 7);
  EXPECT_EQ(r->Text(0, 1), "Jan 'Demo' \"x\"; DROP TABLE t");
  EXPECT_TRUE(r->IsNull(0, 2));
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM t"), 1);
}

TEST_F(PgTest, AUniqueViolationIsAConflictWithoutTheRowsValues) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->Exec("CREATE TABLE persons (name TEXT UNIQUE)").ok());
  ASSERT_TRUE(conn->Query("INSERT INTO persons VALUES ($1)", {"Piet Geheim"}).ok());
  auto again = conn->Query("INSERT INTO persons VALUES ($1)", {"Piet Geheim"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("23505"), std::string::npos) << again.status().message();
  // PostgreSQL's DETAIL would say "Key (name)=(Piet Geheim) already exists".
  EXPECT_EQ(again.status().message().find("Piet"), std::string::npos) << again.status().message();
}

TEST_F(PgTest, SyntaxErrorsAndDeadServersAreReported) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  Status bad = conn->Exec("SELEC 1");
  EXPECT_EQ(bad.code(), StatusCode::kInternal);
  EXPECT_NE(bad.message().find("42601"), std::string::npos) << bad.message();
  // The connection is still usable after a failed statement.
  EXPECT_EQ(*conn->QueryInt("SELECT 41 + 1"), 42);

  auto nowhere = Connection::Open("postgresql://casus:s3cret-pw@127.0.0.1:1/casus?connect_timeout=2");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(nowhere.status().message().find("s3cret-pw"), std::string::npos) << nowhere.status().message();
}

TEST(RedactUrlTest, PasswordsAreLeftOut) {
  EXPECT_EQ(RedactUrl("postgresql://casus:pw@db:5432/casus"), "postgresql://casus:***@db:5432/casus");
  EXPECT_EQ(RedactUrl("postgresql://casus@db/casus"), "postgresql://casus@db/casus");
  EXPECT_EQ(RedactUrl("postgresql://db/casus?user=c&password=pw&sslmode=require"),
            "postgresql://db/casus?user=c&password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("host=db password=pw"), "(connection string)");
}

}  // namespace
}  // namespace casus::storage::postgres

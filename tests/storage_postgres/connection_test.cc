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

// How many INSERTs into t this connection's session has prepared (this
// query, run again and again, is prepared as well: it is not counted).
std::int64_t PreparedCount(Connection& conn) {
  return *conn.QueryInt("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO t %'");
}

TEST_F(PgTest, RepeatedStatementsArePreparedOnceAndSurviveRollbackAndReconnect) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->Exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT)").ok());
  const std::string insert = "INSERT INTO t VALUES ($1::bigint, $2)";
  ASSERT_TRUE(conn->Query(insert, {"1", "een"}).ok());
  EXPECT_EQ(PreparedCount(*conn), 0) << "a statement seen once runs unprepared";
  // The second use prepares it; a rollback does not take the statement back.
  ASSERT_TRUE(conn->Exec("BEGIN").ok());
  ASSERT_TRUE(conn->Query(insert, {"2", "twee"}).ok());
  ASSERT_TRUE(conn->Exec("ROLLBACK").ok());
  EXPECT_EQ(PreparedCount(*conn), 1);
  for (const char* id : {"3", "4"}) ASSERT_TRUE(conn->Query(insert, {id, std::nullopt}).ok());
  EXPECT_EQ(PreparedCount(*conn), 1) << "prepared once, executed again";
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM t"), 3);  // 1, 3, 4: the rolled back row is gone
  // A prepared statement that fails leaves the connection usable.
  auto duplicate = conn->Query(insert, {"3", "drie"});
  EXPECT_EQ(duplicate.status().code(), StatusCode::kFailedPrecondition);
  // The server forgets prepared statements with the session: after a
  // reconnect the same text works (prepared anew), not "does not exist".
  auto admin = Connect();
  ASSERT_TRUE(admin);
  ASSERT_TRUE(admin->Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                  .ok());
  EXPECT_FALSE(conn->Query(insert, {"5", "vijf"}).ok());
  ASSERT_TRUE(conn->Lost());
  ASSERT_TRUE(conn->Reconnect().ok());
  for (const char* id : {"5", "6", "7"}) ASSERT_TRUE(conn->Query(insert, {id, "na"}).ok()) << id;
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM t"), 6);
}

TEST_F(PgTest, APipelineAnswersInOrderAndStopsAtItsFirstFailure) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->Exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT)").ok());
  const std::string insert = "INSERT INTO t VALUES ($1::bigint, $2)";
  auto written = conn->QueryPipelined({{insert, {"1", "een"}}, {insert, {"2", std::nullopt}},
                                       {"SELECT count(*), max(id) FROM t", {}}});
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  ASSERT_EQ(written->size(), 3u);
  EXPECT_EQ((*written)[0].Affected(), 1);
  EXPECT_EQ((*written)[2].Int(0, 0), 2);
  EXPECT_EQ((*written)[2].Int(0, 1), 2);
  // In a transaction: the duplicate fails, the statement after it is
  // skipped, and the error is the duplicate's.
  ASSERT_TRUE(conn->Exec("BEGIN").ok());
  auto failed = conn->QueryPipelined({{insert, {"3", "drie"}}, {insert, {"1", "dubbel"}}, {insert, {"4", "vier"}}});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(failed.status().message().find("23505"), std::string::npos) << failed.status().message();
  EXPECT_TRUE(conn->InTransaction());
  ASSERT_TRUE(conn->Exec("ROLLBACK").ok());
  // Out of pipeline mode again, the connection works as before.
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM t"), 2);
}

TEST_F(PgTest, ACommandSentWithTheNextStatementRunsFirstAndItsFailureIsThatStatements) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->Exec("CREATE TABLE t (id BIGINT PRIMARY KEY)").ok());
  ASSERT_TRUE(conn->Exec("BEGIN").ok());
  ASSERT_TRUE(conn->Query("INSERT INTO t VALUES (1)").ok());
  // The savepoint reaches the server with the failing insert, before it:
  // rolling back to it keeps the first row and the transaction.
  conn->SendWithNext("SAVEPOINT job");
  auto duplicate = conn->Query("INSERT INTO t VALUES (1)");
  EXPECT_EQ(duplicate.status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(conn->Exec("ROLLBACK TO SAVEPOINT job").ok());
  // With a plain Exec, the waiting command goes first in the same text.
  conn->SendWithNext("SAVEPOINT second");
  ASSERT_TRUE(conn->Exec("RELEASE SAVEPOINT second").ok());
  ASSERT_TRUE(conn->Exec("COMMIT").ok());
  EXPECT_EQ(*conn->QueryInt("SELECT count(*) FROM t"), 1);
  // A waiting command that fails is the failure of the call it went with.
  conn->SendWithNext("RELEASE SAVEPOINT nowhere");
  auto after = conn->Query("SELECT 1");
  EXPECT_FALSE(after.ok());
  EXPECT_EQ(*conn->QueryInt("SELECT 2"), 2);
}

// The session's advisory locks on the append lock's key (locks.h), as
// another connection sees them.
std::int64_t AppendLocksHeld(Connection& observer) {
  return *observer.QueryInt("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                            "AND ((classid::bigint << 32) | objid::bigint) = 435459045748");
}

TEST_F(PgTest, TheAppendLockIsHeldToTheEndOfEachTransactionAndTakenAgainInTheNext) {
  auto conn = Connect();
  auto observer = Connect();
  ASSERT_TRUE(conn && observer);
  ASSERT_TRUE(conn->BeginHoldingAppendLock().ok());
  EXPECT_EQ(AppendLocksHeld(*observer), 1);
  // A savepoint rolled back does not release the lock taken before it.
  ASSERT_TRUE(conn->Exec("SAVEPOINT job").ok());
  ASSERT_TRUE(conn->EnsureAppendLock().ok());
  ASSERT_TRUE(conn->Exec("ROLLBACK TO SAVEPOINT job").ok());
  EXPECT_EQ(AppendLocksHeld(*observer), 1);
  ASSERT_TRUE(conn->Exec("NOTIFY casus_test; COMMIT").ok());
  EXPECT_EQ(AppendLocksHeld(*observer), 0);
  // The next transaction did not take it at its top level: a repository's
  // append takes it itself, and holds it until that transaction ends.
  ASSERT_TRUE(conn->Exec("BEGIN").ok());
  EXPECT_EQ(AppendLocksHeld(*observer), 0);
  ASSERT_TRUE(conn->EnsureAppendLock().ok());
  EXPECT_EQ(AppendLocksHeld(*observer), 1);
  ASSERT_TRUE(conn->Exec("ROLLBACK").ok());
  EXPECT_EQ(AppendLocksHeld(*observer), 0);
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

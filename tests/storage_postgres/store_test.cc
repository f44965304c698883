// The PostgreSQL store survives its connections being dropped by the
// server (a restart, a failover, an administrator terminating backends):
// the next read and write connect again, and nothing committed is lost.
#include "storage/postgres_store.h"

#include <gtest/gtest.h>

#include "tests/storage_postgres/pg_fixture.h"

namespace casus::storage::postgres {
namespace {

Organisation Org(const std::string& id) { return {id, "Organisatie " + id, "gemeente", "Heerlen"}; }

int CountOrganisations(Store& store) {
  int count = -1;
  Status st = store.Read([&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto all, tx.organisations().List());
    count = static_cast<int>(all.size());
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return count;
}

TEST_F(PgTest, ReadsAndWritesConnectAgainAfterTheServerDroppedThem) {
  PostgresOptions options;
  options.url = url;
  options.reader_connections = 2;
  auto store = OpenPostgresStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Write([](Transaction& tx) { return tx.organisations().Insert(Org("org_1")); }).ok());
  EXPECT_EQ(CountOrganisations(**store), 1);

  // Every connection of the store is terminated by the server.
  auto admin = Connect();
  ASSERT_TRUE(admin);
  auto killed = admin->QueryInt(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_TRUE(killed.ok()) << killed.status().ToString();
  EXPECT_GE(*killed, 3);  // the writer and two readers

  Status written = (*store)->Write([](Transaction& tx) { return tx.organisations().Insert(Org("org_2")); });
  EXPECT_TRUE(written.ok()) << written.ToString();
  EXPECT_EQ(CountOrganisations(**store), 2);
  EXPECT_EQ(CountOrganisations(**store), 2);  // the other reader too
  auto audit = (*store)->VerifyAudit();
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  EXPECT_TRUE(audit->intact);
}

TEST_F(PgTest, AStoreOnAnUnreachableServerIsUnavailableWithoutItsPassword) {
  PostgresOptions options;
  options.url = "postgresql://casus:hunter2-secret@127.0.0.1:1/casus?connect_timeout=2";
  auto store = OpenPostgresStore(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.status().message().find("hunter2"), std::string::npos) << store.status().message();
}

}  // namespace
}  // namespace casus::storage::postgres

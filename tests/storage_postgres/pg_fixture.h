// A fresh database on the binary's shared throwaway PostgreSQL per test;
// the test skips, saying why, where PostgreSQL cannot run.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "storage/postgres/connection.h"
#include "tests/support/postgres_server.h"

namespace casus::storage::postgres {

class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    server = casus::testing::SharedPostgres(&reason);
    if (!server) GTEST_SKIP() << "PostgreSQL unavailable: " << reason;
    static std::atomic<int> counter{0};
    auto created = server->CreateDatabase("casus_test_" + std::to_string(++counter));
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    url = *created;
  }

  std::unique_ptr<Connection> Connect() {
    auto conn = Connection::Open(url);
    EXPECT_TRUE(conn.ok()) << conn.status().ToString();
    return conn.ok() ? std::move(conn).value() : nullptr;
  }

  casus::testing::PostgresServer* server = nullptr;
  std::string url;
};

}  // namespace casus::storage::postgres

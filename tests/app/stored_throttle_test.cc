// The attempt limits kept in the database (login throttles, the public
// report limit): the limit, a sliding window, forgiveness, atomic counting
// under concurrency, no key stored in the clear — on SQLite and PostgreSQL —
// and one count for two nodes on one PostgreSQL database.
#include "app/stored_throttle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "storage/postgres_store.h"
#include "tests/support/backends.h"
#include "tests/support/postgres_server.h"
#include "tests/support/temp_dir.h"

namespace casus::app {
namespace {

using namespace std::chrono_literals;

const TimePoint kT0 = TimePoint(std::chrono::seconds(1780000000));

class StoredThrottleTest : public ::testing::TestWithParam<casus::testing::Backend> {
 protected:
  void SetUp() override {
    std::string skip;
    store = casus::testing::OpenBackend(GetParam(), dir.path(), &skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_NE(store, nullptr);
  }
  bool Try(StoredThrottle& t, const std::string& key, TimePoint at) {
    auto got = t.TryAcquire(key, at);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() && got->has_value();
  }
  int Attempts(StoredThrottle& t, const std::string& key, TimePoint at) {
    auto n = t.Attempts(key, at);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  casus::testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  SequentialIdGenerator ids;
};

TEST_P(StoredThrottleTest, RefusesAtTheLimitAndRefusalsDoNotCount) {
  StoredThrottle t(*store, ids, "test", 3, 60s);
  EXPECT_TRUE(Try(t, "alice", kT0));
  EXPECT_TRUE(Try(t, "alice", kT0 + 1s));
  EXPECT_TRUE(Try(t, "alice", kT0 + 2s));
  EXPECT_FALSE(Try(t, "alice", kT0 + 3s));
  EXPECT_FALSE(Try(t, "alice", kT0 + 4s));
  EXPECT_EQ(Attempts(t, "alice", kT0 + 4s), 3);
  EXPECT_TRUE(Try(t, "bob", kT0 + 4s));  // keys are independent
  StoredThrottle other(*store, ids, "other", 3, 60s);
  EXPECT_TRUE(Try(other, "alice", kT0 + 4s));  // and so are scopes
}

TEST_P(StoredThrottleTest, WindowSlides) {
  StoredThrottle t(*store, ids, "test", 2, 60s);
  EXPECT_TRUE(Try(t, "k", kT0));
  EXPECT_TRUE(Try(t, "k", kT0 + 30s));
  EXPECT_FALSE(Try(t, "k", kT0 + 59s));
  EXPECT_TRUE(Try(t, "k", kT0 + 60s));  // the first attempt left the window
  EXPECT_FALSE(Try(t, "k", kT0 + 89s));
  EXPECT_TRUE(Try(t, "k", kT0 + 90s));
}

TEST_P(StoredThrottleTest, ForgiveAndClear) {
  StoredThrottle t(*store, ids, "test", 2, 60s);
  EXPECT_TRUE(Try(t, "k", kT0));
  auto second = t.TryAcquire("k", kT0 + 1s);
  ASSERT_TRUE(second.ok() && second->has_value());
  ASSERT_TRUE(t.Forgive(**second).ok());
  EXPECT_EQ(Attempts(t, "k", kT0 + 1s), 1);
  EXPECT_TRUE(Try(t, "k", kT0 + 2s));
  ASSERT_TRUE(t.Clear("k").ok());
  EXPECT_EQ(Attempts(t, "k", kT0 + 2s), 0);
  EXPECT_TRUE(t.Forgive("attempt_unknown").ok());  // harmless
}

TEST_P(StoredThrottleTest, ConcurrentAttemptsNeverExceedTheLimit) {
  StoredThrottle t(*store, ids, "test", 5, 60s);
  std::atomic<int> acquired{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 10; ++j) {
        auto got = t.TryAcquire("alice", kT0);
        if (got.ok() && got->has_value()) ++acquired;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(acquired.load(), 5);
}

TEST_P(StoredThrottleTest, OldAttemptsAreRemovedAndKeysAreNotStoredInTheClear) {
  StoredThrottle t(*store, ids, "test", 5, 60s);
  EXPECT_TRUE(Try(t, "203.0.113.7", kT0));
  EXPECT_TRUE(Try(t, "203.0.113.8", kT0 + 120s));  // purges the first: it left every window
  StoredThrottle wide(*store, ids, "test", 5, 3600s);
  EXPECT_EQ(Attempts(wide, "203.0.113.7", kT0 + 120s), 0);
  // What is stored is a digest of the key, never the address itself.
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(int clear, tx.rate_limits().CountSince("test", "203.0.113.8", kT0));
    EXPECT_EQ(clear, 0);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(Attempts(t, "203.0.113.8", kT0 + 120s), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoredThrottleTest,
                         ::testing::Values(casus::testing::Backend::kSqlite, casus::testing::Backend::kPostgres),
                         casus::testing::BackendName);

// Two nodes on one database count the same attempts: guesses spread over
// the nodes meet one limit.
TEST(StoredThrottleTwoNodes, TheLimitIsOneAcrossNodes) {
  std::string reason;
  auto* server = casus::testing::SharedPostgres(&reason);
  if (!server) GTEST_SKIP() << "PostgreSQL unavailable: " << reason;
  auto url = server->CreateDatabase("casus_throttle_nodes");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  storage::PostgresOptions options;
  options.url = *url;
  auto a = storage::OpenPostgresStore(options);
  auto b = storage::OpenPostgresStore(options);
  ASSERT_TRUE(a.ok() && b.ok());
  RandomIdGenerator random;  // two nodes must not make the same attempt ids
  StoredThrottle r_a(**a, random, "login.account", 5, 900s), r_b(**b, random, "login.account", 5, 900s);
  std::atomic<int> acquired{0};
  std::vector<std::thread> threads;
  for (StoredThrottle* t : {&r_a, &r_b, &r_a, &r_b})
    threads.emplace_back([&, t] {
      for (int j = 0; j < 5; ++j) {
        auto got = t->TryAcquire("meldpunt.kerkrade", kT0);
        if (got.ok() && got->has_value()) ++acquired;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(acquired.load(), 5);
}

}  // namespace
}  // namespace casus::app

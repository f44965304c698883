// The failure throttle: limit, sliding window, forgiveness, bounded keys,
// and atomic counting under concurrency.
#include "app/auth/throttle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace casus::app::auth {
namespace {

using namespace std::chrono_literals;

const TimePoint kT0 = TimePoint(std::chrono::seconds(1780000000));

TEST(Throttle, RefusesAtTheLimitAndRefusalsDoNotCount) {
  FailureThrottle t(3, 60s);
  EXPECT_TRUE(t.TryAcquire("alice", kT0));
  EXPECT_TRUE(t.TryAcquire("alice", kT0 + 1s));
  EXPECT_TRUE(t.TryAcquire("alice", kT0 + 2s));
  EXPECT_FALSE(t.TryAcquire("alice", kT0 + 3s));
  EXPECT_FALSE(t.TryAcquire("alice", kT0 + 4s));
  EXPECT_EQ(t.Failures("alice", kT0 + 4s), 3);
  EXPECT_TRUE(t.TryAcquire("bob", kT0 + 4s));  // keys are independent
}

TEST(Throttle, WindowSlides) {
  FailureThrottle t(2, 60s);
  EXPECT_TRUE(t.TryAcquire("k", kT0));
  EXPECT_TRUE(t.TryAcquire("k", kT0 + 30s));
  EXPECT_FALSE(t.TryAcquire("k", kT0 + 59s));
  EXPECT_TRUE(t.TryAcquire("k", kT0 + 60s));  // the first failure left the window
  EXPECT_FALSE(t.TryAcquire("k", kT0 + 89s));
  EXPECT_TRUE(t.TryAcquire("k", kT0 + 90s));
}

TEST(Throttle, ForgiveAndClear) {
  FailureThrottle t(2, 60s);
  EXPECT_TRUE(t.TryAcquire("k", kT0));
  EXPECT_TRUE(t.TryAcquire("k", kT0 + 1s));
  t.Forgive("k", kT0 + 1s);
  EXPECT_EQ(t.Failures("k", kT0 + 1s), 1);
  EXPECT_TRUE(t.TryAcquire("k", kT0 + 2s));
  t.Clear("k");
  EXPECT_EQ(t.Failures("k", kT0 + 2s), 0);
  EXPECT_EQ(t.KeyCount(), 0u);
  t.Forgive("unknown", kT0);  // harmless
}

TEST(Throttle, MemoryIsBoundedByEvictingTheLeastRecentlyFailedKey) {
  FailureThrottle t(1, 3600s, 100);
  EXPECT_TRUE(t.TryAcquire("first", kT0));
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(t.TryAcquire("key" + std::to_string(i), kT0 + 1s));
  EXPECT_EQ(t.KeyCount(), 100u);
  EXPECT_EQ(t.Failures("first", kT0 + 1s), 0);  // evicted
  EXPECT_EQ(t.Failures("key999", kT0 + 1s), 1);
}

TEST(Throttle, ConcurrentAttemptsNeverExceedTheLimit) {
  FailureThrottle t(5, 60s);
  std::atomic<int> acquired{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j)
        if (t.TryAcquire("alice", kT0)) ++acquired;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(acquired.load(), 5);
}

}  // namespace
}  // namespace casus::app::auth

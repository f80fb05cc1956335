#include "http/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "unit/test_clocks.h"

namespace loci::http {
namespace {

using loci::testing::ManualClock;

TEST(RateLimiterTest, ABurstOfTheRateThenOneEachInterval) {
  ManualClock clock;
  RateLimiter limiter(clock);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.Acquire("k", 4), 0) << i;
  EXPECT_EQ(limiter.Acquire("k", 4), 250);  // one token every 250 ms
  clock.Advance(100);
  EXPECT_EQ(limiter.Acquire("k", 4), 150);
  clock.Advance(150);
  EXPECT_EQ(limiter.Acquire("k", 4), 0);
  EXPECT_EQ(limiter.Acquire("k", 4), 250);
  // Idle for a while: the bucket fills up to the burst again, not beyond.
  clock.Advance(10'000);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.Acquire("k", 4), 0) << i;
  EXPECT_GT(limiter.Acquire("k", 4), 0);
}

TEST(RateLimiterTest, RefusedRequestsTakeNothing) {
  ManualClock clock;
  RateLimiter limiter(clock);
  EXPECT_EQ(limiter.Acquire("k", 1), 0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Acquire("k", 1), 1000);
  clock.Advance(1000);
  EXPECT_EQ(limiter.Acquire("k", 1), 0);
}

TEST(RateLimiterTest, KeysHaveSeparateBuckets) {
  ManualClock clock;
  RateLimiter limiter(clock);
  EXPECT_EQ(limiter.Acquire("a", 1), 0);
  EXPECT_GT(limiter.Acquire("a", 1), 0);
  EXPECT_EQ(limiter.Acquire("b", 1), 0);
}

TEST(RateLimiterTest, HighRatesWithAMillisecondClock) {
  ManualClock clock;
  RateLimiter limiter(clock);
  int passed = 0;
  for (int ms = 0; ms < 2000; ++ms) {  // 2 s, offering 100 requests each millisecond
    for (int i = 0; i < 100; ++i) passed += limiter.Acquire("k", 10'000) == 0 ? 1 : 0;
    clock.Advance(1);
  }
  // The burst (10,000) plus 2 s at 10,000 per second.
  EXPECT_NEAR(passed, 30'000, 100);
}

TEST(RateLimiterTest, AClockSteppingBackDoesNotLockKeysOut) {
  ManualClock clock;
  RateLimiter limiter(clock);
  EXPECT_EQ(limiter.Acquire("k", 1), 0);
  clock.Advance(-3'600'000);  // an hour back
  EXPECT_EQ(limiter.Acquire("k", 1), 0);
  EXPECT_EQ(limiter.Acquire("k", 1), 1000);
}

TEST(RateLimiterTest, StaysBounded) {
  ManualClock clock;
  RateLimiter limiter(clock, /*max_keys=*/640);
  for (int i = 0; i < 100'000; ++i) {
    (void)limiter.Acquire("key" + std::to_string(i), 5);
    if (i % 1000 == 0) clock.Advance(1);
  }
  EXPECT_LE(limiter.size(), 640u);
}

TEST(RateLimiterTest, ConcurrentCallersShareOneBucketExactly) {
  ManualClock clock;  // frozen: exactly the burst may pass
  RateLimiter limiter(clock);
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) passed += limiter.Acquire("shared", 1000) == 0 ? 1 : 0;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(passed.load(), 1000);
}

TEST(RateLimiterTest, RetryAfterIsWholeSecondsAtLeastOne) {
  EXPECT_EQ(RetryAfterSeconds(1), 1);
  EXPECT_EQ(RetryAfterSeconds(1000), 1);
  EXPECT_EQ(RetryAfterSeconds(1001), 2);
  EXPECT_EQ(RetryAfterSeconds(0), 1);
}

}  // namespace
}  // namespace loci::http

#include "core/backoff.h"

#include <vector>

#include <gtest/gtest.h>

namespace cc::backoff {
namespace {

using namespace std::chrono_literals;

TEST(BackoffTest, DoublesFromTheIntervalAfterTheFirstFailureUpToTenIntervals) {
  std::vector<Duration> waits;
  for (std::uint64_t failures = 0; failures <= 7; ++failures) waits.push_back(Wait(15s, failures));
  EXPECT_EQ(waits, (std::vector<Duration>{15s, 15s, 30s, 60s, 120s, 150s, 150s, 150s}));
}

TEST(BackoffTest, TheCapIsFiveMinutesButNeverBelowTheInterval) {
  EXPECT_EQ(Cap(1s), 10s);
  EXPECT_EQ(Cap(15s), 150s);
  EXPECT_EQ(Cap(30s), 5min);
  EXPECT_EQ(Cap(2min), 5min);
  EXPECT_EQ(Cap(10min), 10min);
  EXPECT_EQ(Wait(60s, 4), 5min);
  EXPECT_EQ(Wait(10min, 3), 10min);
  EXPECT_EQ(Wait(15s, ~std::uint64_t{0}), 150s) << "any number of failures";
}

TEST(BackoffTest, RetryAfterIsHonouredUpToTheCap) {
  EXPECT_EQ(RetryAfter(15s, 30s), 30s);
  EXPECT_EQ(RetryAfter(15s, 0s), 0s);
  EXPECT_EQ(RetryAfter(15s, 3600s), 150s);
  EXPECT_EQ(RetryAfter(1min, std::chrono::seconds(2147483647)), 5min) << "no overflow";
}

}  // namespace
}  // namespace cc::backoff

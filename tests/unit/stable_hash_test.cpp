// The hashes' values are fixed here on purpose: a change moves targets to
// other polling phases. Changing an expected value below is a breaking change.
#include "core/stable_hash.h"

#include <cstdint>
#include <limits>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "core/scheduler.h"

namespace cc {
namespace {

using namespace std::chrono_literals;

TEST(StableHashTest, Fnv1a64GivesThePublishedValues) {
  // draft-eastlake-fnv's test vectors for FNV-1a 64.
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(StartPhaseTest, IsAFixedFunctionOfTargetAndCollector) {
  EXPECT_EQ(Scheduler::StartPhase("demo-mixcall", "queueinfo", 15s), 7232869546ns);
  EXPECT_EQ(Scheduler::StartPhase("hq", "queueinfo", 1s), 327244937ns);
  EXPECT_NE(Scheduler::StartPhase("hq", "queueinfo", 15s), Scheduler::StartPhase("hq", "queueinfo2", 15s));
  EXPECT_NE(Scheduler::StartPhase("ab", "c", 15s), Scheduler::StartPhase("a", "bc", 15s));
}

TEST(StartPhaseTest, SpreadsManyTargetsEvenlyOverTheInterval) {
  std::map<std::int64_t, int> per_second;
  for (int i = 0; i < 1000; ++i) {
    const auto phase = Scheduler::StartPhase("site-" + std::to_string(i), "queueinfo", 15s);
    ASSERT_GE(phase, 0ns);
    ASSERT_LT(phase, 15s);
    ++per_second[std::chrono::duration_cast<std::chrono::seconds>(phase).count()];
  }
  ASSERT_EQ(per_second.size(), 15u);
  // 66.7 per second on average; the old start jitter put all 1,000 in the first second.
  for (const auto& [second, n] : per_second) {
    EXPECT_GE(n, 40) << second;
    EXPECT_LE(n, 95) << second;
  }
}

TEST(StartPhaseTest, TheFirstPollFallsOnThePhaseWheneverTheProcessStarts) {
  using std::chrono::system_clock;
  const std::chrono::nanoseconds interval = 15s, phase = 7232869546ns;
  // 2026-12-01T00:00:00Z is a multiple of 15 s since the epoch.
  const system_clock::time_point midnight{std::chrono::seconds(1796083200)};
  EXPECT_EQ(Scheduler::FirstPollDelay(phase, interval, midnight), phase);
  EXPECT_EQ(Scheduler::FirstPollDelay(phase, interval, midnight + phase), 0ns);
  EXPECT_EQ(Scheduler::FirstPollDelay(phase, interval, midnight + phase + 1ns), interval - 1ns);
  EXPECT_EQ(Scheduler::FirstPollDelay(phase, interval, midnight + 14s), phase + 1s);
  for (const auto start : {midnight + 3h + 1ms, midnight + 59min + 999999999ns, midnight - 7s}) {
    const auto delay = Scheduler::FirstPollDelay(phase, interval, start);
    EXPECT_GE(delay, 0ns);
    EXPECT_LT(delay, interval);
    EXPECT_EQ((start + delay - midnight) % interval, phase) << "same phase after any restart";
  }
}

}  // namespace
}  // namespace cc

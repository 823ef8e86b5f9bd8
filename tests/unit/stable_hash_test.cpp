// The hashes' values are fixed here on purpose: a change of either moves
// targets to other polling phases and, worse, to other --shard replicas in
// production. Changing an expected value below is a breaking change.
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

TEST(StableHashTest, HashModIsPrometheusHashmod) {
  // The last 8 bytes of RFC 1321's MD5 test vectors, big-endian: md5("") is
  // d41d8cd98f00b204 e9800998ecf8427e, md5("abc") 900150983cd24fb0 d6963f7d28e17f72,
  // md5("message digest") f96b697d7cb7938d 525a2f31aaf161d0.
  constexpr auto kAll = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(HashMod("", kAll), 0xe9800998ecf8427eull);
  EXPECT_EQ(HashMod("abc", kAll), 0xd6963f7d28e17f72ull);
  EXPECT_EQ(HashMod("message digest", kAll), 0x525a2f31aaf161d0ull);
  // Past one 64-byte block: the padding of a second one.
  EXPECT_EQ(HashMod(std::string(100, 'x'), kAll) % 1000003, HashMod(std::string(100, 'x'), 1000003));
  // What Prometheus' hashmod (modulus 3 and 10) gives for the example configuration's names.
  const std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> want = {
      {"demo-mixcall", {1, 0}}, {"demo-huawei", {1, 8}}, {"demo-yunhu", {0, 7}}, {"demo-ucontact", {2, 3}}};
  for (const auto& [name, mods] : want) {
    EXPECT_EQ(HashMod(name, 3), mods.first) << name;
    EXPECT_EQ(HashMod(name, 10), mods.second) << name;
  }
  EXPECT_EQ(HashMod("anything", 1), 0u);
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

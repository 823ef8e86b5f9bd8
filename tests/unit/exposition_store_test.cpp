#include "core/exposition_store.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "model/metrics.h"

#include "tests/unit/support/text.h"
#include "tests/unit/support/zlib_inflate.h"

namespace cc {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<const Rendered> Waiting(std::string_view target, std::string queue, double v) {
  Snapshot snap;
  snap.Add(metrics::queue_calls_waiting, {{"queue", std::move(queue)}}, v);
  snap.Add(metrics::queue_weight, {{"queue", "1"}}, 0);
  return std::make_shared<Rendered>(Render(snap, target));
}

TEST(ExpositionStoreTest, MergesFamiliesAcrossTargetsWithOneHeaderEach) {
  ExpositionStore store;
  auto now = ExpositionStore::Clock::now();
  store.Put("b", "queueinfo", Waiting("b", "2", 5), now + 1h);
  store.Put("a", "queueinfo", Waiting("a", "1", 3), now + 1h);
  std::string out;
  store.Write(out, now);
  EXPECT_EQ(test::Occurrences(out, "# TYPE callcenter_queue_calls_waiting gauge"), 1u);
  EXPECT_EQ(test::Occurrences(out, "# TYPE callcenter_queue_weight gauge"), 1u);
  // Each family's series are contiguous, targets in name order.
  auto a = out.find("callcenter_queue_calls_waiting{target=\"a\",queue=\"1\"} 3\n");
  auto b = out.find("callcenter_queue_calls_waiting{target=\"b\",queue=\"2\"} 5\n");
  auto weight_header = out.find("# HELP callcenter_queue_weight");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, weight_header);
}

TEST(ExpositionStoreTest, ReplacesDataOnPutAndFiltersByTarget) {
  ExpositionStore store;
  auto now = ExpositionStore::Clock::now();
  store.Put("a", "queueinfo", Waiting("a", "1", 3), now + 1h);
  store.Put("a", "queueinfo", Waiting("a", "7", 9), now + 1h);
  store.Put("b", "queueinfo", Waiting("b", "2", 5), now + 1h);
  std::string out;
  store.Write(out, now, "a");
  EXPECT_EQ(out.find("callcenter_queue_calls_waiting{target=\"a\",queue=\"1\"}"), std::string::npos)
      << "vanished queue still served";
  EXPECT_NE(out.find("{target=\"a\",queue=\"7\"} 9"), std::string::npos);
  EXPECT_EQ(out.find("target=\"b\""), std::string::npos);
}

TEST(ExpositionStoreTest, DropsExpiredDataAndRetainsOnlyConfiguredKeys) {
  ExpositionStore store;
  auto now = ExpositionStore::Clock::now();
  store.Put("a", "queueinfo", Waiting("a", "1", 3), now + 10s);
  store.Put("b", "queueinfo", Waiting("b", "2", 5), now + 1h);
  std::string later;
  store.Write(later, now + 11s);
  EXPECT_EQ(later.find("target=\"a\""), std::string::npos);
  EXPECT_NE(later.find("target=\"b\""), std::string::npos);

  store.Retain({{"a", "queueinfo"}});
  std::string out;
  store.Write(out, now);
  EXPECT_NE(out.find("target=\"a\""), std::string::npos);
  EXPECT_EQ(out.find("target=\"b\""), std::string::npos);
}

// A target of `agents` agents in three states, as a poll renders it (series deflated, or
// not when `level` is 0).
std::shared_ptr<const Rendered> RenderedAgents(std::string_view target, int agents, int level) {
  Snapshot snap;
  for (int i = 0; i < agents; ++i) {
    snap.Add(metrics::agent_state, {{"agent", std::to_string(i)}, {"state", i % 3 ? "idle" : "talking"}}, 1);
  }
  snap.Add(metrics::queue_weight, {{"queue", "1"}}, 0);
  return std::make_shared<Rendered>(Render(snap, target, {.deflate_level = level}));
}

std::string GzipOf(const ExpositionStore& store, ExpositionStore::Clock::time_point now, std::string_view target = {}) {
  std::string out;
  GzipWriter gz(out, 1);
  store.WriteGzip(gz, now, target);
  gz.Finish();
  return out;
}

TEST(ExpositionStoreTest, GzipInflatesToThePlainText) {
  ExpositionStore store;
  auto now = ExpositionStore::Clock::now();
  store.Put("a", "agents", RenderedAgents("a", 2000, 1), now + 1h);
  store.Put("b", "agents", RenderedAgents("b", 1, 6), now + 1h);
  store.Put("c", "agents", RenderedAgents("c", 30, 0), now + 1h);  // no pieces: stored
  store.Put("c", "queueinfo", Waiting("c", "2", 5), now + 1h);
  store.Put("d", "agents", RenderedAgents("d", 5, 1), now + 1s);  // expired at `now + 1min`
  for (auto target : {"", "a", "c", "nobody"}) {
    std::string plain;
    store.Write(plain, now + 1min, target);
    EXPECT_EQ(test::ZlibInflate(GzipOf(store, now + 1min, target)), plain) << "target " << target;
  }
  std::string plain;
  store.Write(plain, now + 1min);
  EXPECT_LT(GzipOf(store, now + 1min).size() * 5, plain.size()) << "the deflated pieces are used";
}

TEST(ExpositionStoreTest, SeriesAreDeflatedOnlyWhereThatIsShorter) {
  const auto rendered = RenderedAgents("a", 1000, 1);
  const RenderedFamily& agents = rendered->families.at(std::string(metrics::agent_state.name));
  ASSERT_TRUE(agents.series_deflated);
  EXPECT_EQ(agents.series_deflated->size, agents.series.size());
  EXPECT_LT(agents.series_deflated->data.size() * 5, agents.series.size());
  // One short line: deflate's block header and the flush would make it no shorter.
  EXPECT_FALSE(rendered->families.at(std::string(metrics::queue_weight.name)).series_deflated);
  EXPECT_FALSE(RenderedAgents("a", 1000, 0)->families.at(std::string(metrics::agent_state.name)).series_deflated);
}

// A scrape of every target serves groups of entries joined family by family: one piece
// per family and group here, where each target's series are short.
TEST(ExpositionStoreTest, JoinsTheShortSeriesOfEachGroupOfEntries) {
  ExpositionStore store;
  auto now = ExpositionStore::Clock::now();
  constexpr int kTargets = 3 * ExpositionStore::kGroupEntries - 20;
  for (int i = 0; i < kTargets; ++i) {
    const std::string target = "t" + std::to_string(1000 + i);
    store.Put(target, "queueinfo", Waiting(target, "q", i), now + 1h);
  }
  std::vector<std::string_view> pieces;
  const auto owner = store.WritePieces(pieces, now);
  const std::size_t groups = (kTargets + ExpositionStore::kGroupEntries - 1) / ExpositionStore::kGroupEntries;
  EXPECT_EQ(pieces.size(), 2 * (1 + groups)) << "a header and one piece per group, for each of 2 families";
  std::string out;
  for (auto p : pieces) out += p;
  EXPECT_EQ(test::Occurrences(out, "callcenter_queue_calls_waiting{"), std::size_t{kTargets});
  const std::string last = "callcenter_queue_calls_waiting{target=\"t" + std::to_string(1000 + kTargets - 1) +
                           "\",queue=\"q\"} " + std::to_string(kTargets - 1) + "\n";
  EXPECT_NE(out.find(last), std::string::npos);
}

// The groups kept across scrapes never serve stale text: after puts (short and long
// series), expiries and reloads in random order, a scrape equals that of a new store
// given the same entries, and the text of the gzip path.
TEST(ExpositionStoreTest, KeptGroupsServeTheCurrentEntries) {
  ExpositionStore store;
  const auto now = ExpositionStore::Clock::now();
  struct Current {
    std::shared_ptr<const Rendered> data;
    ExpositionStore::Clock::time_point expires;
  };
  std::map<ExpositionStore::Key, Current> current;
  std::mt19937 rng(11);
  for (int step = 0; step < 1200; ++step) {
    const std::string target = "t" + std::to_string(rng() % (3 * ExpositionStore::kGroupEntries));
    const std::string collector = rng() % 2 ? "agents" : "queueinfo";
    const unsigned op = rng() % 10;
    if (op < 8) {
      // One short line to more than kLargePiece bytes (300 agents or more).
      const auto agents = rng() % 8 ? 1 + rng() % 20 : 300 + rng() % 100;
      auto data = RenderedAgents(target, static_cast<int>(agents), 0);
      const auto expires = now + (op == 7 ? 1s : 1h);  // some are stale at `now + 1min`
      store.Put(target, collector, data, expires);
      current[{target, collector}] = {data, expires};
    } else {
      current.erase({target, collector});
      std::set<ExpositionStore::Key> keep;
      for (const auto& [key, c] : current) keep.insert(key);
      store.Retain(keep);
    }
    if (step % 8 != 7) continue;
    ExpositionStore fresh;
    for (const auto& [key, c] : current) fresh.Put(key.first, key.second, c.data, c.expires);
    std::string got;
    std::string want;
    store.Write(got, now + 1min);
    fresh.Write(want, now + 1min);
    ASSERT_EQ(got, want) << "step " << step;
    // And that of the gzip path, which merges the entries themselves.
    ASSERT_EQ(test::ZlibInflate(GzipOf(store, now + 1min)), got) << "step " << step;
  }
}

TEST(ExpositionStoreTest, EmptyStoreWritesNothing) {
  ExpositionStore store;
  std::string out;
  store.Write(out, ExpositionStore::Clock::now());
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace cc

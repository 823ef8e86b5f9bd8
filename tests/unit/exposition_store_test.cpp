#include "core/exposition_store.h"

#include <gtest/gtest.h>

#include "model/metrics.h"

#include "tests/unit/support/text.h"

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

TEST(ExpositionStoreTest, EmptyStoreWritesNothing) {
  ExpositionStore store;
  std::string out;
  store.Write(out, ExpositionStore::Clock::now());
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace cc

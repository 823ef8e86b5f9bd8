#include "core/shard.h"

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace cc {
namespace {

TEST(ShardTest, ParsesIndexOverCount) {
  for (const auto& [text, index, count] : std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>>{
           {"0/1", 0, 1}, {"0/3", 0, 3}, {"2/3", 2, 3}, {"41/100", 41, 100}, {"007/8", 7, 8}}) {
    auto shard = ParseShard(text);
    ASSERT_TRUE(shard.ok()) << text << ": " << shard.error().message;
    EXPECT_EQ(shard->index, index) << text;
    EXPECT_EQ(shard->count, count) << text;
  }
  EXPECT_FALSE(ParseShard("0/1")->sharded());
  EXPECT_TRUE(ParseShard("0/2")->sharded());
  EXPECT_EQ(ParseShard("1/3")->ToString(), "1/3");
}

TEST(ShardTest, RefusesWhatIsNotAShardWithTheReason) {
  const std::string not_i_n = "is not I/N (two whole numbers, e.g. 0/3)";
  for (const std::string text : {"", "1", "/3", "1/", "1/3/5", "-1/3", "1/-3", "+1/3", " 1/3", "1/3 ", "a/3", "1.0/3",
                                 "0x1/3", "99999999999999999999/3", "1/99999999999999999999"}) {
    auto shard = ParseShard(text);
    ASSERT_FALSE(shard.ok()) << text;
    EXPECT_EQ(shard.error().message, "\"" + text + "\" " + not_i_n);
    EXPECT_EQ(shard.error().reason, Reason::parse);
  }
  EXPECT_EQ(ParseShard("0/0").error().message, "N must be at least 1, got 0/0");
  EXPECT_EQ(ParseShard("3/3").error().message, "I must be below N (shards are numbered 0 to N-1), got 3/3");
  EXPECT_EQ(ParseShard("7/3").error().message, "I must be below N (shards are numbered 0 to N-1), got 7/3");
}

Config Named(const std::vector<std::string>& names) {
  Config config;
  config.file = "c.yaml";
  for (const auto& name : names) {
    TargetConfig& t = config.targets.emplace_back();
    t.name = name;
  }
  return config;
}

TEST(ShardTest, EveryTargetIsInExactlyOneShard) {
  std::vector<std::string> names;
  for (int i = 0; i < 50; ++i) names.push_back("site-" + std::to_string(i));
  const Config all = Named(names);
  std::multiset<std::string> seen;
  for (std::uint64_t i = 0; i < 3; ++i) {
    const Config part = TargetsOfShard(all, Shard{i, 3});
    EXPECT_EQ(part.file, "c.yaml");
    EXPECT_FALSE(part.targets.empty()) << "50 names leave shard " << i << " empty";
    for (const auto& t : part.targets) {
      seen.insert(t.name);
      EXPECT_EQ((Shard{i, 3}.Of(t.name)), i);
    }
  }
  EXPECT_EQ(seen, std::multiset<std::string>(names.begin(), names.end()));
  EXPECT_EQ(TargetsOfShard(all, Shard{}).targets.size(), names.size());
}

TEST(ShardTest, KeepsTheTargetsInTheirOrder) {
  // demo-mixcall and demo-huawei are both in shard 1 of 3 (stable_hash_test.cpp).
  const Config part = TargetsOfShard(Named({"demo-mixcall", "demo-yunhu", "demo-huawei"}), Shard{1, 3});
  ASSERT_EQ(part.targets.size(), 2u);
  EXPECT_EQ(part.targets[0].name, "demo-mixcall");
  EXPECT_EQ(part.targets[1].name, "demo-huawei");
}

}  // namespace
}  // namespace cc

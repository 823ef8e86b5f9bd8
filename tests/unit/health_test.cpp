#include "core/health.h"

#include "core/landing_page.h"

#include <gtest/gtest.h>

#include "tests/unit/support/text.h"

namespace cc {
namespace {

TargetCollectors Target(std::string name, std::string vendor, std::vector<std::string> collectors) {
  return TargetCollectors{std::move(name), std::move(vendor), std::move(collectors)};
}

std::string Text(const Health& h, std::string_view only = {}) {
  std::string out;
  h.Write(out, only);
  return out;
}

TEST(HealthTest, SeriesExistBeforeTheFirstPoll) {
  Health h(BuildInfo{"1.2.3", "abc", "main", "2026-11-30T00:00:00Z", "gcc 12.2.0", "linux/amd64"});
  h.SetTargets({Target("hq", "mixcall", {"queueinfo"})});
  auto t = Text(h);
  EXPECT_TRUE(
      test::Contains(t,
                     "callcenter_exporter_build_info{version=\"1.2.3\",revision=\"abc\",branch=\"main\","
                     "build_date=\"2026-11-30T00:00:00Z\",compiler=\"gcc 12.2.0\",platform=\"linux/amd64\"} 1\n"))
      << t;
  EXPECT_TRUE(test::Contains(t, "callcenter_target_info{target=\"hq\",vendor=\"mixcall\"} 1\n"));
  EXPECT_TRUE(test::Contains(t, "callcenter_up{target=\"hq\",collector=\"queueinfo\"} 0\n"));
  EXPECT_TRUE(test::Contains(
      t, "callcenter_poll_failures_total{target=\"hq\",collector=\"queueinfo\",reason=\"vendor_error\"} 0\n"));
  EXPECT_TRUE(
      test::Contains(t, "callcenter_last_success_timestamp_seconds{target=\"hq\",collector=\"queueinfo\"} 0\n"));
  EXPECT_FALSE(h.Ready());
}

TEST(HealthTest, RecordsSuccessAndFailure) {
  Health h(BuildInfo{"v", "r", "b", "d", "c", "p"});
  h.SetTargets({Target("hq", "mixcall", {"queueinfo"})});
  h.PollStarted("hq", "queueinfo");
  h.PollSucceeded("hq", "queueinfo", std::chrono::milliseconds(250),
                  std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)));
  auto t = Text(h);
  EXPECT_TRUE(test::Contains(t, "callcenter_up{target=\"hq\",collector=\"queueinfo\"} 1\n")) << t;
  EXPECT_TRUE(test::Contains(t, "callcenter_poll_duration_seconds{target=\"hq\",collector=\"queueinfo\"} 0.25\n"));
  EXPECT_TRUE(test::Contains(
      t, "callcenter_last_success_timestamp_seconds{target=\"hq\",collector=\"queueinfo\"} 1700000000\n"));
  EXPECT_TRUE(test::Contains(t, "callcenter_polls_total{target=\"hq\",collector=\"queueinfo\"} 1\n"));
  EXPECT_TRUE(h.Ready());

  h.PollStarted("hq", "queueinfo");
  h.PollFailed("hq", "queueinfo", std::chrono::seconds(10), Error{Reason::timeout, "read 10.0.0.1:80: deadline"});
  t = Text(h);
  EXPECT_TRUE(test::Contains(t, "callcenter_up{target=\"hq\",collector=\"queueinfo\"} 0\n"));
  EXPECT_TRUE(test::Contains(
      t, "callcenter_poll_failures_total{target=\"hq\",collector=\"queueinfo\",reason=\"timeout\"} 1\n"));
  EXPECT_TRUE(test::Contains(t, "callcenter_polls_total{target=\"hq\",collector=\"queueinfo\"} 2\n"));
  // The last success stays where it was.
  EXPECT_TRUE(test::Contains(
      t, "callcenter_last_success_timestamp_seconds{target=\"hq\",collector=\"queueinfo\"} 1700000000\n"));
  auto status = h.Status();
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0].last_error, "timeout: read 10.0.0.1:80: deadline");
  EXPECT_FALSE(status[0].up);
}

TEST(HealthTest, BackoffIsAGaugeAndOnTheLandingPage) {
  Health h(BuildInfo{"v", "r", "b", "d", "c", "p"});
  h.SetTargets({Target("hq", "mixcall", {"queueinfo"})});
  EXPECT_TRUE(test::Contains(Text(h), "callcenter_poll_backoff_seconds{target=\"hq\",collector=\"queueinfo\"} 0\n"));
  h.PollStarted("hq", "queueinfo");
  h.PollFailed("hq", "queueinfo", std::chrono::seconds(1), Error{Reason::http_status, "HTTP status 429"});
  const std::chrono::system_clock::time_point next(std::chrono::seconds(1700000040));
  h.PollScheduled("hq", "queueinfo", std::chrono::seconds(40), next);
  auto t = Text(h);
  EXPECT_TRUE(test::Contains(t, "callcenter_poll_backoff_seconds{target=\"hq\",collector=\"queueinfo\"} 40\n")) << t;
  EXPECT_TRUE(test::Contains(RenderLandingPage(h.Status(), "/metrics", "v"),
                             "down, backing off: next poll 2023-11-14T22:14:00Z"));
  h.PollScheduled("hq", "queueinfo", std::chrono::seconds(0), next);
  t = Text(h);
  EXPECT_TRUE(test::Contains(t, "callcenter_poll_backoff_seconds{target=\"hq\",collector=\"queueinfo\"} 0\n")) << t;
  EXPECT_FALSE(test::Contains(RenderLandingPage(h.Status(), "/metrics", "v"), "backing off"));
}

TEST(HealthTest, ReloadKeepsCountersOfRemainingTargetsAndDropsOthers) {
  Health h(BuildInfo{"v", "r", "b", "d", "c", "p"});
  h.SetTargets({Target("a", "mixcall", {"queueinfo"}), Target("b", "mixcall", {"queueinfo"})});
  h.PollStarted("a", "queueinfo");
  h.PollStarted("a", "queueinfo");
  h.SetTargets({Target("a", "mixcall", {"queueinfo"}), Target("c", "mixcall", {"queueinfo"})});
  auto t = Text(h);
  EXPECT_TRUE(test::Contains(t, "callcenter_polls_total{target=\"a\",collector=\"queueinfo\"} 2\n"));
  EXPECT_FALSE(test::Contains(t, "target=\"b\""));
  EXPECT_TRUE(test::Contains(t, "callcenter_target_info{target=\"c\",vendor=\"mixcall\"} 1\n"));
  EXPECT_FALSE(h.HasTarget("b"));
  EXPECT_TRUE(h.HasTarget("c"));
}

TEST(HealthTest, WriteForOneTargetOmitsOthersAndGlobalSeries) {
  Health h(BuildInfo{"v", "r", "b", "d", "c", "p"});
  h.SetTargets({Target("a", "mixcall", {"queueinfo"}), Target("b", "mixcall", {"queueinfo"})});
  auto t = Text(h, "a");
  EXPECT_TRUE(test::Contains(t, "callcenter_up{target=\"a\",collector=\"queueinfo\"} 0\n"));
  EXPECT_FALSE(test::Contains(t, "target=\"b\""));
  EXPECT_FALSE(test::Contains(t, "callcenter_exporter_build_info"));
}

TEST(HealthTest, ReloadStatus) {
  Health h(BuildInfo{"v", "r", "b", "d", "c", "p"});
  h.ConfigReloaded(true, std::chrono::system_clock::time_point(std::chrono::seconds(1000)));
  h.ConfigReloaded(false, std::chrono::system_clock::time_point(std::chrono::seconds(2000)));
  auto t = Text(h);
  EXPECT_TRUE(test::Contains(t, "callcenter_config_last_reload_successful 0\n"));
  EXPECT_TRUE(test::Contains(t, "callcenter_config_last_reload_success_timestamp_seconds 1000\n"));
}

}  // namespace
}  // namespace cc

#include "core/http_metrics.h"

#include <string>

#include <gtest/gtest.h>

namespace cc {
namespace {

using namespace std::chrono_literals;
using Clock = HttpMetrics::Clock;

std::string Text(const HttpMetrics& m) {
  std::string out;
  m.Append(out);
  return out;
}

TEST(HttpMetrics, HandlerIsAKnownRouteOrOther) {
  HttpMetrics m({"/metrics", "/-/healthy"}, 0);
  EXPECT_EQ(m.HandlerOf("/metrics"), "/metrics");
  EXPECT_EQ(m.HandlerOf("/-/healthy"), "/-/healthy");
  EXPECT_EQ(m.HandlerOf("/metrics/"), "other");
  EXPECT_EQ(m.HandlerOf("/anything-a-client-makes-up"), "other");
}

TEST(HttpMetrics, RequestsAreCountedWhenTheirTokenGoes) {
  HttpMetrics m({"/metrics", "/-/healthy"}, 0);
  auto a = m.Track("/-/healthy", 200, Clock::now() - 20s, nullptr);
  EXPECT_EQ(Text(m).find("callcenter_exporter_http_requests_total"), std::string::npos) << "counted before sent";
  a.reset();
  // 6 s ago: in the 10 s bucket and +Inf only; 20 s ago: +Inf only.
  m.Track("/-/healthy", 200, Clock::now() - 6s, nullptr).reset();
  m.Track("other", 404, Clock::now() - 20s, nullptr).reset();
  const std::string text = Text(m);
  EXPECT_NE(text.find("# TYPE callcenter_exporter_http_requests_total counter\n"
                      "callcenter_exporter_http_requests_total{handler=\"/-/healthy\",code=\"200\"} 2\n"
                      "callcenter_exporter_http_requests_total{handler=\"other\",code=\"404\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE callcenter_exporter_http_request_duration_seconds histogram\n"), std::string::npos);
  const std::string bucket = "callcenter_exporter_http_request_duration_seconds_bucket{handler=\"/-/healthy\",";
  EXPECT_NE(text.find(bucket + "le=\"0.005\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find(bucket + "le=\"5\"} 0\n" + bucket + "le=\"10\"} 1\n" + bucket + "le=\"+Inf\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("callcenter_exporter_http_request_duration_seconds_count{handler=\"/-/healthy\"} 2\n"),
            std::string::npos);
  EXPECT_EQ(text.find("handler=\"/metrics\""), std::string::npos) << "a handler without requests has series";
}

TEST(HttpMetrics, ScrapesPastTheLimitAreRefusedUntilOneEnds) {
  HttpMetrics m({"/metrics"}, 2);
  auto first = m.TryStartScrape();
  auto second = m.TryStartScrape();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(m.TryStartScrape(), nullptr);
  EXPECT_NE(Text(m).find("callcenter_exporter_scrapes_in_flight 2\n"), std::string::npos);
  EXPECT_NE(Text(m).find("callcenter_exporter_scrapes_max_in_flight 2\n"), std::string::npos);
  // The slot stays taken while the answer is being written: until the token goes.
  auto sent = m.Track("/metrics", 200, Clock::now(), std::move(first));
  EXPECT_EQ(m.TryStartScrape(), nullptr);
  sent.reset();
  EXPECT_NE(m.TryStartScrape(), nullptr);
  EXPECT_NE(Text(m).find("callcenter_exporter_scrapes_in_flight 1\n"), std::string::npos) << Text(m);
}

TEST(HttpMetrics, NoLimitHasNoMaxSeries) {
  HttpMetrics m({"/metrics"}, 0);
  std::vector<std::shared_ptr<void>> slots;
  for (int i = 0; i < 100; ++i) slots.push_back(m.TryStartScrape());
  EXPECT_NE(slots.back(), nullptr);
  EXPECT_NE(Text(m).find("callcenter_exporter_scrapes_in_flight 100\n"), std::string::npos);
  EXPECT_EQ(Text(m).find("scrapes_max_in_flight"), std::string::npos);
}

TEST(HttpMetrics, TokensMayOutliveTheMetrics) {
  std::shared_ptr<void> token;
  {
    HttpMetrics m({"/metrics"}, 1);
    token = m.Track("/metrics", 200, Clock::now(), m.TryStartScrape());
  }
  token.reset();  // under ASan: no use after free
  SUCCEED();
}

}  // namespace
}  // namespace cc

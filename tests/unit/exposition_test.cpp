#include "core/exposition.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "model/metrics.h"

namespace cc {
namespace {

TEST(ExpositionTest, RendersFamiliesWithTargetLabelFirst) {
  Snapshot snap;
  snap.Add(metrics::queue_calls_waiting, {{"queue", "90"}}, 4);
  snap.Add(metrics::queue_calls_answered_total, {{"queue", "90"}}, 17);
  snap.Add(metrics::queue_max_calls_waiting, {{"queue", "90"}}, std::numeric_limits<double>::infinity());

  Rendered r = Render(snap, "hq");
  ASSERT_EQ(r.families.size(), 3u);
  EXPECT_EQ(r.series, 3u);

  const auto& waiting = r.families.at("callcenter_queue_calls_waiting");
  EXPECT_EQ(waiting.header,
            "# HELP callcenter_queue_calls_waiting Calls waiting in the queue (mixcall: wait; huawei_cec: "
            "queueSize; ucontact: callers). Cached from the last poll.\n"
            "# TYPE callcenter_queue_calls_waiting gauge\n");
  EXPECT_EQ(waiting.series, "callcenter_queue_calls_waiting{target=\"hq\",queue=\"90\"} 4\n");

  const auto& answered = r.families.at("callcenter_queue_calls_answered_total");
  EXPECT_NE(answered.header.find("# TYPE callcenter_queue_calls_answered_total counter\n"), std::string::npos);
  EXPECT_EQ(answered.series, "callcenter_queue_calls_answered_total{target=\"hq\",queue=\"90\"} 17\n");

  EXPECT_EQ(r.families.at("callcenter_queue_max_calls_waiting").series,
            "callcenter_queue_max_calls_waiting{target=\"hq\",queue=\"90\"} +Inf\n");
}

TEST(ExpositionTest, EscapesLabelValues) {
  Snapshot snap;
  snap.Add(metrics::queue_info, {{"queue", "1"}, {"name", "a \"b\"\\c\nd"}, {"strategy", ""}}, 1);
  Rendered r = Render(snap, "t");
  EXPECT_EQ(r.families.at("callcenter_queue_info").series,
            "callcenter_queue_info{target=\"t\",queue=\"1\",name=\"a \\\"b\\\"\\\\c\\nd\",strategy=\"\"} 1\n");
}

TEST(ExpositionTest, RepairsInvalidUtf8) {
  EXPECT_EQ(ValidUtf8("sales"), "sales");
  EXPECT_EQ(ValidUtf8("\xE8\xAE\xB0\xE5\xBF\x86"), "\xE8\xAE\xB0\xE5\xBF\x86");  // 记忆
  EXPECT_EQ(ValidUtf8("a\xB0z"), "a\xEF\xBF\xBDz");                              // GBK byte
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(ValidUtf8("end\xE8"), "end\xEF\xBF\xBD");                            // truncated sequence
}

TEST(ExpositionTest, DropsDuplicateSeriesKeepingTheFirst) {
  Snapshot snap;
  snap.Add(metrics::agent_status_code, {{"agent", "6103"}}, 1);
  snap.Add(metrics::agent_status_code, {{"agent", "6104"}}, 2);
  snap.Add(metrics::agent_status_code, {{"agent", "6103"}}, 3);
  Rendered r = Render(snap, "t");
  EXPECT_EQ(r.duplicates_dropped, 1u);
  EXPECT_EQ(r.series, 2u);
  EXPECT_EQ(r.families.at("callcenter_agent_status_code").series,
            "callcenter_agent_status_code{target=\"t\",agent=\"6103\"} 1\n"
            "callcenter_agent_status_code{target=\"t\",agent=\"6104\"} 2\n");
}

TEST(ExpositionTest, AgentStateHelperEmitsEveryStateOnce) {
  Snapshot snap;
  metrics::AddAgentState(snap, "7", AgentState::on_break);
  Rendered r = Render(snap, "t");
  const std::string& s = r.families.at("callcenter_agent_state").series;
  EXPECT_NE(s.find("callcenter_agent_state{target=\"t\",agent=\"7\",state=\"break\"} 1\n"), std::string::npos);
  EXPECT_NE(s.find("callcenter_agent_state{target=\"t\",agent=\"7\",state=\"available\"} 0\n"), std::string::npos);
  EXPECT_EQ(r.series, kAllAgentStates.size());
}

TEST(ExpositionTest, SplitFamilyTextSeparatesHeaderFromSeries) {
  auto f = SplitFamilyText("# HELP x y\n# TYPE x gauge\nx 1\nx{a=\"b\"} 2\n");
  EXPECT_EQ(f.header, "# HELP x y\n# TYPE x gauge\n");
  EXPECT_EQ(f.series, "x 1\nx{a=\"b\"} 2\n");
}

}  // namespace
}  // namespace cc

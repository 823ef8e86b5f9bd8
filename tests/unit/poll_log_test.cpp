#include "core/poll_log.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/unit/support/log_capture.h"

namespace cc {
namespace {

using namespace std::chrono_literals;
using Clock = PollLog::Clock;

// The JSON log lines of `text`, parsed.
std::vector<rapidjson::Document> JsonLines(const std::string& text) {
  std::vector<rapidjson::Document> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    EXPECT_FALSE(d.HasParseError()) << line;
    if (!d.HasParseError()) out.push_back(std::move(d));
  }
  return out;
}

TEST(PollLogTest, ManyFailedPollsGiveFirstChangeSummaryAndRecoveryLinesOnly) {
  test::LogCapture capture;
  log::Configure(log::Level::info, log::Format::json);
  PollLog poll_log("hq", "queueinfo");
  const auto t0 = Clock::now();
  const Error refused{Reason::connect, "connect 127.0.0.1:9: refused"};
  // 300 polls 1 s apart (as if not backed off): 120 connect, then 180 http_status.
  for (int i = 0; i < 120; ++i) poll_log.Failed(refused, t0 + i * 1s, 1s);
  for (int i = 120; i < 300; ++i) poll_log.Failed(Error{Reason::http_status, "HTTP status 503"}, t0 + i * 1s, 1s);
  poll_log.Succeeded(t0 + 300s);
  poll_log.Succeeded(t0 + 301s);  // still up: nothing to say
  const auto lines = JsonLines(capture.Take());

  // First failure, change of reason at 120 s, a summary 5 min after the change
  // would be at 420 s (none: the run ended at 299 s), the recovery.
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_STREQ(lines[0]["msg"].GetString(), "poll failed");
  EXPECT_STREQ(lines[0]["reason"].GetString(), "connect");
  EXPECT_STREQ(lines[0]["err"].GetString(), "connect 127.0.0.1:9: refused");
  EXPECT_STREQ(lines[1]["msg"].GetString(), "poll failed");
  EXPECT_STREQ(lines[1]["reason"].GetString(), "http_status");
  EXPECT_STREQ(lines[1]["previous_reason"].GetString(), "connect");
  EXPECT_EQ(lines[1]["failures"].GetInt(), 121);
  EXPECT_STREQ(lines[2]["msg"].GetString(), "poll recovered");
  EXPECT_STREQ(lines[2]["level"].GetString(), "info");
  ASSERT_TRUE(lines[2]["failures"].IsNumber()) << "a JSON number, not a string";
  EXPECT_EQ(lines[2]["failures"].GetInt(), 300);
  ASSERT_TRUE(lines[2]["failing_seconds"].IsNumber());
  EXPECT_DOUBLE_EQ(lines[2]["failing_seconds"].GetDouble(), 300.0);
}

TEST(PollLogTest, ALongFailureIsSummarisedEveryFiveMinutes) {
  test::LogCapture capture;
  log::Configure(log::Level::info, log::Format::json);
  PollLog poll_log("dialer", "queue_sip_status");
  const auto t0 = Clock::now();
  // One hour of polls every 15 s, all refused the same way.
  for (int i = 0; i < 240; ++i) poll_log.Failed(Error{Reason::auth, "token invalid"}, t0 + i * 15s, 15s);
  const auto lines = JsonLines(capture.Take());
  ASSERT_EQ(lines.size(), 12u) << "the first line, then one every 5 min (at 300 s … 3300 s)";
  EXPECT_STREQ(lines[0]["msg"].GetString(), "poll failed");
  ASSERT_TRUE(lines[0]["next_poll_seconds"].IsNumber());
  EXPECT_DOUBLE_EQ(lines[0]["next_poll_seconds"].GetDouble(), 15.0);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_STREQ(lines[i]["msg"].GetString(), "poll still failing") << i;
    EXPECT_STREQ(lines[i]["target"].GetString(), "dialer");
    EXPECT_STREQ(lines[i]["collector"].GetString(), "queue_sip_status");
    EXPECT_STREQ(lines[i]["reason"].GetString(), "auth");
    EXPECT_EQ(lines[i]["failures"].GetInt(), static_cast<int>(i) * 20 + 1) << i;
    EXPECT_DOUBLE_EQ(lines[i]["failing_seconds"].GetDouble(), static_cast<double>(i) * 300) << i;
  }
}

TEST(PollLogTest, EveryFailedPollIsStillThereAtDebugLevel) {
  test::LogCapture capture;  // debug, logfmt
  PollLog poll_log("hq", "queueinfo");
  const auto t0 = Clock::now();
  for (int i = 0; i < 5; ++i) poll_log.Failed(Error{Reason::timeout, "read: timed out"}, t0 + i * 1s, 2s);
  const std::string text = capture.Take();
  std::size_t debug = 0, warn = 0;
  for (std::size_t at = text.find("level="); at != std::string::npos; at = text.find("level=", at + 1)) {
    debug += text.compare(at, 11, "level=debug") == 0;
    warn += text.compare(at, 10, "level=warn") == 0;
  }
  EXPECT_EQ(warn, 1u);
  EXPECT_EQ(debug, 4u);
  EXPECT_NE(text.find("failures=5 next_poll_seconds=2"), std::string::npos) << text;
}

}  // namespace
}  // namespace cc

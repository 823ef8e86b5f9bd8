// Failing targets back off, as real processes on loopback: the simulator
// answers 429 or 503 with Retry-After (seconds, or an HTTP-date far enough
// ahead to be capped), or yunhu refuses every token even right after a login;
// the exporter's polls (and logins) are counted over a window, its back-off
// gauge and its log lines are read, and it recovers at the first success.
// Polls every 1 s (SimExporterTest::Config): the back-off cap is 10 s.

#include <chrono>
#include <ctime>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/integration/sim_exporter.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

std::size_t CountLines(const std::string& log, const std::string& a, const std::string& b) {
  std::size_t n = 0;
  std::size_t start = 0;
  while (start < log.size()) {
    auto end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    const std::string_view line(log.data() + start, end - start);
    n += line.find(a) != std::string_view::npos && line.find(b) != std::string_view::npos;
    start = end + 1;
  }
  return n;
}

class BackoffIntegration : public SimExporterTest {
 protected:
  void SetUp() override { StartSim({"--queues", "2", "--agents", "2", "--seed", "7", "--tick-ms", "50"}); }

  std::string MixcallTarget(const std::string& name) const {
    return "  - name: " + name + "\n    vendor: mixcall\n    url: http://" + sim_addr_ + "/admin/\n";
  }

  void WaitForUp(const std::string& target, double up) {
    ASSERT_TRUE(WaitUntil(
        [&] {
          return Scrape().Value("callcenter_up", {{"target", target}}) == up;
        },
        40s))
        << exporter_->Log();
  }

  double Backoff(const std::string& target) {
    return Scrape().Value("callcenter_poll_backoff_seconds", {{"target", target}}).value_or(-1);
  }
};

TEST_F(BackoffIntegration, RetryAfterSecondsIsHonouredThenTheTargetRecovers) {
  StartExporter(MixcallTarget("hq"));
  WaitForFreshPoll("hq");
  SetFault("http429&retry_after=4");
  WaitForUp("hq", 0);
  EXPECT_GT(Backoff("hq"), 0);
  const double before = Polls("hq");
  std::this_thread::sleep_for(10s);
  const double polls = Polls("hq") - before;
  // Every 1 s would be 10 polls; every 4 s, 2 or 3.
  EXPECT_LE(polls, 4) << exporter_->Log();
  EXPECT_GE(polls, 1) << "still polled: Retry-After is a delay, not a stop";
  EXPECT_GT(Scrape().Value("callcenter_poll_failures_total", {{"target", "hq"}, {"reason", "http_status"}}).value_or(0),
            0);

  SetFault("none");
  WaitForUp("hq", 1);
  EXPECT_EQ(Backoff("hq"), 0);
  const std::string log = exporter_->Log();
  EXPECT_EQ(CountLines(log, "level=warn msg=\"poll failed\"", "target=hq"), 1u) << log;
  EXPECT_EQ(CountLines(log, "msg=\"poll recovered\"", "target=hq"), 1u) << log;
  EXPECT_NE(log.find("reason=http_status err=\"queueinfo: HTTP status 429 (rate limited)\""), std::string::npos) << log;
}

TEST_F(BackoffIntegration, AnHttpDateFarAheadIsCappedAtTenIntervals) {
  StartExporter(MixcallTarget("hq"));
  WaitForFreshPoll("hq");
  const std::time_t in_an_hour = std::time(nullptr) + 3600;
  std::tm tm{};
  gmtime_r(&in_an_hour, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a,%%20%d%%20%b%%20%Y%%20%H:%M:%S%%20GMT", &tm);
  SetFault(std::string("http503&retry_after=") + date);
  WaitForUp("hq", 0);
  const double before = Polls("hq");
  ASSERT_GT(Backoff("hq"), 5) << exporter_->Log();
  ASSERT_LE(Backoff("hq"), 10);
  // Honoured, but capped at 10 × poll_interval: polled again within 10 s.
  ASSERT_TRUE(WaitUntil([&] { return Polls("hq") > before; }, 25s)) << exporter_->Log();
  EXPECT_EQ(Scrape().Value("callcenter_up", {{"target", "hq"}}), 0);
}

TEST_F(BackoffIntegration, YunhuRefusingEveryTokenBacksOffInsteadOfLoggingInEveryPoll) {
  StartExporter("  - name: dialer\n    vendor: yunhu\n    url: http://" + sim_addr_ +
                "/api/yunhu\n    auth:\n      appid: sim-appid\n      accesskey: sim-accesskey\n");
  WaitForFreshPoll("dialer");
  ASSERT_EQ(Post(sim_addr_, "/_sim/yunhu/reject_tokens?on=1").status, 200);
  WaitForUp("dialer", 0);
  const auto logins = [&] { return SimState()["yunhu"]["auth"]["logins"].GetUint64(); };
  const auto before = logins();
  std::this_thread::sleep_for(12s);
  const auto during = logins() - before;
  // A login every 1 s poll would be 12; backing off (1, 2, 4, 8 s) about 4.
  EXPECT_LE(during, 6u) << exporter_->Log();
  EXPECT_GE(during, 1u) << "it keeps trying";
  const auto auth_failures =
      Scrape().Value("callcenter_poll_failures_total", {{"target", "dialer"}, {"reason", "auth"}}).value_or(0);
  EXPECT_GT(auth_failures, 0);
  EXPECT_GT(Backoff("dialer"), 0);

  ASSERT_EQ(Post(sim_addr_, "/_sim/yunhu/reject_tokens?on=0").status, 200);
  WaitForUp("dialer", 1);
  const std::string log = exporter_->Log();
  EXPECT_EQ(CountLines(log, "level=warn msg=\"poll failed\"", "target=dialer"), 1u) << log;
  EXPECT_EQ(CountLines(log, "msg=\"poll recovered\"", "target=dialer"), 1u) << log;
  // The start, and the one login of the first failed poll; the others (one
  // per back-off step) are at debug level.
  EXPECT_LE(CountLines(log, "level=info msg=\"yunhu logged in\"", "target=dialer"), 2u) << log;
}

}  // namespace
}  // namespace cc::test

// The exporter and the simulator as real processes on loopback: values on
// /metrics against the simulator's own state, agent removal, faults, stale
// data, reload, probe, promtool.

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/integration/sim_exporter.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

// docs/metrics.md's MixCall column, written out independently of the parser.
std::string ExpectedMixcallState(int status, int dnd) {
  switch (status) {
    case 0: return dnd == -1 ? "available" : "not_ready";
    case 8: return "ringing";
    case 1:
    case 2:
    case 9: return "on_call";
    case 16:
    case 17: return "on_hold";
    case -2:
    case -1:
    case 4: return "offline";
    default: return "unknown";
  }
}

class MixcallIntegration : public SimExporterTest {
 protected:
  void SetUp() override { StartSim({"--queues", "3", "--agents", "4", "--seed", "7", "--tick-ms", "50"}); }

  std::string MixcallTarget(const std::string& name, const std::string& extra = "") const {
    return "  - name: " + name + "\n    vendor: mixcall\n    url: http://" + sim_addr_ + "/admin/\n" + extra;
  }
};

TEST_F(MixcallIntegration, MetricsCarryTheSimulatorsValues) {
  StartExporter(MixcallTarget("hq"));
  // Let the model run a little so calls, waits and counters are non-trivial.
  WaitForFreshPoll("hq");
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  WaitForFreshPoll("hq");

  auto state = SimState();
  auto m = Scrape();
  EXPECT_EQ(m.Value("callcenter_up", {{"target", "hq"}, {"collector", "queueinfo"}}), 1.0);
  const auto& queues = state["mixcall"]["queues"];
  ASSERT_TRUE(queues.IsArray());
  ASSERT_EQ(queues.Size(), 3u);
  std::set<std::string> agents_seen;
  for (const auto& q : queues.GetArray()) {
    std::string id = q["queue"].GetString();
    std::map<std::string, std::string> l{{"target", "hq"}, {"queue", id}};
    SCOPED_TRACE("queue " + id);
    EXPECT_EQ(m.Value("callcenter_queue_calls_waiting", l), q["wait"].GetDouble());
    double max = q["max"].GetDouble();
    EXPECT_EQ(m.Value("callcenter_queue_max_calls_waiting", l), max < 0 ? INFINITY : max);
    EXPECT_EQ(m.Value("callcenter_queue_longest_wait_seconds", l), q["longest_wait_seconds"].GetDouble());
    EXPECT_EQ(m.Value("callcenter_queue_average_wait_seconds", l), q["holdtime"].GetDouble());
    EXPECT_EQ(m.Value("callcenter_queue_weight", l), q["weight"].GetDouble());
    EXPECT_EQ(m.Value("callcenter_queue_calls_answered_total", l), q["completed"].GetDouble());
    EXPECT_EQ(m.Value("callcenter_queue_calls_abandoned_total", l), q["abandoned"].GetDouble());
    EXPECT_EQ(m.Value("callcenter_queue_service_level_threshold_seconds", l), q["servicelevel"].GetDouble());
    auto ratio = m.Value("callcenter_queue_service_level_ratio", l);
    ASSERT_TRUE(ratio);
    EXPECT_NEAR(*ratio, q["servicelevelperf_ratio"].GetDouble(), 1e-9);
    EXPECT_EQ(m.Value("callcenter_queue_info", {{"target", "hq"},
                                                {"queue", id},
                                                {"name", q["name"].GetString()},
                                                {"strategy", q["strategy"].GetString()}}),
              1.0);
    std::map<std::string, int> expected_counts;
    for (const auto& a : q["agents"].GetArray()) {
      std::string exten = a["exten"].GetString();
      int status = a["status"].GetInt(), dnd = a["dnd"].GetInt();
      std::string st = ExpectedMixcallState(status, dnd);
      ++expected_counts[st];
      agents_seen.insert(exten);
      EXPECT_EQ(m.Value("callcenter_queue_member_info", {{"target", "hq"}, {"queue", id}, {"agent", exten}}), 1.0);
      EXPECT_EQ(m.Value("callcenter_agent_state", {{"target", "hq"}, {"agent", exten}, {"state", st}}), 1.0)
          << exten << " status " << status << " dnd " << dnd;
      EXPECT_EQ(m.Count("callcenter_agent_state", {{"target", "hq"}, {"agent", exten}}), 9u);
      EXPECT_EQ(m.Value("callcenter_agent_status_code", {{"target", "hq"}, {"agent", exten}}), status);
      auto busy = m.Value("callcenter_agent_busy_reason_code", {{"target", "hq"}, {"agent", exten}});
      if (dnd == -1) {
        EXPECT_FALSE(busy);
      } else {
        EXPECT_EQ(busy, dnd);
      }
    }
    for (const char* st :
         {"available", "ringing", "on_call", "on_hold", "wrap_up", "not_ready", "break", "offline", "unknown"}) {
      EXPECT_EQ(m.Value("callcenter_queue_agents", {{"target", "hq"}, {"queue", id}, {"state", st}}),
                expected_counts[st])
          << st;
    }
  }
  EXPECT_EQ(m.Count("callcenter_agent_status_code", {{"target", "hq"}}), agents_seen.size());
  // Counters really count: the unpaused model must have produced some calls.
  EXPECT_GT(*m.Value("callcenter_queue_calls_answered_total", {{"queue", "90"}}) +
                *m.Value("callcenter_queue_calls_abandoned_total", {{"queue", "90"}}),
            0);
}

TEST_F(MixcallIntegration, RemovedAgentDisappearsWithTheNextPoll) {
  StartExporter(MixcallTarget("hq"));
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  WaitForFreshPoll("hq");
  auto before = Scrape();
  const std::string agent = "6101";
  ASSERT_EQ(before.Count("callcenter_agent_state", {{"agent", agent}}), 9u);
  ASSERT_GE(before.Count("callcenter_queue_member_info", {{"agent", agent}}), 1u);

  ASSERT_EQ(Post(sim_addr_, "/_sim/remove_agent?exten=" + agent).status, 200);
  WaitForFreshPoll("hq");
  auto after = Scrape();
  EXPECT_EQ(after.Count("callcenter_agent_state", {{"agent", agent}}), 0u);
  EXPECT_EQ(after.Count("callcenter_agent_status_code", {{"agent", agent}}), 0u);
  EXPECT_EQ(after.Count("callcenter_queue_member_info", {{"agent", agent}}), 0u);
  EXPECT_GT(after.Count("callcenter_agent_state"), 0u);
}

TEST_F(MixcallIntegration, FaultsGiveUpZeroWithTheirReasonAndMetricsKeepAnswering) {
  StartExporter(MixcallTarget("hq") + MixcallTarget("short", "    stale_after: 2s\n") +
                "  - name: down\n    vendor: mixcall\n    url: http://127.0.0.1:1/admin/\n");
  WaitForFreshPoll("hq");
  auto healthy = Scrape();
  EXPECT_EQ(healthy.Value("callcenter_up", {{"target", "hq"}}), 1.0);
  EXPECT_EQ(healthy.Value("callcenter_up", {{"target", "down"}}), 0.0);
  EXPECT_GE(*healthy.Value("callcenter_poll_failures_total", {{"target", "down"}, {"reason", "connect"}}), 1.0);

  struct Case {
    std::string mode, reason;
  };
  for (const Case& c : {Case{"http500", "http_status"}, Case{"html", "parse"}, Case{"garbage", "parse"},
                        Case{"truncated", "parse"}, Case{"hang", "timeout"}, Case{"slow", "timeout"}}) {
    SCOPED_TRACE(c.mode);
    double failures =
        Scrape().Value("callcenter_poll_failures_total", {{"target", "hq"}, {"reason", c.reason}}).value_or(-1);
    SetFault(c.mode + (c.mode == "slow" ? "&delay_ms=5000" : ""));
    ASSERT_TRUE(WaitUntil(
        [&] {
          auto m = Scrape();
          return m.Value("callcenter_poll_failures_total", {{"target", "hq"}, {"reason", c.reason}}) > failures &&
                 m.Value("callcenter_up", {{"target", "hq"}}) == 0.0;
        },
        20s))
        << exporter_->Log();
    // While the vendor misbehaves, scrapes are answered and the last good data stays.
    auto m = Scrape();
    EXPECT_GT(m.Count("callcenter_queue_calls_waiting", {{"target", "hq"}}), 0u);
    SetFault("none");
    ASSERT_TRUE(WaitUntil([&] { return Scrape().Value("callcenter_up", {{"target", "hq"}}) == 1.0; }, 20s));
  }

  // A target failing for longer than stale_after loses its data, not its health series.
  SetFault("http500");
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Scrape().Count("callcenter_queue_calls_waiting", {{"target", "short"}}) == 0;
      },
      20s));
  auto m = Scrape();
  EXPECT_EQ(m.Value("callcenter_up", {{"target", "short"}}), 0.0);
  EXPECT_EQ(m.Value("callcenter_target_info", {{"target", "short"}, {"vendor", "mixcall"}}), 1.0);
  EXPECT_GT(m.Count("callcenter_queue_calls_waiting", {{"target", "hq"}}), 0u);
  EXPECT_EQ(m.Count("callcenter_queue_calls_waiting", {{"target", "down"}}), 0u);
}

// The bounds of issue-size output: a label value over label_value_length_limit costs only
// its series (the sim's agent ids have 4 characters, its queue ids 2), and a target over
// sample_limit is down with that reason while the others are served.
TEST_F(MixcallIntegration, LabelValueAndSampleLimits) {
  StartExporter(MixcallTarget("short_labels", "    label_value_length_limit: 3\n") +
                MixcallTarget("few_series", "    sample_limit: 5\n") + MixcallTarget("hq"));
  ASSERT_TRUE(exporter_->WaitForLine("over sample_limit 5", 30s));
  ASSERT_TRUE(exporter_->WaitForLine("over label_value_length_limit", 30s));
  WaitForFreshPoll("short_labels");
  WaitForFreshPoll("hq");

  auto m = Scrape();
  EXPECT_EQ(m.Value("callcenter_up", {{"target", "short_labels"}}), 1.0);
  EXPECT_EQ(m.Count("callcenter_agent_state", {{"target", "short_labels"}}), 0u);
  EXPECT_EQ(m.Count("callcenter_queue_member_info", {{"target", "short_labels"}}), 0u);
  EXPECT_EQ(m.Count("callcenter_queue_calls_waiting", {{"target", "short_labels"}}), 3u);
  EXPECT_GT(m.Count("callcenter_agent_state", {{"target", "hq"}}), 0u);
  EXPECT_GT(m.Count("callcenter_queue_member_info", {{"target", "hq"}}), 0u);

  EXPECT_EQ(m.Value("callcenter_up", {{"target", "few_series"}}), 0.0);
  EXPECT_GE(m.Value("callcenter_poll_failures_total", {{"target", "few_series"}, {"reason", "sample_limit"}}), 1.0);
  EXPECT_EQ(m.Count("callcenter_queue_calls_waiting", {{"target", "few_series"}}), 0u);
}

TEST_F(MixcallIntegration, HttpSurface) {
  StartExporter(MixcallTarget("hq") + MixcallTarget("second"));
  WaitForFreshPoll("hq");

  auto probe = Get(addr_, "/probe?target=second");
  ASSERT_EQ(probe.status, 200);
  auto p = ParseExposition(probe.body);
  EXPECT_EQ(p.Value("callcenter_up", {{"target", "second"}}), 1.0);
  EXPECT_GT(p.Count("callcenter_queue_calls_waiting"), 0u);
  EXPECT_EQ(p.Count("callcenter_queue_calls_waiting", {{"target", "hq"}}), 0u);
  EXPECT_EQ(Get(addr_, "/probe?target=nope").status, 404);
  EXPECT_EQ(Get(addr_, "/probe").status, 400);

  EXPECT_EQ(Get(addr_, "/-/healthy").status, 200);
  EXPECT_EQ(Get(addr_, "/-/ready").status, 200);
  EXPECT_EQ(Get(addr_, "/nope").status, 404);
  EXPECT_EQ(Get(addr_, "/-/reload").status, 405);

  auto landing = Get(addr_, "/");
  EXPECT_EQ(landing.status, 200);
  EXPECT_NE(landing.body.find("<td>second</td>"), std::string::npos);
  EXPECT_NE(landing.body.find("/probe?target=hq"), std::string::npos);

  auto gz = Http("GET", addr_, "/metrics", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.status, 200);
  EXPECT_EQ(gz.headers["content-encoding"], "gzip");
  ASSERT_GE(gz.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[1]), 0x8b);

  // Graceful stop on SIGTERM.
  exporter_->Signal(SIGTERM);
  EXPECT_EQ(exporter_->Wait(15s), 0);
}

TEST_F(MixcallIntegration, ReloadAppliesAGoodConfigAndKeepsTheRunningOneOnABadOne) {
  StartExporter(MixcallTarget("hq"));
  dir_.Write("config.yaml", Config(MixcallTarget("hq") + MixcallTarget("added")));
  auto ok = Post(addr_, "/-/reload");
  EXPECT_EQ(ok.status, 200) << ok.body;
  ASSERT_TRUE(WaitUntil([&] { return Scrape().Value("callcenter_up", {{"target", "added"}}) == 1.0; }, 20s));
  EXPECT_EQ(Scrape().Value("callcenter_config_last_reload_successful", {}), 1.0);

  dir_.Write("config.yaml",
             Config(MixcallTarget("hq") + "  - name: broken\n    vendor: nosuchvendor\n    url: http://x/\n"));
  auto bad = Post(addr_, "/-/reload");
  EXPECT_EQ(bad.status, 500);
  EXPECT_NE(bad.body.find("nosuchvendor"), std::string::npos) << bad.body;
  auto m = Scrape();
  EXPECT_EQ(m.Value("callcenter_config_last_reload_successful", {}), 0.0);
  EXPECT_EQ(m.Value("callcenter_target_info", {{"target", "added"}}), 1.0);
  EXPECT_EQ(m.Count("callcenter_target_info", {{"target", "broken"}}), 0u);

  // SIGHUP does the same as POST /-/reload.
  dir_.Write("config.yaml", Config(MixcallTarget("hq")));
  exporter_->Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] { return Scrape().Count("callcenter_target_info", {{"target", "added"}}) == 0; }, 20s));
  EXPECT_EQ(Scrape().Value("callcenter_config_last_reload_successful", {}), 1.0);
}

TEST_F(MixcallIntegration, PromtoolFindsNothingToReport) {
  StartExporter(MixcallTarget("hq") + "  - name: down\n    vendor: mixcall\n    url: http://127.0.0.1:1/admin/\n");
  WaitForFreshPoll("hq");
  auto r = Get(addr_, "/metrics");
  ASSERT_EQ(r.status, 200);
  auto file = dir_.Write("metrics.txt", r.body);
  auto out = dir_.path() + "/promtool.out";
  int rc = std::system(("promtool check metrics < " + file + " > " + out + " 2>&1").c_str());
  std::ifstream in(out);
  std::string report((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(rc, 0) << report;
  EXPECT_EQ(report, "");
}

TEST(ConfigCheck, ExitCodesAndMessages) {
  TempDir dir;
  auto good = dir.Write("good.yaml", "targets:\n  - name: a\n    vendor: mixcall\n    url: http://127.0.0.1/admin/\n");
  auto bad =
      dir.Write("bad.yaml",
                "targets:\n  - name: a\n    vendor: mixcall\n    url: http://127.0.0.1/admin/\n    pol_interval: 5s\n");
  Process ok(ExporterBinary(), {"--config.check", "--config.file", good}, dir.path() + "/ok.log");
  EXPECT_EQ(ok.Wait(20s), 0) << ok.Log();
  Process ko(ExporterBinary(), {"--config.check", "--config.file", bad}, dir.path() + "/ko.log");
  EXPECT_EQ(ko.Wait(20s), 1);
  EXPECT_NE(ko.Log().find("bad.yaml:5"), std::string::npos) << ko.Log();
  EXPECT_NE(ko.Log().find("pol_interval"), std::string::npos) << ko.Log();
}

// Without --web.enable-lifecycle, whoever reaches the port cannot reload the
// configuration (403, as Prometheus answers); SIGHUP still reloads.
TEST(Lifecycle, ReloadOverHttpOnlyWhenEnabled) {
  TempDir dir;
  const std::string target = "targets:\n  - name: a\n    vendor: mixcall\n    url: http://127.0.0.1:1/admin/\n";
  auto config = dir.Write("config.yaml", target);
  Process exporter(ExporterBinary(), {"--config.file", config, "--web.listen-address", "127.0.0.1:0"},
                   dir.path() + "/exporter.log");
  auto line = exporter.WaitForLine("msg=listening address=", 20s);
  ASSERT_TRUE(line) << exporter.Log();
  const std::string addr = AddressAfter(*line, "address=");
  dir.Write("config.yaml", target + "  - name: b\n    vendor: mixcall\n    url: http://127.0.0.1:1/admin/\n");
  auto refused = Post(addr, "/-/reload");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("--web.enable-lifecycle"), std::string::npos) << refused.body;
  EXPECT_EQ(ParseExposition(Get(addr, "/metrics").body).Count("callcenter_target_info", {{"target", "b"}}), 0u);
  exporter.Signal(SIGHUP);
  EXPECT_TRUE(WaitUntil(
      [&] {
        return ParseExposition(Get(addr, "/metrics").body).Count("callcenter_target_info", {{"target", "b"}}) == 1;
      },
      20s))
      << exporter.Log();
}

}  // namespace
}  // namespace cc::test

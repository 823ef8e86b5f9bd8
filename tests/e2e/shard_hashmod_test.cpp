// End to end: --shard agrees with Prometheus' own hashmod. A real Prometheus
// shards /probe over three exporters started with --shard=0/3, 1/3 and 2/3:
// job probe-i keeps the names whose hashmod (modulus 3) is i and probes them
// on exporter i. Every probe is up only if each exporter serves exactly the
// names Prometheus assigns it (a name it does not serve answers 404: up 0).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/prometheus_api.h"
#include "tests/integration/harness.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

// In shards of 3: paris, madrid, vienna in 0; berlin, rome in 1; lisbon in 2.
const std::vector<std::string> kNames = {"paris", "berlin", "madrid", "lisbon", "rome", "vienna"};

std::string ProbeJob(int shard, const std::string& exporter) {
  std::string names;
  for (const auto& n : kNames) names += (names.empty() ? "" : ", ") + n;
  const std::string i = std::to_string(shard);
  return "  - job_name: probe-" + i +
         "\n    metrics_path: /probe\n"
         "    static_configs: [{targets: [" +
         names +
         "]}]\n"
         "    relabel_configs:\n"
         "      - {source_labels: [__address__], target_label: __param_target}\n"
         "      - {source_labels: [__param_target], modulus: 3, target_label: __tmp_shard, action: hashmod}\n"
         "      - {source_labels: [__tmp_shard], regex: \"" +
         i +
         "\", action: keep}\n"
         "      - {source_labels: [__param_target], target_label: instance}\n"
         "      - {target_label: __address__, replacement: \"" +
         exporter + "\"}\n";
}

TEST(PrometheusEndToEnd, HashmodShardsOfPrometheusFindTheirTargetsOnTheSameExporterShard) {
  TempDir dir;
  Process sim(SimulatorBinary(), {"--listen", "127.0.0.1:0", "--queues", "2", "--agents", "3", "--seed", "3"},
              dir.path() + "/sim.log");
  auto sim_line = sim.WaitForLine("scheme=http address=", 20s);
  ASSERT_TRUE(sim_line) << sim.Log();
  std::string targets;
  for (const auto& n : kNames) {
    targets += "  - name: " + n + "\n    vendor: mixcall\n    url: http://" + AddressAfter(*sim_line, "address=") +
               "/admin/\n";
  }
  const auto config =
      dir.Write("config.yaml", "global:\n  poll_interval: 1s\n  poll_timeout: 800ms\ntargets:\n" + targets);

  std::vector<std::unique_ptr<Process>> exporters;
  std::string jobs;
  for (int i = 0; i < 3; ++i) {
    const std::string log = dir.path() + "/exporter" + std::to_string(i) + ".log";
    exporters.push_back(
        std::make_unique<Process>(ExporterBinary(),
                                  std::vector<std::string>{"--config.file", config, "--web.listen-address",
                                                           "127.0.0.1:0", "--shard=" + std::to_string(i) + "/3"},
                                  log));
    auto line = exporters.back()->WaitForLine("msg=listening address=", 20s);
    ASSERT_TRUE(line) << exporters.back()->Log();
    jobs += ProbeJob(i, AddressAfter(*line, "address="));
  }

  const std::string prom_addr = "127.0.0.1:" + std::to_string(FreePort());
  const auto prom_config =
      dir.Write("prometheus.yml", "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n" + jobs);
  Process prometheus("/usr/bin/prometheus",
                     {"--config.file=" + prom_config, "--storage.tsdb.path=" + dir.path() + "/data",
                      "--web.listen-address=" + prom_addr, "--log.level=warn"},
                     dir.path() + "/prometheus.log");
  ASSERT_TRUE(WaitUntil([&] { return Get(prom_addr, "/-/ready").status == 200; }, 60s)) << prometheus.Log();

  // Each name probed by exactly one job, and up there.
  std::map<std::string, std::pair<std::string, double>> up;  // instance → job, up
  const bool all_up = WaitUntil(
      [&] {
        up.clear();
        for (const auto& [labels, value] : Series(prom_addr, "up")) {
          up[labels.at("instance")] = {labels.at("job"), value};
        }
        if (up.size() != kNames.size()) return false;
        for (const auto& [instance, job_up] : up) {
          if (job_up.second != 1) return false;
        }
        return true;
      },
      60s);
  std::string seen;
  for (const auto& [instance, job_up] : up) {
    seen += instance + " " + job_up.first + " up=" + std::to_string(job_up.second) + "\n";
  }
  EXPECT_TRUE(all_up) << seen << prometheus.Log();
  EXPECT_EQ(Series(prom_addr, "count by (job) (up)").size(), 3u) << "every job keeps a name";
  EXPECT_EQ(up["berlin"].first, "probe-1") << seen;
  EXPECT_EQ(up["lisbon"].first, "probe-2") << seen;
}

}  // namespace
}  // namespace cc::test

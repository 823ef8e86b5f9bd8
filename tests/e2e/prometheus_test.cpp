// End to end: the simulator, the exporter and a real Prometheus (Debian's
// `prometheus` package) scraping it; values are read back through the
// Prometheus query API.

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/e2e/prometheus_api.h"
#include "tests/integration/harness.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

TEST(PrometheusEndToEnd, PrometheusScrapesTheExporter) {
  TempDir dir;
  Process sim(SimulatorBinary(), {"--listen", "127.0.0.1:0", "--queues", "2", "--agents", "3", "--seed", "3"},
              dir.path() + "/sim.log");
  auto sim_line = sim.WaitForLine("scheme=http address=", 20s);
  ASSERT_TRUE(sim_line) << sim.Log();
  const std::string sim_addr = AddressAfter(*sim_line, "address=");

  auto config = dir.Write("config.yaml",
                          "global:\n  poll_interval: 1s\n  poll_timeout: 800ms\ntargets:\n"
                          "  - name: hq\n    vendor: mixcall\n    url: http://" +
                              sim_addr + "/admin/\n");
  // Prometheus scrapes over HTTPS with basic auth, as a locked-down site would
  // (password "U*U": crypt_blowfish's test vector).
  const std::string tls = std::string(CC_FIXTURES) + "/tls/";
  auto web = dir.Write("web.yml", "tls_server_config:\n  cert_file: " + tls + "server.pem\n  key_file: " + tls +
                                      "server.key\nbasic_auth_users:\n  prometheus: "
                                      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW\n");
  Process exporter(ExporterBinary(),
                   {"--config.file", config, "--web.config.file", web, "--web.listen-address", "127.0.0.1:0"},
                   dir.path() + "/exporter.log");
  auto line = exporter.WaitForLine("msg=listening address=", 20s);
  ASSERT_TRUE(line) << exporter.Log();
  const std::string addr = AddressAfter(*line, "address=");

  std::string prom_addr = "127.0.0.1:" + std::to_string(FreePort());
  auto prom_config = dir.Write("prometheus.yml",
                               "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                               "scrape_configs:\n  - job_name: callcenter\n"
                               "    scheme: https\n"
                               "    tls_config: {ca_file: " +
                                   tls +
                                   "ca.pem}\n"
                                   "    basic_auth: {username: prometheus, password: 'U*U'}\n"
                                   "    static_configs:\n      - targets: ['" +
                                   addr + "']\n");
  Process prometheus("/usr/bin/prometheus",
                     {"--config.file=" + prom_config, "--storage.tsdb.path=" + dir.path() + "/data",
                      "--web.listen-address=" + prom_addr, "--log.level=warn"},
                     dir.path() + "/prometheus.log");
  ASSERT_TRUE(WaitUntil([&] { return Get(prom_addr, "/-/ready").status == 200; }, 60s)) << prometheus.Log();

  // Prometheus ingested a scrape without errors and sees the target up.
  ASSERT_TRUE(
      WaitUntil([&] { return Value(prom_addr, "callcenter_up{target=\"hq\",collector=\"queueinfo\"}") == 1.0; }, 60s))
      << prometheus.Log() << exporter.Log();
  EXPECT_EQ(Value(prom_addr, "up{job=\"callcenter\"}"), 1.0);
  // Every state of every queue, so sum by (state) works.
  EXPECT_EQ(Value(prom_addr, "count(callcenter_queue_agents{target=\"hq\"})"), 18.0);
  EXPECT_EQ(Value(prom_addr, "sum(callcenter_queue_agents{target=\"hq\",queue=\"90\"})"), 3.0);
  EXPECT_EQ(Value(prom_addr, "count(callcenter_agent_state{target=\"hq\"} == 1)"), 6.0);
  EXPECT_EQ(Value(prom_addr, "count(callcenter_exporter_build_info)"), 1.0);
  // The poll counter grows from scrape to scrape.
  EXPECT_TRUE(WaitUntil([&] { return Value(prom_addr, "sum(rate(callcenter_polls_total[5s]))") > 0.0; }, 30s));
}

}  // namespace
}  // namespace cc::test

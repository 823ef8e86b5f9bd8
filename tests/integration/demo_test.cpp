// The README's first command, minus its fixed ports: scripts/demo-certs.sh
// makes the certificate, the simulator serves HTTPS with it, and the exporter
// run on scripts/demo.yaml has every collector of every vendor up.

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/integration/harness.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  while (text.find(from) != std::string::npos) text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(Demo, EveryCollectorOfTheDemoConfigIsUpOverTheGeneratedCertificate) {
  TempDir dir;
  const std::string tls = dir.path() + "/build/demo-tls";
  ASSERT_EQ(std::system(("'" CC_SOURCE_DIR "/scripts/demo-certs.sh' '" + tls + "'").c_str()), 0);

  Process sim(SimulatorBinary(),
              {"--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0", "--tls-cert", tls + "/server.pem", "--tls-key",
               tls + "/server.key", "--queues", "3", "--agents", "6"},
              dir.path() + "/sim.log");
  auto plain = sim.WaitForLine("scheme=http address=", 20s);
  ASSERT_TRUE(plain) << sim.Log();
  auto secure = sim.WaitForLine("scheme=https address=", 1s);
  ASSERT_TRUE(secure) << sim.Log();

  // The demo's own file, pointed at this simulator's ports and polled faster;
  // it sits in scripts/ so that its ../build/demo-tls/ca.pem is the one just made.
  std::ifstream in(CC_SOURCE_DIR "/scripts/demo.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string config = Replace(text.str(), "127.0.0.1:9710", AddressAfter(*plain, "address="));
  config = Replace(config, "127.0.0.1:9711", AddressAfter(*secure, "address="));
  config = Replace(config, "poll_interval: 5s", "poll_interval: 1s");
  std::system(("mkdir -p '" + dir.path() + "/scripts'").c_str());
  const std::string config_file = dir.Write("scripts/demo.yaml", config);

  Process exporter(ExporterBinary(), {"--config.file", config_file, "--web.listen-address", "127.0.0.1:0"},
                   dir.path() + "/exporter.log");
  auto line = exporter.WaitForLine("msg=listening address=", 20s);
  ASSERT_TRUE(line) << exporter.Log();
  const std::string addr = AddressAfter(*line, "address=");
  ASSERT_TRUE(WaitUntil([&] { return Get(addr, "/-/ready").status == 200; }, 30s)) << exporter.Log();

  // mixcall 1, huawei_cec 5 (its skill queues listed: skill_discovery), yunhu 1, ucontact 2 collectors.
  Exposition e;
  auto up_count = [&e] {
    std::size_t n = 0;
    for (const auto& [series, value] : e.series) n += series.starts_with("callcenter_up{") && value == 1;
    return n;
  };
  const bool all_up = WaitUntil(
      [&] {
        e = ParseExposition(Get(addr, "/metrics").body);
        return e.Count("callcenter_up") == 9 && up_count() == 9;
      },
      30s);
  EXPECT_TRUE(all_up) << exporter.Log();
  for (const char* target : {"demo-mixcall", "demo-huawei", "demo-yunhu", "demo-ucontact"}) {
    EXPECT_GE(e.Count("callcenter_up", {{"target", target}}), 1u) << target;
  }
  EXPECT_GT(e.Count("callcenter_agent_state"), 0u);

  // Every vendor's series pass promtool's lint (names, units, suffixes, HELP).
  const std::string scrape = dir.Write("metrics.txt", Get(addr, "/metrics").body);
  const std::string report_file = dir.path() + "/promtool.out";
  const int rc = std::system(("promtool check metrics < " + scrape + " > " + report_file + " 2>&1").c_str());
  std::ifstream report_in(report_file);
  const std::string report((std::istreambuf_iterator<char>(report_in)), {});
  EXPECT_EQ(rc, 0) << report;
  EXPECT_EQ(report, "");
}

}  // namespace
}  // namespace cc::test

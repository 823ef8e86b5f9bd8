// The README's first command, minus its fixed ports: scripts/demo-certs.sh
// makes the certificate, the simulator serves HTTPS with it, and the exporter
// run on scripts/demo.yaml has every collector of every vendor up, serves every
// family docs/metrics.md lists and no other, and passes promtool's lint.

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

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

// The families docs/metrics.md documents: every table row whose first cell starts with a
// callcenter_… or process_… name in backticks (the rule the doc states).
std::set<std::string> DocumentedFamilies() {
  std::ifstream in(CC_SOURCE_DIR "/docs/metrics.md");
  const std::regex row(R"(^\| `((callcenter|process)_[a-z0-9_]+)`)");
  std::set<std::string> families;
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_search(line, m, row)) families.insert(m[1]);
  }
  return families;
}

// The families with at least one sample in `e`.
// The families a scrape serves: each sample under its family's name, which for
// a histogram or summary is the sample name without _bucket, _sum or _count.
std::set<std::string> FamiliesOf(const std::string& body) {
  std::map<std::string, std::string> types;  // # TYPE name type
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("# TYPE ")) {
      std::istringstream fields(line.substr(7));
      std::string name, type;
      fields >> name >> type;
      types[name] = type;
    }
  }
  std::set<std::string> families;
  for (const auto& [series, value] : ParseExposition(body).series) {
    std::string name = series.substr(0, series.find('{'));
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (!name.ends_with(suffix)) continue;
      const auto it = types.find(name.substr(0, name.size() - std::strlen(suffix)));
      if (it != types.end() && (it->second == "histogram" || it->second == "summary")) name = it->first;
    }
    families.insert(name);
  }
  return families;
}

std::string Without(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::string out;
  for (const auto& x : a) {
    if (!b.count(x)) out += (out.empty() ? "" : ", ") + x;
  }
  return out;
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

  // One scrape with every documented family (none needs a special condition: failures
  // are pre-set to 0 for every reason, the simulator has DND and breaks at any time) and
  // no family the doc does not list.
  const std::set<std::string> documented = DocumentedFamilies();
  ASSERT_GT(documented.size(), 70u);  // the rule still finds the tables
  std::string body;
  const bool complete = WaitUntil(
      [&] {
        body = Get(addr, "/metrics").body;
        return Without(documented, FamiliesOf(body)).empty();
      },
      60s, 500ms);
  const std::set<std::string> served = FamiliesOf(body);
  EXPECT_TRUE(complete) << "documented, not served: " << Without(documented, served);
  EXPECT_EQ(Without(served, documented), "") << "served, not in docs/metrics.md";

  // That scrape, so every documented family, passes promtool's lint (names, units, suffixes, HELP).
  const std::string scrape = dir.Write("metrics.txt", body);
  const std::string report_file = dir.path() + "/promtool.out";
  const int rc = std::system(("promtool check metrics < " + scrape + " > " + report_file + " 2>&1").c_str());
  std::ifstream report_in(report_file);
  const std::string report((std::istreambuf_iterator<char>(report_in)), {});
  EXPECT_EQ(rc, 0) << report;
  EXPECT_EQ(report, "");
}

}  // namespace
}  // namespace cc::test

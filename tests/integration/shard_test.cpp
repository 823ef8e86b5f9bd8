// --shard=i/n on the real programs: three exporters with --shard=0/3, 1/3 and
// 2/3 on one configuration serve, between them, exactly the series one
// exporter serves on it alone, each target on exactly one of them; and each
// says which shard it is and where a target it does not serve is.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/sim_exporter.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

// Several vendors; in shards of 3 (Prometheus' hashmod of the names):
// 0: hw-1, yh-2; 1: mc-1, mc-3, hw-2, yh-1; 2: mc-2.
const std::vector<std::string> kNames = {"mc-1", "mc-2", "mc-3", "hw-1", "hw-2", "yh-1", "yh-2"};

// A target's series as written (name and labels), by target: identity, not values.
using SeriesByTarget = std::map<std::string, std::set<std::string>>;

SeriesByTarget ByTarget(const Exposition& m) {
  SeriesByTarget out;
  for (const auto& [series, value] : m.series) {
    const auto labels = ParseLabels(series);
    if (auto t = labels.find("target"); t != labels.end()) out[t->second].insert(series);
  }
  return out;
}

// An exporter started by the test itself on the fixture's configuration.
struct ShardProcess {
  std::unique_ptr<Process> process;
  std::string addr;
};

class ShardIntegration : public SimExporterTest {
 protected:
  void SetUp() override { StartSim({"--queues", "3", "--agents", "4", "--seed", "5", "--tick-ms", "50"}); }

  std::string Targets() const {
    const std::string tls = "    tls: {ca_file: \"" + CaFile() + "\"}\n";
    std::string out;
    for (const std::string& name : kNames) {
      out += "  - name: " + name + "\n";
      if (name.starts_with("mc")) out += "    vendor: mixcall\n    url: http://" + sim_addr_ + "/admin/\n";
      if (name.starts_with("hw")) {
        out += "    vendor: huawei_cec\n    url: https://" + sim_tls_addr_ + "\n" + tls +
               "    cc_id: 1\n    vdn: 1\n    skills: [1, 2, 3]\n"
               "    auth: {access_key: sim-ak, secret_key: sim-sk-change-me}\n";
      }
      if (name.starts_with("yh")) {
        out += "    vendor: yunhu\n    url: http://" + sim_addr_ + "/api/yunhu\n" +
               "    auth: {appid: sim-appid, accesskey: sim-accesskey}\n";
      }
    }
    return out;
  }

  // Starts `--shard=<shard>` on config_ and waits for /-/ready.
  ShardProcess StartShard(const std::string& shard) {
    ShardProcess s;
    s.process = std::make_unique<Process>(
        ExporterBinary(),
        std::vector<std::string>{"--config.file", config_, "--web.listen-address", "127.0.0.1:0", "--shard=" + shard},
        dir_.path() + "/shard" + shard.substr(0, shard.find('/')) + ".log");
    auto line = s.process->WaitForLine("msg=listening address=", 20s);
    EXPECT_TRUE(line) << s.process->Log();
    if (!line) return s;
    s.addr = AddressAfter(*line, "address=");
    EXPECT_TRUE(WaitUntil([&] { return Get(s.addr, "/-/ready").status == 200; }, 30s)) << s.process->Log();
    return s;
  }

  // Waits until every collector of the exporter at `addr` finished two polls
  // after this call (the simulator is paused: they see its frozen state) and
  // polled successfully; returns its series.
  SeriesByTarget Settled(const std::string& addr) {
    auto polls = [&](const Exposition& m) {
      std::map<std::string, double> out;
      for (const auto& [series, value] : m.series) {
        if (series.starts_with("callcenter_polls_total{")) out[series] = value;
      }
      return out;
    };
    const auto before = polls(ParseExposition(Get(addr, "/metrics").body));
    EXPECT_FALSE(before.empty()) << addr;
    Exposition m;
    const bool settled = WaitUntil(
        [&] {
          m = ParseExposition(Get(addr, "/metrics").body);
          for (const auto& [series, n] : polls(m)) {
            if (n < before.at(series) + 2) return false;
          }
          return AllUp(m);
        },
        30s);
    EXPECT_TRUE(settled) << addr;
    return ByTarget(m);
  }

  static bool AllUp(const Exposition& m) {
    for (const auto& [series, value] : m.series) {
      if (series.starts_with("callcenter_up{") && value != 1) return false;
    }
    return true;
  }
};

TEST_F(ShardIntegration, ThreeShardsServeExactlyWhatOneProcessServes) {
  StartExporter(Targets());
  std::vector<ShardProcess> shards;
  for (const char* s : {"0/3", "1/3", "2/3"}) {
    shards.push_back(StartShard(s));
    ASSERT_FALSE(shards.back().addr.empty());
  }
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);

  const SeriesByTarget whole = Settled(addr_);
  ASSERT_EQ(whole.size(), kNames.size());
  SeriesByTarget united;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const SeriesByTarget part = Settled(shards[i].addr);
    EXPECT_FALSE(part.empty()) << "shard " << i << " serves no target";
    for (const auto& [target, series] : part) {
      EXPECT_FALSE(united.contains(target)) << target << " is served by two shards";
      united[target] = series;
    }
  }
  // Same targets, and for each the same series (names and labels).
  EXPECT_EQ(united, whole);
  for (const auto& [target, series] : whole) EXPECT_GT(series.size(), 3u) << target << ": vendor series expected";
}

TEST_F(ShardIntegration, AShardSaysWhichItIsAndWhereTheOtherTargetsAre) {
  StartExporter(Targets(), {"--shard=1/3"});
  EXPECT_TRUE(exporter_->WaitForLine("msg=started", 1s)) << exporter_->Log();
  EXPECT_NE(exporter_->Log().find("shard=1/3 targets=4 skipped_other_shards=3"), std::string::npos) << exporter_->Log();
  const auto page = Get(addr_, "/");
  EXPECT_NE(page.body.find("Shard 1/3: serves 4 of the targets of the configuration; 3 belong to the other shards."),
            std::string::npos)
      << page.body;
  EXPECT_EQ(Get(addr_, "/probe?target=mc-1").status, 200);
  const auto elsewhere = Get(addr_, "/probe?target=mc-2");
  EXPECT_EQ(elsewhere.status, 404);
  EXPECT_EQ(elsewhere.body, "target \"mc-2\" is served by shard 2/3, not by this one, shard 1/3 (--shard)\n");
  const auto unknown = Get(addr_, "/probe?target=nowhere");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, "unknown target \"nowhere\" (in no shard of the configuration)\n");
}

TEST_F(ShardIntegration, ABadShardIsAStartUpError) {
  const std::string config = dir_.Write("bad.yaml", Config(Targets()));
  for (const auto& [flag, message] : std::vector<std::pair<std::string, std::string>>{
           {"--shard=3/3", "--shard: I must be below N (shards are numbered 0 to N-1), got 3/3"},
           {"--shard=0/0", "--shard: N must be at least 1, got 0/0"},
           {"--shard=1", "--shard: \"1\" is not I/N (two whole numbers, e.g. 0/3)"}}) {
    Process run(ExporterBinary(), {"--config.file", config, flag}, dir_.path() + "/bad.log");
    EXPECT_EQ(run.Wait(20s), 2) << flag;
    EXPECT_NE(run.Log().find("callcenter_exporter: " + message + "\n"), std::string::npos) << run.Log();
  }
  Process check(ExporterBinary(), {"--config.file", config, "--config.check", "--shard=2/3"},
                dir_.path() + "/check.log");
  EXPECT_EQ(check.Wait(20s), 0);
  EXPECT_NE(check.Log().find("bad.yaml: valid, 7 target(s), 1 in shard 2/3\n"), std::string::npos) << check.Log();
}

}  // namespace
}  // namespace cc::test

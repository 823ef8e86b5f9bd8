#include "tests/integration/sim_exporter.h"

namespace cc::test {
using namespace std::chrono_literals;

std::string SimExporterTest::CaFile() { return std::string(CC_FIXTURES) + "/tls/ca.pem"; }

void SimExporterTest::StartSim(const std::vector<std::string>& args) {
  const std::string tls = std::string(CC_FIXTURES) + "/tls/";
  std::vector<std::string> all{"--listen",   "127.0.0.1:0",      "--tls-listen", "127.0.0.1:0",
                               "--tls-cert", tls + "server.pem", "--tls-key",    tls + "server.key"};
  all.insert(all.end(), args.begin(), args.end());
  sim_ = std::make_unique<Process>(SimulatorBinary(), all, dir_.path() + "/sim.log");
  // The TLS line is printed first; both are there once the plain one is.
  auto line = sim_->WaitForLine("scheme=http address=", 20s);
  ASSERT_TRUE(line) << sim_->Log();
  sim_addr_ = AddressAfter(*line, "address=");
  auto tls_line = sim_->WaitForLine("scheme=https address=", 1s);
  ASSERT_TRUE(tls_line) << sim_->Log();
  sim_tls_addr_ = AddressAfter(*tls_line, "address=");
}

void SimExporterTest::StartExporter(const std::string& targets, const std::vector<std::string>& extra_args) {
  config_ = dir_.Write("config.yaml", Config(targets));
  std::vector<std::string> args{"--config.file", config_, "--web.listen-address",  "127.0.0.1:0",
                                "--log.level",   "debug", "--web.enable-lifecycle"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  exporter_ = std::make_unique<Process>(ExporterBinary(), args, dir_.path() + "/exporter.log");
  auto line = exporter_->WaitForLine("msg=listening address=", 20s);
  ASSERT_TRUE(line) << exporter_->Log();
  addr_ = AddressAfter(*line, "address=");
  ASSERT_TRUE(WaitUntil([&] { return Get(addr_, "/-/ready").status == 200; }, 30s)) << exporter_->Log();
}

std::string SimExporterTest::Config(const std::string& targets) const {
  return "global:\n  poll_interval: 1s\n  poll_timeout: 800ms\n  stale_after: 60s\ntargets:\n" + targets;
}

Exposition SimExporterTest::Scrape(const std::string& target) {
  auto r = Get(addr_, target);
  EXPECT_EQ(r.status, 200) << r.error << r.body;
  EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  return ParseExposition(r.body);
}

double SimExporterTest::Polls(const std::string& target) {
  return Scrape().Value("callcenter_polls_total", {{"target", target}}).value_or(-1);
}

double SimExporterTest::PollsOf(const Exposition& m, const std::string& target, const std::string& collector) {
  return m.Value("callcenter_polls_total", {{"target", target}, {"collector", collector}}).value_or(-1);
}

void SimExporterTest::WaitForFreshPoll(const std::string& target) {
  const Exposition start = Scrape();
  std::vector<std::string> collectors;
  for (const auto& [series, value] : start.series) {
    if (!series.starts_with("callcenter_polls_total{")) continue;
    auto labels = ParseLabels(series);
    if (labels["target"] == target) collectors.push_back(labels["collector"]);
  }
  ASSERT_FALSE(collectors.empty()) << "no collector of " << target;
  // Two more polls: the one in flight at `start` may have begun before it.
  ASSERT_TRUE(WaitUntil(
      [&] {
        const Exposition now = Scrape();
        for (const auto& c : collectors) {
          if (PollsOf(now, target, c) < PollsOf(start, target, c) + 2) return false;
        }
        return true;
      },
      30s))
      << exporter_->Log();
}

void SimExporterTest::SetFault(const std::string& mode) {
  auto r = Post(sim_addr_, "/_sim/fault?mode=" + mode);
  ASSERT_EQ(r.status, 200) << r.body;
}

rapidjson::Document SimExporterTest::SimState() {
  auto r = Get(sim_addr_, "/_sim/state");
  EXPECT_EQ(r.status, 200);
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  EXPECT_FALSE(d.HasParseError()) << r.body;
  return d;
}

}  // namespace cc::test

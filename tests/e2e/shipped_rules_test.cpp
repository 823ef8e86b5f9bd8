// The shipped recording rules, alerts and dashboards on Debian's real
// Prometheus, fed by the exporter polling the simulator with all four vendors:
// every recording rule and every dashboard query returns data, every alert
// fires when its threshold says it must, and no dashboard or rule names a
// metric the exporter does not serve.
//
// The rules are rendered from deploy/prometheus/mixin.libsonnet with this
// test's _config overrides (thresholds that the simulator's data crosses,
// `for: 0s`), exactly as a user overrides them.

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <yaml-cpp/yaml.h>

#include "tests/e2e/prometheus_api.h"
#include "tests/integration/sim_exporter.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

const std::string kDeploy = CC_SOURCE_DIR "/deploy/prometheus";
const std::string kDashboards = CC_SOURCE_DIR "/dashboards";

// Overrides that make every alert's condition true on the simulator's data:
// a service level no queue reaches, a longest wait every queue has, no volume
// guard, and no `for:` wait. The SLO objective is as close to 1 as rendering
// allows, so any call not answered in time burns the budget.
const char* kFiringConfig = R"({
  targetDownFor: '0s', exporterDownFor: '0s', dataStaleFor: '0s', authFailingFor: '0s',
  pollFailureFor: '0s', configReloadFailedFor: '0s', serviceLevelLowFor: '0s',
  abandonRateHighFor: '0s', longestWaitFor: '0s', noAgentAvailableFor: '0s',
  dataStaleSeconds: 0, pollFailureRatio: 0, serviceLevelTarget: 1.01, abandonRatio: -1,
  minOfferedCalls30m: 0, longestWaitSeconds: -1, sloObjective: 0.999,
  sloBurnAlerts: [
    { severity: 'critical', long: '1h', short: '5m', factor: 0.001, minOfferedCalls: 0, 'for': '0s' },
  ],
})";

struct Rule {
  std::string name;  // record or alert name
  std::string expr;
};

std::vector<Rule> RulesIn(const std::string& file, const char* kind) {
  std::vector<Rule> out;
  for (const auto& group : YAML::LoadFile(file)["groups"]) {
    for (const auto& rule : group["rules"]) {
      if (rule[kind]) out.push_back({rule[kind].as<std::string>(), rule["expr"].as<std::string>()});
    }
  }
  return out;
}

// The healthy targets of the fixture whose vendors supply a recording rule's
// inputs, after docs/kpis.md: yunhu reports agents only; only MixCall and
// uContact give an average wait, only uContact an average talk time.
std::set<std::string> TargetsSupplying(const std::string& rule) {
  if (rule.find("_agents:") != std::string::npos || rule.find("occupancy") != std::string::npos) {
    return {"hq", "broken", "cec", "dialer", "cloud"};
  }
  if (rule.find("average_wait") != std::string::npos) return {"hq", "broken", "cloud"};
  if (rule.find("average_talk") != std::string::npos) return {"cloud"};
  return {"hq", "broken", "cec", "cloud"};
}

struct PanelQuery {
  std::string where;  // "dashboard / panel title"
  std::string expr;
};

void CollectPanelQueries(const rapidjson::Value& panels, const std::string& dashboard, std::vector<PanelQuery>& out) {
  for (const auto& panel : panels.GetArray()) {
    const std::string title = panel.HasMember("title") ? panel["title"].GetString() : "";
    if (panel.HasMember("panels")) CollectPanelQueries(panel["panels"], dashboard, out);  // collapsed rows
    if (!panel.HasMember("targets")) continue;
    for (const auto& target : panel["targets"].GetArray()) {
      if (target.HasMember("expr")) out.push_back({dashboard + " / " + title, target["expr"].GetString()});
    }
  }
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << "missing " << path;
  return ss.str();
}

std::vector<PanelQuery> DashboardQueries() {
  std::vector<PanelQuery> out;
  for (const char* name : {"callcenter-wallboard", "callcenter-queue", "callcenter-agents", "callcenter-exporter"}) {
    rapidjson::Document d;
    d.Parse(ReadText(kDashboards + "/" + name + ".json").c_str());
    EXPECT_FALSE(d.HasParseError()) << name;
    if (!d.HasParseError() && d.HasMember("panels")) CollectPanelQueries(d["panels"], name, out);
  }
  return out;
}

// Grafana's variables as a user who picked "All" sends them.
std::string Substitute(std::string expr) {
  static const std::vector<std::pair<std::regex, std::string>> vars{
      {std::regex(R"(\$\{?target\}?)"), ".*"},          {std::regex(R"(\$\{?queue\}?)"), ".*"},
      {std::regex(R"(\$\{?agent\}?)"), ".*"},           {std::regex(R"(\$\{?collector\}?)"), ".*"},
      {std::regex(R"(\$\{?__rate_interval\}?)"), "1m"}, {std::regex(R"(\$\{?__interval\}?)"), "15s"},
      {std::regex(R"(\$\{?__range\}?)"), "5m"}};
  for (const auto& [re, value] : vars) expr = std::regex_replace(expr, re, value);
  return expr;
}

// The metric names an expression uses: identifiers that start with
// callcenter_ or hold a ':' (recording rules), outside string literals.
std::set<std::string> MetricNames(const std::string& expr) {
  static const std::regex strings(R"("([^"\\]|\\.)*"|'([^'\\]|\\.)*')");
  static const std::regex names(R"([a-zA-Z_:][a-zA-Z0-9_:]*)");
  const std::string bare = std::regex_replace(expr, strings, "\"\"");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(bare.begin(), bare.end(), names); it != std::sregex_iterator(); ++it) {
    const std::string name = it->str();
    if (name.starts_with("callcenter_") || name.find(':') != std::string::npos) out.insert(name);
  }
  return out;
}

class ShippedRulesTest : public SimExporterTest {
 protected:
  void SetUp() override {
    StartSim({"--queues", "3", "--agents", "6"});
    // A second simulator for the one target whose fault a test switches on.
    faulty_sim_ = std::make_unique<Process>(SimulatorBinary(), std::vector<std::string>{"--listen", "127.0.0.1:0"},
                                            dir_.path() + "/faulty_sim.log");
    auto line = faulty_sim_->WaitForLine("scheme=http address=", 20s);
    ASSERT_TRUE(line) << faulty_sim_->Log();
    faulty_sim_addr_ = AddressAfter(*line, "address=");
    const std::string tls = "    tls: {ca_file: " + CaFile() + "}\n";
    StartExporter("  - {name: hq, vendor: mixcall, url: 'http://" + sim_addr_ +
                  "/admin/'}\n"
                  "  - name: cec\n    vendor: huawei_cec\n    url: https://" +
                  sim_tls_addr_ +
                  "\n    cc_id: 1\n    vdn: 1\n    skills: [1, 2, 3]\n"
                  "    auth: {access_key: sim-ak, secret_key: sim-sk-change-me}\n" +
                  tls + "  - name: dialer\n    vendor: yunhu\n    url: http://" + sim_addr_ +
                  "/api/yunhu\n"
                  "    auth: {appid: sim-appid, accesskey: sim-accesskey}\n"
                  "  - name: cloud\n    vendor: ucontact\n    url: https://" +
                  sim_tls_addr_ +
                  "/Integra/resources/\n"
                  "    auth: {username: sim, password: sim-password}\n" +
                  tls +
                  // Refused credentials (reason auth), and the target whose fault the test switches on.
                  "  - name: refused\n    vendor: yunhu\n    url: http://" + sim_addr_ +
                  "/api/yunhu\n"
                  "    auth: {appid: sim-appid, accesskey: wrong}\n"
                  "  - {name: broken, vendor: mixcall, url: 'http://" +
                  faulty_sim_addr_ + "/admin/'}\n");
    RenderRules();
    StartPrometheus();
  }

  void RenderRules() {
    rules_dir_ = dir_.path() + "/rules";
    const std::string cmd = "'" + kDeploy + "/render.sh' '" + rules_dir_ + "' \"$CC_RULES_CONFIG\"";
    ASSERT_EQ(setenv("CC_RULES_CONFIG", kFiringConfig, 1), 0);
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }

  void StartPrometheus() {
    prom_ = "127.0.0.1:" + std::to_string(FreePort());
    const std::string gone = "127.0.0.1:" + std::to_string(FreePort());  // nothing listens: ExporterDown
    auto config = dir_.Write("prometheus.yml",
                             "global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}\n"
                             "rule_files: ['" +
                                 rules_dir_ + "/callcenter_rules.yml', '" + rules_dir_ +
                                 "/callcenter_alerts.yml']\n"
                                 "scrape_configs:\n"
                                 "  - {job_name: callcenter, static_configs: [{targets: ['" +
                                 addr_ +
                                 "']}]}\n"
                                 "  - {job_name: callcenter-gone, static_configs: [{targets: ['" +
                                 gone + "']}]}\n");
    prometheus_ = std::make_unique<Process>(
        "/usr/bin/prometheus",
        std::vector<std::string>{"--config.file=" + config, "--storage.tsdb.path=" + dir_.path() + "/data",
                                 "--web.listen-address=" + prom_, "--log.level=warn"},
        dir_.path() + "/prometheus.log");
    ASSERT_TRUE(WaitUntil([&] { return Get(prom_, "/-/ready").status == 200; }, 60s)) << prometheus_->Log();
  }

  // Waits until the 5-minute rates have several samples, so every rate() has data.
  void WaitForRates() {
    ASSERT_TRUE(WaitUntil([&] { return Series(prom_, "target_queue:callcenter_calls_offered:rate5m").size() >= 9; },
                          60s, 500ms))
        << prometheus_->Log();
    std::this_thread::sleep_for(5s);
  }

  // The targets an alert is active for (pending or firing).
  std::set<std::string> AlertTargets(const std::string& alertname) {
    std::set<std::string> out;
    for (const auto& a : ActiveAlerts(prom_)) {
      if (a.at("alertname") == alertname) out.insert(a.contains("target") ? a.at("target") : "");
    }
    return out;
  }

  std::unique_ptr<Process> faulty_sim_;
  std::string faulty_sim_addr_;
  std::unique_ptr<Process> prometheus_;
  std::string rules_dir_;
  std::string prom_;
};

TEST_F(ShippedRulesTest, EveryRecordingRuleAndPanelQueryHasData) {
  // A MixCall agent on do-not-disturb, for the busy-reason column of the agent board.
  ASSERT_EQ(Post(sim_addr_, "/_sim/mixcall/set_dnd?exten=6101&dnd=2&seconds=3600").status, 200);
  WaitForRates();
  const auto records = RulesIn(rules_dir_ + "/callcenter_rules.yml", "record");
  const auto alerts = RulesIn(rules_dir_ + "/callcenter_alerts.yml", "alert");
  const auto panels = DashboardQueries();
  ASSERT_GT(records.size(), 10u);
  ASSERT_GT(alerts.size(), 8u);
  ASSERT_GT(panels.size(), 20u);

  // Every name a rule or panel uses is served by the exporter or recorded by a rule.
  std::set<std::string> known;
  for (const auto& [family, type] : Scrape().type) known.insert(family);
  for (const auto& r : records) known.insert(r.name);
  std::vector<std::pair<std::string, std::string>> uses;  // (where, expr)
  for (const auto& r : records) uses.emplace_back("rule " + r.name, r.expr);
  for (const auto& a : alerts) uses.emplace_back("alert " + a.name, a.expr);
  for (const auto& p : panels) uses.emplace_back("panel " + p.where, p.expr);
  for (const auto& [where, expr] : uses) {
    for (const auto& name : MetricNames(expr)) {
      EXPECT_TRUE(known.contains(name)) << where << " names " << name << ", which nothing serves";
    }
  }

  // Each recording rule has a series for every target whose vendor supplies its
  // inputs (docs/kpis.md), not just for one of them: rules are unions of vendor branches.
  // A ratio has no sample while its window saw no call offered, so a target
  // may be missing for a moment; the simulator offers calls all the time.
  for (const auto& r : records) {
    std::set<std::string> targets;
    WaitUntil(
        [&] {
          targets.clear();
          for (const auto& [labels, value] : Series(prom_, r.name)) {
            if (labels.contains("target")) targets.insert(labels.at("target"));
          }
          return targets == TargetsSupplying(r.name);
        },
        30s, 500ms);
    EXPECT_EQ(targets, TargetsSupplying(r.name)) << "recording rule " << r.name;
  }
  // A failing target polls less and less often (back-off, at most every 10 intervals here), so
  // a rate of its failures may have no increase in its window for a few seconds: wait for one.
  for (const auto& p : panels) {
    const std::string expr = Substitute(p.expr);
    QueryResult q;
    WaitUntil([&] { return !(q = Query(prom_, expr)).series.empty() || !q.ok; }, 30s, 500ms);
    EXPECT_TRUE(q.ok) << p.where << ": " << expr << ": " << q.error;
    EXPECT_FALSE(q.series.empty()) << p.where << " shows no data: " << expr;
  }
}

TEST_F(ShippedRulesTest, EveryAlertFiresAndTargetDownFollowsTheFault) {
  // Healthy so far: the broken target is up and no alert says otherwise.
  ASSERT_TRUE(WaitUntil([&] { return Value(prom_, "callcenter_up{target=\"broken\"}") == 1.0; }, 30s));
  ASSERT_TRUE(WaitUntil([&] { return AlertTargets("CallcenterTargetDown").contains("refused"); }, 30s));
  EXPECT_EQ(AlertTargets("CallcenterTargetDown"), std::set<std::string>{"refused"});

  // A broken file on reload: the exporter keeps running and says so.
  std::ofstream(config_, std::ios::app) << "  - name: [not, a, name]\n";
  EXPECT_NE(Post(addr_, "/-/reload").status, 200);
  // The vendor of one target starts failing.
  ASSERT_EQ(Post(faulty_sim_addr_, "/_sim/fault?mode=http500").status, 200);
  ASSERT_TRUE(WaitUntil([&] { return Value(prom_, "callcenter_up{target=\"broken\"}") == 0.0; }, 30s));
  EXPECT_TRUE(WaitUntil([&] { return AlertTargets("CallcenterTargetDown").contains("broken"); }, 30s));
  EXPECT_EQ(AlertTargets("CallcenterTargetDown"), (std::set<std::string>{"broken", "refused"}));
  // The refused target backs off, so its next failure (an increase) may be seconds away.
  EXPECT_TRUE(WaitUntil([&] { return !AlertTargets("CallcenterAuthFailing").empty(); }, 30s));
  EXPECT_EQ(AlertTargets("CallcenterAuthFailing"), std::set<std::string>{"refused"});

  // Queue 90 of hq loses all its agents: its callers wait with nobody available.
  const rapidjson::Document state = SimState();
  for (const auto& agent : state["mixcall"]["queues"][0]["agents"].GetArray()) {
    ASSERT_EQ(Post(sim_addr_, "/_sim/mixcall/remove_agent?exten=" + std::string(agent["exten"].GetString())).status,
              200);
  }

  // With thresholds the simulator crosses, every alert of the file fires.
  WaitForRates();
  const auto alerts = RulesIn(rules_dir_ + "/callcenter_alerts.yml", "alert");
  for (const auto& a : alerts) {
    EXPECT_TRUE(WaitUntil([&] { return !AlertTargets(a.name).empty(); }, 10s)) << a.name << " did not fire";
  }
  // ... and for the targets the test set up to trip them.
  // (Calls must queue on hq's emptied queue first.)
  EXPECT_TRUE(WaitUntil([&] { return AlertTargets("CallcenterQueueNoAgentAvailable").contains("hq"); }, 30s));
  EXPECT_TRUE(AlertTargets("CallcenterPollFailures").contains("broken"));
  EXPECT_TRUE(AlertTargets("CallcenterExporterDown").contains(""));  // the scrape job with no exporter
}

}  // namespace
}  // namespace cc::test

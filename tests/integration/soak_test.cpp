// Soak: the real exporter polls all four vendors of the real simulator for
// CC_SOAK_SECONDS (default 120) while agents come and go and faults switch on
// and off. After every phase the exporter's agents, memberships and values
// equal the simulator's state, and after warm-up the exporter's resident
// memory and open file descriptors stay flat (a leak check, not a timing one).
//
//   CC_SOAK_SECONDS=1800 build-test/tests/integration_tests --gtest_filter='Soak*'

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/integration/sim_exporter.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

constexpr char kUcontactPassword[] = "soak-pw";
// Every fault of the simulator in turn; a slow answer outlasts the 800 ms poll timeout.
constexpr const char* kFaults[] = {"http500", "garbage", "html", "truncated", "slow&delay_ms=1500", "hang"};
constexpr const char* kTargets[] = {"mc", "hw", "yh", "uc"};

// What one target shows, or what the simulator says it should show.
struct View {
  std::map<std::string, double> status;                   // agent → status code
  std::set<std::pair<std::string, std::string>> members;  // (queue, agent)
  std::map<std::string, std::vector<double>> queues;      // MixCall queue → waiting, answered, abandoned
  bool operator==(const View&) const = default;
};

std::ostream& operator<<(std::ostream& os, const View& v) {
  for (const auto& [agent, code] : v.status) os << agent << "=" << code << " ";
  os << "| " << v.members.size() << " members:";
  for (const auto& [q, a] : v.members) os << " " << q << "/" << a;
  for (const auto& [q, values] : v.queues)
    os << " | " << q << ": " << values[0] << " " << values[1] << " " << values[2];
  return os;
}

std::string Id(const rapidjson::Value& v) { return v.IsString() ? v.GetString() : std::to_string(v.GetInt64()); }

View Expected(const rapidjson::Document& state, const std::string& target) {
  View v;
  if (target == "mc") {
    for (const auto& q : state["mixcall"]["queues"].GetArray()) {
      v.queues[q["queue"].GetString()] = {q["wait"].GetDouble(), q["completed"].GetDouble(),
                                          q["abandoned"].GetDouble()};
      for (const auto& a : q["agents"].GetArray()) {
        v.members.emplace(q["queue"].GetString(), a["exten"].GetString());
        v.status.emplace(a["exten"].GetString(), a["status"].GetDouble());
      }
    }
  } else if (target == "hw") {
    for (const auto& a : state["huawei_cec"]["agents"].GetArray()) v.status[Id(a["workno"])] = a["status"].GetDouble();
    for (const auto& s : state["huawei_cec"]["skills"].GetArray()) {
      for (const auto& a : s["agents"].GetArray()) v.members.emplace(Id(s["id"]), Id(a));
    }
  } else if (target == "yh") {
    for (const auto& q : state["yunhu"]["queues"].GetArray()) {
      for (const auto& r : q["members"].GetArray()) {
        v.members.emplace(q["queuename"].GetString(), r["extnumber"].GetString());
        v.status.emplace(r["extnumber"].GetString(), r["state"].GetDouble());  // first row wins, as the exporter's
      }
    }
  } else {
    for (const auto& c : state["ucontact"]["campaigns"].GetArray()) {
      for (const auto& a : c["agents"].GetArray()) {
        v.members.emplace(c["name"].GetString(), a["location"].GetString());
        v.status.emplace(a["location"].GetString(), a["status"].GetDouble());
      }
    }
  }
  return v;
}

View Shown(const Exposition& m, const std::string& target) {
  View v;
  for (const auto& [key, value] : m.series) {
    const std::string name = key.substr(0, key.find('{'));
    auto l = ParseLabels(key);
    if (l["target"] != target) continue;
    if (name == "callcenter_agent_status_code") v.status[l["agent"]] = value;
    if (name == "callcenter_queue_member_info") v.members.emplace(l["queue"], l["agent"]);
  }
  if (target != "mc") return v;
  for (const auto& [key, value] : m.series) {
    auto l = ParseLabels(key);
    if (l["target"] != "mc" || !key.starts_with("callcenter_queue_calls_waiting{")) continue;
    const std::map<std::string, std::string> q{{"target", "mc"}, {"queue", l["queue"]}};
    v.queues[l["queue"]] = {value, m.Value("callcenter_queue_calls_answered_total", q).value_or(-1),
                            m.Value("callcenter_queue_calls_abandoned_total", q).value_or(-1)};
  }
  return v;
}

// VmRSS of `pid` in KiB, from /proc/<pid>/status.
long RssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

long OpenFds(pid_t pid) {
  const auto dir = std::filesystem::path("/proc") / std::to_string(pid) / "fd";
  return static_cast<long>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

int SoakSeconds() {
  const char* s = std::getenv("CC_SOAK_SECONDS");
  return s && std::atoi(s) > 0 ? std::atoi(s) : 120;
}

class Soak : public SimExporterTest {
 protected:
  void SetUp() override {
    StartSim({"--queues", "3", "--agents", "4", "--seed", "13", "--tick-ms", "50", "--set",
              std::string("ucontact.password=") + kUcontactPassword});
    // ASan keeps freed memory in a quarantine of 256 MiB by default: resident
    // memory would climb to it whatever the exporter does. A small one lets a
    // leak show; the exporter is the sanitized build of this tree.
    const char* asan = std::getenv("ASAN_OPTIONS");
    setenv("ASAN_OPTIONS", ((asan ? std::string(asan) + ":" : "") + "quarantine_size_mb=4").c_str(), 1);
    StartExporter(Targets());
  }

  std::string Targets() const {
    const std::string tls = "    tls: {ca_file: \"" + CaFile() + "\"}\n";
    return "  - name: mc\n    vendor: mixcall\n    url: http://" + sim_addr_ + "/admin/\n" +
           "  - name: hw\n    vendor: huawei_cec\n    url: https://" + sim_tls_addr_ + "\n" + tls +
           "    cc_id: 1\n    vdn: 1\n    skills: [1, 2, 3]\n"
           "    auth: {access_key: sim-ak, secret_key: sim-sk-change-me}\n"
           "  - name: yh\n    vendor: yunhu\n    url: http://" +
           sim_addr_ + "/api/yunhu\n" +
           "    auth: {appid: sim-appid, accesskey: sim-accesskey}\n"
           "  - name: uc\n    vendor: ucontact\n    url: https://" +
           sim_tls_addr_ + "/Integra/resources/\n" + tls + "    auth: {username: sim, password: \"" +
           kUcontactPassword + "\"}\n";
  }

  // Every target's callcenter_up (all collectors) is `up`; `others` gets the
  // series that are not.
  bool AllUp(double up, std::string* others = nullptr) {
    const Exposition m = Scrape();
    std::size_t seen = 0;
    std::string off;
    for (const auto& [key, value] : m.series) {
      if (!key.starts_with("callcenter_up{")) continue;
      ++seen;
      if (value != up) off += key + " ";
    }
    if (others) *others = off;
    return seen > 0 && off.empty();
  }

  // The end of the exporter's log, where a failure's cause is.
  std::string LogTail() const {
    const std::string log = exporter_->Log();
    return log.substr(log.size() > 6000 ? log.size() - 6000 : 0);
  }

  void Post200(const std::string& route) {
    const auto r = Post(sim_addr_, route);
    ASSERT_EQ(r.status, 200) << route << ": " << r.body;
  }

  // One agent less for the vendor (down to 3): its first agent in the state.
  void RemoveOne(const rapidjson::Document& state, const std::string& target) {
    const View v = Expected(state, target);
    if (v.status.size() <= 3) return;
    const std::string agent = v.status.begin()->first;
    if (target == "hw") Post200("/_sim/huawei_cec/remove_agent?workno=" + agent);
    if (target == "yh") Post200("/_sim/yunhu/remove_agent?extnumber=" + agent);
    if (target == "uc") Post200("/_sim/ucontact/remove_agent?location=" + agent);
    if (target == "mc") Post200("/_sim/mixcall/remove_agent?exten=" + agent);
  }

  // Agents join and leave: a new MixCall agent every phase (the previous
  // newcomer leaves), and every vendor loses an original agent every other phase.
  void Churn(int phase) {
    const auto state = SimState();
    Post200("/_sim/mixcall/add_agent?queue=" + std::to_string(90 + phase % 3) +
            "&exten=" + std::to_string(7000 + phase));
    if (phase > 0) Post200("/_sim/mixcall/remove_agent?exten=" + std::to_string(7000 + phase - 1));
    if (phase % 2 == 1) {
      for (const char* t : kTargets) RemoveOne(state, t);
    }
  }

  // Frozen simulator, fresh polls: every target shows exactly the state.
  void ExpectSeriesFollowTheSimulator(int phase) {
    Post200("/_sim/pause");
    for (const char* t : kTargets) WaitForFreshPoll(t);
    const auto state = SimState();
    const Exposition m = Scrape();
    for (const char* t : kTargets) {
      EXPECT_EQ(Shown(m, t), Expected(state, t)) << "phase " << phase << ", target " << t;
    }
    Post200("/_sim/resume");
  }
};

TEST_F(Soak, SeriesFollowTheSimulatorAndMemoryAndFdsStayFlat) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(SoakSeconds());
  std::vector<std::pair<long, long>> samples;  // (RSS KiB, fds) after each phase
  for (int phase = 0; phase < 6 || std::chrono::steady_clock::now() < deadline; ++phase) {
    SCOPED_TRACE("phase " + std::to_string(phase));
    SetFault(kFaults[phase % std::size(kFaults)]);
    std::string others;
    ASSERT_TRUE(WaitUntil([&] { return AllUp(0, &others); }, 30s)) << "up under a fault: " << others;
    Churn(phase);
    SetFault("none");
    ASSERT_TRUE(WaitUntil([&] { return AllUp(1, &others); }, 30s)) << "down: " << others << "\n" << LogTail();
    ExpectSeriesFollowTheSimulator(phase);
    samples.emplace_back(RssKib(exporter_->pid()), OpenFds(exporter_->pid()));
    std::cout << "soak phase " << phase << ": rss_kib " << samples.back().first << " fds " << samples.back().second
              << std::endl;
    if (HasFatalFailure()) return;
  }
  // Warm-up is the first third of the phases (TLS sessions, logins, allocator pools).
  const std::size_t warm = samples.size() / 3;
  const auto [rss0, fds0] = samples[warm];
  long rss_max = 0, fds_max = 0;
  for (std::size_t i = warm; i < samples.size(); ++i) {
    rss_max = std::max(rss_max, samples[i].first);
    fds_max = std::max(fds_max, samples[i].second);
  }
  std::cout << "soak: " << samples.size() << " phases, after warm-up rss_kib " << rss0 << " -> max " << rss_max
            << ", fds " << fds0 << " -> max " << fds_max << std::endl;
  EXPECT_LE(rss_max, rss0 + rss0 / 10) << "resident memory grew over 10 % after warm-up";
  EXPECT_LE(fds_max, fds0 + 4) << "open file descriptors grew after warm-up";
}

}  // namespace
}  // namespace cc::test

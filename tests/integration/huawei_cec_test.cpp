// The exporter polling the Huawei CEC simulator over verified TLS, signing
// every request with auth-v2: values on /metrics against the simulator's own
// state in both path generations, the vendor error envelope, a wrong secret
// (auth failures, IP lock-out, back-off, no secret in any output) and agent
// removal.

#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/integration/sim_exporter.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHuaweiCollectors[] = {"skill_agents", "skill_status", "skill_call_stats", "vdn_rest"};
constexpr const char* kHuaweiStates[] = {"available", "ringing", "on_call", "on_hold", "wrap_up",
                                         "not_ready", "break",   "offline", "unknown"};
constexpr const char* kReasons[] = {"awaiting_approval", "agent_busy", "vdn_quota_full", "no_skill",
                                    "skill_quota_full"};
constexpr const char* kSecret = "sim-sk-change-me";  // the simulator's default
constexpr const char* kWrongSecret = "wrong-secret-4f1d";
constexpr const char* kApi = "/rest/cmsapp/v1/openapi/";

// docs/metrics.md's huawei_cec column, written out independently of the parser.
std::string ExpectedHuaweiState(int status) {
  switch (status) {
    case 4: return "available";
    case 7: return "on_call";
    case 5: return "wrap_up";
    case 3: return "not_ready";
    case 8: return "break";
    case 2: return "offline";
    default: return "unknown";
  }
}

// The agent-type table (§4.3), as docs/vendors/huawei_cec.md names it.
std::string MediaName(int code) {
  static const std::map<int, std::string> kNames{{0, "extension"},    {1, "userline"}, {2, "1b1d"},
                                                 {3, "single_phone"}, {4, "pc_phone"}, {13, "emedia"}};
  return kNames.count(code) ? kNames.at(code) : std::to_string(code);
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class HuaweiCecIntegration : public SimExporterTest {
 protected:
  // 13 simulated minutes of history: the current 5-minute window is 3 minutes
  // old when the test starts, so it has calls and does not restart mid-test.
  // Seed 37 then has signed-out agents, breaks requested, approved and taken.
  void SetUp() override {
    StartSim({"--queues", "3", "--agents", "4", "--seed", "37", "--tick-ms", "50", "--warmup-s", "780", "--set",
              "huawei_cec.lock_after=3", "--set", "huawei_cec.lock_s=300"});
  }

  std::string Target(const std::string& name, const std::string& secret, const std::string& extra = "",
                     int vdn = 1) const {
    return "  - name: " + name + "\n    vendor: huawei_cec\n    url: https://" + sim_tls_addr_ +
           "\n    tls: {ca_file: \"" + CaFile() + "\"}\n    cc_id: 1\n    vdn: " + std::to_string(vdn) +
           "\n    skills: [1, 2, 3]\n    auth:\n      access_key: sim-ak\n      secret_key: \"" + secret + "\"\n" +
           extra;
  }

  // Every docs/metrics.md series of `target` against the paused simulator's
  // state; the poll that produced `m` ran between wall times t0 and t1.
  void ExpectStateOnMetrics(const Exposition& m, const rapidjson::Value& hw, const std::string& target, double t0,
                            double t1) {
    SCOPED_TRACE("target " + target);
    auto L = [&](std::map<std::string, std::string> l) {
      l["target"] = target;
      return l;
    };
    for (const char* c : kHuaweiCollectors) EXPECT_EQ(m.Value("callcenter_up", L({{"collector", c}})), 1.0) << c;

    std::map<int, const rapidjson::Value*> agents;
    for (const auto& a : hw["agents"].GetArray()) agents[a["workno"].GetInt()] = &a;
    double offered = 0;
    for (const auto& s : hw["skills"].GetArray()) {
      const std::string q = std::to_string(s["id"].GetInt());
      SCOPED_TRACE("skill " + q);
      EXPECT_EQ(m.Value("callcenter_queue_info", L({{"queue", q}, {"name", s["description"].GetString()}})), 1.0);
      EXPECT_EQ(m.Value("callcenter_queue_calls_waiting", L({{"queue", q}})), s["queue_size"].GetDouble());
      EXPECT_EQ(m.Value("callcenter_queue_max_calls_waiting", L({{"queue", q}})), s["max_queue_size"].GetDouble());
      EXPECT_EQ(m.Value("callcenter_queue_longest_wait_seconds", L({{"queue", q}})),
                s["queue_time_seconds"].GetDouble());
      EXPECT_EQ(m.Value("callcenter_queue_agents_logged_in", L({{"queue", q}})), s["logged_on"].GetDouble());
      EXPECT_EQ(m.Value("callcenter_queue_agents_available", L({{"queue", q}})), s["available"].GetDouble());
      const auto& w = s["window"];
      offered += w["offered"].GetDouble();
      EXPECT_EQ(m.Value("callcenter_queue_window_start_timestamp_seconds", L({{"queue", q}})),
                w["start_ms"].GetDouble() / 1000);
      const std::pair<const char*, const char*> window[] = {
          {"callcenter_queue_window_calls_offered", "offered"},
          {"callcenter_queue_window_calls_answered", "answered"},
          {"callcenter_queue_window_calls_abandoned", "abandoned"},
          {"callcenter_queue_window_calls_ended", "ended"},
          {"callcenter_queue_window_calls_answered_within_20s", "answered_within_20s"},
          {"callcenter_queue_window_ivr_talk_seconds", "ivr_talk_seconds"},
          {"callcenter_queue_window_calls_wrapped_up", "wrapped_up"},
          {"callcenter_queue_window_wrap_up_seconds", "wrap_up_seconds"}};
      for (auto [metric, field] : window) EXPECT_EQ(m.Value(metric, L({{"queue", q}})), w[field].GetDouble()) << metric;

      std::map<std::string, double> counts;
      for (const auto& a : s["agents"].GetArray()) {
        const std::string id = std::to_string(a.GetInt());
        ++counts[ExpectedHuaweiState((*agents.at(a.GetInt()))["status"].GetInt())];
        EXPECT_EQ(m.Value("callcenter_queue_member_info", L({{"queue", q}, {"agent", id}})), 1.0) << id;
      }
      EXPECT_EQ(m.Count("callcenter_queue_member_info", L({{"queue", q}})), s["agents"].Size());
      for (const char* st : kHuaweiStates) {
        EXPECT_EQ(m.Value("callcenter_queue_agents", L({{"queue", q}, {"state", st}})), counts[st]) << st;
      }
    }
    EXPECT_GT(offered, 0);  // the window has history

    for (const auto& [workno, ap] : agents) {
      const rapidjson::Value& a = *ap;
      const std::string id = std::to_string(workno);
      SCOPED_TRACE("agent " + id);
      const int status = a["status"].GetInt();
      EXPECT_EQ(m.Value("callcenter_agent_state", L({{"agent", id}, {"state", ExpectedHuaweiState(status)}})), 1.0);
      EXPECT_EQ(m.Count("callcenter_agent_state", L({{"agent", id}})), 9u);
      EXPECT_EQ(m.Value("callcenter_agent_status_code", L({{"agent", id}})), status);
      EXPECT_EQ(m.Value("callcenter_huawei_cec_agent_cti_state_code", L({{"agent", id}})), a["cti_status"].GetDouble());
      std::map<std::string, std::string> info{{"agent", id},
                                              {"name", a["name"].GetString()},
                                              {"group", std::to_string(a["group"].GetInt())},
                                              {"media", MediaName(a["media_type"].GetInt())}};
      if (!a["phone"].IsNull()) info["phone"] = a["phone"].GetString();
      EXPECT_EQ(m.Value("callcenter_agent_info", L(info)), 1.0);
      for (const auto& [key, v] : m.series) {
        if (key.starts_with("callcenter_agent_info{") && key.find("agent=\"" + id + "\"") != std::string::npos &&
            key.find("target=\"" + target + "\"") != std::string::npos) {
          EXPECT_EQ(ParseLabels(key).count("phone"), a["phone"].IsNull() ? 0u : 1u) << key;
        }
      }
      if (a["login_ms"].IsNull()) {  // signed out: the sentinel, no series
        EXPECT_EQ(m.Count("callcenter_agent_login_timestamp_seconds", L({{"agent", id}})), 0u);
      } else {
        EXPECT_EQ(m.Value("callcenter_agent_login_timestamp_seconds", L({{"agent", id}})),
                  a["login_ms"].GetDouble() / 1000);
      }
      // Poll time − currentstatetime, floored; the poll ran within [t0, t1].
      auto since = m.Value("callcenter_agent_state_since_timestamp_seconds", L({{"agent", id}}));
      ASSERT_TRUE(since);
      EXPECT_GE(*since + a["state_seconds"].GetDouble(), std::floor(t0) - 1);
      EXPECT_LE(*since + a["state_seconds"].GetDouble(), t1 + 1);

      const std::string phase = a["break_phase"].GetString();
      if (phase == "none") {
        EXPECT_EQ(m.Count("callcenter_agent_break_start_timestamp_seconds", L({{"agent", id}})), 0u);
        EXPECT_EQ(m.Count("callcenter_agent_break_blocked", L({{"agent", id}})), 0u);
        continue;
      }
      EXPECT_EQ(m.Value("callcenter_agent_break_start_timestamp_seconds", L({{"agent", id}})),
                a["break_begin_ms"].GetDouble() / 1000);
      EXPECT_EQ(m.Value("callcenter_agent_break_requested_seconds", L({{"agent", id}})),
                a["break_requested_seconds"].GetDouble());
      if (a["break_reason"].IsNull()) {  // on break: no blocked reason
        EXPECT_EQ(m.Count("callcenter_agent_break_blocked", L({{"agent", id}})), 0u);
        EXPECT_EQ(m.Count("callcenter_huawei_cec_agent_break_blocked_reason_code", L({{"agent", id}})), 0u);
        continue;
      }
      const int reason = a["break_reason"].GetInt();
      EXPECT_EQ(m.Value("callcenter_huawei_cec_agent_break_blocked_reason_code", L({{"agent", id}})), reason);
      for (int r = 0; r < 5; ++r) {
        EXPECT_EQ(m.Value("callcenter_agent_break_blocked", L({{"agent", id}, {"reason", kReasons[r]}})),
                  r == reason ? 1.0 : 0.0);
      }
    }
    EXPECT_EQ(m.Count("callcenter_agent_status_code", L({})), agents.size());
    EXPECT_EQ(m.Value("callcenter_break_agents", L({{"phase", "approved"}})), hw["breaks"]["approved"].GetDouble());
    EXPECT_EQ(m.Value("callcenter_break_agents", L({{"phase", "on_break"}})), hw["breaks"]["on_break"].GetDouble());
    EXPECT_EQ(m.Value("callcenter_break_agents", L({{"phase", "requested"}})), hw["breaks"]["requested"].GetDouble());
  }
};

TEST_F(HuaweiCecIntegration, BothPathGenerationsCarryTheSimulatorsValues) {
  // "current": the default paths, and the current rest interface;
  // "legacy": the seed-era paths (lower-case fields, result "0" + resultDatas).
  const std::string all_labels = "    agent_labels: [name, phone, group, media]\n";
  StartExporter(
      Target("current", kSecret, all_labels + "    paths: {vdn_rest: " + kApi + "agentgroup/agentrestinfos}\n") +
      Target("legacy", kSecret,
             all_labels + "    paths: {skill_agents: " + kApi + "agentgroup/agentbyconfigedskill, vdn_rest: " + kApi +
                 "agentgroup/agentrestinfo}\n") +
      Target("othervdn", kSecret, "", 2));
  WaitForFreshPoll("current");
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  const double t0 = WallSeconds();
  WaitForFreshPoll("current");
  WaitForFreshPoll("legacy");
  auto state = SimState();
  auto m = Scrape();
  const double t1 = WallSeconds();
  const auto& hw = state["huawei_cec"];
  ASSERT_TRUE(hw.IsObject());
  ASSERT_EQ(hw["agents"].Size(), 12u);
  // The paths less travelled are exercised: the login sentinel, break
  // details with and without a blocked reason.
  int offline = 0, blocked = 0, on_break = 0;
  for (const auto& a : hw["agents"].GetArray()) {
    offline += a["login_ms"].IsNull();
    if (std::string(a["break_phase"].GetString()) == "none") continue;
    blocked += !a["break_reason"].IsNull();
    on_break += a["break_reason"].IsNull();
  }
  EXPECT_GT(offline, 0);
  EXPECT_GT(blocked, 0);
  EXPECT_GT(on_break, 0);

  ExpectStateOnMetrics(m, hw, "current", t0, t1);
  ExpectStateOnMetrics(m, hw, "legacy", t0, t1);
  // A VDN the platform does not have: its error envelope on every interface.
  for (const char* c : kHuaweiCollectors) {
    EXPECT_EQ(m.Value("callcenter_up", {{"target", "othervdn"}, {"collector", c}}), 0.0) << c;
    EXPECT_GE(m.Value("callcenter_poll_failures_total",
                      {{"target", "othervdn"}, {"collector", c}, {"reason", "vendor_error"}})
                  .value_or(0),
              1.0)
        << c;
  }
  EXPECT_EQ(hw["auth"]["unauthorized"].GetUint64(), 0u);
  // Both generations were really asked.
  for (const char* path : {"skill/agentbyconfigedskill", "agentgroup/agentbyconfigedskill", "agentgroup/agentrestinfos",
                           "agentgroup/agentrestinfo", "skill/totalskillstatusex3", "skill/currentcallstateinfo"}) {
    const std::string full = kApi + std::string(path);
    ASSERT_TRUE(hw["served"].HasMember(full.c_str())) << full;
    EXPECT_GT(hw["served"][full.c_str()].GetUint64(), 0u) << full;
  }
  EXPECT_EQ(exporter_->Log().find(kSecret), std::string::npos);
  EXPECT_EQ(Get(addr_, "/metrics").body.find(kSecret), std::string::npos);
  EXPECT_EQ(Get(addr_, "/").body.find(kSecret), std::string::npos);
}

TEST_F(HuaweiCecIntegration, WrongSecretIsAnAuthFailureThenTheLockOutMakesTheExporterBackOff) {
  StartExporter(Target("bad", kWrongSecret));
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto m = Scrape();
        for (const char* c : kHuaweiCollectors) {
          if (m.Value("callcenter_up", {{"target", "bad"}, {"collector", c}}) != 0.0) return false;
          if (m.Value("callcenter_poll_failures_total", {{"target", "bad"}, {"collector", c}, {"reason", "auth"}})
                  .value_or(0) < 1) {
            return false;
          }
        }
        return true;
      },
      30s))
      << exporter_->Log();
  // Three bad signatures in a row lock the exporter's IP: 403 from then on.
  ASSERT_TRUE(WaitUntil([&] { return SimState()["huawei_cec"]["auth"]["forbidden"].GetUint64() > 0; }, 30s));
  auto locked_state = SimState();
  const auto& auth = locked_state["huawei_cec"]["auth"];
  EXPECT_EQ(auth["ok"].GetUint64(), 0u);
  EXPECT_EQ(auth["locks"].GetUint64(), 1u);
  EXPECT_EQ(std::string(auth["last_failure"].GetString()), "bad_signature");

  // Polls go on, each failing with reason auth, but backed off (the lock-out's
  // remaining time is a Retry-After) and sending nothing while locked: far
  // fewer requests reach the platform than polling every 1 s would send
  // (6 a second: skill_agents sends one per skill).
  auto before = Scrape();
  const auto window_start = std::chrono::steady_clock::now();
  const double requests_before = SimState()["huawei_cec"]["auth"]["requests"].GetDouble();
  std::this_thread::sleep_for(10s);
  Exposition after;
  auto failures = [](const Exposition& m, const char* c) {
    return m.Value("callcenter_poll_failures_total", {{"target", "bad"}, {"collector", c}, {"reason", "auth"}})
        .value_or(0);
  };
  ASSERT_TRUE(WaitUntil(
      [&] {
        after = Scrape();
        for (const char* c : kHuaweiCollectors) {
          if (failures(after, c) <= failures(before, c)) return false;
        }
        return true;
      },
      60s))
      << exporter_->Log();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - window_start).count();
  const double requests = SimState()["huawei_cec"]["auth"]["requests"].GetDouble() - requests_before;
  EXPECT_LT(requests * 2, 6 * seconds) << requests << " requests in " << seconds << " s";
  for (const char* c : kHuaweiCollectors) {
    EXPECT_EQ(after.Value("callcenter_up", {{"target", "bad"}, {"collector", c}}), 0.0) << c;
  }
  EXPECT_NE(exporter_->Log().find("backing off"), std::string::npos);
  for (const char* secret : {kWrongSecret, kSecret}) {
    EXPECT_EQ(exporter_->Log().find(secret), std::string::npos) << secret;
    EXPECT_EQ(Get(addr_, "/metrics").body.find(secret), std::string::npos) << secret;
    EXPECT_EQ(Get(addr_, "/").body.find(secret), std::string::npos) << secret;
  }
}

// agent_labels, per target over one simulator: each target's callcenter_agent_info has
// exactly `target`, `agent` and the labels it chose, with the simulator's values; a target
// that chose none shows no agent's name or phone in any series; nothing else differs.
TEST_F(HuaweiCecIntegration, EachTargetExportsTheAgentLabelsItChose) {
  StartExporter(Target("all", kSecret, "    agent_labels: [name, phone, group, media]\n") +
                Target("none", kSecret, "    agent_labels: []\n") + Target("default", kSecret) +
                Target("phone", kSecret, "    agent_labels: [phone]\n"));
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  for (const char* t : {"all", "none", "default", "phone"}) WaitForFreshPoll(t);
  const auto state = SimState();
  const auto m = Scrape();
  // Every callcenter_agent_info series of `target` for agent `id`, as label maps.
  auto info = [&m](const std::string& target, const std::string& id) {
    std::vector<std::map<std::string, std::string>> found;
    for (const auto& [key, value] : m.series) {
      if (!key.starts_with("callcenter_agent_info{")) continue;
      auto labels = ParseLabels(key);
      if (labels["target"] == target && labels["agent"] == id) found.push_back(labels);
      EXPECT_EQ(value, 1.0) << key;
    }
    return found;
  };
  int with_phone = 0;
  for (const auto& a : state["huawei_cec"]["agents"].GetArray()) {
    const std::string id = std::to_string(a["workno"].GetInt());
    SCOPED_TRACE("agent " + id);
    std::map<std::string, std::string> full{{"agent", id},
                                            {"name", a["name"].GetString()},
                                            {"group", std::to_string(a["group"].GetInt())},
                                            {"media", MediaName(a["media_type"].GetInt())}};
    if (!a["phone"].IsNull()) full["phone"] = a["phone"].GetString();
    with_phone += !a["phone"].IsNull();
    auto expect = [&](const std::string& target, std::initializer_list<const char*> keep) {
      std::map<std::string, std::string> want{{"target", target}, {"agent", id}};
      for (const char* k : keep) {
        if (full.count(k)) want[k] = full[k];
      }
      EXPECT_EQ(info(target, id), (std::vector<std::map<std::string, std::string>>{want})) << target;
    };
    expect("all", {"name", "phone", "group", "media"});
    expect("none", {});
    expect("default", {"group", "media"});
    expect("phone", {"phone"});
    for (const auto& [key, value] : m.series) {
      if (ParseLabels(key)["target"] != "none") continue;
      EXPECT_EQ(key.find("\"" + full["name"] + "\""), std::string::npos) << key;
      if (full.count("phone")) {
        EXPECT_EQ(key.find("\"" + full["phone"] + "\""), std::string::npos) << key;
      }
    }
  }
  EXPECT_GT(with_phone, 0);
  // The other agent and queue series are the same set on every target.
  auto keys_of = [&m](const std::string& target) {
    std::set<std::string> keys;
    for (const auto& [key, value] : m.series) {
      auto labels = ParseLabels(key);
      const std::string family = key.substr(0, key.find('{'));
      const bool agent_or_queue = labels.count("agent") || labels.count("queue");
      if (labels["target"] != target || family == "callcenter_agent_info" || !agent_or_queue) continue;
      labels.erase("target");
      std::string k = family;
      for (const auto& [n, v] : labels) k += "," + n + "=" + v;
      keys.insert(k);
    }
    return keys;
  };
  const auto all_keys = keys_of("all");
  EXPECT_GT(all_keys.size(), 100u);
  for (const char* t : {"none", "default", "phone"}) EXPECT_EQ(keys_of(t), all_keys) << t;
}

TEST_F(HuaweiCecIntegration, RemovedAgentDisappearsWithTheNextPoll) {
  StartExporter(Target("hq", kSecret));
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  WaitForFreshPoll("hq");
  const std::string agent = "1001";  // configured in skills 1 and 2
  auto before = Scrape();
  ASSERT_EQ(before.Count("callcenter_agent_state", {{"agent", agent}}), 9u);
  ASSERT_EQ(before.Count("callcenter_queue_member_info", {{"agent", agent}}), 2u);

  ASSERT_EQ(Post(sim_addr_, "/_sim/huawei_cec/remove_agent?workno=" + agent).status, 200);
  WaitForFreshPoll("hq");
  auto after = Scrape();
  for (const char* metric :
       {"callcenter_agent_state", "callcenter_agent_status_code", "callcenter_agent_info",
        "callcenter_queue_member_info", "callcenter_agent_state_since_timestamp_seconds",
        "callcenter_agent_break_start_timestamp_seconds", "callcenter_huawei_cec_agent_cti_state_code"}) {
    EXPECT_EQ(after.Count(metric, {{"agent", agent}}), 0u) << metric;
  }
  EXPECT_EQ(after.Count("callcenter_agent_state"), 9u * 11);
  EXPECT_EQ(Post(sim_addr_, "/_sim/huawei_cec/remove_agent?workno=" + agent).status, 404);
}

// Call media types as docs/vendors/huawei_cec.md names them (the ones the simulator uses).
std::string CallMedia(int code) {
  static const std::map<int, std::string> kNames{{1, "chat"}, {5, "voice"}, {51, "web_chat"}, {53, "social_chat"}};
  return kNames.count(code) ? kNames.at(code) : std::to_string(code);
}

// A target with only url, cc_id, vdn and auth: its skill queues come from configures/skills.
class HuaweiCecDiscoveryIntegration : public HuaweiCecIntegration {
 protected:
  // The simulator takes only the queryParam body form for the listing: the
  // exporter's first (flat) attempt is refused and it must fall back.
  void SetUp() override {
    StartSim({"--queues", "3", "--agents", "2", "--seed", "5", "--tick-ms", "50", "--set",
              "huawei_cec.listing_forms=query_param"});
  }

  std::string DiscoveringTarget(const std::string& name, int vdn = 1) const {
    return "  - name: " + name + "\n    vendor: huawei_cec\n    url: https://" + sim_tls_addr_ +
           "\n    tls: {ca_file: \"" + CaFile() + "\"}\n    cc_id: 1\n    vdn: " + std::to_string(vdn) +
           "\n    skill_discovery_interval: 2s\n    auth:\n      access_key: sim-ak\n      secret_key: \"" + kSecret +
           "\"\n";
  }

  // Every skill of the paused simulator is on /metrics with its listed name
  // and media type and its values, and no other queue is.
  void ExpectEverySimQueue(const std::string& target) {
    auto state = SimState();
    auto m = Scrape();
    const auto& skills = state["huawei_cec"]["skills"];
    ASSERT_GT(skills.Size(), 0u);
    for (const auto& s : skills.GetArray()) {
      const std::string q = std::to_string(s["id"].GetInt());
      SCOPED_TRACE("skill " + q);
      EXPECT_EQ(m.Value("callcenter_queue_info", {{"target", target},
                                                  {"queue", q},
                                                  {"name", s["description"].GetString()},
                                                  {"media", CallMedia(s["media_type"].GetInt())}}),
                1.0);
      EXPECT_EQ(m.Value("callcenter_queue_calls_waiting", {{"target", target}, {"queue", q}}),
                s["queue_size"].GetDouble());
      EXPECT_EQ(m.Value("callcenter_queue_window_calls_offered", {{"target", target}, {"queue", q}}),
                s["window"]["offered"].GetDouble());
      EXPECT_EQ(m.Count("callcenter_queue_member_info", {{"target", target}, {"queue", q}}), s["agents"].Size());
    }
    EXPECT_EQ(m.Count("callcenter_queue_info", {{"target", target}}), skills.Size());
    EXPECT_EQ(m.Count("callcenter_queue_calls_waiting", {{"target", target}}), skills.Size());
    EXPECT_EQ(m.Count("callcenter_queue_window_calls_offered", {{"target", target}}), skills.Size());
  }

  // Until `target`'s queue_info names exactly `queues` (and every collector is up).
  bool WaitForQueues(const std::string& target, std::set<std::string> queues) {
    return WaitUntil(
        [&] {
          auto m = Scrape();
          std::set<std::string> seen;
          for (const auto& [key, v] : m.series) {
            if (!key.starts_with("callcenter_queue_info{")) continue;
            auto labels = ParseLabels(key);
            if (labels["target"] == target) seen.insert(labels["queue"]);
          }
          for (const char* c : {"skill_agents", "skill_status", "skill_call_stats", "skill_discovery"}) {
            if (m.Value("callcenter_up", {{"target", target}, {"collector", c}}) != 1.0) return false;
          }
          return seen == queues;
        },
        30s);
  }
};

TEST_F(HuaweiCecDiscoveryIntegration, EveryListedQueueIsServedAndAddedAndRemovedOnesFollow) {
  StartExporter(DiscoveringTarget("auto") + DiscoveringTarget("novdn", 2));
  ASSERT_TRUE(WaitForQueues("auto", {"1", "2", "3"})) << exporter_->Log();
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  WaitForFreshPoll("auto");
  ExpectEverySimQueue("auto");

  // A queue created on the platform appears without a configuration change;
  // a retired one disappears.
  ASSERT_EQ(
      Post(sim_addr_, "/_sim/huawei_cec/add_skill?id=4711&media=53&name=%E7%A4%BE%E4%BA%A4%E5%AE%A2%E6%9C%8D").status,
      200);
  ASSERT_EQ(Post(sim_addr_, "/_sim/huawei_cec/remove_skill?id=2").status, 200);
  ASSERT_TRUE(WaitForQueues("auto", {"1", "3", "4711"})) << exporter_->Log();
  WaitForFreshPoll("auto");
  ExpectEverySimQueue("auto");
  auto m = Scrape();
  EXPECT_EQ(m.Value("callcenter_queue_info", {{"target", "auto"}, {"queue", "4711"}, {"name", "社交客服"}}), 1.0);
  EXPECT_EQ(m.Count("callcenter_queue_agents", {{"target", "auto"}, {"queue", "2"}}), 0u);
  EXPECT_EQ(m.Count("callcenter_queue_member_info", {{"target", "auto"}, {"queue", "2"}}), 0u);

  // The listing of a VDN the platform does not have: the error envelope is a
  // failure of skill_discovery, and the skill collectors have nothing to poll.
  for (const char* c : {"skill_discovery", "skill_status"}) {
    EXPECT_EQ(m.Value("callcenter_up", {{"target", "novdn"}, {"collector", c}}), 0.0) << c;
    EXPECT_GE(
        m.Value("callcenter_poll_failures_total", {{"target", "novdn"}, {"collector", c}, {"reason", "vendor_error"}})
            .value_or(0),
        1.0)
        << c;
  }
  EXPECT_EQ(m.Count("callcenter_queue_info", {{"target", "novdn"}}), 0u);
  EXPECT_NE(exporter_->Log().find("0100002"), std::string::npos);
  EXPECT_EQ(exporter_->Log().find(kSecret), std::string::npos);
}

}  // namespace
}  // namespace cc::test

// The exporter against the yunhu simulator as real processes on loopback:
// values on /metrics against the simulator's own state, tokens that expire
// and are revoked without a failed poll, refused logins and IPs, vanished
// agents, no secret in the log, and no call but Login and GetQueueSipStatus.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/integration/sim_exporter.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kAccessKey = "sim-accesskey";

// docs/metrics.md's yunhu column, written out independently of the parser: the
// code is `state`, or `status` when state is 0.
std::string ExpectedYunhuState(int state, int status) {
  switch (state != 0 ? state : status) {
    case 1201:
    case 1213:
    case 1015:
    case 1016:
    case 1017: return "available";
    case 1202:
    case 1214: return "ringing";
    case 1203:
    case 1204:
    case 1215: return "on_call";
    case 1217: return "not_ready";
    case 1014: return "offline";
    default: return "unknown";
  }
}

class YunhuIntegration : public SimExporterTest {
 protected:
  // 3 queues of 4 agents: queue-1 100001–100004, queue-2 100005–100008 and
  // 100004, queue-3 100009–100012 and 100008; 100007 starts unregistered.
  void Start(const std::vector<std::string>& settings) {
    std::vector<std::string> args{"--queues", "3", "--agents", "4", "--seed", "7", "--tick-ms", "50"};
    for (const auto& s : settings) {
      args.push_back("--set");
      args.push_back("yunhu." + s);
    }
    StartSim(args);
  }

  std::string Target(const std::string& name, const std::string& accesskey = kAccessKey,
                     const std::string& extra = "") const {
    return "  - name: " + name + "\n    vendor: yunhu\n    url: http://" + sim_addr_ +
           "/api/yunhu\n    agent_labels: [name]\n    auth:\n      appid: sim-appid\n      accesskey: \"" + accesskey +
           "\"\n" + extra;
  }

  double Failures(const Exposition& m, const std::string& target) {
    double sum = 0;
    for (const auto& [key, value] : m.series) {
      if (key.starts_with("callcenter_poll_failures_total{") && ParseLabels(key)["target"] == target) sum += value;
    }
    return sum;
  }

  // The exporter read the simulator and nothing else: no write API, no bill.
  void ExpectOnlyReads() {
    auto state = SimState();
    for (const auto& c : state["yunhu"]["calls"].GetObject()) {
      const std::string service = c.name.GetString();
      EXPECT_TRUE(service == "App.Sip_Auth.Login" || service == "App.Sip_Queue.GetQueueSipStatus")
          << service << " called " << c.value.GetUint64() << " times";
    }
    EXPECT_GT(state["yunhu"]["calls"]["App.Sip_Queue.GetQueueSipStatus"].GetUint64(), 0u);
  }

  // Neither access key nor any token the simulator issued is in the log or on /metrics.
  void ExpectNoSecrets(const std::vector<std::string>& keys) {
    auto state = SimState();
    std::vector<std::string> secrets = keys;
    for (const auto& t : state["yunhu"]["auth"]["tokens"].GetArray()) secrets.emplace_back(t.GetString());
    ASSERT_GT(secrets.size(), keys.size());
    const std::string log = exporter_->Log();
    const std::string metrics = Get(addr_, "/metrics").body;
    for (const auto& s : secrets) {
      EXPECT_EQ(log.find(s), std::string::npos) << s << " in the log";
      EXPECT_EQ(metrics.find(s), std::string::npos) << s << " on /metrics";
    }
  }

  std::uint64_t Logins() { return SimState()["yunhu"]["auth"]["logins"].GetUint64(); }
};

TEST_F(YunhuIntegration, MetricsCarryTheSimulatorsValues) {
  Start({"token_invalid_rate=0"});
  StartExporter(Target("dialer") + Target("q2", kAccessKey, "    queues: [\"queue-2\"]\n"));
  WaitForFreshPoll("dialer");
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  WaitForFreshPoll("dialer");
  WaitForFreshPoll("q2");

  auto state = SimState();
  auto m = Scrape();
  EXPECT_EQ(m.Value("callcenter_up", {{"target", "dialer"}, {"collector", "queue_sip_status"}}), 1.0);
  EXPECT_EQ(m.Value("callcenter_up", {{"target", "q2"}, {"collector", "queue_sip_status"}}), 1.0);
  const auto& queues = state["yunhu"]["queues"];
  ASSERT_EQ(queues.Size(), 3u);
  std::set<std::string> agents;
  std::size_t rows = 0, never_answered = 0, answered = 0;
  for (const auto& q : queues.GetArray()) {
    const std::string queue = q["queuename"].GetString();
    std::map<std::string, int> counts;
    for (const auto& r : q["members"].GetArray()) {
      const std::string agent = r["extnumber"].GetString();
      SCOPED_TRACE(queue + "/" + agent);
      ++rows;
      const std::map<std::string, std::string> member{{"target", "dialer"}, {"queue", queue}, {"agent", agent}};
      EXPECT_EQ(m.Value("callcenter_queue_member_info", member), 1.0);
      EXPECT_EQ(m.Value("callcenter_queue_member_calls_answered_total", member), r["callsanswered"].GetDouble());
      EXPECT_EQ(m.Value("callcenter_queue_member_calls_missed_total", member), r["noanswercount"].GetDouble());
      EXPECT_EQ(m.Value("callcenter_queue_member_wrap_up_seconds", member), r["wrapuptime"].GetDouble());
      EXPECT_EQ(m.Value("callcenter_yunhu_queue_member_external_calls_total", member),
                r["externalcallscount"].GetDouble());
      using Pair = std::pair<const char*, const char*>;
      for (auto [field, metric] :
           {Pair{"lastanswertime_unix", "callcenter_queue_member_last_call_timestamp_seconds"},
            Pair{"lastassigntime_unix", "callcenter_queue_member_last_offer_timestamp_seconds"}}) {
        if (r[field].IsNull()) {
          EXPECT_EQ(m.Count(metric, member), 0u) << field;
        } else {
          EXPECT_EQ(m.Value(metric, member), r[field].GetDouble()) << field;
        }
      }
      if (r["lastanswertime_unix"].IsNull()) {
        ++never_answered;
      } else {
        ++answered;
      }
      if (queue == "queue-2") {
        const std::map<std::string, std::string> q2{{"target", "q2"}, {"queue", queue}, {"agent", agent}};
        EXPECT_EQ(m.Value("callcenter_queue_member_calls_answered_total", q2), r["callsanswered"].GetDouble());
      }

      const int st = r["state"].GetInt(), status = r["status"].GetInt();
      const std::string expected = ExpectedYunhuState(st, status);
      ++counts[expected];
      if (!agents.insert(agent).second) continue;  // agent series come from the first row
      const std::map<std::string, std::string> a{{"target", "dialer"}, {"agent", agent}};
      const std::string name = r["seatsname"].GetString();
      EXPECT_EQ(m.Value("callcenter_agent_info", {{"target", "dialer"}, {"agent", agent}, {"name", name}}), 1.0);
      EXPECT_EQ(m.Value("callcenter_agent_state", {{"target", "dialer"}, {"agent", agent}, {"state", expected}}), 1.0)
          << "state " << st << " status " << status;
      EXPECT_EQ(m.Count("callcenter_agent_state", a), 9u);
      EXPECT_EQ(m.Value("callcenter_agent_status_code", a), st);
      EXPECT_EQ(m.Value("callcenter_yunhu_agent_extension_status_code", a), status);
      EXPECT_EQ(m.Value("callcenter_agent_state_since_timestamp_seconds", a), r["seatschangetime_unix"].GetDouble());
    }
    for (const char* st :
         {"available", "ringing", "on_call", "on_hold", "wrap_up", "not_ready", "break", "offline", "unknown"}) {
      EXPECT_EQ(m.Value("callcenter_queue_agents", {{"target", "dialer"}, {"queue", queue}, {"state", st}}), counts[st])
          << queue << " " << st;
    }
  }
  EXPECT_EQ(m.Count("callcenter_queue_member_info", {{"target", "dialer"}}), rows);
  EXPECT_EQ(m.Count("callcenter_agent_status_code", {{"target", "dialer"}}), agents.size());
  EXPECT_EQ(m.Count("callcenter_queue_member_info", {{"target", "q2"}}), queues[1]["members"].Size());
  // The history has both kinds: members that answered, and 100007 that never did.
  EXPECT_GT(answered, 0u);
  EXPECT_GT(never_answered, 0u);

  // Every token revoked at once: the next poll logs in again and succeeds.
  const auto logins = Logins();
  auto expired = Post(sim_addr_, "/_sim/yunhu/expire_tokens");
  ASSERT_EQ(expired.status, 200) << expired.body;
  WaitForFreshPoll("dialer");
  WaitForFreshPoll("q2");
  auto after = Scrape();
  EXPECT_EQ(Logins(), logins + 2);  // one per target
  for (const char* t : {"dialer", "q2"}) {
    EXPECT_EQ(after.Value("callcenter_up", {{"target", t}}), 1.0) << t;
    EXPECT_EQ(Failures(after, t), 0.0) << t;
  }
  ExpectOnlyReads();
  ExpectNoSecrets({kAccessKey});

  // A reload of the same file keeps both targets' tokens: no new login.
  const auto before_reload = Logins();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Post(addr_, "/-/reload").status, 200);
  WaitForFreshPoll("dialer");
  WaitForFreshPoll("q2");
  EXPECT_EQ(Logins(), before_reload);
}

TEST_F(YunhuIntegration, TokenExpiryAndRevocationNeverFailAPoll) {
  Start({"token_ttl_s=2", "token_invalid_rate=0.3"});
  StartExporter(Target("dialer"));
  int scrapes = 0;
  auto renewed = [&] {
    const auto state = SimState();
    const auto& auth = state["yunhu"]["auth"];
    return auth["logins"].GetUint64() >= 4 && auth["ret_600_expired"].GetUint64() >= 1 &&
           auth["ret_600_random"].GetUint64() >= 1 && auth["ret_600"].GetUint64() >= 3;
  };
  while (!renewed() && scrapes < 40) {
    WaitForFreshPoll("dialer");
    auto m = Scrape();
    ++scrapes;
    ASSERT_EQ(m.Value("callcenter_up", {{"target", "dialer"}, {"collector", "queue_sip_status"}}), 1.0)
        << "scrape " << scrapes << "\n"
        << exporter_->Log();
    ASSERT_EQ(Failures(m, "dialer"), 0.0) << exporter_->Log();
    EXPECT_GT(m.Count("callcenter_queue_member_info", {{"target", "dialer"}}), 0u);
  }
  EXPECT_TRUE(renewed()) << "after " << scrapes << " scrapes";
  EXPECT_NE(exporter_->Log().find("logging in again"), std::string::npos);
  ExpectOnlyReads();
  ExpectNoSecrets({kAccessKey});
}

TEST_F(YunhuIntegration, RefusedLoginsAndIpsFailWithAuth) {
  Start({});
  const std::string wrong = "wrong-secret-key";
  StartExporter(Target("dialer") + Target("badkey", wrong));
  const std::map<std::string, std::string> badkey_auth{{"target", "badkey"}, {"reason", "auth"}};
  ASSERT_TRUE(WaitUntil([&] { return Scrape().Value("callcenter_poll_failures_total", badkey_auth) >= 1; }, 20s))
      << exporter_->Log();
  auto m = Scrape();
  EXPECT_EQ(m.Value("callcenter_up", {{"target", "badkey"}}), 0.0);
  EXPECT_EQ(m.Value("callcenter_up", {{"target", "dialer"}}), 1.0);
  EXPECT_EQ(m.Count("callcenter_queue_member_info", {{"target", "badkey"}}), 0u);
  EXPECT_GE(SimState()["yunhu"]["auth"]["login_refused"].GetUint64(), 1u);

  ASSERT_EQ(Post(sim_addr_, "/_sim/yunhu/deny_ip?on=1").status, 200);
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = Scrape();
        return s.Value("callcenter_up", {{"target", "dialer"}}) == 0.0 &&
               s.Value("callcenter_poll_failures_total", {{"target", "dialer"}, {"reason", "auth"}}) >= 1;
      },
      20s))
      << exporter_->Log();
  EXPECT_GE(SimState()["yunhu"]["auth"]["ret_604"].GetUint64(), 1u);
  EXPECT_TRUE(exporter_->WaitForLine("not on the platform's allow-list", 5s)) << exporter_->Log();

  ASSERT_EQ(Post(sim_addr_, "/_sim/yunhu/deny_ip?on=0").status, 200);
  ASSERT_TRUE(WaitUntil([&] { return Scrape().Value("callcenter_up", {{"target", "dialer"}}) == 1.0; }, 20s));
  ExpectOnlyReads();
  ExpectNoSecrets({kAccessKey, wrong});
}

TEST_F(YunhuIntegration, RemovedAgentDisappearsWithTheNextPoll) {
  Start({});
  StartExporter(Target("dialer"));
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  WaitForFreshPoll("dialer");
  const std::string agent = "100004";  // in queue-1 and queue-2
  auto before = Scrape();
  ASSERT_EQ(before.Count("callcenter_agent_state", {{"agent", agent}}), 9u);
  ASSERT_EQ(before.Count("callcenter_queue_member_info", {{"agent", agent}}), 2u);

  ASSERT_EQ(Post(sim_addr_, "/_sim/yunhu/remove_agent?extnumber=" + agent).status, 200);
  WaitForFreshPoll("dialer");
  auto after = Scrape();
  for (const char* metric : {"callcenter_agent_state", "callcenter_agent_status_code", "callcenter_agent_info",
                             "callcenter_queue_member_info", "callcenter_queue_member_calls_answered_total"}) {
    EXPECT_EQ(after.Count(metric, {{"agent", agent}}), 0u) << metric;
  }
  EXPECT_EQ(after.Count("callcenter_queue_member_info", {{"target", "dialer"}}),
            before.Count("callcenter_queue_member_info", {{"target", "dialer"}}) - 2);
  ExpectOnlyReads();
}

}  // namespace
}  // namespace cc::test

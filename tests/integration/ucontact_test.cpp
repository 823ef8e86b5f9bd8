// uContact over HTTPS against the simulator: every docs/metrics.md series equals
// the simulator's state, session expiry never shows in callcenter_up, a
// refused login is `auth` without leaking secrets, removed agents vanish, the
// session is ended on SIGTERM and when a reload changes the target (but not a
// configured token), kept when it does not, and never left open by a reload
// that lands during a login.

#include <csignal>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/integration/sim_exporter.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

// Characters a form encoder must escape, so a sloppy login body fails.
constexpr char kPassword[] = "s3cr3t&p=w+d";
// Every simulator token is base64 of "sim:<uuid>", so it starts with these.
constexpr char kTokenPrefix[] = "c2ltO";
const char* const kUcontactCollectors[] = {"queue_summary", "campaign_status"};
const char* const kUcontactStates[] = {"available", "ringing", "on_call", "on_hold", "wrap_up",
                                       "not_ready", "break",   "offline", "unknown"};

// docs/metrics.md's uContact column, written out independently of the collector.
std::string ExpectedUcontactState(int status, bool paused) {
  switch (status) {
    case 1: return paused ? "not_ready" : "available";
    case 6: return "ringing";
    case 2:
    case 3:
    case 7: return "on_call";
    case 8: return "on_hold";
    case 9: return "wrap_up";
    case 4:
    case 5: return "offline";
    default: return "unknown";
  }
}

class UcontactIntegration : public SimExporterTest {
 protected:
  void StartUcontactSim(int campaigns, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--queues",   std::to_string(campaigns),
                                  "--agents",   "2",
                                  "--seed",     "5",
                                  "--tick-ms",  "50",
                                  "--warmup-s", "300",
                                  "--set",      std::string("ucontact.password=") + kPassword};
    args.insert(args.end(), extra.begin(), extra.end());
    StartSim(args);
  }

  std::string Target(const std::string& name, const std::string& auth = "",
                     const std::string& poll_timeout = "1s") const {
    return "  - name: " + name + "\n    vendor: ucontact\n    url: https://" + sim_tls_addr_ +
           "/Integra/resources/\n    poll_timeout: " + poll_timeout +
           "\n    agent_labels: [name]\n    tls:\n      ca_file: " + CaFile() + "\n    auth:\n" +
           (auth.empty() ? "      username: sim\n      password: \"" + std::string(kPassword) + "\"\n" : auth);
  }

  // Rewrites the exporter's config file with `targets` and reloads it.
  void Reload(const std::string& targets) {
    dir_.Write("config.yaml", Config(targets));
    ASSERT_EQ(Post(addr_, "/-/reload").status, 200) << exporter_->Log();
  }

  const rapidjson::Value& Uc(const rapidjson::Document& state) { return state["ucontact"]; }

  void ExpectNoSecrets(const std::string& text, const std::string& where) {
    EXPECT_EQ(text.find(kPassword), std::string::npos) << where;
    EXPECT_EQ(text.find("s3cr3t"), std::string::npos) << where;
    EXPECT_EQ(text.find(kTokenPrefix), std::string::npos) << where;
  }
};

TEST_F(UcontactIntegration, MetricsCarryTheSimulatorsValues) {
  StartUcontactSim(6);
  StartExporter(Target("uc"));
  WaitForFreshPoll("uc");
  // Make sure the pause flag matters: an idle paused agent (not_ready) and a
  // paused one on a call (on_call, uContact's busypaused).
  ASSERT_EQ(Post(sim_addr_, "/_sim/ucontact/set_agent?location=SIP/1001&status=1&paused=true").status, 200);
  ASSERT_EQ(Post(sim_addr_, "/_sim/ucontact/set_agent?location=SIP/1004&status=2&paused=true").status, 200);
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  WaitForFreshPoll("uc");

  auto state = SimState();
  auto m = Scrape();
  for (const char* c : kUcontactCollectors)
    EXPECT_EQ(m.Value("callcenter_up", {{"target", "uc"}, {"collector", c}}), 1.0) << c;
  const auto& campaigns = Uc(state)["campaigns"];
  ASSERT_EQ(campaigns.Size(), 6u);
  std::set<std::string> names, agents;
  std::map<std::string, int> states_seen;
  for (const auto& c : campaigns.GetArray()) {
    const std::string q = c["name"].GetString();
    names.insert(q);
    SCOPED_TRACE("campaign " + q);
    const std::map<std::string, std::string> l{{"target", "uc"}, {"queue", q}};
    auto expect = [&](const std::string& metric, double want) { EXPECT_EQ(m.Value(metric, l), want) << metric; };
    EXPECT_EQ(
        m.Value("callcenter_queue_info", {{"target", "uc"}, {"queue", q}, {"strategy", c["strategy"].GetString()}}),
        1.0);
    // queue_summary
    expect("callcenter_queue_calls_waiting", c["callers"].GetDouble());
    expect("callcenter_queue_longest_wait_seconds", c["longest_hold_seconds"].GetDouble());
    expect("callcenter_queue_average_wait_seconds", c["hold_avg_seconds"].GetDouble());
    expect("callcenter_queue_average_talk_seconds", c["talk_avg_seconds"].GetDouble());
    expect("callcenter_queue_agents_logged_in", c["counts"]["logged"].GetDouble());
    expect("callcenter_queue_agents_available", c["counts"]["availables"].GetDouble());
    // campaign_status
    expect("callcenter_queue_calls_answered_total", c["completed"].GetDouble());
    expect("callcenter_queue_calls_abandoned_total", c["abandoned"].GetDouble());
    expect("callcenter_queue_calls_offered_total", c["offered"].GetDouble());
    expect("callcenter_queue_service_level_threshold_seconds", c["threshold_seconds"].GetDouble());
    for (const auto& [metric, field] :
         {std::pair{"callcenter_queue_service_level_ratio", "service_level_ratio"},
          std::pair{"callcenter_ucontact_campaign_service_level_with_abandoned_ratio", "service_level2_ratio"}}) {
      auto v = m.Value(metric, l);
      ASSERT_TRUE(v) << metric;
      EXPECT_NEAR(*v, c[field].GetDouble(), 1e-9) << metric;
    }
    for (const auto& [metric, field] :
         {std::pair{"agents_available", "availables"}, std::pair{"agents_not_available", "notavailables"},
          std::pair{"agents_paused", "paused"}, std::pair{"agents_busy", "busy"},
          std::pair{"agents_busy_paused", "busypaused"}, std::pair{"agents_members", "totalagents"},
          std::pair{"agents_logged", "logged"}, std::pair{"agents_wrap_up", "onwrapup"}}) {
      expect(std::string("callcenter_ucontact_campaign_") + metric, c["counts"][field].GetDouble());
    }
    for (const auto& [metric, field] :
         {std::pair{"talked_seconds", "talked_seconds"}, std::pair{"talked_calls", "talked_count"},
          std::pair{"hold_seconds", "hold_seconds"}, std::pair{"hold_calls", "hold_count"}, std::pair{"acd", "acd"},
          std::pair{"wrapup", "wrapup"}}) {
      expect(std::string("callcenter_ucontact_campaign_") + metric, c[field].GetDouble());
    }
    // abandonedlevel is a percentage: served as a ratio.
    auto abandoned = m.Value("callcenter_ucontact_campaign_abandoned_ratio", l);
    ASSERT_TRUE(abandoned);
    EXPECT_NEAR(*abandoned, c["abandonedlevel"].GetDouble() / 100, 1e-9);
    std::map<std::string, int> counts;
    for (const auto& a : c["agents"].GetArray()) {
      const std::string id = a["location"].GetString();
      agents.insert(id);
      const int status = a["status"].GetInt();
      const bool paused = a["paused"].GetBool();
      const std::string st = ExpectedUcontactState(status, paused);
      ++counts[st];
      ++states_seen[st];
      const std::map<std::string, std::string> member{{"target", "uc"}, {"queue", q}, {"agent", id}};
      const std::map<std::string, std::string> agent{{"target", "uc"}, {"agent", id}};
      EXPECT_EQ(m.Value("callcenter_queue_member_info", member), 1.0) << id;
      EXPECT_EQ(m.Value("callcenter_queue_member_calls_answered_total", member), a["calls_taken"].GetDouble()) << id;
      EXPECT_EQ(m.Value("callcenter_queue_member_paused", member), paused ? 1.0 : 0.0) << id;
      EXPECT_EQ(m.Value("callcenter_queue_member_penalty", member), a["penalty"].GetDouble()) << id;
      EXPECT_EQ(m.Value("callcenter_queue_member_in_call", member), a["incall"].GetDouble()) << id;
      const double last_call = a["last_call"].GetDouble();
      auto ts = m.Value("callcenter_queue_member_last_call_timestamp_seconds", member);
      if (last_call == 0) {
        EXPECT_FALSE(ts) << id;
      } else {
        EXPECT_EQ(ts, last_call) << id;
      }
      EXPECT_EQ(m.Value("callcenter_agent_info", {{"target", "uc"}, {"agent", id}, {"name", a["name"].GetString()}}),
                1.0);
      EXPECT_EQ(m.Value("callcenter_agent_status_code", agent), status) << id;
      EXPECT_EQ(m.Value("callcenter_agent_state", {{"target", "uc"}, {"agent", id}, {"state", st}}), 1.0)
          << id << " status " << status << " paused " << paused;
      EXPECT_EQ(m.Count("callcenter_agent_state", agent), 9u) << id;
    }
    for (const char* st : kUcontactStates) {
      EXPECT_EQ(m.Value("callcenter_queue_agents", {{"target", "uc"}, {"queue", q}, {"state", st}}), counts[st]) << st;
    }
  }
  // The arrows, "&", "+", a space and non-ASCII made it through form encoding.
  for (const char* q : {"Ventas->Soporte", "in<-out", "Cobros & Pagos->", "Atención 24h<-", "VIP+Gold->"}) {
    EXPECT_TRUE(names.count(q)) << q;
    EXPECT_EQ(m.Count("callcenter_queue_member_info", {{"target", "uc"}, {"queue", q}}), 2u) << q;
  }
  EXPECT_EQ(m.Count("callcenter_agent_status_code", {{"target", "uc"}}), agents.size());
  EXPECT_EQ(m.Count("callcenter_queue_calls_waiting", {{"target", "uc"}}), 6u);
  EXPECT_GE(states_seen["not_ready"], 1);
  EXPECT_EQ(m.Value("callcenter_agent_state", {{"target", "uc"}, {"agent", "SIP/1001"}, {"state", "not_ready"}}), 1.0);
  EXPECT_EQ(m.Value("callcenter_agent_state", {{"target", "uc"}, {"agent", "SIP/1004"}, {"state", "on_call"}}), 1.0);
  // The warm-up produced traffic, so the counters are not trivially 0.
  EXPECT_GT(*m.Value("callcenter_queue_calls_answered_total", {{"target", "uc"}, {"queue", "Soporte<-"}}), 0);
  EXPECT_EQ(Uc(state)["logins"].GetInt(), 1);  // both collectors share one session
}

TEST_F(UcontactIntegration, SessionExpiryIsInvisible) {
  StartUcontactSim(2, {"--set", "ucontact.session_timeout_s=2"});
  StartExporter(Target("uc"));
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE(round);
    if (round % 2 == 1) {
      ASSERT_EQ(Post(sim_addr_, "/_sim/ucontact/expire_sessions").status, 200);
    }
    WaitForFreshPoll("uc");
    auto m = Scrape();
    for (const char* c : kUcontactCollectors) {
      EXPECT_EQ(m.Value("callcenter_up", {{"target", "uc"}, {"collector", c}}), 1.0) << c << exporter_->Log();
    }
  }
  auto state = SimState();
  EXPECT_GE(Uc(state)["logins"].GetInt(), 4);  // at least three new logins
  EXPECT_GE(Uc(state)["unauthorized"].GetInt(), 3);
  EXPECT_EQ(Uc(state)["login_failures"].GetInt(), 0);
  auto m = Scrape();
  for (const auto& [series, value] : m.series) {
    if (series.starts_with("callcenter_poll_failures_total{") && series.find("target=\"uc\"") != std::string::npos) {
      EXPECT_EQ(value, 0) << series;
    }
  }
  const std::string log = exporter_->Log();
  EXPECT_NE(log.find("logging in again"), std::string::npos);
  ExpectNoSecrets(log, "exporter log");
  ExpectNoSecrets(Get(addr_, "/metrics").body, "/metrics");
}

TEST_F(UcontactIntegration, WrongPasswordIsAuthWithoutLeakingSecrets) {
  StartUcontactSim(2);
  StartExporter(Target("uc") + Target("bad", "      username: sim\n      password: \"s3cr3t-wrong\"\n"));
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto m = Scrape();
        for (const char* c : kUcontactCollectors) {
          if (m.Value("callcenter_up", {{"target", "bad"}, {"collector", c}}) != 0.0 ||
              m.Value("callcenter_poll_failures_total", {{"target", "bad"}, {"collector", c}, {"reason", "auth"}})
                      .value_or(0) < 1) {
            return false;
          }
        }
        return m.Value("callcenter_up", {{"target", "uc"}, {"collector", "campaign_status"}}) == 1.0;
      },
      30s))
      << exporter_->Log();
  auto m = Scrape();
  EXPECT_EQ(m.Count("callcenter_queue_calls_waiting", {{"target", "bad"}}), 0u);
  EXPECT_GE(Uc(SimState())["login_failures"].GetInt(), 1);
  const std::string log = exporter_->Log();
  ExpectNoSecrets(log, "exporter log");
  EXPECT_EQ(log.find("s3cr3t-wrong"), std::string::npos);
  const std::string metrics = Get(addr_, "/metrics").body;
  ExpectNoSecrets(metrics, "/metrics");
  ExpectNoSecrets(Get(addr_, "/").body, "landing page");
}

TEST_F(UcontactIntegration, RemovedAgentDisappearsWithTheNextPoll) {
  StartUcontactSim(2);
  StartExporter(Target("uc"));
  ASSERT_EQ(Post(sim_addr_, "/_sim/pause").status, 200);
  WaitForFreshPoll("uc");
  const std::string agent = "SIP/1003";
  auto before = Scrape();
  ASSERT_EQ(before.Count("callcenter_agent_state", {{"agent", agent}}), 9u);
  ASSERT_EQ(before.Count("callcenter_queue_member_info", {{"agent", agent}}), 1u);

  ASSERT_EQ(Post(sim_addr_, "/_sim/ucontact/remove_agent?location=" + agent).status, 200);
  WaitForFreshPoll("uc");
  auto after = Scrape();
  for (const char* metric : {"callcenter_agent_state", "callcenter_agent_status_code", "callcenter_agent_info",
                             "callcenter_queue_member_info", "callcenter_queue_member_penalty"}) {
    EXPECT_EQ(after.Count(metric, {{"agent", agent}}), 0u) << metric;
  }
  EXPECT_EQ(after.Count("callcenter_queue_member_info", {{"target", "uc"}}), 3u);
  EXPECT_EQ(after.Value("callcenter_ucontact_campaign_agents_members", {{"queue", "Ventas->Soporte"}}), 1.0);
}

TEST_F(UcontactIntegration, SessionEndsOnReloadAndSigtermButNotAConfiguredToken) {
  StartUcontactSim(2);
  // A session the exporter does not own: logged in by someone else.
  auto login = Http("POST", sim_addr_, "/Integra/resources/auth/getUserToken",
                    {{"Content-Type", "application/x-www-form-urlencoded"}}, "user=sim&password=s3cr3t%26p%3Dw%2Bd");
  ASSERT_EQ(login.status, 200) << login.body;
  rapidjson::Document arr;
  arr.Parse(login.body.c_str());
  ASSERT_TRUE(arr.IsArray() && arr.Size() > 0 && arr[arr.Size() - 1].IsString()) << login.body;
  const std::string token = arr[arr.Size() - 1].GetString();

  const std::string targets = Target("uc") + Target("tok", "      token: " + token + "\n");
  StartExporter(targets);
  WaitForFreshPoll("uc");
  WaitForFreshPoll("tok");
  auto state = SimState();
  EXPECT_EQ(Uc(state)["logins"].GetInt(), 2);  // the test's and the exporter's
  EXPECT_EQ(Uc(state)["end_sessions"].GetInt(), 0);
  EXPECT_EQ(Scrape().Value("callcenter_up", {{"target", "tok"}, {"collector", "campaign_status"}}), 1.0);

  // A reload that changes the target restarts it: its session ends, the new collectors log in.
  Reload(Target("uc", "", "900ms") + Target("tok", "      token: " + token + "\n"));
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto s = SimState();
        return Uc(s)["end_sessions"].GetInt() == 1 && Uc(s)["logins"].GetInt() == 3;
      },
      20s))
      << exporter_->Log();
  WaitForFreshPoll("uc");

  exporter_->Signal(SIGTERM);
  EXPECT_EQ(exporter_->Wait(15s), 0) << exporter_->Log();
  state = SimState();
  EXPECT_EQ(Uc(state)["end_sessions"].GetInt(), 2);
  EXPECT_EQ(Uc(state)["logins"].GetInt(), 3);
  EXPECT_EQ(Uc(state)["live_sessions"].GetInt(), 1);  // the configured token's session lives on
  const std::string log = exporter_->Log();
  EXPECT_NE(log.find("ucontact session ended"), std::string::npos) << log;
  ExpectNoSecrets(log, "exporter log");
}

TEST_F(UcontactIntegration, ReloadsOfAnUnchangedTargetKeepItsSessionAndCounters) {
  StartUcontactSim(2);
  StartExporter(Target("uc"));
  WaitForFreshPoll("uc");
  const double polls = PollsOf(Scrape(), "uc", "queue_summary");
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Post(addr_, "/-/reload").status, 200);
  WaitForFreshPoll("uc");
  const auto state = SimState();
  EXPECT_EQ(Uc(state)["logins"].GetInt(), 1);
  EXPECT_EQ(Uc(state)["end_sessions"].GetInt(), 0);
  EXPECT_EQ(Uc(state)["live_sessions"].GetInt(), 1);
  EXPECT_GT(PollsOf(Scrape(), "uc", "queue_summary"), polls);  // counting on, not from zero
  EXPECT_EQ(exporter_->Log().find("ucontact session ended"), std::string::npos) << exporter_->Log();
}

TEST_F(UcontactIntegration, ReloadsDuringSlowLoginsLeaveOneLiveSession) {
  // Every answer takes 300 ms: reloads land while logins are in flight.
  StartUcontactSim(1, {"--fault", "slow", "--fault-delay-ms", "300"});
  StartExporter(Target("uc", "", "950ms"));
  // A new target's first poll starts within its start jitter (up to 1 s) and
  // its login takes 300 ms: about one reload in three lands during a login.
  for (int i = 0; i < 20; ++i) {
    Reload(Target("uc", "", i % 2 == 0 ? "900ms" : "950ms"));  // a change: the target restarts
    std::this_thread::sleep_for(350ms);
  }
  // Once the last restart has logged in, the vendor holds exactly its one session.
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto s = SimState();
        return Uc(s)["live_sessions"].GetInt() == 1 && Uc(s)["end_sessions"].GetInt() + 1 == Uc(s)["logins"].GetInt();
      },
      20s, 200ms))
      << exporter_->Log();
  const auto state = SimState();
  EXPECT_GE(Uc(state)["logins"].GetInt(), 2);
}

}  // namespace
}  // namespace cc::test

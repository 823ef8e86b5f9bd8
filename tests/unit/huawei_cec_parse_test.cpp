#include "collectors/huawei_cec/parse.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "model/agent_state.h"
#include "tests/unit/support/vendor_testing.h"

namespace cc::huawei_cec {
namespace {

using test::Count;
using test::ReadFile;
using test::RunPoll;
using test::Value;

std::string Fixture(const std::string& name) { return test::Fixture("huawei_cec", name); }

using std::chrono::seconds;
using std::chrono::system_clock;

const system_clock::time_point kNow{seconds(1700000000)};

std::string StateOf(const Snapshot& snap, const std::string& agent) {
  std::string one;
  int ones = 0;
  for (AgentState s : kAllAgentStates) {
    const std::string name(ToString(s));
    auto v = Value(snap, "callcenter_agent_state", {{"agent", agent}, {"state", name}});
    EXPECT_TRUE(v.has_value()) << agent << " " << name;
    if (v == 1.0) {
      one = name;
      ++ones;
    }
  }
  EXPECT_EQ(ones, 1) << agent;
  return one;
}

template <class T>
T Ok(Result<T> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : T{};
}

Snapshot AgentsSnapshot(const std::string& fixture, const std::string& skill, bool agent_metrics = true) {
  std::vector<SkillAgents> skills{{skill, Ok(ParseSkillAgents(Fixture(fixture)))}};
  return BuildAgentsSnapshot(skills, {.agent_metrics = agent_metrics, .now = kNow});
}

// --- seeds ----------------------------------------------------------------------

TEST(HuaweiCecParseTest, SeedFixturesAreTheSeedsVerbatim) {
  const std::string s1 = test::Fixture("seeds", "001_6d149480b931e652.txt");
  const std::string s3 = test::Fixture("seeds", "003_f24357f75bc5c490.txt");
  for (const char* f : {"seed_skill_agents.json", "seed_one_agent.json", "seed_rest_info_malformed.json"}) {
    EXPECT_NE(s1.find(Fixture(f)), std::string::npos) << f;
  }
  EXPECT_NE(s3.find(Fixture("seed_call_stats.json")), std::string::npos);
}

TEST(HuaweiCecParseTest, SeedSkillAgentsEverySeries) {
  const Snapshot snap = AgentsSnapshot("seed_skill_agents.json", "1");
  EXPECT_EQ(Value(snap, "callcenter_queue_member_info", {{"queue", "1"}, {"agent", "20011"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_info",
                  {{"agent", "20011"}, {"name", "20011"}, {"phone", "70942"}, {"group", "1"}, {"media", "userline"}}),
            1.0);
  EXPECT_EQ(StateOf(snap, "20011"), "available");
  EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", "20011"}}), 4.0);
  EXPECT_EQ(Value(snap, "callcenter_huawei_cec_agent_cti_state_code", {{"agent", "20011"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_state_since_timestamp_seconds", {{"agent", "20011"}}), 1700000000.0 - 1505);
  EXPECT_EQ(Value(snap, "callcenter_agent_login_timestamp_seconds", {{"agent", "20011"}}), 1501125758.0);
  for (AgentState s : kAllAgentStates) {
    EXPECT_EQ(Value(snap, "callcenter_queue_agents", {{"queue", "1"}, {"state", std::string(ToString(s))}}),
              s == AgentState::available ? 1.0 : 0.0);
  }
  EXPECT_EQ(snap.SampleCount(), 1u + 1 + 9 + 1 + 1 + 1 + 1 + 9);
}

TEST(HuaweiCecParseTest, SeedSingleAgentObjectWithCitStatusAndSentinel) {
  const Snapshot snap = AgentsSnapshot("seed_one_agent.json", "5");
  // phonenumber null: no phone label; groupid absent: no group label.
  EXPECT_EQ(Value(snap, "callcenter_agent_info", {{"agent", "101"}, {"name", "HW35154101"}, {"media", "extension"}}),
            1.0);
  EXPECT_EQ(StateOf(snap, "101"), "offline");                                                     // status 2
  EXPECT_EQ(Value(snap, "callcenter_huawei_cec_agent_cti_state_code", {{"agent", "101"}}), 0.0);  // citStatus
  EXPECT_EQ(Value(snap, "callcenter_agent_state_since_timestamp_seconds", {{"agent", "101"}}), 1700000000.0 - 436879);
  EXPECT_EQ(Count(snap, "callcenter_agent_login_timestamp_seconds"), 0u);  // 4294967295000
}

TEST(HuaweiCecParseTest, SeedCallStatsEverySeries) {
  auto stats = Ok(ParseCallStats(Fixture("seed_call_stats.json")));
  ASSERT_EQ(stats.size(), 2u);
  const Snapshot snap = BuildCallStatsSnapshot(stats);
  for (const char* q : {"1", "2"}) {
    EXPECT_EQ(Value(snap, "callcenter_queue_window_start_timestamp_seconds", {{"queue", q}}), 1607390702.0);
    for (const char* f :
         {"callcenter_queue_window_calls_offered", "callcenter_queue_window_calls_answered",
          "callcenter_queue_window_calls_abandoned", "callcenter_queue_window_calls_ended",
          "callcenter_queue_window_calls_answered_within_20s", "callcenter_queue_window_ivr_talk_seconds",
          "callcenter_queue_window_calls_wrapped_up", "callcenter_queue_window_wrap_up_seconds"}) {
      EXPECT_EQ(Value(snap, f, {{"queue", q}}), 0.0) << f << " " << q;
    }
  }
  EXPECT_EQ(snap.SampleCount(), 18u);
}

TEST(HuaweiCecParseTest, SeedRestInfoIsMalformedJson) {
  // The documented example is `{[ ... ]}` without commas: not JSON.
  auto r = ParseRestInfo(Fixture("seed_rest_info_malformed.json"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, Reason::parse);
  EXPECT_NE(r.error().message.find("not JSON"), std::string::npos);
}

// --- quirks ---------------------------------------------------------------------

TEST(HuaweiCecParseTest, CamelCaseStringsAndSentinels) {
  const Snapshot snap = AgentsSnapshot("skill_agents_camel.json", "9");
  EXPECT_EQ(Value(snap, "callcenter_agent_info",
                  {{"agent", "70001"}, {"name", "Alice"}, {"phone", "88001"}, {"group", "3"}, {"media", "emedia"}}),
            1.0);
  EXPECT_EQ(StateOf(snap, "70001"), "on_call");
  EXPECT_EQ(Value(snap, "callcenter_huawei_cec_agent_cti_state_code", {{"agent", "70001"}}), 5.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_state_since_timestamp_seconds", {{"agent", "70001"}}), 1700000000.0 - 60);
  EXPECT_EQ(Value(snap, "callcenter_agent_login_timestamp_seconds", {{"agent", "70001"}}), 1700000000.0);

  EXPECT_EQ(StateOf(snap, "70002"), "offline");  // "2"
  EXPECT_EQ(Value(snap, "callcenter_agent_state_since_timestamp_seconds", {{"agent", "70002"}}), std::nullopt);
  EXPECT_EQ(Value(snap, "callcenter_agent_login_timestamp_seconds", {{"agent", "70002"}}), std::nullopt);
  EXPECT_EQ(Value(snap, "callcenter_agent_info",
                  {{"agent", "70002"}, {"name", "Bob"}, {"group", "3"}, {"media", "pc_phone"}}),
            1.0);

  EXPECT_EQ(StateOf(snap, "70003"), "break");
  EXPECT_EQ(Value(snap, "callcenter_huawei_cec_agent_cti_state_code", {{"agent", "70003"}}), 8.0);  // citStatus
  EXPECT_EQ(Value(snap, "callcenter_agent_info",
                  {{"agent", "70003"}, {"name", "Carol"}, {"phone", "88003"}, {"group", "4"}, {"media", "99"}}),
            1.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_state_since_timestamp_seconds", {{"agent", "70003"}}), 1700000000.0 - 120);
  EXPECT_EQ(Value(snap, "callcenter_agent_login_timestamp_seconds", {{"agent", "70003"}}), 1700000000.5);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents", {{"queue", "9"}, {"state", "on_call"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents", {{"queue", "9"}, {"state", "offline"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents", {{"queue", "9"}, {"state", "break"}}), 1.0);
}

TEST(HuaweiCecParseTest, OtherStatusCodes) {
  const Snapshot snap = AgentsSnapshot("skill_agents_mixed.json", "1");
  EXPECT_EQ(StateOf(snap, "20011"), "not_ready");
  EXPECT_EQ(StateOf(snap, "20012"), "wrap_up");
  EXPECT_EQ(StateOf(snap, "20013"), "unknown");
  EXPECT_EQ(Value(snap, "callcenter_agent_state_since_timestamp_seconds", {{"agent", "20012"}}), 1700000000.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_login_timestamp_seconds", {{"agent", "20013"}}), std::nullopt);  // 0
}

TEST(HuaweiCecParseTest, StatusTable) {
  EXPECT_EQ(MapAgentState(4), AgentState::available);
  EXPECT_EQ(MapAgentState(7), AgentState::on_call);
  EXPECT_EQ(MapAgentState(5), AgentState::wrap_up);
  EXPECT_EQ(MapAgentState(3), AgentState::not_ready);
  EXPECT_EQ(MapAgentState(8), AgentState::on_break);
  EXPECT_EQ(MapAgentState(2), AgentState::offline);
  for (int code : {0, 1, 6, 9, -1, 255}) EXPECT_EQ(MapAgentState(code), AgentState::unknown) << code;
  EXPECT_EQ(MediaTypeName(0), "extension");
  EXPECT_EQ(MediaTypeName(13), "emedia");
  EXPECT_EQ(MediaTypeName(14), "14");
  EXPECT_EQ(BlockedReasonName(0), "awaiting_approval");
  EXPECT_EQ(BlockedReasonName(4), "skill_quota_full");
  EXPECT_EQ(BlockedReasonName(5), "");
}

TEST(HuaweiCecParseTest, OddCodesAreUnknownNotUndefined) {
  auto rows = Ok(ParseSkillAgents(
      R"({"result":"0","resultDatas":[{"workno":1,"status":1e300,"mediatype":-1e300},{"workno":2,"status":4.5}]})"));
  const Snapshot snap = BuildAgentsSnapshot({{"1", rows}}, {.agent_metrics = true, .now = kNow});
  EXPECT_EQ(StateOf(snap, "1"), "unknown");
  EXPECT_EQ(StateOf(snap, "2"), "unknown");
  EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", "2"}}), 4.5);
}

TEST(HuaweiCecParseTest, MultipleSkillsShareAgentSeries) {
  std::vector<SkillAgents> skills{{"1", Ok(ParseSkillAgents(Fixture("seed_skill_agents.json")))},
                                  {"2", Ok(ParseSkillAgents(Fixture("seed_skill_agents.json")))}};
  const Snapshot snap = BuildAgentsSnapshot(skills, {.agent_metrics = true, .now = kNow});
  EXPECT_EQ(Count(snap, "callcenter_queue_member_info"), 2u);
  EXPECT_EQ(Count(snap, "callcenter_agent_info"), 1u);
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), 18u);
}

TEST(HuaweiCecParseTest, WithoutAgentMetrics) {
  const Snapshot snap = AgentsSnapshot("seed_skill_agents.json", "1", false);
  EXPECT_EQ(snap.Find("callcenter_agent_state"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_agent_info"), nullptr);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents", {{"queue", "1"}, {"state", "available"}}), 1.0);
}

TEST(HuaweiCecParseTest, SkillStatusPrefersResultDescAndDropsSentinels) {
  auto status = Ok(ParseSkillStatus(Fixture("skill_status.json")));
  ASSERT_EQ(status.size(), 2u);
  const Snapshot snap = BuildSkillStatusSnapshot(status);
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "1"}, {"name", "Sales"}, {"media", ""}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_calls_waiting", {{"queue", "1"}}), 3.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_longest_wait_seconds", {{"queue", "1"}}), 42.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents_logged_in", {{"queue", "1"}}), 10.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents_available", {{"queue", "1"}}), 4.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_max_calls_waiting", {{"queue", "1"}}), 50.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "2"}, {"name", "Support"}, {"media", ""}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_calls_waiting", {{"queue", "2"}}), 0.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents_logged_in", {{"queue", "2"}}), 0.0);  // "0"
  EXPECT_EQ(Value(snap, "callcenter_queue_longest_wait_seconds", {{"queue", "2"}}), std::nullopt);
  EXPECT_EQ(Value(snap, "callcenter_queue_max_calls_waiting", {{"queue", "2"}}), std::nullopt);
  EXPECT_EQ(snap.SampleCount(), 6u + 4u);
}

// Huawei reports what it could not use like every vendor (sentinels are "no
// value", not unusable): wrong types and negative counts drop only their series.
TEST(HuaweiCecParseTest, UnusableValuesAreReportedAndDropOnlyTheirSeries) {
  UnusableFields unusable;
  auto status = Ok(ParseSkillStatus(
      R"({"resultCode":"0100000","resultDesc":[{"skillId":1,"skillDescrip":"Sales","queueSize":-1,
          "queueTime":"soon","loggedOnAgents":4294967295,"availAgents":2,"maxQueueSize":{}}]})",
      &unusable));
  EXPECT_EQ(unusable, (UnusableFields{"skill 1.queueSize", "skill 1.queueTime", "skill 1.maxQueueSize"}));
  const Snapshot snap = BuildSkillStatusSnapshot(status);
  EXPECT_EQ(Value(snap, "callcenter_queue_calls_waiting", {{"queue", "1"}}), std::nullopt);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents_logged_in", {{"queue", "1"}}), std::nullopt);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents_available", {{"queue", "1"}}), 2.0);

  UnusableFields stats_unusable;
  auto stats = Ok(ParseCallStats(
      R"({"result":"0","resultDatas":[{"id":"1","allCallCount":"-5","cnnedCallCount":3,"abanCallCount":true}]})",
      &stats_unusable));
  EXPECT_EQ(stats_unusable, (UnusableFields{"skill 1.allCallCount", "skill 1.abanCallCount"}));
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].answered, 3.0);
  EXPECT_EQ(stats[0].offered, std::nullopt);
}

TEST(HuaweiCecParseTest, CallStatsFromResultDatasOnly) {
  auto stats = Ok(ParseCallStats(Fixture("call_stats_old.json")));
  ASSERT_EQ(stats.size(), 1u);
  const Snapshot snap = BuildCallStatsSnapshot(stats);
  const Labels q{{"queue", "7"}};
  EXPECT_EQ(Value(snap, "callcenter_queue_window_start_timestamp_seconds", q), 1607390700.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_window_calls_offered", q), 12.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_window_calls_answered", q), 10.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_window_calls_abandoned", q), 2.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_window_calls_ended", q), 9.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_window_ivr_talk_seconds", q), 300.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_window_calls_answered_within_20s", q), 8.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_window_calls_wrapped_up", q), 7.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_window_wrap_up_seconds", q), 140.0);
}

TEST(HuaweiCecParseTest, RestInfoEverySeries) {
  const RestInfo info = Ok(ParseRestInfo(Fixture("rest_info.json")));
  ASSERT_EQ(info.agents.size(), 3u);
  EXPECT_EQ(info.agents[1].name, "z2");
  const Snapshot snap = BuildRestSnapshot(info, {.agent_metrics = true, .now = kNow});
  EXPECT_EQ(Value(snap, "callcenter_break_agents", {{"phase", "approved"}}), 101.0);
  EXPECT_EQ(Value(snap, "callcenter_break_agents", {{"phase", "on_break"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_break_agents", {{"phase", "requested"}}), 2.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_break_start_timestamp_seconds", {{"agent", "55001"}}), 1700000000.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_break_start_timestamp_seconds", {{"agent", "55002"}}), std::nullopt);
  EXPECT_EQ(Value(snap, "callcenter_agent_break_start_timestamp_seconds", {{"agent", "55003"}}), 2345.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_break_requested_seconds", {{"agent", "55001"}}), 600.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_break_requested_seconds", {{"agent", "55002"}}), 300.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_break_requested_seconds", {{"agent", "55003"}}), 22333.0);
  for (const char* reason : {"awaiting_approval", "agent_busy", "vdn_quota_full", "no_skill", "skill_quota_full"}) {
    EXPECT_EQ(Value(snap, "callcenter_agent_break_blocked", {{"agent", "55001"}, {"reason", reason}}),
              std::string(reason) == "agent_busy" ? 1.0 : 0.0);
    EXPECT_EQ(Value(snap, "callcenter_agent_break_blocked", {{"agent", "55002"}, {"reason", reason}}),
              std::string(reason) == "skill_quota_full" ? 1.0 : 0.0);
    // Unknown code 9: only the raw code.
    EXPECT_EQ(Value(snap, "callcenter_agent_break_blocked", {{"agent", "55003"}, {"reason", reason}}), std::nullopt);
  }
  EXPECT_EQ(Value(snap, "callcenter_huawei_cec_agent_break_blocked_reason_code", {{"agent", "55003"}}), 9.0);
  EXPECT_EQ(Value(snap, "callcenter_huawei_cec_agent_break_blocked_reason_code", {{"agent", "55002"}}), 4.0);
  EXPECT_EQ(snap.SampleCount(), 3u + 2 + 3 + 10 + 3);

  const Snapshot no_agents = BuildRestSnapshot(info, {.agent_metrics = false, .now = kNow});
  EXPECT_EQ(no_agents.SampleCount(), 3u);
}

TEST(HuaweiCecParseTest, RestInfoNewSpelling) {
  const RestInfo info = Ok(ParseRestInfo(Fixture("rest_info_new.json")));
  const Snapshot snap = BuildRestSnapshot(info, {.agent_metrics = true, .now = kNow});
  EXPECT_EQ(Value(snap, "callcenter_break_agents", {{"phase", "on_break"}}), 3.0);
  EXPECT_EQ(Value(snap, "callcenter_break_agents", {{"phase", "approved"}}), 0.0);
  EXPECT_EQ(Value(snap, "callcenter_break_agents", {{"phase", "requested"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_break_start_timestamp_seconds", {{"agent", "101"}}), 1700000100.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_break_requested_seconds", {{"agent", "101"}}), 900.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_break_blocked", {{"agent", "101"}, {"reason", "awaiting_approval"}}), 1.0);
}

// --- errors ---------------------------------------------------------------------

TEST(HuaweiCecParseTest, ErrorEnvelopes) {
  auto bad = ParseSkillStatus(Fixture("error_invalid_param.json"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason, Reason::vendor_error);
  EXPECT_NE(bad.error().message.find("0100002"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("Invalid parameter"), std::string::npos);

  auto old = ParseSkillAgents(Fixture("error_result_nonzero.json"));
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.error().reason, Reason::vendor_error);
  EXPECT_NE(old.error().message.find("result 2"), std::string::npos) << old.error().message;

  // resultCode decides even when result says "0".
  auto code = ParseCallStats(R"({"result":"0","resultCode":"0100999","resultDatas":[]})");
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.error().reason, Reason::vendor_error);
  EXPECT_NE(code.error().message.find("0100999"), std::string::npos);
}

TEST(HuaweiCecParseTest, ParseErrors) {
  for (const char* body : {"", "  ", "<html>502</html>", "[]", "{}", R"({"result":"0"})",
                           R"({"result":"0","resultDatas":"x"})", R"({"result":"0","resultDatas":[1]})",
                           R"({"result":"0","resultDatas":[{"name":"no id"}]})", R"({"result":"0","resultDatas":[)"}) {
    SCOPED_TRACE(body);
    auto r = ParseSkillAgents(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().reason, Reason::parse);
  }
  auto rest = ParseRestInfo(R"({"result":"0","resultDatas":{"onrestnum":1,"agentsrestdetails":{}}})");
  ASSERT_FALSE(rest.ok());
  EXPECT_EQ(rest.error().reason, Reason::parse);
}

TEST(HuaweiCecParseTest, EmptyListIsSuccess) {
  EXPECT_TRUE(Ok(ParseSkillAgents(R"({"result":"0","resultDatas":[]})")).empty());
  const Snapshot snap = BuildAgentsSnapshot({{"3", {}}}, {.agent_metrics = true, .now = kNow});
  EXPECT_EQ(Value(snap, "callcenter_queue_agents", {{"queue", "3"}, {"state", "available"}}), 0.0);
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), kAllAgentStates.size());
}

TEST(HuaweiCecParseTest, EveryPrefixAndMutationNeverCrashes) {
  for (const char* f : {"seed_skill_agents.json", "seed_call_stats.json", "rest_info.json", "skill_status.json"}) {
    const std::string body = Fixture(f);
    for (std::size_t n = 0; n < body.size(); ++n) {
      const std::string_view prefix(body.data(), n);
      (void)ParseSkillAgents(prefix);
      (void)ParseSkillStatus(prefix);
      (void)ParseCallStats(prefix);
      (void)ParseRestInfo(prefix);
    }
    std::string mutated = body;
    for (std::size_t i = 0; i < mutated.size(); i += 3) {
      const char saved = mutated[i];
      for (char c : {'"', '{', ']', '0', '\0', 'x'}) {
        mutated[i] = c;
        (void)ParseSkillAgents(mutated);
        (void)ParseRestInfo(mutated);
      }
      mutated[i] = saved;
    }
  }
}

// --- request bodies -------------------------------------------------------------

std::string WithoutSpaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

TEST(HuaweiCecParseTest, RequestBodiesMatchTheSeedsCompactly) {
  EXPECT_EQ(SkillAgentsBody(1, 1, 1), WithoutSpaces(R"({ "queryParam": { "ccId":1, "vdn":1, "skillId":1 } })"));
  EXPECT_EQ(VdnBody(1, 1), WithoutSpaces(R"({ "queryParam": { "ccId":1, "vdn":1 } })"));
  const std::vector<std::int64_t> skills{1, 2};
  EXPECT_EQ(SkillIdsBody(1, 170, skills), WithoutSpaces(R"({ "ccId":1, "vdn":170, "skillIds":[1,2] })"));
  EXPECT_EQ(SkillIdsBody(65535, 5000, std::vector<std::int64_t>{10000}),
            R"({"ccId":65535,"vdn":5000,"skillIds":[10000]})");
}

}  // namespace
}  // namespace cc::huawei_cec

#include "collectors/yunhu/parse.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "collectors/yunhu/metrics.h"
#include "collectors/yunhu/session.h"
#include "model/metrics.h"
#include "tests/unit/support/vendor_testing.h"

namespace cc::yunhu {
namespace {

using test::Count;
using test::ReadFile;
using test::RunPoll;
using test::Value;

std::string Fixture(const std::string& name) { return test::Fixture("yunhu", name); }

constexpr int kBeijing = 8 * 3600;

std::optional<double> Member(const Snapshot& snap, std::string_view family, const std::string& queue,
                             const std::string& agent) {
  return Value(snap, family, {{"queue", queue}, {"agent", agent}});
}

std::optional<double> Agent(const Snapshot& snap, std::string_view family, const std::string& agent) {
  return Value(snap, family, {{"agent", agent}});
}

std::optional<double> AgentsIn(const Snapshot& snap, const std::string& queue, const std::string& state) {
  return Value(snap, "callcenter_queue_agents", {{"queue", queue}, {"state", state}});
}

// The state whose series is 1, checking that exactly one is and all are present.
std::string StateOf(const Snapshot& snap, const std::string& agent) {
  std::string one;
  int ones = 0;
  for (cc::AgentState s : kAllAgentStates) {
    const std::string name(ToString(s));
    auto v = Value(snap, "callcenter_agent_state", {{"agent", agent}, {"state", name}});
    EXPECT_TRUE(v.has_value()) << agent << " " << name;
    if (v == 1.0) {
      one = name;
      ++ones;
    } else {
      EXPECT_EQ(v, 0.0) << agent << " " << name;
    }
  }
  EXPECT_EQ(ones, 1) << agent;
  return one;
}

Rows RowsOk(const std::string& body, int offset = kBeijing) {
  auto r = ParseRows(body, offset);
  EXPECT_TRUE(r.result.ok()) << (r.result.ok() ? "" : r.result.error().message);
  EXPECT_EQ(r.ret, 200);
  return r.result.ok() ? std::move(r.result).value() : Rows{};
}

Snapshot SnapOk(const std::string& body, BuildOptions options = {}) {
  return BuildSnapshot(RowsOk(body).rows, options);
}

Error RowsFail(const std::string& body) {
  auto r = ParseRows(body, kBeijing);
  EXPECT_FALSE(r.result.ok());
  return r.result.ok() ? Error{Reason::connect, "unexpected success"} : r.result.error();
}

// --- the seed ---------------------------------------------------------------

TEST(YunhuParseTest, SeedFixtureIsTheSeedVerbatim) {
  const std::string seed = test::Fixture("seeds", "002_d3df3fbb87510ba1.txt");
  EXPECT_NE(seed.find(Fixture("seed_queue_sip_status.json")), std::string::npos);
}

TEST(YunhuParseTest, SeedRow) {
  const Rows rows = RowsOk(Fixture("seed_queue_sip_status.json"));
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_TRUE(rows.unusable_fields.empty());
  const Row& r = rows.rows[0];
  EXPECT_EQ(r.queue, "queue-1");
  EXPECT_EQ(r.agent, "100001");
  EXPECT_EQ(r.seats_name, "9026004_9026004_autocall-9026");
  EXPECT_EQ(r.status, 1213.0);
  EXPECT_EQ(r.state, 1213.0);
  EXPECT_EQ(r.last_answer_time, 1580907816.0);  // 2020-02-05 21:03:36 +08:00
  EXPECT_EQ(r.last_assign_time, 1580907814.0);
  EXPECT_EQ(r.state_change_time, 1580907809.0);
  EXPECT_EQ(r.missed, 0.0);
  EXPECT_EQ(r.answered, 1.0);
  EXPECT_EQ(r.external_calls, 0.0);
  EXPECT_EQ(r.wrap_up_seconds, 0.0);
}

TEST(YunhuParseTest, SeedSeries) {
  const Snapshot snap = SnapOk(Fixture("seed_queue_sip_status.json"));
  EXPECT_EQ(Member(snap, "callcenter_queue_member_info", "queue-1", "100001"), 1.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_answered_total", "queue-1", "100001"), 1.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_missed_total", "queue-1", "100001"), 0.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_last_call_timestamp_seconds", "queue-1", "100001"), 1580907816.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_last_offer_timestamp_seconds", "queue-1", "100001"), 1580907814.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_wrap_up_seconds", "queue-1", "100001"), 0.0);
  EXPECT_EQ(Member(snap, "callcenter_yunhu_queue_member_external_calls_total", "queue-1", "100001"), 0.0);

  EXPECT_EQ(Value(snap, "callcenter_agent_info", {{"agent", "100001"}, {"name", "9026004_9026004_autocall-9026"}}),
            1.0);
  EXPECT_EQ(StateOf(snap, "100001"), "available");  // 1213 waiting
  EXPECT_EQ(Agent(snap, "callcenter_agent_status_code", "100001"), 1213.0);
  EXPECT_EQ(Agent(snap, "callcenter_yunhu_agent_extension_status_code", "100001"), 1213.0);
  EXPECT_EQ(Agent(snap, "callcenter_agent_state_since_timestamp_seconds", "100001"), 1580907809.0);

  EXPECT_EQ(AgentsIn(snap, "queue-1", "available"), 1.0);
  for (cc::AgentState s : kAllAgentStates) {
    if (s != cc::AgentState::available) {
      EXPECT_EQ(AgentsIn(snap, "queue-1", std::string(ToString(s))), 0.0);
    }
  }
  // Nothing else: 7 member + 13 agent + 9 queue-agent series.
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), kAllAgentStates.size());
  EXPECT_EQ(snap.SampleCount(), 29u);
  EXPECT_EQ(snap.families().size(), 13u);
}

TEST(YunhuParseTest, SeedUsesTheSharedDefinitions) {
  const Snapshot snap = SnapOk(Fixture("seed_queue_sip_status.json"));
  EXPECT_EQ(snap.Find("callcenter_queue_member_calls_answered_total")->def,
            &metrics::queue_member_calls_answered_total);
  EXPECT_EQ(snap.Find("callcenter_agent_state")->def, &metrics::agent_state);
  EXPECT_EQ(snap.Find("callcenter_yunhu_queue_member_external_calls_total")->def, &kQueueMemberExternalCallsTotal);
  EXPECT_EQ(kQueueMemberExternalCallsTotal.type, MetricType::counter);
  EXPECT_EQ(kAgentExtensionStatusCode.type, MetricType::gauge);
  for (const MetricDef* def : {&kQueueMemberExternalCallsTotal, &kAgentExtensionStatusCode}) {
    EXPECT_TRUE(std::string_view(def->help).ends_with(" Cached from the last poll.")) << def->name;
    EXPECT_NE(std::string_view(def->help).find("yunhu: "), std::string_view::npos) << def->name;
  }
}

TEST(YunhuParseTest, SeedWithoutAgentMetrics) {
  const Snapshot snap = SnapOk(Fixture("seed_queue_sip_status.json"), BuildOptions{.agent_metrics = false});
  EXPECT_EQ(snap.Find("callcenter_agent_state"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_agent_info"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_agent_status_code"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_yunhu_agent_extension_status_code"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_agent_state_since_timestamp_seconds"), nullptr);
  EXPECT_EQ(AgentsIn(snap, "queue-1", "available"), 1.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_answered_total", "queue-1", "100001"), 1.0);
  EXPECT_EQ(snap.SampleCount(), 16u);
}

// --- envelope and errors ----------------------------------------------------

TEST(YunhuParseTest, RetAuthCodes) {
  struct Case {
    std::string fixture;
    int ret;
    std::string meaning;
  };
  for (const Case& c : {Case{"ret600_token_invalid.json", 600, "token invalid"},
                        Case{"ret601_appid_not_authorized.json", 601, "appid not authorized"},
                        Case{"ret602_appid_expired.json", 602, "appid authorization expired"},
                        Case{"ret603_module_not_authorized.json", 603, "module not authorized"},
                        Case{"ret604_ip_denied.json", 604, "IP address is not on the platform's allow-list"}}) {
    SCOPED_TRACE(c.fixture);
    auto rows = ParseRows(Fixture(c.fixture), kBeijing);
    ASSERT_FALSE(rows.result.ok());
    EXPECT_EQ(rows.ret, c.ret);
    EXPECT_EQ(rows.result.error().reason, Reason::auth);
    EXPECT_NE(rows.result.error().message.find("ret " + std::to_string(c.ret)), std::string::npos);
    EXPECT_NE(rows.result.error().message.find(c.meaning), std::string::npos) << rows.result.error().message;
    auto login = ParseLogin(Fixture(c.fixture));
    ASSERT_FALSE(login.result.ok());
    EXPECT_EQ(login.ret, c.ret);
    EXPECT_EQ(login.result.error().reason, Reason::auth);
  }
}

TEST(YunhuParseTest, OtherRetIsVendorError) {
  auto r = ParseRows(Fixture("ret400_illegal_request.json"), kBeijing);
  ASSERT_FALSE(r.result.ok());
  EXPECT_EQ(r.ret, 400);
  EXPECT_EQ(r.result.error().reason, Reason::vendor_error);
  // The vendor's Chinese message is echoed as dots: messages stay ASCII.
  EXPECT_EQ(r.result.error().message.rfind("GetQueueSipStatus: ret 400 (illegal request): ", 0), 0u)
      << r.result.error().message;
  for (char c : r.result.error().message) EXPECT_TRUE(c >= 0x20 && c < 0x7f);
  EXPECT_EQ(RowsFail(R"({"ret":500,"data":{},"msg":"x"})").reason, Reason::vendor_error);
  EXPECT_EQ(RowsFail(R"({"ret":"201","data":{"status":0}})").reason, Reason::vendor_error);
}

TEST(YunhuParseTest, DataStatusOneIsVendorError) {
  const Error e = RowsFail(Fixture("status1_failure.json"));
  EXPECT_EQ(e.reason, Reason::vendor_error);
  EXPECT_EQ(e.message, "GetQueueSipStatus: data.status 1, code 1211 \"illegal queue\": get failed");
  EXPECT_EQ(ParseRows(Fixture("status1_failure.json"), kBeijing).ret, 200);
  EXPECT_EQ(RowsFail(R"({"ret":200,"data":{"status":"1"}})").reason, Reason::vendor_error);
}

TEST(YunhuParseTest, NotTheEnvelopeIsParseError) {
  for (const std::string& body :
       {Fixture("html_error.html"), std::string(""), std::string("  \n"), std::string("[]"), std::string("null"),
        std::string(R"({"data":{"status":0}})"), std::string(R"({"ret":"ok","data":{}})"),
        std::string(R"({"ret":200})"), std::string(R"({"ret":200,"data":[]})"),
        std::string(R"({"ret":200,"data":{"status":"x"}})"), std::string(R"({"ret":200,"data":{"result":7}})"),
        std::string(R"({"ret":200,"data":{"result":[1]}})"), std::string("{\"ret\":200,\0}", 10)}) {
    SCOPED_TRACE(body);
    auto r = ParseRows(body, kBeijing);
    ASSERT_FALSE(r.result.ok());
    EXPECT_EQ(r.result.error().reason, Reason::parse) << r.result.error().message;
    EXPECT_LT(r.result.error().message.size(), 200u);
  }
  EXPECT_NE(RowsFail(Fixture("html_error.html")).message.find("body starts with \"<html>"), std::string::npos);
}

// A value JSON cannot carry (here a Latin-1 byte) is repaired and reported,
// not a failed poll.
TEST(YunhuParseTest, InvalidUtf8IsRepairedAndReported) {
  const Rows rows = RowsOk(
      "{\"ret\":200,\"data\":{\"status\":0,\"result\":[{\"queuename\":\"q\",\"extnumber\":\"1\",\"seatsname\":"
      "\"L\xe9"
      "a\"}]}}");
  EXPECT_EQ(rows.unusable_fields, (std::vector<std::string>{"byte87:invalid_utf8"}));
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(rows.rows[0].seats_name,
            "L\xEF\xBF\xBD"
            "a");
}

TEST(YunhuParseTest, EmptyResultIsSuccessWithNoRows) {
  EXPECT_TRUE(RowsOk(Fixture("empty_result.json")).rows.empty());
  EXPECT_TRUE(RowsOk(R"({"ret":200,"data":{"status":0,"result":null}})").rows.empty());
  EXPECT_TRUE(RowsOk(R"({"ret":200,"data":{"status":0,"result":""}})").rows.empty());
  EXPECT_TRUE(RowsOk(R"({"ret":200,"data":{"status":0}})").rows.empty());
  // Configured queues still get their zero counts.
  const std::vector<std::string> queues{"queue-1"};
  const Snapshot snap = SnapOk(Fixture("empty_result.json"), BuildOptions{.queues = queues});
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), kAllAgentStates.size());
  EXPECT_EQ(AgentsIn(snap, "queue-1", "available"), 0.0);
  EXPECT_EQ(snap.SampleCount(), kAllAgentStates.size());
}

TEST(YunhuParseTest, ResultAsMap) {
  const Rows rows = RowsOk(Fixture("result_as_map.json"));
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_EQ(rows.rows[1].agent, "100002");
  EXPECT_EQ(AgentStateOf(rows.rows[1]), AgentState::on_call);
}

// --- quirks -----------------------------------------------------------------

TEST(YunhuParseTest, NumbersAsStrings) {
  const Snapshot snap = SnapOk(Fixture("numbers_as_strings.json"));
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_answered_total", "queue-1", "100001"), 17.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_missed_total", "queue-1", "100001"), 2.0);
  EXPECT_EQ(Member(snap, "callcenter_yunhu_queue_member_external_calls_total", "queue-1", "100001"), 3.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_wrap_up_seconds", "queue-1", "100001"), 15.0);
  EXPECT_EQ(Agent(snap, "callcenter_agent_status_code", "100001"), 1204.0);
  EXPECT_EQ(StateOf(snap, "100001"), "on_call");
  EXPECT_EQ(AgentsIn(snap, "queue-1", "on_call"), 1.0);
}

TEST(YunhuParseTest, AllStateCodes) {
  const Snapshot snap = SnapOk(Fixture("all_states.json"));
  const std::vector<std::pair<std::string, std::string>> expected{
      {"1201", "available"}, {"1213", "available"}, {"1015", "available"}, {"1016", "available"}, {"1017", "available"},
      {"1202", "ringing"},   {"1214", "ringing"},   {"1203", "on_call"},   {"1204", "on_call"},   {"1215", "on_call"},
      {"1217", "not_ready"}, {"1014", "offline"},   {"1208", "unknown"},   {"9001", "unknown"}};
  for (const auto& [agent, state] : expected) EXPECT_EQ(StateOf(snap, agent), state) << agent;
  EXPECT_EQ(Agent(snap, "callcenter_agent_status_code", "9001"), -1.0);
  EXPECT_EQ(Agent(snap, "callcenter_yunhu_agent_extension_status_code", "1214"), 1202.0);
  EXPECT_EQ(AgentsIn(snap, "q", "available"), 5.0);
  EXPECT_EQ(AgentsIn(snap, "q", "ringing"), 2.0);
  EXPECT_EQ(AgentsIn(snap, "q", "on_call"), 3.0);
  EXPECT_EQ(AgentsIn(snap, "q", "not_ready"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "q", "offline"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "q", "unknown"), 2.0);
  EXPECT_EQ(AgentsIn(snap, "q", "on_hold"), 0.0);
  EXPECT_EQ(AgentsIn(snap, "q", "wrap_up"), 0.0);
  EXPECT_EQ(AgentsIn(snap, "q", "break"), 0.0);
}

TEST(YunhuParseTest, MapAgentStateTable) {
  EXPECT_EQ(MapAgentState(1201), AgentState::available);
  EXPECT_EQ(MapAgentState(1213), AgentState::available);
  EXPECT_EQ(MapAgentState(1015), AgentState::available);
  EXPECT_EQ(MapAgentState(1016), AgentState::available);
  EXPECT_EQ(MapAgentState(1017), AgentState::available);
  EXPECT_EQ(MapAgentState(1202), AgentState::ringing);
  EXPECT_EQ(MapAgentState(1214), AgentState::ringing);
  EXPECT_EQ(MapAgentState(1203), AgentState::on_call);
  EXPECT_EQ(MapAgentState(1204), AgentState::on_call);
  EXPECT_EQ(MapAgentState(1215), AgentState::on_call);
  EXPECT_EQ(MapAgentState(1217), AgentState::not_ready);
  EXPECT_EQ(MapAgentState(1014), AgentState::offline);
  for (int other : {0, -1, 1, 1013, 1018, 1208, 1212, 1216}) EXPECT_EQ(MapAgentState(other), AgentState::unknown);
}

TEST(YunhuParseTest, StateZeroOrAbsentUsesStatus) {
  const Snapshot snap = SnapOk(Fixture("state_zero_uses_status.json"));
  EXPECT_EQ(StateOf(snap, "2001"), "offline");    // state 0, status 1014
  EXPECT_EQ(StateOf(snap, "2002"), "available");  // no state, status 1201
  EXPECT_EQ(StateOf(snap, "2003"), "ringing");    // state "", status "1202"
  EXPECT_EQ(StateOf(snap, "2004"), "unknown");    // state 0, no status
  // callcenter_agent_status_code is the raw state, so only where one was sent.
  EXPECT_EQ(Agent(snap, "callcenter_agent_status_code", "2001"), 0.0);
  EXPECT_EQ(Agent(snap, "callcenter_agent_status_code", "2002"), std::nullopt);
  EXPECT_EQ(Agent(snap, "callcenter_agent_status_code", "2003"), std::nullopt);
  EXPECT_EQ(Agent(snap, "callcenter_yunhu_agent_extension_status_code", "2001"), 1014.0);
  EXPECT_EQ(Agent(snap, "callcenter_yunhu_agent_extension_status_code", "2004"), std::nullopt);
}

TEST(YunhuParseTest, EmptyTimesGiveNoSeries) {
  const Rows rows = RowsOk(Fixture("empty_times.json"));
  EXPECT_TRUE(rows.unusable_fields.empty());
  const Snapshot snap = BuildSnapshot(rows.rows, {});
  EXPECT_EQ(Count(snap, "callcenter_queue_member_last_call_timestamp_seconds"), 0u);
  EXPECT_EQ(Count(snap, "callcenter_queue_member_last_offer_timestamp_seconds"), 0u);
  EXPECT_EQ(Count(snap, "callcenter_agent_state_since_timestamp_seconds"), 0u);
  EXPECT_EQ(StateOf(snap, "100002"), "offline");
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_answered_total", "queue-1", "100002"), 0.0);
}

TEST(YunhuParseTest, NegativeCountsDropOnlyTheirSeries) {
  const Rows rows = RowsOk(
      R"({"ret":200,"data":{"status":0,"result":[{"queuename":"q","extnumber":"1","state":1201,"noanswercount":-1,)"
      R"("callsanswered":"-2","externalcallscount":3,"wrapuptime":-5}]},"msg":""})");
  EXPECT_EQ(rows.unusable_fields,
            (std::vector<std::string>{"q/1.noanswercount", "q/1.callsanswered", "q/1.wrapuptime"}));
  const Snapshot snap = BuildSnapshot(rows.rows, {});
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_missed_total", "q", "1"), std::nullopt);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_answered_total", "q", "1"), std::nullopt);
  EXPECT_EQ(Member(snap, "callcenter_yunhu_queue_member_external_calls_total", "q", "1"), 3.0);
}

// PHP's date() of 0 is "1970-01-01 08:00:00" in UTC+8 and another wall-clock
// time in every other zone: "never" in any spelling gives no series, and only
// the epoch does (a day later is a time; before 1970 is unusable).
TEST(YunhuParseTest, EpochInAnyZoneGivesNoSeries) {
  const Rows rows = RowsOk(Fixture("epoch_times.json"));
  EXPECT_EQ(rows.unusable_fields, (std::vector<std::string>{"queue-1/100003.lastassigntime"}));
  const Snapshot snap = BuildSnapshot(rows.rows, {});
  EXPECT_EQ(Member(snap, "callcenter_queue_member_last_call_timestamp_seconds", "queue-1", "100002"), std::nullopt);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_last_offer_timestamp_seconds", "queue-1", "100002"), std::nullopt);
  EXPECT_EQ(Agent(snap, "callcenter_agent_state_since_timestamp_seconds", "100002"), std::nullopt);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_last_call_timestamp_seconds", "queue-1", "100003"), 86401.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_last_offer_timestamp_seconds", "queue-1", "100003"), std::nullopt);
  EXPECT_EQ(Agent(snap, "callcenter_agent_state_since_timestamp_seconds", "100003"), 1580907816.0);
}

TEST(YunhuParseTest, BadValuesSkipOnlyTheirSeries) {
  const Rows rows = RowsOk(Fixture("bad_values.json"));
  EXPECT_EQ(
      rows.unusable_fields,
      (std::vector<std::string>{"queue-1/100003.state", "queue-1/100003.lastanswertime",
                                "queue-1/100003.lastassigntime", "queue-1/100003.noanswercount",
                                "queue-1/100003.externalcallscount", "result[1].extnumber", "result[2].queuename"}));
  ASSERT_EQ(rows.rows.size(), 1u);  // rows without ids are dropped
  const Snapshot snap = BuildSnapshot(rows.rows, {});
  EXPECT_EQ(StateOf(snap, "100003"), "unknown");  // "busy" is not a code; status is not consulted
  EXPECT_EQ(Agent(snap, "callcenter_agent_status_code", "100003"), std::nullopt);
  EXPECT_EQ(Agent(snap, "callcenter_yunhu_agent_extension_status_code", "100003"), 1201.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_last_call_timestamp_seconds", "queue-1", "100003"), std::nullopt);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_missed_total", "queue-1", "100003"), std::nullopt);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_answered_total", "queue-1", "100003"), 4.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_wrap_up_seconds", "queue-1", "100003"), 5.0);
  EXPECT_EQ(Agent(snap, "callcenter_agent_state_since_timestamp_seconds", "100003"), 1580907809.0);
}

TEST(YunhuParseTest, MultiQueueWithSharedAgent) {
  const std::vector<std::string> wanted{"queue-1", "queue-2"};
  Rows rows = RowsOk(Fixture("multi_queue.json"));
  KeepQueues(rows.rows, wanted);
  ASSERT_EQ(rows.rows.size(), 3u);
  const Snapshot snap = BuildSnapshot(rows.rows, BuildOptions{.queues = wanted});
  // 100001 is in two queues: member series for both, agent series from the first row.
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_answered_total", "queue-1", "100001"), 5.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_answered_total", "queue-2", "100001"), 2.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_last_call_timestamp_seconds", "queue-2", "100001"), 1580904000.0);
  EXPECT_EQ(Member(snap, "callcenter_queue_member_wrap_up_seconds", "queue-1", "100001"), 10.0);
  EXPECT_EQ(StateOf(snap, "100001"), "on_call");
  EXPECT_EQ(Agent(snap, "callcenter_agent_state_since_timestamp_seconds", "100001"), 1580907809.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_info", {{"agent", "100001"}, {"name", "9026004_9026004_autocall-9026"}}),
            1.0);
  EXPECT_EQ(Count(snap, "callcenter_agent_info"), 2u);
  EXPECT_EQ(Count(snap, "callcenter_agent_state"), 2 * kAllAgentStates.size());
  // Queue counts use each row's own state.
  EXPECT_EQ(AgentsIn(snap, "queue-1", "on_call"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "queue-2", "available"), 2.0);
  EXPECT_EQ(AgentsIn(snap, "queue-2", "on_call"), 0.0);
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), 2 * kAllAgentStates.size());
  EXPECT_EQ(Count(snap, "callcenter_queue_member_info"), 3u);
  EXPECT_EQ(AgentsIn(snap, "queue-3", "offline"), std::nullopt);
}

TEST(YunhuParseTest, DuplicateRowKeepsTheFirst) {
  std::vector<Row> rows(2);
  rows[0] = Row{.queue = "q", .agent = "1", .state = 1201, .answered = 3};
  rows[1] = Row{.queue = "q", .agent = "1", .state = 1204, .answered = 9};
  const Snapshot snap = BuildSnapshot(rows, {});
  EXPECT_EQ(Member(snap, "callcenter_queue_member_calls_answered_total", "q", "1"), 3.0);
  EXPECT_EQ(AgentsIn(snap, "q", "available"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "q", "on_call"), 0.0);
}

// --- times and offsets ------------------------------------------------------

TEST(YunhuParseTest, LocalTimes) {
  EXPECT_EQ(ParseLocalTime("2020-02-05 21:03:36", kBeijing), 1580907816.0);
  EXPECT_EQ(ParseLocalTime("2020-02-05 21:03:36", 0), 1580907816.0 + kBeijing);
  EXPECT_EQ(ParseLocalTime("2020-02-05T21:03:36", kBeijing), 1580907816.0);
  EXPECT_EQ(ParseLocalTime(" 1970-01-01 08:00:00 ", kBeijing), 0.0);
  EXPECT_EQ(ParseLocalTime("2024-02-29 00:00:00", 0), 1709164800.0);
  EXPECT_EQ(ParseLocalTime("2020-01-01 00:00:00", -3 * 3600 - 1800), 1577849400.0);
  for (const char* bad : {"", "2020-02-30 10:00:00", "2023-02-29 00:00:00", "2020-13-01 00:00:00",
                          "2020-02-05 24:00:00", "2020-02-05 21:60:00", "2020-02-05", "2020/02/05 21:03:36",
                          "2020-02-05 21:03:3x", "1580907816", "2020-02-05 21:03:36.5"}) {
    EXPECT_EQ(ParseLocalTime(bad, kBeijing), std::nullopt) << bad;
  }
  EXPECT_TRUE(IsNeverTime(""));
  EXPECT_TRUE(IsNeverTime("0000-00-00 00:00:00"));
  EXPECT_TRUE(IsNeverTime("0"));
  EXPECT_FALSE(IsNeverTime("2020-02-05 21:03:36"));
}

TEST(YunhuParseTest, UtcOffsets) {
  EXPECT_EQ(ParseUtcOffset("+08:00"), 28800);
  EXPECT_EQ(ParseUtcOffset("+0800"), 28800);
  EXPECT_EQ(ParseUtcOffset("+08"), 28800);
  EXPECT_EQ(ParseUtcOffset("-03:30"), -12600);
  EXPECT_EQ(ParseUtcOffset("Z"), 0);
  EXPECT_EQ(ParseUtcOffset("+00:00"), 0);
  EXPECT_EQ(ParseUtcOffset("+14:00"), 50400);
  for (const char* bad : {"", "8", "08:00", "+8:00", "+15:00", "+08:60", "UTC+8", "+08:00:00", "Asia/Shanghai"}) {
    EXPECT_EQ(ParseUtcOffset(bad), std::nullopt) << bad;
  }
}

// --- login and requests -----------------------------------------------------

TEST(YunhuParseTest, LoginToken) {
  auto a = ParseLogin(Fixture("login_ok.json"));
  ASSERT_TRUE(a.result.ok()) << a.result.error().message;
  EXPECT_EQ(a.ret, 200);
  EXPECT_EQ(a.result->reveal(), "TOKEN-A1b2C3d4");
  auto b = ParseLogin(Fixture("login_companycode_int.json"));  // documented as int, sent as string
  ASSERT_TRUE(b.result.ok()) << b.result.error().message;
  EXPECT_EQ(b.result->reveal(), "TOKEN-E5f6G7h8");
}

TEST(YunhuParseTest, LoginFailures) {
  auto refused = ParseLogin(Fixture("login_refused.json"));
  ASSERT_FALSE(refused.result.ok());
  EXPECT_EQ(refused.ret, 200);
  EXPECT_EQ(refused.result.error().reason, Reason::vendor_error);  // the collector calls it auth
  EXPECT_NE(refused.result.error().message.find("accesskey error"), std::string::npos);

  auto no_token = ParseLogin(Fixture("login_no_token.json"));
  ASSERT_FALSE(no_token.result.ok());
  EXPECT_EQ(no_token.result.error().reason, Reason::parse);

  // A broken login body is never echoed: it may hold the token.
  const std::string truncated = Fixture("login_ok.json").substr(0, 150);
  auto broken = ParseLogin(truncated);
  ASSERT_FALSE(broken.result.ok());
  EXPECT_EQ(broken.result.error().reason, Reason::parse);
  EXPECT_EQ(broken.result.error().message.find("TOKEN"), std::string::npos) << broken.result.error().message;
  EXPECT_EQ(broken.result.error().message.find("body starts"), std::string::npos);
}

TEST(YunhuParseTest, FormBodies) {
  EXPECT_EQ(LoginBody("APP 1", Secret("k+y/=&%")),
            "service=App.Sip_Auth.Login&appid=APP%201&accesskey=k%2By%2F%3D%26%25");
  EXPECT_EQ(QueueSipStatusBody(Secret("T0K"), ""), "service=App.Sip_Queue.GetQueueSipStatus&token=T0K");
  EXPECT_EQ(QueueSipStatusBody(Secret("T0K"), "队列 1"),
            "service=App.Sip_Queue.GetQueueSipStatus&token=T0K&queuename=%E9%98%9F%E5%88%97%201");
}

TEST(YunhuParseTest, RedactSecrets) {
  const Secret key("s3cret"), token("tok"), none;
  EXPECT_EQ(Redact("a s3cret b tok s3cret", {&key, &token, &none}), "a <redacted> b <redacted> <redacted>");
  EXPECT_EQ(Redact("nothing", {&key}), "nothing");
}

TEST(YunhuParseTest, SessionTokenExpiry) {
  Session session("APP", Secret("key"));
  const auto t0 = Session::Clock::time_point{} + std::chrono::hours(1000);
  EXPECT_EQ(session.Token(t0), nullptr);
  session.SetToken(Secret("tok"), t0);
  ASSERT_NE(session.Token(t0), nullptr);
  EXPECT_EQ(session.Token(t0)->reveal(), "tok");
  EXPECT_NE(session.Token(t0 + std::chrono::minutes(659)), nullptr);
  EXPECT_EQ(session.Token(t0 + Session::kTokenLifetime), nullptr);  // renewed before the 12 h are up
  EXPECT_LT(Session::kTokenLifetime, std::chrono::hours(12));
  session.Invalidate();
  EXPECT_EQ(session.Token(t0), nullptr);
  EXPECT_EQ(session.LastToken().reveal(), "tok");
}

// --- robustness -------------------------------------------------------------

TEST(YunhuParseTest, EveryPrefixOfTheSeedFails) {
  const std::string seed = Fixture("seed_queue_sip_status.json");
  const std::size_t end = seed.find_last_of('}');
  for (std::size_t n = 0; n < end; ++n) {
    auto r = ParseRows(seed.substr(0, n), kBeijing);
    ASSERT_FALSE(r.result.ok()) << n;
    EXPECT_EQ(r.result.error().reason, Reason::parse) << n;
  }
}

TEST(YunhuParseTest, MutatedSeedNeverCrashes) {
  const std::string seed = Fixture("seed_queue_sip_status.json");
  std::mt19937 rng(2);
  const std::string alphabet = "{}[]\":,0123456789-. \\ntruefalsnul\xff";
  int ok = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string body = seed;
    for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) {
      body[rng() % body.size()] = alphabet[rng() % alphabet.size()];
    }
    auto r = ParseRows(body, kBeijing);
    if (r.result.ok()) {
      ++ok;
      (void)BuildSnapshot(r.result->rows, {});
    }
  }
  EXPECT_GT(ok, 0);
}

TEST(YunhuParseTest, DeepNestingDoesNotExhaustTheStack) {
  const std::string body = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  EXPECT_EQ(RowsFail(body).reason, Reason::parse);
  EXPECT_EQ(ParseLogin(body).result.error().reason, Reason::parse);
}

}  // namespace
}  // namespace cc::yunhu

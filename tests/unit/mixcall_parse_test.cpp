#include "collectors/mixcall/parse.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "collectors/kit/collector.h"
#include "collectors/mixcall/collector.h"
#include "config/config_node.h"
#include "config/url.h"
#include "http/server.h"
#include "tests/unit/support/fake_vendor.h"
#include "tests/unit/support/vendor_testing.h"

namespace cc::mixcall {
namespace {

using test::Count;
using test::ReadFile;
using test::RunPoll;
using test::Value;

std::string Fixture(const std::string& name) { return test::Fixture("mixcall", name); }

constexpr double kInf = std::numeric_limits<double>::infinity();

std::optional<double> QueueValue(const Snapshot& snap, std::string_view family, const std::string& queue) {
  return Value(snap, family, {{"queue", queue}});
}

std::optional<double> AgentsIn(const Snapshot& snap, const std::string& queue, const std::string& state) {
  return Value(snap, "callcenter_queue_agents", {{"queue", queue}, {"state", state}});
}

std::optional<double> AgentStateValue(const Snapshot& snap, const std::string& agent, const std::string& state) {
  return Value(snap, "callcenter_agent_state", {{"agent", agent}, {"state", state}});
}

// The state whose series is 1, checking that exactly one is.
std::string StateOf(const Snapshot& snap, const std::string& agent) {
  std::string one;
  int ones = 0;
  for (cc::AgentState s : kAllAgentStates) {
    const std::string name(ToString(s));
    auto v = AgentStateValue(snap, agent, name);
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

Snapshot ParseOk(const std::string& body, ParseOptions options = {}) {
  auto r = ParseQueueInfo(body, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : Snapshot{};
}

Error ParseFails(const std::string& body) {
  auto r = ParseQueueInfo(body, {});
  EXPECT_FALSE(r.ok());
  return r.ok() ? Error{Reason::connect, "unexpected success"} : r.error();
}

// --- the seed ---------------------------------------------------------------

TEST(MixcallParseTest, SeedFixtureIsTheSeedVerbatim) {
  const std::string seed = test::Fixture("seeds", "000_0f1b7760676e328e.txt");
  EXPECT_NE(seed.find(Fixture("seed_queue90.json")), std::string::npos);
  EXPECT_NE(seed.find(Fixture("failure_result0.json")), std::string::npos);
}

TEST(MixcallParseTest, SeedQueueValues) {
  const Snapshot snap = ParseOk(Fixture("seed_queue90.json"));

  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "90"}, {"name", "sales"}, {"strategy", "rrmemory"}}), 1.0);
  EXPECT_EQ(Count(snap, "callcenter_queue_info"), 1u);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_waiting", "90"), 0.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_max_calls_waiting", "90"), kInf);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_longest_wait_seconds", "90"), 0.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_average_wait_seconds", "90"), 3.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_weight", "90"), 0.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_abandoned_total", "90"), 3.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_answered_total", "90"), 3.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_service_level_threshold_seconds", "90"), 60.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_service_level_ratio", "90"), 1.0);

  EXPECT_EQ(AgentsIn(snap, "90", "available"), 3.0);
  for (cc::AgentState s : kAllAgentStates) {
    if (s != cc::AgentState::available) {
      EXPECT_EQ(AgentsIn(snap, "90", std::string(ToString(s))), 0.0) << ToString(s);
    }
  }
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), kAllAgentStates.size());

  for (const std::string agent : {"6103", "6106", "6107"}) {
    SCOPED_TRACE(agent);
    EXPECT_EQ(Value(snap, "callcenter_queue_member_info", {{"queue", "90"}, {"agent", agent}}), 1.0);
    EXPECT_EQ(StateOf(snap, agent), "available");
    EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", agent}}), 0.0);
  }
  EXPECT_EQ(Count(snap, "callcenter_queue_member_info"), 3u);
  EXPECT_EQ(Count(snap, "callcenter_agent_state"), 3 * kAllAgentStates.size());
  EXPECT_EQ(Count(snap, "callcenter_agent_status_code"), 3u);
  EXPECT_EQ(snap.Find("callcenter_agent_busy_reason_code"), nullptr);

  // Nothing else: 10 queue series, 9 counts, 3 members, 27 states, 3 codes.
  EXPECT_EQ(snap.SampleCount(), 10u + 9u + 3u + 27u + 3u);
}

TEST(MixcallParseTest, SeedUsesTheSharedDefinitions) {
  const Snapshot snap = ParseOk(Fixture("seed_queue90.json"));
  for (const auto& [name, family] : snap.families()) {
    EXPECT_EQ(name, family.def->name);
    EXPECT_EQ(family.def->type == MetricType::counter, name.ends_with("_total")) << name;
  }
}

TEST(MixcallParseTest, SeedWithoutAgentMetrics) {
  const Snapshot snap = ParseOk(Fixture("seed_queue90.json"), ParseOptions{.agent_metrics = false});
  EXPECT_EQ(snap.Find("callcenter_agent_state"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_agent_status_code"), nullptr);
  // Queue-level counts and memberships stay.
  EXPECT_EQ(AgentsIn(snap, "90", "available"), 3.0);
  EXPECT_EQ(Count(snap, "callcenter_queue_member_info"), 3u);
  EXPECT_EQ(snap.SampleCount(), 10u + 9u + 3u);
}

TEST(MixcallParseTest, SeedIntermediateModel) {
  auto queues = ParseQueues(Fixture("seed_queue90.json"));
  ASSERT_TRUE(queues.ok());
  ASSERT_EQ(queues->size(), 1u);
  const Queue& q = queues->front();
  EXPECT_EQ(q.id, "90");
  EXPECT_EQ(q.strategy, "rrmemory");
  EXPECT_TRUE(q.unusable_fields.empty());
  ASSERT_EQ(q.agents.size(), 3u);
  // Response order is kept.
  EXPECT_EQ(q.agents[0].id, "6103");
  EXPECT_EQ(q.agents[1].id, "6107");
  EXPECT_EQ(q.agents[2].id, "6106");
  EXPECT_EQ(q.agents[0].dnd, -1.0);
  EXPECT_FALSE(q.agents[0].busy);
  EXPECT_FALSE(q.agents[0].paused.has_value());
}

// --- failures -----------------------------------------------------------------

TEST(MixcallParseTest, ResultZeroIsVendorError) {
  const Error e = ParseFails(Fixture("failure_result0.json"));
  EXPECT_EQ(e.reason, Reason::vendor_error);
  EXPECT_NE(e.message.find("result \"0\""), std::string::npos) << e.message;
}

TEST(MixcallParseTest, ResultZeroAsNumberIsVendorError) {
  EXPECT_EQ(ParseFails(R"({"result":0,"data":"","error":0})").reason, Reason::vendor_error);
  EXPECT_EQ(ParseFails(R"({"result":"2","data":{},"error":0})").reason, Reason::vendor_error);
}

TEST(MixcallParseTest, NonZeroErrorIsVendorError) {
  const Error e = ParseFails(Fixture("error_nonzero.json"));
  EXPECT_EQ(e.reason, Reason::vendor_error);
  EXPECT_NE(e.message.find("error 5"), std::string::npos) << e.message;
  EXPECT_EQ(ParseFails(R"({"result":"1","data":{},"error":"7"})").reason, Reason::vendor_error);
  EXPECT_EQ(ParseFails(R"({"result":"1","data":{},"error":"queue not found"})").reason, Reason::vendor_error);
  // "no error" spelled the ways PHP spells it.
  for (const char* ok : {R"({"result":"1","data":{},"error":"0"})", R"({"result":"1","data":{},"error":""})",
                         R"({"result":"1","data":{},"error":null})", R"({"result":"1","data":{}})",
                         R"({"result":1,"data":{},"error":0.0})"}) {
    EXPECT_TRUE(ParseQueueInfo(ok, {}).ok()) << ok;
  }
}

TEST(MixcallParseTest, HtmlPageIsParseErrorWithShortMessage) {
  const std::string body = Fixture("html_error.html");
  const Error e = ParseFails(body);
  EXPECT_EQ(e.reason, Reason::parse);
  EXPECT_NE(e.message.find("not JSON"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("<html>"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("nginx"), std::string::npos) << "echoes too much of the body: " << e.message;
  EXPECT_EQ(e.message.find('\n'), std::string::npos);
}

TEST(MixcallParseTest, HugeGarbageBodyGivesBoundedMessage) {
  const std::string body(1 << 20, 'x');
  const Error e = ParseFails(body);
  EXPECT_EQ(e.reason, Reason::parse);
  EXPECT_LT(e.message.size(), 200u);
}

TEST(MixcallParseTest, TruncatedJsonIsParseError) {
  EXPECT_EQ(ParseFails(Fixture("truncated.json")).reason, Reason::parse);
}

TEST(MixcallParseTest, EmptyBodyIsParseError) {
  EXPECT_EQ(ParseFails("").reason, Reason::parse);
  // JSON never contains a raw NUL; RapidJSON would stop reading at it.
  EXPECT_EQ(ParseFails(std::string("{\"result\":\"1\",\"data\":{}}\0junk", 29)).reason, Reason::parse);
  EXPECT_EQ(ParseFails(" \r\n").reason, Reason::parse);
}

TEST(MixcallParseTest, WrongShapesAreParseErrors) {
  for (const char* body : {
           R"([1,2,3])",
           R"("result")",
           R"(null)",
           R"({"data":{}})",                         // no result
           R"({"result":"1","error":0})",            // no data
           R"({"result":"1","data":"","error":0})",  // data not an object
           R"({"result":"1","data":5,"error":0})",
           R"({"result":"1","data":{"90":"x"},"error":0})",  // queue not an object
           R"({"result":"1","data":[1],"error":0})",
           R"({"result":"1","data":{"90":{"queue":{}}},"error":0})",  // queue id not an id
           R"({"result":"1","data":{"":{"name":"x"}},"error":0})",    // no id at all
           R"({"result":"1","data":[{"name":"x"}],"error":0})",
           R"({"result":"1","data":{"90":{"agents":"x"}},"error":0})",  // agents not a map
           R"({"result":"1","data":{"90":{"agents":{"1":5}}},"error":0})",
           R"({"result":"1","data":{"90":{"agents":[{"status":"0"}]}},"error":0})",  // agent without id
           R"({"result":"1","data":{}} trailing)",
       }) {
    SCOPED_TRACE(body);
    EXPECT_EQ(ParseFails(body).reason, Reason::parse);
  }
}

// --- quirks -----------------------------------------------------------------

TEST(MixcallParseTest, NumbersAsJsonNumbers) {
  const Snapshot snap = ParseOk(Fixture("numbers_as_json_numbers.json"));
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "91"}, {"name", "support"}, {"strategy", "ringall"}}), 1.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_waiting", "91"), 2.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_max_calls_waiting", "91"), 10.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_longest_wait_seconds", "91"), 75.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_average_wait_seconds", "91"), 17.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_weight", "91"), 5.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_abandoned_total", "91"), 4.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_answered_total", "91"), 120.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_service_level_threshold_seconds", "91"), 30.0);
  EXPECT_DOUBLE_EQ(*QueueValue(snap, "callcenter_queue_service_level_ratio", "91"), 0.925);
  EXPECT_EQ(Value(snap, "callcenter_queue_member_info", {{"queue", "91"}, {"agent", "7001"}}), 1.0);
  EXPECT_EQ(StateOf(snap, "7001"), "on_call");
  EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", "7001"}}), 1.0);
  EXPECT_EQ(StateOf(snap, "7002"), "not_ready");
  EXPECT_EQ(Value(snap, "callcenter_agent_busy_reason_code", {{"agent", "7002"}}), 2.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_busy_reason_code", {{"agent", "7001"}}), std::nullopt);
}

TEST(MixcallParseTest, EmptyAgentsArrayGivesZeroCounts) {
  const Snapshot snap = ParseOk(Fixture("empty_agents_array.json"));
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "95"}, {"name", "night"}, {"strategy", "ringall"}}), 1.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_service_level_ratio", "95"), 0.0);
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), kAllAgentStates.size());
  for (cc::AgentState s : kAllAgentStates) EXPECT_EQ(AgentsIn(snap, "95", std::string(ToString(s))), 0.0);
  EXPECT_EQ(snap.Find("callcenter_queue_member_info"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_agent_state"), nullptr);
}

TEST(MixcallParseTest, EmptyDataIsSuccessWithNoQueues) {
  const Snapshot from_list = ParseOk(Fixture("data_empty_array.json"));
  EXPECT_EQ(from_list.SampleCount(), 0u);
  const Snapshot from_map = ParseOk(R"({"result":"1","data":{},"error":0})");
  EXPECT_EQ(from_map.SampleCount(), 0u);
}

TEST(MixcallParseTest, RingtypeLabelsAndRawNames) {
  const Snapshot snap = ParseOk(Fixture("ringtype_variants.json"));
  const std::vector<std::pair<std::string, std::string>> expected{
      {"1", "ringall"}, {"2", "roundrobin"}, {"3", "leastrecent"}, {"4", "fewestcalls"},
      {"5", "random"},  {"6", "rrmemory"},   {"7", "rrmemory"},    {"8", "linear"},
      {"9", "wrandom"}, {"10", "自定义"},    {"11", ""},
  };
  EXPECT_EQ(Count(snap, "callcenter_queue_info"), expected.size());
  const std::string names = "abcdefghijk";
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& [queue, strategy] = expected[i];
    EXPECT_EQ(Value(snap, "callcenter_queue_info",
                    {{"queue", queue}, {"name", std::string(1, names[i])}, {"strategy", strategy}}),
              1.0)
        << queue;
  }
}

TEST(MixcallParseTest, StrategyNameTable) {
  EXPECT_EQ(StrategyName("全部振铃"), "ringall");
  EXPECT_EQ(StrategyName("循环振铃"), "roundrobin");
  EXPECT_EQ(StrategyName("最久未呼叫"), "leastrecent");
  EXPECT_EQ(StrategyName("最少呼叫"), "fewestcalls");
  EXPECT_EQ(StrategyName("随机振铃"), "random");
  EXPECT_EQ(StrategyName("记忆振铃"), "rrmemory");
  for (const char* raw :
       {"ringall", "roundrobin", "leastrecent", "fewestcalls", "random", "rrmemory", "linear", "wrandom"}) {
    EXPECT_EQ(StrategyName(raw), raw);
  }
  EXPECT_EQ(StrategyName("  rrmemory "), "rrmemory");
  EXPECT_EQ(StrategyName("Something Else"), "Something Else");
  EXPECT_EQ(StrategyName(""), "");
}

TEST(MixcallParseTest, NumericMax) {
  const Snapshot snap = ParseOk(Fixture("max_numeric.json"));
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_max_calls_waiting", "92"), 25.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_waiting", "92"), 1.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_longest_wait_seconds", "92"), 12.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_weight", "92"), 10.0);
  EXPECT_DOUBLE_EQ(*QueueValue(snap, "callcenter_queue_service_level_ratio", "92"), 0.976);
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "92"}, {"name", "vip"}, {"strategy", "fewestcalls"}}), 1.0);
}

TEST(MixcallParseTest, LongWaitBeyondTwoDigitMinutes) {
  const Snapshot snap = ParseOk(Fixture("long_wait.json"));
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_longest_wait_seconds", "93"), 7385.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_waiting", "93"), 7.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_average_wait_seconds", "93"), 412.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_service_level_ratio", "93"), 0.125);
  EXPECT_EQ(AgentsIn(snap, "93", "on_call"), 1.0);
}

TEST(MixcallParseTest, WaitSecondsFormats) {
  EXPECT_EQ(ParseWaitSeconds("00:00"), 0.0);
  EXPECT_EQ(ParseWaitSeconds("00:45"), 45.0);
  EXPECT_EQ(ParseWaitSeconds("02:05"), 125.0);
  EXPECT_EQ(ParseWaitSeconds("123:05"), 7385.0);
  EXPECT_EQ(ParseWaitSeconds("1:02:03"), 3723.0);
  EXPECT_EQ(ParseWaitSeconds("0:00:09"), 9.0);
  EXPECT_EQ(ParseWaitSeconds("42"), 42.0);
  EXPECT_EQ(ParseWaitSeconds(" 07:30 "), 450.0);
  for (const char* bad : {"", ":", "1:", ":30", "1:60", "1:75", "1:60:00", "a:bc", "1:2:3:4", "-1", "-1:30", "1.5:30",
                          "1e3:00", "99999999999999:00"}) {
    EXPECT_EQ(ParseWaitSeconds(bad), std::nullopt) << bad;
  }
}

TEST(MixcallParseTest, ServiceLevelPercent) {
  const Snapshot snap = ParseOk(Fixture("servicelevelperf_percent.json"));
  EXPECT_DOUBLE_EQ(*QueueValue(snap, "callcenter_queue_service_level_ratio", "94"), 0.875);
  EXPECT_DOUBLE_EQ(*QueueValue(snap, "callcenter_queue_service_level_ratio", "97"), 0.875);  // no % sign
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_longest_wait_seconds", "97"), 9.0);           // H:MM:SS
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_service_level_threshold_seconds", "94"), 30.0);
}

TEST(MixcallParseTest, DndBusyAgents) {
  const Snapshot snap = ParseOk(Fixture("dnd_busy.json"));
  EXPECT_EQ(StateOf(snap, "6103"), "not_ready");
  EXPECT_EQ(Value(snap, "callcenter_agent_busy_reason_code", {{"agent", "6103"}}), 2.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", "6103"}}), 0.0);
  // In a call while DND is set: the call wins, the reason is still reported.
  EXPECT_EQ(StateOf(snap, "6107"), "on_call");
  EXPECT_EQ(Value(snap, "callcenter_agent_busy_reason_code", {{"agent", "6107"}}), 3.0);
  EXPECT_EQ(StateOf(snap, "6106"), "available");
  EXPECT_EQ(Value(snap, "callcenter_agent_busy_reason_code", {{"agent", "6106"}}), std::nullopt);
  EXPECT_EQ(Count(snap, "callcenter_agent_busy_reason_code"), 2u);
  EXPECT_EQ(AgentsIn(snap, "90", "not_ready"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "90", "on_call"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "90", "available"), 1.0);
}

TEST(MixcallParseTest, AllStatusCodes) {
  const Snapshot snap = ParseOk(Fixture("all_status_codes.json"));
  const std::vector<std::tuple<std::string, std::optional<double>, std::string>> expected{
      {"5001", -2, "offline"},
      {"5002", -1, "offline"},
      {"5003", 0, "available"},
      {"5004", 1, "on_call"},
      {"5005", 2, "on_call"},
      {"5006", 4, "offline"},
      {"5007", 8, "ringing"},
      {"5008", 9, "on_call"},
      {"5009", 16, "on_hold"},
      {"5010", 17, "on_hold"},
      {"5011", 3, "unknown"},
      {"5012", 0, "not_ready"},
      {"5013", std::nullopt, "unknown"},  // status "busy": no code series, state unknown
  };
  for (const auto& [agent, code, state] : expected) {
    SCOPED_TRACE(agent);
    EXPECT_EQ(StateOf(snap, agent), state);
    EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", agent}}), code);
  }
  EXPECT_EQ(Count(snap, "callcenter_agent_status_code"), 12u);
  EXPECT_EQ(AgentsIn(snap, "96", "offline"), 3.0);
  EXPECT_EQ(AgentsIn(snap, "96", "on_call"), 3.0);
  EXPECT_EQ(AgentsIn(snap, "96", "on_hold"), 2.0);
  EXPECT_EQ(AgentsIn(snap, "96", "ringing"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "96", "available"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "96", "not_ready"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "96", "unknown"), 2.0);
  EXPECT_EQ(AgentsIn(snap, "96", "wrap_up"), 0.0);
  EXPECT_EQ(AgentsIn(snap, "96", "break"), 0.0);

  auto queues = ParseQueues(Fixture("all_status_codes.json"));
  ASSERT_TRUE(queues.ok());
  EXPECT_EQ(queues->front().unusable_fields, (std::vector<std::string>{"agents.5013.status"}));
}

// A counter is never negative, nor is a count or a duration, and a ratio is
// within 0–1: such a value drops only its own series and is reported.
TEST(MixcallParseTest, OutOfRangeValuesDropOnlyTheirSeries) {
  auto queues = ParseQueues(Fixture("out_of_range.json"));
  ASSERT_TRUE(queues.ok()) << queues.error().message;
  EXPECT_EQ(queues->at(0).unusable_fields,
            (std::vector<std::string>{"wait", "max", "holdtime", "completed", "abandoned", "servicelevelperf"}));
  EXPECT_EQ(queues->at(1).unusable_fields, (std::vector<std::string>{"servicelevelperf"}));
  const Snapshot snap = BuildSnapshot(*queues, {});
  for (const char* family : {"callcenter_queue_calls_waiting", "callcenter_queue_max_calls_waiting",
                             "callcenter_queue_average_wait_seconds", "callcenter_queue_calls_answered_total",
                             "callcenter_queue_calls_abandoned_total", "callcenter_queue_service_level_ratio"}) {
    EXPECT_EQ(QueueValue(snap, family, "90"), std::nullopt) << family;
  }
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_weight", "90"), -1.0);  // a priority, not a count
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_longest_wait_seconds", "90"), 12.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_answered_total", "91"), 12.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_service_level_ratio", "91"), std::nullopt);
}

// A lone high surrogate in one queue name took the whole target down: now
// the name is repaired, the repair reported, and every queue lands.
TEST(MixcallParseTest, AValueJsonCannotCarryCostsOnlyThatValue) {
  std::vector<std::string> repairs;
  auto queues =
      ParseQueues(R"({"result":"1","data":{"90":{"queue":"90","name":"VIP \ud83d queue","wait":1e400,"completed":"7"},)"
                  R"("91":{"queue":"91","name":"Support","wait":"2"}}})",
                  &repairs);
  ASSERT_TRUE(queues.ok()) << queues.error().message;
  EXPECT_EQ(repairs, (std::vector<std::string>{"byte53:invalid_surrogate", "byte74:invalid_number"}));
  ASSERT_EQ(queues->size(), 2u);
  EXPECT_EQ(queues->at(0).name, "VIP \xEF\xBF\xBD queue");
  EXPECT_EQ(queues->at(0).waiting, std::nullopt);
  EXPECT_EQ(queues->at(0).unusable_fields, (std::vector<std::string>{"wait"}));
  EXPECT_EQ(queues->at(0).answered, 7.0);
  EXPECT_EQ(queues->at(1).waiting, 2.0);

  // Invalid UTF-8 in a name is repaired the same way.
  repairs.clear();
  auto latin1 = ParseQueues("{\"result\":\"1\",\"data\":{\"90\":{\"name\":\"\xff\xfe\"}}}", &repairs);
  ASSERT_TRUE(latin1.ok()) << latin1.error().message;
  EXPECT_EQ(latin1->at(0).name, "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(repairs, (std::vector<std::string>{"byte36:invalid_utf8", "byte42:invalid_utf8"}));
}

TEST(MixcallParseTest, MapAgentStateTable) {
  using S = cc::AgentState;
  EXPECT_EQ(MapAgentState(0, -1), S::available);
  EXPECT_EQ(MapAgentState(0, 0), S::not_ready);
  EXPECT_EQ(MapAgentState(0, 1), S::not_ready);
  EXPECT_EQ(MapAgentState(0, 3), S::not_ready);
  for (int dnd : {-1, 2}) {
    SCOPED_TRACE(dnd);
    EXPECT_EQ(MapAgentState(8, dnd), S::ringing);
    EXPECT_EQ(MapAgentState(1, dnd), S::on_call);
    EXPECT_EQ(MapAgentState(2, dnd), S::on_call);
    EXPECT_EQ(MapAgentState(9, dnd), S::on_call);
    EXPECT_EQ(MapAgentState(16, dnd), S::on_hold);
    EXPECT_EQ(MapAgentState(17, dnd), S::on_hold);
    EXPECT_EQ(MapAgentState(-2, dnd), S::offline);
    EXPECT_EQ(MapAgentState(-1, dnd), S::offline);
    EXPECT_EQ(MapAgentState(4, dnd), S::offline);
    for (int other : {-3, 3, 5, 6, 7, 10, 15, 18, 32, 1000}) EXPECT_EQ(MapAgentState(other, dnd), S::unknown) << other;
  }
}

Agent MakeAgent(std::optional<double> status, std::optional<double> dnd = std::nullopt,
                std::optional<bool> paused = std::nullopt) {
  Agent a;
  a.id = "1";
  a.status = status;
  a.dnd = dnd;
  a.busy = dnd && *dnd != -1;
  a.paused = paused;
  return a;
}

TEST(MixcallParseTest, AgentStateOfEntry) {
  using S = cc::AgentState;
  EXPECT_EQ(AgentStateOf(MakeAgent(0.0)), S::available);
  EXPECT_EQ(AgentStateOf(MakeAgent(0.0, -1.0)), S::available);
  EXPECT_EQ(AgentStateOf(MakeAgent(0.0, 2.0)), S::not_ready);
  EXPECT_EQ(AgentStateOf(MakeAgent(0.0, std::nullopt, true)), S::not_ready);
  EXPECT_EQ(AgentStateOf(MakeAgent(0.0, std::nullopt, false)), S::available);
  EXPECT_EQ(AgentStateOf(MakeAgent(8.0, std::nullopt, true)), S::ringing);
  EXPECT_EQ(AgentStateOf(MakeAgent(std::nullopt)), S::unknown);
  EXPECT_EQ(AgentStateOf(MakeAgent(0.5)), S::unknown);
  EXPECT_EQ(AgentStateOf(MakeAgent(1e12)), S::unknown);
}

TEST(MixcallParseTest, PausedMembers) {
  const Snapshot snap = ParseOk(Fixture("paused.json"));
  EXPECT_EQ(StateOf(snap, "6103"), "not_ready");  // idle but paused
  EXPECT_EQ(StateOf(snap, "6107"), "available");  // explicitly unpaused
  EXPECT_EQ(StateOf(snap, "6106"), "on_call");    // paused members finish their call
  EXPECT_EQ(snap.Find("callcenter_agent_busy_reason_code"), nullptr);
  EXPECT_EQ(AgentsIn(snap, "90", "not_ready"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "90", "available"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "90", "on_call"), 1.0);
}

TEST(MixcallParseTest, MultiQueueWithSharedAgent) {
  const Snapshot snap = ParseOk(Fixture("multi_queue.json"));
  EXPECT_EQ(Count(snap, "callcenter_queue_info"), 3u);
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "91"}, {"name", "service"}, {"strategy", "ringall"}}), 1.0);
  // Queue 92 has no `queue` field and no `agents`: the key names it, counts are zero.
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "92"}, {"name", "empty"}, {"strategy", "random"}}), 1.0);
  for (cc::AgentState s : kAllAgentStates) EXPECT_EQ(AgentsIn(snap, "92", std::string(ToString(s))), 0.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_longest_wait_seconds", "90"), 31.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_weight", "91"), 2.0);
  EXPECT_DOUBLE_EQ(*QueueValue(snap, "callcenter_queue_service_level_ratio", "91"), 0.929);

  // 6103 is a member of both queues, but an agent has one set of agent series.
  EXPECT_EQ(Value(snap, "callcenter_queue_member_info", {{"queue", "90"}, {"agent", "6103"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_member_info", {{"queue", "91"}, {"agent", "6103"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_member_info", {{"queue", "91"}, {"agent", "6200"}}), 1.0);  // key as id
  EXPECT_EQ(Count(snap, "callcenter_queue_member_info"), 4u);
  EXPECT_EQ(Count(snap, "callcenter_agent_state"), 3 * kAllAgentStates.size());
  EXPECT_EQ(Count(snap, "callcenter_agent_status_code"), 3u);
  EXPECT_EQ(StateOf(snap, "6103"), "on_call");
  EXPECT_EQ(StateOf(snap, "6107"), "available");
  EXPECT_EQ(StateOf(snap, "6200"), "ringing");
  EXPECT_EQ(AgentsIn(snap, "90", "on_call"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "91", "on_call"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "91", "ringing"), 1.0);
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), 3 * kAllAgentStates.size());
}

TEST(MixcallParseTest, BadNumbersSkipOnlyTheirSeries) {
  const Snapshot snap = ParseOk(Fixture("bad_numbers.json"));
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_waiting", "90"), std::nullopt);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_max_calls_waiting", "90"), std::nullopt);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_longest_wait_seconds", "90"), std::nullopt);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_average_wait_seconds", "90"), std::nullopt);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_weight", "90"), std::nullopt);  // "" = absent
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_service_level_ratio", "90"), std::nullopt);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_abandoned_total", "90"), 3.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_answered_total", "90"), 3.0);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_service_level_threshold_seconds", "90"), 60.0);
  // Unparseable status: unknown, no code. A DND entry that is not a number still means busy.
  EXPECT_EQ(StateOf(snap, "6103"), "unknown");
  EXPECT_EQ(snap.Find("callcenter_agent_status_code"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_agent_busy_reason_code"), nullptr);

  auto queues = ParseQueues(Fixture("bad_numbers.json"));
  ASSERT_TRUE(queues.ok());
  EXPECT_EQ(queues->front().unusable_fields,
            (std::vector<std::string>{"wait", "max", "maxwaittime", "holdtime", "servicelevelperf",
                                      "agents.6103.status", "agents.6103.dnd"}));
  EXPECT_TRUE(queues->front().agents.front().busy);
}

TEST(MixcallParseTest, AgentsAbsentOrNull) {
  const Snapshot snap = ParseOk(R"({"result":"1","data":{"90":{"queue":"90","agents":null},"91":{"queue":"91"}}})");
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), 2 * kAllAgentStates.size());
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "90"}, {"name", ""}, {"strategy", ""}}), 1.0);
}

TEST(MixcallParseTest, DataAsListOfQueues) {
  const Snapshot snap = ParseOk(
      R"({"result":"1","data":[{"queue":"90","wait":"4","agents":[{"exten":"6103","dnd":"-1","status":"0"}]}]})");
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_waiting", "90"), 4.0);
  EXPECT_EQ(StateOf(snap, "6103"), "available");
}

// --- merging (the collector's path) ---------------------------------------------

TEST(MixcallParseTest, BuildSnapshotMergesSeveralResponses) {
  auto a = ParseQueues(Fixture("seed_queue90.json"));
  auto b = ParseQueues(Fixture("multi_queue.json"));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  std::vector<Queue> all = *a;
  all.insert(all.end(), b->begin(), b->end());
  const Snapshot snap = BuildSnapshot(all, {});
  // Queue 90 comes from both responses: the first one wins, no duplicate series.
  EXPECT_EQ(Count(snap, "callcenter_queue_info"), 3u);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_waiting", "90"), 0.0);
  EXPECT_EQ(AgentsIn(snap, "90", "available"), 3.0);
  EXPECT_EQ(StateOf(snap, "6103"), "available");
  EXPECT_EQ(Count(snap, "callcenter_agent_state"), 4 * kAllAgentStates.size());  // 6103 6106 6107 6200
  EXPECT_EQ(Count(snap, "callcenter_queue_member_info"), 3u + 2u);
}

TEST(MixcallParseTest, KeepQueuesFilters) {
  auto queues = ParseQueues(Fixture("multi_queue.json"));
  ASSERT_TRUE(queues.ok());
  std::vector<Queue> all = *queues;
  KeepQueues(all, {});
  EXPECT_EQ(all.size(), 3u);
  const std::vector<std::string> wanted{"91", "99"};
  KeepQueues(all, wanted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, "91");
}

TEST(MixcallParseTest, QueueInfoTarget) {
  EXPECT_EQ(QueueInfoTarget("/admin/", ""), "/admin/?m=interface&c=api&a=queueinfo");
  EXPECT_EQ(QueueInfoTarget("/admin/", "90"), "/admin/?m=interface&c=api&a=queueinfo&queue=90");
  EXPECT_EQ(QueueInfoTarget("/", ""), "/?m=interface&c=api&a=queueinfo");
  EXPECT_EQ(QueueInfoTarget("", "90"), "/?m=interface&c=api&a=queueinfo&queue=90");
  EXPECT_EQ(QueueInfoTarget("/admin/?account=t1", "90"), "/admin/?account=t1&m=interface&c=api&a=queueinfo&queue=90");
  EXPECT_EQ(QueueInfoTarget("/admin/?", ""), "/admin/?m=interface&c=api&a=queueinfo");
  EXPECT_EQ(QueueInfoTarget("/admin/?x=1&", ""), "/admin/?x=1&m=interface&c=api&a=queueinfo");
  EXPECT_EQ(QueueInfoTarget("/admin/index.php", "a b&c=d/é"),
            "/admin/index.php?m=interface&c=api&a=queueinfo&queue=a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(QueueInfoTarget("/admin/", "q-1_2.3~"), "/admin/?m=interface&c=api&a=queueinfo&queue=q-1_2.3~");
}

// --- robustness -----------------------------------------------------------------

TEST(MixcallParseTest, EveryPrefixOfTheSeedIsAParseError) {
  const std::string body = Fixture("seed_queue90.json");
  for (std::size_t n = 0; n < body.size(); ++n) {
    auto r = ParseQueueInfo(std::string_view(body).substr(0, n), {});
    ASSERT_FALSE(r.ok()) << n;
    ASSERT_EQ(r.error().reason, Reason::parse) << n;
  }
}

TEST(MixcallParseTest, RandomBytesAreParseErrors) {
  std::mt19937 rng(20240521);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 300);
  for (int i = 0; i < 3000; ++i) {
    std::string body(static_cast<std::size_t>(length(rng)), '\0');
    for (char& c : body) c = static_cast<char>(byte(rng));
    auto r = ParseQueueInfo(body, {});
    ASSERT_FALSE(r.ok()) << i;
    ASSERT_EQ(r.error().reason, Reason::parse) << i;
  }
}

TEST(MixcallParseTest, MutatedSeedNeverCrashes) {
  const std::string seed = Fixture("seed_queue90.json");
  const std::string json_chars = "{}[]\":,0123456789-.eE\\u nulltruefalse%";
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick_char(0, json_chars.size() - 1);
  int ok = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string body = seed;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const std::size_t at = rng() % body.size();
      switch (rng() % 3) {
        case 0: body[at] = json_chars[pick_char(rng)]; break;
        case 1: body.erase(at, 1 + rng() % 8); break;
        default: body.insert(at, 1, json_chars[pick_char(rng)]); break;
      }
    }
    auto r = ParseQueueInfo(body, {});
    if (r.ok()) {
      ++ok;
      // Whatever was accepted has no duplicate series.
      for (const auto& [name, family] : r->families()) {
        std::vector<Labels> seen;
        for (const Sample& s : family.samples) {
          Labels l = s.labels;
          std::sort(l.begin(), l.end());
          ASSERT_EQ(std::find(seen.begin(), seen.end(), l), seen.end()) << name << " in " << body;
          seen.push_back(std::move(l));
        }
      }
    } else {
      ASSERT_TRUE(r.error().reason == Reason::parse || r.error().reason == Reason::vendor_error) << body;
      ASSERT_LT(r.error().message.size(), 300u);
    }
  }
  EXPECT_GT(ok, 0);  // some mutations only touch values
}

TEST(MixcallParseTest, DeepNestingDoesNotExhaustTheStack) {
  const std::string body = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  EXPECT_EQ(ParseFails(body).reason, Reason::parse);
  const std::string objects = R"({"result":"1","data":{"90":{"agents":{"1":)" + std::string(500'000, '[');
  EXPECT_EQ(ParseFails(objects).reason, Reason::parse);
}

// --- the collector, against a loopback server -------------------------------------

namespace net = boost::asio;
using tcp = net::ip::tcp;
using http::Request;
using test::FakeVendor;

// A queueinfo answer: JSON sent as an HTML page, as the PHP interface does.
http::Response Page(unsigned status, std::string body) {
  return test::MakeResponse(status, std::move(body), "text/html; charset=utf-8");
}

std::vector<std::string> Targets(const FakeVendor& server) {
  std::vector<std::string> out;
  for (const Request& r : server.requests()) out.push_back(r.target);
  return out;
}

std::shared_ptr<Collector> BuildCollector(const std::string& yaml, const TargetConfig& target) {
  ConfigNode node(YAML::Load(yaml), "test.yaml", "targets[0]");
  auto collectors = test::BuildCollectors(Vendor(), target, node);
  EXPECT_EQ(collectors.size(), 1u);
  return collectors.empty() ? nullptr : collectors.front();
}

TargetConfig MakeTarget(const std::string& url, bool agent_metrics = true) {
  TargetConfig target;
  target.name = "hq";
  target.vendor = "mixcall";
  std::string error;
  auto parsed = ParseUrl(url, &error);
  EXPECT_TRUE(parsed.has_value()) << error;
  if (parsed) target.url = *parsed;
  target.poll.agent_metrics = agent_metrics;
  return target;
}

TEST(MixcallCollectorTest, BuildReadsQueues) {
  const TargetConfig target = MakeTarget("http://127.0.0.1:1/admin/");
  auto collector = BuildCollector("url: x\n", target);
  ASSERT_NE(collector, nullptr);
  EXPECT_EQ(collector->name(), "queueinfo");
  EXPECT_NE(BuildCollector("queues: [90, \"91\"]\n", target), nullptr);
  EXPECT_EQ(Vendor().name, "mixcall");
}

TEST(MixcallCollectorTest, BuildRejectsBadQueues) {
  const TargetConfig target = MakeTarget("http://127.0.0.1:1/admin/");
  for (const char* yaml : {"queues: [\"\"]\n", "queues: [\"90\", \"90\"]\n", "queues: [\"9 0\"]\n"}) {
    SCOPED_TRACE(yaml);
    ConfigNode node(YAML::Load(yaml), "test.yaml", "targets[0]");
    try {
      test::BuildCollectors(Vendor(), target, node);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("queues"), std::string::npos) << e.what();
    }
  }
}

TEST(MixcallCollectorTest, PollAllQueuesWithOneRequest) {
  net::io_context ioc;
  FakeVendor server([](const Request&) { return Page(200, Fixture("seed_queue90.json")); });
  const TargetConfig target = MakeTarget(server.Url("/admin/"));
  auto collector = BuildCollector("{}", target);
  ASSERT_NE(collector, nullptr);

  auto result = RunPoll(ioc, *collector, target);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(Targets(server), (std::vector<std::string>{"/admin/?m=interface&c=api&a=queueinfo"}));
  ASSERT_EQ(server.count(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].Header("accept"), "application/json");
  EXPECT_EQ(result->SampleCount(), 52u);  // as in SeedQueueValues
  EXPECT_EQ(QueueValue(*result, "callcenter_queue_service_level_ratio", "90"), 1.0);
  EXPECT_EQ(StateOf(*result, "6106"), "available");
}

TEST(MixcallCollectorTest, PollPerQueueMergesAndFilters) {
  net::io_context ioc;
  // Queue 91's answer ignores the filter and lists every queue, as old servers might.
  FakeVendor server([](const Request& r) {
    return Page(200, Fixture(r.target.ends_with("&queue=90") ? "seed_queue90.json" : "multi_queue.json"));
  });
  const TargetConfig target = MakeTarget(server.Url("/admin/?account=t1"));
  auto collector = BuildCollector("queues: [\"90\", \"91\"]\n", target);
  ASSERT_NE(collector, nullptr);

  auto result = RunPoll(ioc, *collector, target);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(Targets(server), (std::vector<std::string>{
                                 "/admin/?account=t1&m=interface&c=api&a=queueinfo&queue=90",
                                 "/admin/?account=t1&m=interface&c=api&a=queueinfo&queue=91",
                             }));
  const Snapshot& snap = *result;
  EXPECT_EQ(Count(snap, "callcenter_queue_info"), 2u);  // 92 was not asked for
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_waiting", "92"), std::nullopt);
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_calls_waiting", "90"), 0.0);  // from the queue=90 answer
  EXPECT_EQ(QueueValue(snap, "callcenter_queue_weight", "91"), 2.0);
  // 6103 is in both queues but has one set of agent series.
  EXPECT_EQ(Count(snap, "callcenter_agent_state"), 4 * kAllAgentStates.size());
  EXPECT_EQ(Value(snap, "callcenter_queue_member_info", {{"queue", "91"}, {"agent", "6103"}}), 1.0);
  EXPECT_EQ(Count(snap, "callcenter_queue_agents"), 2 * kAllAgentStates.size());
}

TEST(MixcallCollectorTest, PollWithoutAgentMetrics) {
  net::io_context ioc;
  FakeVendor server([](const Request&) { return Page(200, Fixture("seed_queue90.json")); });
  const TargetConfig target = MakeTarget(server.Url("/admin/"), /*agent_metrics=*/false);
  auto collector = BuildCollector("{}", target);
  ASSERT_NE(collector, nullptr);
  auto result = RunPoll(ioc, *collector, target);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->Find("callcenter_agent_state"), nullptr);
  EXPECT_EQ(AgentsIn(*result, "90", "available"), 3.0);
}

TEST(MixcallCollectorTest, PollErrors) {
  struct Case {
    int status;
    std::string fixture;
    Reason reason;
    std::string in_message;
  };
  for (const Case& c : {Case{503, "html_error.html", Reason::http_status, "503"},
                        Case{404, "seed_queue90.json", Reason::http_status, "404"},
                        Case{200, "failure_result0.json", Reason::vendor_error, "result"},
                        Case{200, "html_error.html", Reason::parse, "not JSON"}}) {
    SCOPED_TRACE(c.status);
    SCOPED_TRACE(c.fixture);
    net::io_context ioc;
    FakeVendor server([&](const Request&) { return Page(c.status, Fixture(c.fixture)); });
    const TargetConfig target = MakeTarget(server.Url("/admin/"));
    auto collector = BuildCollector("queues: [\"90\", \"91\"]\n", target);
    ASSERT_NE(collector, nullptr);
    auto result = RunPoll(ioc, *collector, target);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().reason, c.reason);
    EXPECT_NE(result.error().message.find(c.in_message), std::string::npos) << result.error().message;
    EXPECT_EQ(server.count(), 1u);  // the first failure ends the poll
  }
}

TEST(MixcallCollectorTest, TransportErrorsPassThrough) {
  net::io_context ioc;
  std::string url;
  {
    // A port that was just free: nothing listens there any more.
    tcp::acceptor probe(ioc, {net::ip::make_address("127.0.0.1"), 0});
    url = "http://127.0.0.1:" + std::to_string(probe.local_endpoint().port()) + "/admin/";
  }
  const TargetConfig target = MakeTarget(url);
  auto collector = BuildCollector("{}", target);
  ASSERT_NE(collector, nullptr);
  auto result = RunPoll(ioc, *collector, target);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, Reason::connect) << result.error().message;
}

}  // namespace
}  // namespace cc::mixcall

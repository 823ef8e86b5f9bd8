#include "collectors/ucontact/parse.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "collectors/ucontact/metrics.h"
#include "model/metrics.h"
#include "tests/unit/support/vendor_testing.h"

namespace cc::ucontact {
namespace {

using test::Count;
using test::ReadFile;
using test::RunPoll;
using test::Value;

std::string Fixture(const std::string& name) { return test::Fixture("ucontact", name); }

std::optional<double> Q(const Snapshot& snap, std::string_view family, const std::string& queue) {
  return Value(snap, family, {{"queue", queue}});
}

std::optional<double> M(const Snapshot& snap, std::string_view family, const std::string& queue,
                        const std::string& agent) {
  return Value(snap, family, {{"queue", queue}, {"agent", agent}});
}

std::optional<double> AgentsIn(const Snapshot& snap, const std::string& queue, const std::string& state) {
  return Value(snap, "callcenter_queue_agents", {{"queue", queue}, {"state", state}});
}

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

Snapshot Campaigns(const std::string& body, std::string_view asked = {}, ParseOptions options = {}) {
  auto r = ParseCampaignStatus(body, asked);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? BuildCampaignSnapshot(*r, options) : Snapshot{};
}

Snapshot Summary(const std::string& body) {
  auto r = ParseQueueSummary(body);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? BuildQueueSummarySnapshot(*r) : Snapshot{};
}

// --- the seed ----------------------------------------------------------------

TEST(UcontactParseTest, SeedFixturesAreTheSeedVerbatim) {
  const std::string seed = test::Fixture("seeds", "004_b21717d26e245d47.txt");
  for (const char* name : {"seed_queuesummary.json", "seed_campaignstatus_all.json", "seed_campaignstatus_test.json"}) {
    EXPECT_NE(seed.find(Fixture(name)), std::string::npos) << name;
  }
}

TEST(UcontactParseTest, SeedQueueSummary) {
  const Snapshot snap = Summary(Fixture("seed_queuesummary.json"));
  EXPECT_EQ(snap.SampleCount(), 12u);  // two queues × six fields; the completion element is skipped
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_waiting", "Power<-"), 3.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_agents_logged_in", "Power<-"), 10.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_agents_available", "Power<-"), 5.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_average_wait_seconds", "Power<-"), 18.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_average_talk_seconds", "Power<-"), 130.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_longest_wait_seconds", "Power<-"), 220.0);
  for (const char* family : {"callcenter_queue_calls_waiting", "callcenter_queue_agents_logged_in",
                             "callcenter_queue_agents_available", "callcenter_queue_average_wait_seconds",
                             "callcenter_queue_average_talk_seconds", "callcenter_queue_longest_wait_seconds"}) {
    EXPECT_EQ(Q(snap, family, "test->"), 0.0) << family;
    EXPECT_EQ(Count(snap, family), 2u) << family;
  }
  EXPECT_EQ(snap.Find("callcenter_queue_calls_waiting")->def, &cc::metrics::queue_calls_waiting);
}

TEST(UcontactParseTest, SeedQueueSummaryModel) {
  auto r = ParseQueueSummary(Fixture("seed_queuesummary.json"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].queue, "Power<-");
  EXPECT_EQ((*r)[1].queue, "test->");
}

TEST(UcontactParseTest, SeedCampaignStatusAll) {
  const Snapshot snap = Campaigns(Fixture("seed_campaignstatus_all.json"));
  EXPECT_EQ(snap.SampleCount(), 62u);  // 2 × (22 campaign series + 9 agent-state counts)
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "Power<-"}, {"strategy", "leastrecent"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "test->"}, {"strategy", "leastrecent"}}), 1.0);
  const struct {
    const char* family;
    double power, test;
  } kExpected[] = {
      {"callcenter_queue_calls_answered_total", 0, 0},
      {"callcenter_queue_calls_abandoned_total", 0, 0},
      {"callcenter_queue_calls_offered_total", 0, 0},
      {"callcenter_queue_service_level_threshold_seconds", 3, 3},
      {"callcenter_queue_service_level_ratio", 0, 0},
      {"callcenter_ucontact_campaign_agents_available", 0, 0},
      {"callcenter_ucontact_campaign_agents_not_available", 1, 0},
      {"callcenter_ucontact_campaign_agents_paused", 0, 0},
      {"callcenter_ucontact_campaign_agents_busy", 0, 0},
      {"callcenter_ucontact_campaign_agents_busy_paused", 0, 0},
      {"callcenter_ucontact_campaign_agents_members", 1, 0},
      {"callcenter_ucontact_campaign_agents_logged", 0, 0},
      {"callcenter_ucontact_campaign_agents_wrap_up", 0, 0},
      {"callcenter_ucontact_campaign_talked_seconds", 0, 0},
      {"callcenter_ucontact_campaign_talked_calls", 0, 0},
      {"callcenter_ucontact_campaign_hold_seconds", 0, 0},
      {"callcenter_ucontact_campaign_hold_calls", 0, 0},
      {"callcenter_ucontact_campaign_acd", 0, 0},
      {"callcenter_ucontact_campaign_abandoned_ratio", 0, 0},
      {"callcenter_ucontact_campaign_service_level_with_abandoned_ratio", 0, 0},
      {"callcenter_ucontact_campaign_wrapup", 0, 3},
  };
  for (const auto& e : kExpected) {
    EXPECT_EQ(Q(snap, e.family, "Power<-"), e.power) << e.family;
    EXPECT_EQ(Q(snap, e.family, "test->"), e.test) << e.family;
  }
  // No agent entries in the overview: every state counted 0, no agent series.
  for (AgentState s : kAllAgentStates) {
    EXPECT_EQ(AgentsIn(snap, "Power<-", std::string(ToString(s))), 0.0);
    EXPECT_EQ(AgentsIn(snap, "test->", std::string(ToString(s))), 0.0);
  }
  EXPECT_EQ(snap.Find("callcenter_agent_state"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_queue_calls_offered_total")->def->type, MetricType::counter);
  EXPECT_EQ(snap.Find("callcenter_ucontact_campaign_acd")->def, &metrics::campaign_acd);
}

TEST(UcontactParseTest, SeedCampaignStatusWithAgents) {
  const Snapshot snap = Campaigns(Fixture("seed_campaignstatus_test.json"), "test->");
  EXPECT_EQ(snap.SampleCount(), 63u);  // 22 campaign + 9 counts + 2 × (5 member + 11 agent)
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", "test->"}, {"strategy", "fewestcalls"}}), 1.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_service_level_threshold_seconds", "test->"), 15.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_agents_available", "test->"), 1.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_agents_not_available", "test->"), 1.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_agents_members", "test->"), 2.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_agents_logged", "test->"), 1.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_wrapup", "test->"), 0.0);

  EXPECT_EQ(StateOf(snap, "SIP/1010"), "offline");    // status 5 UNAVAILABLE
  EXPECT_EQ(StateOf(snap, "SIP/1001"), "available");  // status 1 NOT_INUSE, not paused
  EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", "SIP/1010"}}), 5.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", "SIP/1001"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_info", {{"agent", "SIP/1010"}, {"name", "Daniel"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_info", {{"agent", "SIP/1001"}, {"name", "Santiago"}}), 1.0);
  for (const char* agent : {"SIP/1010", "SIP/1001"}) {
    EXPECT_EQ(M(snap, "callcenter_queue_member_info", "test->", agent), 1.0);
    EXPECT_EQ(M(snap, "callcenter_queue_member_calls_answered_total", "test->", agent), 0.0);
    EXPECT_EQ(M(snap, "callcenter_queue_member_paused", "test->", agent), 0.0);
    EXPECT_EQ(M(snap, "callcenter_queue_member_penalty", "test->", agent), 0.0);
    EXPECT_EQ(M(snap, "callcenter_queue_member_in_call", "test->", agent), 0.0);
  }
  // lastCall 0 means "never": no 1970 timestamp.
  EXPECT_EQ(snap.Find("callcenter_queue_member_last_call_timestamp_seconds"), nullptr);
  EXPECT_EQ(AgentsIn(snap, "test->", "available"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "test->", "offline"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "test->", "on_call"), 0.0);
}

TEST(UcontactParseTest, SeedCampaignStatusModel) {
  auto r = ParseCampaignStatus(Fixture("seed_campaignstatus_test.json"), "test->");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->campaigns.size(), 1u);
  ASSERT_EQ(r->members.size(), 2u);
  const Member& daniel = r->members[0];
  EXPECT_EQ(daniel.agent, "SIP/1010");
  EXPECT_EQ(daniel.campaign, "test->");
  EXPECT_EQ(daniel.name, "Daniel");
  EXPECT_EQ(daniel.status, 5.0);
  EXPECT_EQ(daniel.paused, false);
  EXPECT_EQ(r->campaigns[0].talked->seconds, 0.0);
  EXPECT_EQ(r->campaigns[0].talked->count, 0.0);
}

TEST(UcontactParseTest, SeedWithoutAgentMetrics) {
  const Snapshot snap = Campaigns(Fixture("seed_campaignstatus_test.json"), "test->", {.agent_metrics = false});
  EXPECT_EQ(snap.SampleCount(), 33u);  // campaign series, counts and the two memberships
  EXPECT_EQ(snap.Find("callcenter_agent_state"), nullptr);
  EXPECT_EQ(snap.Find("callcenter_queue_member_penalty"), nullptr);
  EXPECT_EQ(M(snap, "callcenter_queue_member_info", "test->", "SIP/1010"), 1.0);
  EXPECT_EQ(AgentsIn(snap, "test->", "available"), 1.0);  // queue-level counts stay
}

// --- quirks ------------------------------------------------------------------

TEST(UcontactParseTest, BusyCampaignValues) {
  const Snapshot snap = Campaigns(Fixture("campaign_busy.json"), "Sales->");
  const std::string q = "Sales->";
  EXPECT_EQ(Value(snap, "callcenter_queue_info", {{"queue", q}, {"strategy", "rrmemory"}}), 1.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_answered_total", q), 412.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_abandoned_total", q), 17.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_offered_total", q), 431.0);
  EXPECT_DOUBLE_EQ(*Q(snap, "callcenter_queue_service_level_ratio", q), 0.925);  // "92.5"
  EXPECT_EQ(Q(snap, "callcenter_queue_service_level_threshold_seconds", q), 20.0);
  EXPECT_DOUBLE_EQ(*Q(snap, "callcenter_ucontact_campaign_service_level_with_abandoned_ratio", q), 0.95);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_talked_seconds", q), 3723.0);  // 01:02:03
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_talked_calls", q), 7.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_hold_seconds", q), 45.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_hold_calls", q), 3.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_abandoned_ratio", q), 0.075);  // a percentage
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_acd", q), 12.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_wrapup", q), 5.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_agents_paused", q), 2.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_agents_busy_paused", q), 1.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_agents_wrap_up", q), 1.0);

  EXPECT_EQ(M(snap, "callcenter_queue_member_calls_answered_total", q, "SIP/2001"), 14.0);
  EXPECT_EQ(M(snap, "callcenter_queue_member_last_call_timestamp_seconds", q, "SIP/2001"), 1541159771.0);
  EXPECT_EQ(M(snap, "callcenter_queue_member_last_call_timestamp_seconds", q, "SIP/2000"), std::nullopt);
  EXPECT_EQ(M(snap, "callcenter_queue_member_penalty", q, "SIP/2002"), 2.0);
  EXPECT_EQ(M(snap, "callcenter_queue_member_in_call", q, "SIP/2002"), 1.0);
  EXPECT_EQ(M(snap, "callcenter_queue_member_paused", q, "SIP/2010"), 1.0);
  EXPECT_EQ(M(snap, "callcenter_queue_member_paused", q, "SIP/2001"), 0.0);
  EXPECT_EQ(Count(snap, "callcenter_queue_member_last_call_timestamp_seconds"), 9u);
  EXPECT_EQ(Count(snap, "callcenter_agent_state"), 13 * kAllAgentStates.size());
}

TEST(UcontactParseTest, AllStatusCodes) {
  const Snapshot snap = Campaigns(Fixture("campaign_busy.json"), "Sales->");
  const std::pair<const char*, const char*> kStates[] = {
      {"SIP/2000", "unknown"}, {"SIP/2001", "available"}, {"SIP/2002", "on_call"},   {"SIP/2003", "on_call"},
      {"SIP/2004", "offline"}, {"SIP/2005", "offline"},   {"SIP/2006", "ringing"},   {"SIP/2007", "on_call"},
      {"SIP/2008", "on_hold"}, {"SIP/2009", "wrap_up"},   {"SIP/2010", "not_ready"},  // 1 and paused
      {"SIP/2011", "unknown"}, {"SIP/2012", "on_call"},                               // paused while talking
  };
  for (const auto& [agent, state] : kStates) EXPECT_EQ(StateOf(snap, agent), state) << agent;
  const std::pair<const char*, double> kCounts[] = {{"available", 1}, {"ringing", 1}, {"on_call", 4},
                                                    {"on_hold", 1},   {"wrap_up", 1}, {"not_ready", 1},
                                                    {"break", 0},     {"offline", 2}, {"unknown", 2}};
  for (const auto& [state, n] : kCounts) EXPECT_EQ(AgentsIn(snap, "Sales->", state), n) << state;
  EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", "SIP/2011"}}), 12.0);
}

TEST(UcontactParseTest, MapAgentStateTable) {
  EXPECT_EQ(MapAgentState(0, false), AgentState::unknown);
  EXPECT_EQ(MapAgentState(1, false), AgentState::available);
  EXPECT_EQ(MapAgentState(1, true), AgentState::not_ready);
  for (int s : {2, 3, 7}) EXPECT_EQ(MapAgentState(s, false), AgentState::on_call) << s;
  EXPECT_EQ(MapAgentState(2, true), AgentState::on_call);
  EXPECT_EQ(MapAgentState(4, false), AgentState::offline);
  EXPECT_EQ(MapAgentState(5, true), AgentState::offline);
  EXPECT_EQ(MapAgentState(6, false), AgentState::ringing);
  EXPECT_EQ(MapAgentState(8, false), AgentState::on_hold);
  EXPECT_EQ(MapAgentState(9, false), AgentState::wrap_up);
  for (int s : {-1, 10, 99}) EXPECT_EQ(MapAgentState(s, false), AgentState::unknown) << s;
  Member m;
  EXPECT_EQ(AgentStateOf(m), AgentState::unknown);  // no status
  m.status = 1.5;
  EXPECT_EQ(AgentStateOf(m), AgentState::unknown);
  m.status = 1;
  m.paused = true;
  EXPECT_EQ(AgentStateOf(m), AgentState::not_ready);
}

TEST(UcontactParseTest, NumbersAsStringsAndRatesAsNumbers) {
  const Snapshot snap = Campaigns(Fixture("numbers_as_strings.json"), "Support<-");
  const std::string q = "Support<-";
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_answered_total", q), 120.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_offered_total", q), 124.0);
  EXPECT_DOUBLE_EQ(*Q(snap, "callcenter_queue_service_level_ratio", q), 0.875);
  EXPECT_DOUBLE_EQ(*Q(snap, "callcenter_ucontact_campaign_service_level_with_abandoned_ratio", q), 0.9);
  EXPECT_EQ(Q(snap, "callcenter_queue_service_level_threshold_seconds", q), 30.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_talked_seconds", q), 36000.0);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_talked_calls", q), 120.0);
  EXPECT_DOUBLE_EQ(*Q(snap, "callcenter_ucontact_campaign_abandoned_ratio", q), 0.032);
  EXPECT_EQ(M(snap, "callcenter_queue_member_calls_answered_total", q, "SIP/3001"), 40.0);
  EXPECT_EQ(M(snap, "callcenter_queue_member_last_call_timestamp_seconds", q, "SIP/3002"), 1541158000.0);
  EXPECT_EQ(M(snap, "callcenter_queue_member_penalty", q, "SIP/3001"), 1.0);
  EXPECT_EQ(StateOf(snap, "SIP/3001"), "available");  // paused "false"
  EXPECT_EQ(StateOf(snap, "SIP/3002"), "not_ready");  // paused 1

  const Snapshot summary = Summary(Fixture("queuesummary_strings.json"));
  EXPECT_EQ(summary.SampleCount(), 6u);
  EXPECT_EQ(Q(summary, "callcenter_queue_agents_logged_in", q), 3.0);
  EXPECT_EQ(Q(summary, "callcenter_queue_longest_wait_seconds", q), 40.0);
}

TEST(UcontactParseTest, BadValuesSkipOnlyTheirSeries) {
  UnusableFields invalid;
  auto r = ParseCampaignStatus(Fixture("bad_values.json"), "Bad->", &invalid);
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::sort(invalid.begin(), invalid.end());
  EXPECT_EQ(invalid, (UnusableFields{"Bad->:SIP/4001:callsTaken", "Bad->:SIP/4001:paused", "Bad->:SIP/4001:status",
                                     "Bad->:abandoned", "Bad->:hold", "Bad->:notavailables", "Bad->:servicelevel",
                                     "Bad->:servicelevel2", "Bad->:talked"}));
  const Snapshot snap = BuildCampaignSnapshot(*r, {});
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_answered_total", "Bad->"), 3.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_abandoned_total", "Bad->"), std::nullopt);
  EXPECT_EQ(Q(snap, "callcenter_queue_service_level_ratio", "Bad->"), std::nullopt);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_talked_seconds", "Bad->"), std::nullopt);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_abandoned_ratio", "Bad->"), std::nullopt);  // "" = absent
  EXPECT_EQ(StateOf(snap, "SIP/4001"), "unknown");
  EXPECT_EQ(Value(snap, "callcenter_agent_status_code", {{"agent", "SIP/4001"}}), std::nullopt);
  EXPECT_EQ(M(snap, "callcenter_queue_member_paused", "Bad->", "SIP/4001"), std::nullopt);
}

// Negative counts and counters, and ratios above 100 %, drop only their series.
TEST(UcontactParseTest, OutOfRangeValuesDropOnlyTheirSeries) {
  UnusableFields unusable;
  auto r = ParseCampaignStatus(
      R"({"Sales":{"campaign":"Sales","completed":-3,"abandoned":"-1","totalcalls":9,"logged":-2,
          "servicelevel":"130.0","servicelevel2":"95.5","slevelthreshold":-20},
          "SIP/1":{"location":"SIP/1","queue":"Sales","status":1,"callsTaken":-4,"lastCall":-1,"incall":0}})",
      "", &unusable);
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::sort(unusable.begin(), unusable.end());
  EXPECT_EQ(unusable,
            (UnusableFields{"Sales:SIP/1:callsTaken", "Sales:SIP/1:lastCall", "Sales:abandoned", "Sales:completed",
                            "Sales:logged", "Sales:servicelevel", "Sales:slevelthreshold"}));
  const Snapshot snap = BuildCampaignSnapshot(*r, {});
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_answered_total", "Sales"), std::nullopt);
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_abandoned_total", "Sales"), std::nullopt);
  EXPECT_EQ(Q(snap, "callcenter_queue_calls_offered_total", "Sales"), 9.0);
  EXPECT_EQ(Q(snap, "callcenter_queue_service_level_ratio", "Sales"), std::nullopt);
  EXPECT_EQ(Q(snap, "callcenter_ucontact_campaign_service_level_with_abandoned_ratio", "Sales"), 0.955);
  EXPECT_EQ(M(snap, "callcenter_queue_member_calls_answered_total", "Sales", "SIP/1"), std::nullopt);

  UnusableFields summary_unusable;
  auto q = ParseQueueSummary(R"([{"queue":"Q","loggedIn":-1,"available":2,"callers":"-3","holdTime":5}])",
                             &summary_unusable);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(summary_unusable, (UnusableFields{"Q:loggedIn", "Q:callers"}));
  EXPECT_EQ(q->at(0).available, 2.0);
  EXPECT_EQ(q->at(0).logged_in, std::nullopt);
}

TEST(UcontactParseTest, MemberCampaignFallsBackToTheOneAskedFor) {
  auto r = ParseCampaignStatus(R"({"SIP/9": {"location": "", "status": 1, "paused": false}})", "Sales->");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->members.size(), 1u);
  EXPECT_EQ(r->members[0].agent, "SIP/9");  // the map key
  EXPECT_EQ(r->members[0].campaign, "Sales->");
  EXPECT_FALSE(ParseCampaignStatus(R"({"SIP/9": {"location": "SIP/9"}})", "").ok());
}

TEST(UcontactParseTest, AgentInTwoCampaigns) {
  CampaignStatus status;
  auto member = [](const char* campaign, double code, bool paused) {
    Member m;
    m.campaign = campaign;
    m.agent = "SIP/1";
    m.name = "x";
    m.status = code;
    m.paused = paused;
    return m;
  };
  status.members.push_back(member("A->", 2, false));
  status.members.push_back(member("B<-", 1, true));
  status.members.push_back(member("B<-", 1, false));
  const Snapshot snap = BuildCampaignSnapshot(status, {});
  EXPECT_EQ(Count(snap, "callcenter_agent_state"), kAllAgentStates.size());
  EXPECT_EQ(StateOf(snap, "SIP/1"), "on_call");  // first membership
  EXPECT_EQ(Count(snap, "callcenter_queue_member_info"), 2u);
  EXPECT_EQ(AgentsIn(snap, "B<-", "not_ready"), 1.0);  // the duplicate entry is ignored
  EXPECT_EQ(AgentsIn(snap, "B<-", "available"), 0.0);
}

TEST(UcontactParseTest, EmptyAnswers) {
  EXPECT_EQ(Summary("[]").SampleCount(), 0u);
  EXPECT_EQ(Summary(R"([{"internalActionId": "1", "dateReceived": "x"}])").SampleCount(), 0u);
  EXPECT_EQ(Campaigns("{}").SampleCount(), 0u);
  EXPECT_EQ(Campaigns("[]").SampleCount(), 0u);
  // An entry that is neither a campaign nor an agent is left alone.
  EXPECT_EQ(Campaigns(R"({"x": {"internalActionId": "1"}})").SampleCount(), 0u);
}

TEST(UcontactParseTest, Errors) {
  struct Case {
    std::string body;
    Reason reason;
    std::string in_message;
  };
  for (const Case& c :
       {Case{Fixture("answer_zero.txt"), Reason::vendor_error, "answered 0"},
        Case{Fixture("html_error.html"), Reason::parse, "not JSON"}, Case{"", Reason::parse, "empty body"},
        Case{std::string("[1,\0]", 5), Reason::parse, "NUL"}, Case{"[ { \"queue\": \"a\"", Reason::parse, "not JSON"},
        Case{"{}", Reason::parse, "not a JSON array"}, Case{"[1]", Reason::parse, "not an object"},
        Case{R"([{"queue": ""}])", Reason::parse, "empty"}, Case{R"([{"queue": {}}])", Reason::parse, "non-text"}}) {
    SCOPED_TRACE(c.body);
    auto r = ParseQueueSummary(c.body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().reason, c.reason);
    EXPECT_NE(r.error().message.find(c.in_message), std::string::npos) << r.error().message;
  }
  for (const Case& c :
       {Case{Fixture("answer_zero.txt"), Reason::vendor_error, "answered 0"},
        Case{Fixture("html_error.html"), Reason::parse, "Error 500"}, Case{"[1]", Reason::parse, "not a JSON object"},
        Case{R"({"a": 1})", Reason::parse, "not an object"},
        Case{R"({"a": {"campaign": {}}})", Reason::parse, "non-text"},
        Case{R"({"a": {"location": []}})", Reason::parse, "non-text"}}) {
    SCOPED_TRACE(c.body);
    auto r = ParseCampaignStatus(c.body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().reason, c.reason);
    EXPECT_NE(r.error().message.find(c.in_message), std::string::npos) << r.error().message;
    EXPECT_LE(r.error().message.size(), 200u);
  }
}

// --- helpers and request building --------------------------------------------

TEST(UcontactParseTest, DurationCount) {
  auto d = ParseDurationCount("00:00:00-0");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->seconds, 0.0);
  EXPECT_EQ(d->count, 0.0);
  d = ParseDurationCount("123:59:59-4567");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->seconds, 123 * 3600 + 59 * 60 + 59.0);
  EXPECT_EQ(d->count, 4567.0);
  d = ParseDurationCount(" 00:01:30 ");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->seconds, 90.0);
  EXPECT_EQ(d->count, std::nullopt);
  for (const char* bad : {"", "-", "00:00-1", "00:60:00-1", "00:00:60-1", "a:b:c-1", "00:00:00-", "00:00:00-x",
                          "-00:00:00", "00:00:00:00-1", "00:00:00-1-2"}) {
    EXPECT_EQ(ParseDurationCount(bad), std::nullopt) << bad;
  }
}

TEST(UcontactParseTest, Token) {
  auto t = ParseToken(Fixture("login_ok.json"));
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(*t, "QWRtaW46OTgzNWM1MjUtMzU2Ny00YjgyLWEwYWYtY2NkMjNlMDhjNzA3");
  EXPECT_EQ(*ParseToken(R"(["QWRtaW46OTgz"])"), "QWRtaW46OTgz");
  EXPECT_EQ(*ParseToken("[1, 12345]"), "12345");

  for (const std::string& body : {Fixture("login_refused.json"), Fixture("answer_zero.txt"), std::string(R"(["a", 0])"),
                                  std::string(R"(["a", "0"])"), std::string(R"(["a", ""])")}) {
    SCOPED_TRACE(body);
    auto r = ParseToken(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().reason, Reason::auth);
  }
  // Malformed answers never echo the body: it may carry a token.
  const std::string secretish = "QWRtaW46c2VjcmV0LXNlc3Npb24";
  for (const std::string& body :
       {"{\"token\": \"" + secretish + "\"}", "[\"" + secretish, "<html>" + secretish, "[\"" + secretish + " x\"]",
        std::string("[]"), std::string("[{}]"), std::string(""), std::string("[true]")}) {
    SCOPED_TRACE(body);
    auto r = ParseToken(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().reason, Reason::parse);
    EXPECT_EQ(r.error().message.find(secretish), std::string::npos) << r.error().message;
  }
}

TEST(UcontactParseTest, ResourceTarget) {
  EXPECT_EQ(ResourceTarget("/Integra/resources/", "Supervisor/queuesummary"),
            "/Integra/resources/Supervisor/queuesummary");
  EXPECT_EQ(ResourceTarget("/Integra/resources", "auth/getUserToken"), "/Integra/resources/auth/getUserToken");
  EXPECT_EQ(ResourceTarget("/", "Supervisor/campaignstatus"), "/Supervisor/campaignstatus");
  EXPECT_EQ(ResourceTarget("", "Supervisor/campaignstatus"), "/Supervisor/campaignstatus");
  EXPECT_EQ(ResourceTarget("/r/?x=1", "Supervisor/campaignstatus"), "/r/Supervisor/campaignstatus");
}

// --- robustness --------------------------------------------------------------

TEST(UcontactParseTest, EveryPrefixOfTheSeedIsAnError) {
  for (const char* name : {"seed_queuesummary.json", "seed_campaignstatus_test.json"}) {
    const std::string body = Fixture(name);
    for (std::size_t n = 0; n + 1 < body.size(); ++n) {
      const std::string prefix = body.substr(0, n);
      auto a = ParseQueueSummary(prefix);
      auto b = ParseCampaignStatus(prefix);
      ASSERT_FALSE(a.ok()) << n;
      ASSERT_FALSE(b.ok()) << n;
      EXPECT_EQ(a.error().reason, Reason::parse) << n;
      EXPECT_EQ(b.error().reason, Reason::parse) << n;
    }
  }
}

TEST(UcontactParseTest, MutatedSeedsNeverCrash) {
  std::mt19937 rng(4);
  const std::string bodies[] = {Fixture("seed_queuesummary.json"), Fixture("seed_campaignstatus_test.json"),
                                Fixture("campaign_busy.json")};
  const char kBytes[] = "{}[]\":,0123456789-.aez \\\x80\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string body = bodies[round % 3];
    for (int k = 0; k < 1 + round % 4; ++k) {
      body[rng() % body.size()] = kBytes[rng() % (sizeof kBytes - 1)];
    }
    auto a = ParseQueueSummary(body);
    if (a.ok()) (void)BuildQueueSummarySnapshot(*a);
    auto b = ParseCampaignStatus(body, "x");
    if (b.ok()) (void)BuildCampaignSnapshot(*b, {});
    (void)ParseToken(body);
  }
}

TEST(UcontactParseTest, DeepNestingDoesNotExhaustTheStack) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_FALSE(ParseQueueSummary(deep).ok());
  EXPECT_FALSE(ParseCampaignStatus(deep).ok());
  EXPECT_FALSE(ParseToken(deep).ok());
}

}  // namespace
}  // namespace cc::ucontact

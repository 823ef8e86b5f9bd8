#include "model/metrics.h"

#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "model/snapshot.h"

namespace cc {
namespace {

namespace m = cc::metrics;

constexpr const MetricDef* kAllDefs[] = {
    &m::queue_info,
    &m::queue_calls_waiting,
    &m::queue_max_calls_waiting,
    &m::queue_longest_wait_seconds,
    &m::queue_average_wait_seconds,
    &m::queue_average_talk_seconds,
    &m::queue_weight,
    &m::queue_calls_answered_total,
    &m::queue_calls_abandoned_total,
    &m::queue_calls_offered_total,
    &m::queue_service_level_threshold_seconds,
    &m::queue_service_level_ratio,
    &m::queue_agents_logged_in,
    &m::queue_agents_available,
    &m::queue_agents,
    &m::queue_window_start_timestamp_seconds,
    &m::queue_window_calls_offered,
    &m::queue_window_calls_answered,
    &m::queue_window_calls_abandoned,
    &m::queue_window_calls_ended,
    &m::queue_window_calls_answered_within_20s,
    &m::queue_window_ivr_talk_seconds,
    &m::queue_window_calls_wrapped_up,
    &m::queue_window_wrap_up_seconds,
    &m::agent_info,
    &m::agent_state,
    &m::agent_status_code,
    &m::agent_state_since_timestamp_seconds,
    &m::agent_login_timestamp_seconds,
    &m::agent_busy_reason_code,
    &m::queue_member_info,
    &m::queue_member_calls_answered_total,
    &m::queue_member_calls_missed_total,
    &m::queue_member_last_call_timestamp_seconds,
    &m::queue_member_last_offer_timestamp_seconds,
    &m::queue_member_paused,
    &m::queue_member_penalty,
    &m::queue_member_in_call,
    &m::queue_member_wrap_up_seconds,
    &m::break_agents,
    &m::agent_break_start_timestamp_seconds,
    &m::agent_break_requested_seconds,
    &m::agent_break_blocked,
};

TEST(MetricsDefsTest, FollowNamingRules) {
  std::set<std::string_view> names;
  for (const MetricDef* def : kAllDefs) {
    SCOPED_TRACE(def->name);
    EXPECT_TRUE(def->name.starts_with("callcenter_"));
    EXPECT_TRUE(names.insert(def->name).second) << "duplicate name";
    // `_total` only on counters, and every counter ends in `_total`.
    EXPECT_EQ(def->name.ends_with("_total"), def->type == MetricType::counter);
    EXPECT_TRUE(def->help.ends_with("Cached from the last poll."));
    EXPECT_EQ(def->help.find('\n'), std::string_view::npos);
  }
}

TEST(SnapshotTest, EmptySnapshot) {
  Snapshot snap;
  EXPECT_TRUE(snap.families().empty());
  EXPECT_EQ(snap.SampleCount(), 0u);
  EXPECT_EQ(snap.Find("callcenter_queue_weight"), nullptr);
}

TEST(SnapshotTest, AddGroupsSamplesByFamilyInInsertionOrder) {
  Snapshot snap;
  snap.Add(m::queue_weight, {{"queue", "2"}}, 5);
  snap.Add(m::queue_calls_waiting, {{"queue", "1"}}, 3);
  snap.Add(m::queue_weight, {{"queue", "1"}}, 7);

  EXPECT_EQ(snap.SampleCount(), 3u);
  ASSERT_EQ(snap.families().size(), 2u);
  const FamilySamples* weight = snap.Find("callcenter_queue_weight");
  ASSERT_NE(weight, nullptr);
  EXPECT_EQ(weight->def, &m::queue_weight);
  ASSERT_EQ(weight->samples.size(), 2u);
  EXPECT_EQ(weight->samples[0].labels, (Labels{{"queue", "2"}}));
  EXPECT_EQ(weight->samples[0].value, 5);
  EXPECT_EQ(weight->samples[1].labels, (Labels{{"queue", "1"}}));
  EXPECT_EQ(weight->samples[1].value, 7);

  const FamilySamples* waiting = snap.Find("callcenter_queue_calls_waiting");
  ASSERT_NE(waiting, nullptr);
  ASSERT_EQ(waiting->samples.size(), 1u);
  EXPECT_EQ(waiting->samples[0].value, 3);
}

TEST(SnapshotTest, FamiliesIterateInNameOrder) {
  Snapshot snap;
  snap.Add(m::queue_weight, {}, 1);
  snap.Add(m::agent_state, {}, 1);
  snap.Add(m::queue_agents, {}, 1);
  std::vector<std::string_view> names;
  for (const auto& [name, family] : snap.families()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"callcenter_agent_state", "callcenter_queue_agents",
                                                  "callcenter_queue_weight"}));
}

// The packed labels read back as they were added, whatever their bytes: empty names and
// values, NUL and 0xFF bytes, lengths that need more than one length byte (128, 16,384),
// and a Labels reused across samples of more and fewer labels.
TEST(SnapshotTest, PackedLabelsReadBackExactly) {
  const std::vector<Labels> added{
      {{"queue", "1"}, {"agent", "1001"}, {"state", "idle"}},
      {},
      {{"", ""}},
      {{"a", std::string("x\0y\xff", 4)}, {std::string(128, 'n'), std::string(16384, 'v')}},
      {{"queue", std::string(127, 'q')}},
  };
  Snapshot snap;
  for (std::size_t i = 0; i < added.size(); ++i) snap.Add(m::queue_weight, added[i], static_cast<double>(i) - 0.5);
  const SampleList& samples = snap.Find("callcenter_queue_weight")->samples;
  ASSERT_EQ(samples.size(), added.size());
  Labels reused{{"stale", "stale"}, {"stale", "stale"}, {"stale", "stale"}, {"stale", "stale"}};
  for (std::size_t i = 0; i < added.size(); ++i) {
    samples.LabelsOf(i, reused);
    EXPECT_EQ(reused, added[i]) << "sample " << i;
    EXPECT_EQ(samples[i].labels, added[i]) << "sample " << i;
    EXPECT_EQ(samples.value(i), static_cast<double>(i) - 0.5);
  }
  std::size_t seen = 0;
  for (const Sample& s : samples) EXPECT_EQ(s.labels, added[seen++]);
  EXPECT_EQ(seen, added.size());
}

// Add remembers the family it added to last: a copy or a moved-to snapshot must add to
// its own families, never to the ones it came from.
TEST(SnapshotTest, CopiesAndMovesAddToTheirOwnFamilies) {
  Snapshot original;
  original.Add(m::queue_weight, {{"queue", "1"}}, 1);
  Snapshot copy = original;
  copy.Add(m::queue_weight, {{"queue", "2"}}, 2);
  Snapshot assigned;
  assigned.Add(m::queue_weight, {{"queue", "0"}}, 0);
  assigned = original;
  assigned.Add(m::queue_weight, {{"queue", "3"}}, 3);
  EXPECT_EQ(original.Find("callcenter_queue_weight")->samples.size(), 1u);
  EXPECT_EQ(copy.Find("callcenter_queue_weight")->samples.size(), 2u);
  EXPECT_EQ(assigned.Find("callcenter_queue_weight")->samples.size(), 2u);
  EXPECT_EQ(assigned.Find("callcenter_queue_weight")->samples[1].value, 3);

  Snapshot moved = std::move(copy);
  moved.Add(m::queue_weight, {{"queue", "4"}}, 4);
  ASSERT_EQ(moved.Find("callcenter_queue_weight")->samples.size(), 3u);
  EXPECT_EQ(moved.Find("callcenter_queue_weight")->samples[2].value, 4);
  EXPECT_EQ(original.SampleCount(), 1u);
}

TEST(SnapshotTest, KeepsSpecialValues) {
  Snapshot snap;
  snap.Add(m::queue_max_calls_waiting, {{"queue", "90"}}, std::numeric_limits<double>::infinity());
  const FamilySamples* f = snap.Find("callcenter_queue_max_calls_waiting");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->samples[0].value, std::numeric_limits<double>::infinity());
}

TEST(AddAgentStateTest, OneSeriesPerStateExactlyOneIsOne) {
  Snapshot snap;
  m::AddAgentState(snap, "6103", AgentState::on_hold);
  const FamilySamples* f = snap.Find("callcenter_agent_state");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->def, &m::agent_state);
  ASSERT_EQ(f->samples.size(), kAllAgentStates.size());
  const std::vector<std::string> expected_states{"available", "ringing", "on_call", "on_hold", "wrap_up",
                                                 "not_ready", "break",   "offline", "unknown"};
  for (std::size_t i = 0; i < f->samples.size(); ++i) {
    const Sample& s = f->samples[i];
    EXPECT_EQ(s.labels, (Labels{{"agent", "6103"}, {"state", expected_states[i]}}));
    EXPECT_EQ(s.value, expected_states[i] == "on_hold" ? 1 : 0) << expected_states[i];
  }
}

TEST(AddAgentStateTest, SeveralAgentsAppend) {
  Snapshot snap;
  m::AddAgentState(snap, "a", AgentState::available);
  m::AddAgentState(snap, "b", AgentState::on_break);
  const FamilySamples* f = snap.Find("callcenter_agent_state");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->samples.size(), 2 * kAllAgentStates.size());
  double ones = 0;
  for (const Sample& s : f->samples) ones += s.value;
  EXPECT_EQ(ones, 2);
  EXPECT_EQ(f->samples[0].labels, (Labels{{"agent", "a"}, {"state", "available"}}));
  EXPECT_EQ(f->samples[0].value, 1);
  const Sample& b_break = f->samples[kAllAgentStates.size() + 6];
  EXPECT_EQ(b_break.labels, (Labels{{"agent", "b"}, {"state", "break"}}));
  EXPECT_EQ(b_break.value, 1);
}

double CountOf(const Snapshot& snap, const std::string& queue, const std::string& state) {
  const FamilySamples* f = snap.Find("callcenter_queue_agents");
  if (f == nullptr) return -1;
  for (const Sample& s : f->samples) {
    if (s.labels == Labels{{"queue", queue}, {"state", state}}) return s.value;
  }
  return -1;
}

TEST(QueueAgentCounterTest, EmptyCounterEmitsNothing) {
  Snapshot snap;
  m::QueueAgentCounter counter;
  counter.EmitTo(snap);
  EXPECT_EQ(snap.SampleCount(), 0u);
}

TEST(QueueAgentCounterTest, QueueWithoutAgentsGetsZeros) {
  Snapshot snap;
  m::QueueAgentCounter counter;
  counter.AddQueue("90");
  counter.EmitTo(snap);
  const FamilySamples* f = snap.Find("callcenter_queue_agents");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->def, &m::queue_agents);
  ASSERT_EQ(f->samples.size(), kAllAgentStates.size());
  for (const Sample& s : f->samples) {
    EXPECT_EQ(s.labels[0], (std::pair<std::string, std::string>{"queue", "90"}));
    EXPECT_EQ(s.labels[1].first, "state");
    EXPECT_EQ(s.value, 0);
  }
}

TEST(QueueAgentCounterTest, CountsPerQueueAndState) {
  Snapshot snap;
  m::QueueAgentCounter counter;
  counter.AddQueue("90");
  counter.Count("90", AgentState::available);
  counter.Count("90", AgentState::available);
  counter.Count("90", AgentState::on_call);
  counter.AddQueue("90");                     // adding again keeps the counts
  counter.Count("91", AgentState::on_break);  // counting implies the queue
  counter.AddQueue("92");
  counter.EmitTo(snap);

  EXPECT_EQ(snap.SampleCount(), 3 * kAllAgentStates.size());
  EXPECT_EQ(CountOf(snap, "90", "available"), 2);
  EXPECT_EQ(CountOf(snap, "90", "on_call"), 1);
  EXPECT_EQ(CountOf(snap, "90", "ringing"), 0);
  EXPECT_EQ(CountOf(snap, "90", "break"), 0);
  EXPECT_EQ(CountOf(snap, "91", "break"), 1);
  EXPECT_EQ(CountOf(snap, "91", "available"), 0);
  for (AgentState s : kAllAgentStates) EXPECT_EQ(CountOf(snap, "92", std::string(ToString(s))), 0);
}

}  // namespace
}  // namespace cc

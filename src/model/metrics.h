#pragma once
// The shared metrics contract (docs/metrics.md): one
// definition per family, so every vendor emits the same name, type and HELP.
// HELP names the vendor field of each vendor and says the value is cached.

#include <array>
#include <map>
#include <string>

#include "model/agent_state.h"
#include "model/snapshot.h"

namespace cc::metrics {

#define CC_CACHED " Cached from the last poll."
#define CC_GAUGE(id, name, help) inline constexpr MetricDef id{name, help CC_CACHED, MetricType::gauge};
#define CC_COUNTER(id, name, help) inline constexpr MetricDef id{name, help CC_CACHED, MetricType::counter};

// Queues (labels: queue [+ more]).
CC_GAUGE(queue_info, "callcenter_queue_info",
         "Queue description, value 1 (mixcall: name, ringtype as Asterisk strategy; huawei_cec: skillDescrip; "
         "ucontact: strategy).")
CC_GAUGE(queue_calls_waiting, "callcenter_queue_calls_waiting",
         "Calls waiting in the queue (mixcall: wait; huawei_cec: queueSize; ucontact: callers).")
CC_GAUGE(queue_max_calls_waiting, "callcenter_queue_max_calls_waiting",
         "Maximum number of calls allowed to wait, +Inf if unlimited (mixcall: max; huawei_cec: maxQueueSize).")
CC_GAUGE(queue_longest_wait_seconds, "callcenter_queue_longest_wait_seconds",
         "Wait of the longest waiting call in seconds (mixcall: maxwaittime; huawei_cec: queueTime; ucontact: "
         "longestHoldTime).")
CC_GAUGE(queue_average_wait_seconds, "callcenter_queue_average_wait_seconds",
         "Average wait before answer in seconds (mixcall: holdtime; ucontact: holdTime).")
CC_GAUGE(queue_average_talk_seconds, "callcenter_queue_average_talk_seconds",
         "Average talk time in seconds (ucontact: talkTime).")
CC_GAUGE(queue_weight, "callcenter_queue_weight", "Queue weight (priority) (mixcall: weight).")
CC_COUNTER(queue_calls_answered_total, "callcenter_queue_calls_answered_total",
           "Calls answered since the vendor last reset its statistics (mixcall: completed; ucontact: completed).")
CC_COUNTER(queue_calls_abandoned_total, "callcenter_queue_calls_abandoned_total",
           "Calls abandoned since the vendor last reset its statistics (mixcall: abandoned; ucontact: abandoned).")
CC_COUNTER(queue_calls_offered_total, "callcenter_queue_calls_offered_total",
           "Calls offered since the vendor last reset its statistics (ucontact: totalcalls).")
CC_GAUGE(queue_service_level_threshold_seconds, "callcenter_queue_service_level_threshold_seconds",
         "Service level threshold in seconds (mixcall: servicelevel; ucontact: slevelthreshold).")
CC_GAUGE(queue_service_level_ratio, "callcenter_queue_service_level_ratio",
         "Share of calls answered within the service level threshold, 0-1 (mixcall: servicelevelperf; ucontact: "
         "servicelevel / 100).")
CC_GAUGE(queue_agents_logged_in, "callcenter_queue_agents_logged_in",
         "Agents logged in to the queue (huawei_cec: loggedOnAgents; ucontact: loggedIn).")
CC_GAUGE(queue_agents_available, "callcenter_queue_agents_available",
         "Agents available in the queue (huawei_cec: availAgents; ucontact: available).")
CC_GAUGE(queue_agents, "callcenter_queue_agents",
         "Agents of the queue by normalised state, counted by the exporter from the vendor's agent list (mixcall: "
         "agents; huawei_cec: skill agents; yunhu: rows; ucontact: agent entries).")

// Huawei's current five-minute window: restarts every five minutes, so gauges.
CC_GAUGE(queue_window_start_timestamp_seconds, "callcenter_queue_window_start_timestamp_seconds",
         "Start of the current statistics window, Unix time (huawei_cec: startTime).")
CC_GAUGE(queue_window_calls_offered, "callcenter_queue_window_calls_offered",
         "Calls offered in the current window (huawei_cec: allCallCount).")
CC_GAUGE(queue_window_calls_answered, "callcenter_queue_window_calls_answered",
         "Calls answered in the current window (huawei_cec: cnnedCallCount).")
CC_GAUGE(queue_window_calls_abandoned, "callcenter_queue_window_calls_abandoned",
         "Calls abandoned in the current window (huawei_cec: abanCallCount).")
CC_GAUGE(queue_window_calls_ended, "callcenter_queue_window_calls_ended",
         "Calls ended in the current window (huawei_cec: callEndCount).")
CC_GAUGE(queue_window_calls_answered_within_20s, "callcenter_queue_window_calls_answered_within_20s",
         "Calls answered within 20 seconds in the current window (huawei_cec: cnnedIn20sCallCount).")
CC_GAUGE(queue_window_ivr_talk_seconds, "callcenter_queue_window_ivr_talk_seconds",
         "Talk time on the IVR in the current window, seconds (huawei_cec: talkTimeOnIvr).")
CC_GAUGE(queue_window_calls_wrapped_up, "callcenter_queue_window_calls_wrapped_up",
         "Calls wrapped up in the current window (huawei_cec: clearUpCallCount).")
CC_GAUGE(queue_window_wrap_up_seconds, "callcenter_queue_window_wrap_up_seconds",
         "Wrap-up time in the current window, seconds (huawei_cec: clearUpTime).")

// Agents (labels: agent [+ more]).
CC_GAUGE(
    agent_info, "callcenter_agent_info",
    "Agent description, value 1 (huawei_cec: name, phonenumber, groupid, mediatype; yunhu: seatsname; ucontact: name).")
CC_GAUGE(agent_state, "callcenter_agent_state",
         "1 for the agent's normalised state, 0 for the others (mixcall: status, dnd; huawei_cec: status; yunhu: "
         "state; ucontact: status).")
CC_GAUGE(agent_status_code, "callcenter_agent_status_code",
         "The vendor's raw agent status code (mixcall: status; huawei_cec: status; yunhu: state; ucontact: status).")
CC_GAUGE(
    agent_state_since_timestamp_seconds, "callcenter_agent_state_since_timestamp_seconds",
    "Time the agent entered its current state, Unix time (huawei_cec: now - currentstatetime; yunhu: seatschangetime).")
CC_GAUGE(agent_login_timestamp_seconds, "callcenter_agent_login_timestamp_seconds",
         "Time the agent logged in, Unix time (huawei_cec: logindate).")
CC_GAUGE(agent_busy_reason_code, "callcenter_agent_busy_reason_code",
         "Busy (DND) reason index set by the agent; absent when not busy (mixcall: dnd).")

// Queue members (labels: queue, agent).
CC_GAUGE(queue_member_info, "callcenter_queue_member_info",
         "Agent is a member of the queue, value 1 (mixcall: agents; huawei_cec: skill agents; yunhu: rows; ucontact: "
         "agent entries).")
CC_COUNTER(queue_member_calls_answered_total, "callcenter_queue_member_calls_answered_total",
           "Calls the member answered (yunhu: callsanswered; ucontact: callsTaken).")
CC_COUNTER(queue_member_calls_missed_total, "callcenter_queue_member_calls_missed_total",
           "Calls offered to the member and not answered (yunhu: noanswercount).")
CC_GAUGE(queue_member_last_call_timestamp_seconds, "callcenter_queue_member_last_call_timestamp_seconds",
         "Time of the member's last answered call, Unix time (yunhu: lastanswertime; ucontact: lastCall).")
CC_GAUGE(queue_member_last_offer_timestamp_seconds, "callcenter_queue_member_last_offer_timestamp_seconds",
         "Time a call was last offered to the member, Unix time (yunhu: lastassigntime).")
CC_GAUGE(queue_member_paused, "callcenter_queue_member_paused", "1 if the member is paused (ucontact: paused).")
CC_GAUGE(queue_member_penalty, "callcenter_queue_member_penalty", "Member penalty (ucontact: penalty).")
CC_GAUGE(queue_member_in_call, "callcenter_queue_member_in_call", "1 if the member is in a call (ucontact: incall).")
CC_GAUGE(queue_member_wrap_up_seconds, "callcenter_queue_member_wrap_up_seconds",
         "Member wrap-up time in seconds (yunhu: wrapuptime).")

// Agent breaks (Huawei VDN rest info).
CC_GAUGE(break_agents, "callcenter_break_agents",
         "Agents by break phase (huawei_cec: allowrestnum, onrestnum, waitrestnum).")
CC_GAUGE(agent_break_start_timestamp_seconds, "callcenter_agent_break_start_timestamp_seconds",
         "Start of the agent's break, Unix time (huawei_cec: begintime).")
CC_GAUGE(agent_break_requested_seconds, "callcenter_agent_break_requested_seconds",
         "Break duration the agent requested, seconds (huawei_cec: restduration).")
CC_GAUGE(agent_break_blocked, "callcenter_agent_break_blocked",
         "1 for the reason the agent's break is blocked (huawei_cec: cantrestreason).")

#undef CC_GAUGE
#undef CC_COUNTER
#undef CC_CACHED

// callcenter_agent_state: one series per state, exactly one of them 1.
void AddAgentState(Snapshot& snap, const std::string& agent, AgentState state);

// callcenter_queue_agents{state}: counts per queue with every state present.
class QueueAgentCounter {
 public:
  void Count(const std::string& queue, AgentState state);
  void AddQueue(const std::string& queue);  // a queue with no agents still gets zeros
  void EmitTo(Snapshot& snap) const;

 private:
  std::map<std::string, std::array<int, kAllAgentStates.size()>> counts_;
};

}  // namespace cc::metrics

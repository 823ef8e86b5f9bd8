#pragma once
// Pure parser for MixCall `?m=interface&c=api&a=queueinfo` responses: bytes in,
// Snapshot or typed error out. No I/O.
//
// Two stages, so that the collector can merge several responses (one request
// per configured queue) before emitting series: ParseQueues() turns one body
// into an intermediate model, BuildSnapshot() turns queues into metrics.
// ParseQueueInfo() is both in one step.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/agent_state.h"
#include "model/snapshot.h"

namespace cc::mixcall {

struct ParseOptions {
  bool agent_metrics = true;  // per-agent series (callcenter_agent_*)
};

// One member of a queue's `agents` map. Optional numbers are absent when the
// vendor field was missing or not a number (that series is skipped).
struct Agent {
  std::string id;                // exten, falling back to the map key
  std::optional<double> status;  // Asterisk extension state
  std::optional<double> dnd;     // busy-reason index; -1 = not busy
  bool busy = false;             // DND set: dnd present and != -1 (even if not numeric)
  std::optional<bool> paused;    // only some MixCall versions send `paused`
};

struct Queue {
  std::string id;  // `queue`, falling back to the map key
  std::string name;
  std::string strategy;  // Asterisk strategy name (see StrategyName)
  std::optional<double> waiting;
  std::optional<double> max_waiting;  // +Inf for "unlimited"
  std::optional<double> longest_wait_seconds;
  std::optional<double> average_wait_seconds;
  std::optional<double> weight;
  std::optional<double> answered;
  std::optional<double> abandoned;
  std::optional<double> service_level_seconds;
  std::optional<double> service_level_ratio;
  std::vector<Agent> agents;
  // Fields present but unusable (e.g. "maxwaittime", "agents.6103.status"),
  // so the collector can report what was skipped.
  std::vector<std::string> unusable_fields;
};

// result "0" (or error != 0) → vendor_error; HTML, broken JSON or a wrong
// shape → parse. An unusable value (not a number, a negative count, a ratio
// outside 0–100 %) only drops that field and is recorded.
// A value JSON itself cannot carry (a lone surrogate, a number beyond the
// double range, …) is repaired (kit::ParseDocument) and named in `repairs`.
Result<std::vector<Queue>> ParseQueues(std::string_view body, std::vector<std::string>* repairs = nullptr);

// Emits every series of docs/metrics.md for the queues. A queue id seen twice keeps
// its first occurrence; per-agent series are emitted once per agent id even
// when the agent is a member of several queues.
Snapshot BuildSnapshot(const std::vector<Queue>& queues, const ParseOptions& options);

Result<Snapshot> ParseQueueInfo(std::string_view body, const ParseOptions& options);

// Keeps only the queues whose id is in `wanted` (all when `wanted` is empty).
// Guards against servers that ignore the `queue` parameter.
void KeepQueues(std::vector<Queue>& queues, std::span<const std::string> wanted);

// The MixCall state table of docs/metrics.md (Asterisk extension state + DND).
AgentState MapAgentState(int status, int dnd);
// MapAgentState plus what only the agent entry knows: a paused idle member is
// not ready, an unparseable status is unknown.
AgentState AgentStateOf(const Agent& agent);

// `ringtype` → Asterisk strategy name: the Chinese labels MixCall shows are
// mapped back, anything else passes through.
std::string StrategyName(std::string_view ringtype);

// "MM:SS" (minutes may exceed 99), "H:MM:SS" or a bare number of seconds.
std::optional<double> ParseWaitSeconds(std::string_view text);

// Request target for queueinfo below the configured URL path (which may carry
// a query already); `queue` empty = all queues.
std::string QueueInfoTarget(std::string_view base_path, std::string_view queue);

}  // namespace cc::mixcall

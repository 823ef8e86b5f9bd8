#include "model/metrics.h"

namespace cc::metrics {

void AddAgentState(Snapshot& snap, const std::string& agent, AgentState state) {
  for (AgentState s : kAllAgentStates) {
    snap.Add(agent_state, {{"agent", agent}, {"state", std::string(ToString(s))}}, s == state ? 1 : 0);
  }
}

void QueueAgentCounter::AddQueue(const std::string& queue) { counts_.try_emplace(queue); }

void QueueAgentCounter::Count(const std::string& queue, AgentState state) {
  ++counts_[queue][static_cast<std::size_t>(state)];
}

void QueueAgentCounter::EmitTo(Snapshot& snap) const {
  for (const auto& [queue, counts] : counts_) {
    for (AgentState s : kAllAgentStates) {
      snap.Add(queue_agents, {{"queue", queue}, {"state", std::string(ToString(s))}},
               counts[static_cast<std::size_t>(s)]);
    }
  }
}

}  // namespace cc::metrics

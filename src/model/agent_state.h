#pragma once
// The normalised agent states of docs/metrics.md. Vendors map their codes onto these.

#include <array>
#include <string_view>

namespace cc {

enum class AgentState { available, ringing, on_call, on_hold, wrap_up, not_ready, on_break, offline, unknown };

inline constexpr std::array kAllAgentStates{AgentState::available, AgentState::ringing, AgentState::on_call,
                                            AgentState::on_hold,   AgentState::wrap_up, AgentState::not_ready,
                                            AgentState::on_break,  AgentState::offline, AgentState::unknown};

constexpr std::string_view ToString(AgentState s) {
  switch (s) {
    case AgentState::available: return "available";
    case AgentState::ringing: return "ringing";
    case AgentState::on_call: return "on_call";
    case AgentState::on_hold: return "on_hold";
    case AgentState::wrap_up: return "wrap_up";
    case AgentState::not_ready: return "not_ready";
    case AgentState::on_break: return "break";
    case AgentState::offline: return "offline";
    case AgentState::unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace cc

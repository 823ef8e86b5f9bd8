#pragma once
// Pure parser for MixCall `?m=interface&c=api&a=queueinfo` responses: bytes in,
// Snapshot or typed error out. No I/O.

#include <string_view>

#include "common/result.h"
#include "model/agent_state.h"
#include "model/snapshot.h"

namespace cc::mixcall {

struct ParseOptions {
  bool agent_metrics = true;  // per-agent series (callcenter_agent_*)
};

// result "0" → vendor_error; HTML, broken JSON or a wrong shape → parse.
Result<Snapshot> ParseQueueInfo(std::string_view body, const ParseOptions& options);

// The MixCall state table of METRICS.md (Asterisk extension state + DND).
AgentState MapAgentState(int status, int dnd);

}  // namespace cc::mixcall

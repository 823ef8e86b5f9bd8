#pragma once
// yunhu fields without a common meaning in docs/metrics.md.

#include "model/snapshot.h"

namespace cc::yunhu {

inline constexpr MetricDef kAgentExtensionStatusCode{"callcenter_yunhu_agent_extension_status_code",
                                                     "The extension's raw status code, e.g. 1014 not registered, 1213 "
                                                     "waiting (yunhu: status). Cached from the last poll.",
                                                     MetricType::gauge};

inline constexpr MetricDef kQueueMemberExternalCallsTotal{
    "callcenter_yunhu_queue_member_external_calls_total",
    "Calls of the member outside predictive tasks (yunhu: externalcallscount). Cached from the last poll.",
    MetricType::counter};

}  // namespace cc::yunhu

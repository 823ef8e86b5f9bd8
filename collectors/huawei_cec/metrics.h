#pragma once
// Huawei CEC fields with no common meaning in docs/metrics.md.

#include "model/snapshot.h"

namespace cc::huawei_cec::metrics {

inline constexpr MetricDef agent_cti_state_code{
    "callcenter_huawei_cec_agent_cti_state_code",
    "The agent's CTI platform state code, 0-10 (huawei_cec: ctiStatus / citStatus). Cached from the last poll.",
    MetricType::gauge};

inline constexpr MetricDef agent_break_blocked_reason_code{"callcenter_huawei_cec_agent_break_blocked_reason_code",
                                                           "Raw reason code why the agent may not start its break yet "
                                                           "(huawei_cec: cantrestreason). Cached from the last poll.",
                                                           MetricType::gauge};

}  // namespace cc::huawei_cec::metrics

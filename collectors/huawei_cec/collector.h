#pragma once

#include <chrono>

#include "collectors/kit/vendor.h"

namespace cc::huawei_cec {

// vendor: huawei_cec — collectors `skill_agents`, `skill_status`,
// `skill_call_stats` and `vdn_rest`, and `skill_discovery` when the skill
// queues are listed rather than configured (docs/vendors/huawei_cec.md).
VendorDef Vendor();

// Back-off after HTTP 403 (CC-CMS locks an IP after repeated bad signatures):
// the first is one poll interval (at least 1 s), each next one doubles,
// capped at 10 minutes. `current` 0 = not backing off yet.
std::chrono::milliseconds NextBackoff(std::chrono::milliseconds current, std::chrono::milliseconds poll_interval);

}  // namespace cc::huawei_cec

#pragma once
// uContact campaign fields with no home in the shared contract (docs/metrics.md):
// `callcenter_ucontact_campaign_<field>`, labels target, queue. Their meaning
// is partly undocumented (docs/vendors/api/ucontact.md, open question 7), so the HELP
// says what is known and values are passed through without reinterpretation.

#include "model/snapshot.h"

namespace cc::ucontact::metrics {

#define CC_UC_GAUGE(id, name, help) \
  inline constexpr MetricDef id{name, help " Cached from the last poll.", MetricType::gauge};

CC_UC_GAUGE(campaign_agents_available, "callcenter_ucontact_campaign_agents_available",
            "Agents available in the campaign, as counted by uContact (ucontact: availables).")
CC_UC_GAUGE(campaign_agents_not_available, "callcenter_ucontact_campaign_agents_not_available",
            "Agents not available in the campaign, as counted by uContact (ucontact: notavailables).")
CC_UC_GAUGE(campaign_agents_paused, "callcenter_ucontact_campaign_agents_paused",
            "Paused agents of the campaign, as counted by uContact (ucontact: paused).")
CC_UC_GAUGE(campaign_agents_busy, "callcenter_ucontact_campaign_agents_busy",
            "Busy agents of the campaign, as counted by uContact (ucontact: busy).")
CC_UC_GAUGE(campaign_agents_busy_paused, "callcenter_ucontact_campaign_agents_busy_paused",
            "Agents both busy and paused, as counted by uContact (ucontact: busypaused).")
CC_UC_GAUGE(campaign_agents_members, "callcenter_ucontact_campaign_agents_members",
            "Agents that are members of the campaign (ucontact: totalagents).")
CC_UC_GAUGE(campaign_agents_logged, "callcenter_ucontact_campaign_agents_logged",
            "Logged agents of the campaign, as counted by uContact (ucontact: logged).")
CC_UC_GAUGE(campaign_agents_wrap_up, "callcenter_ucontact_campaign_agents_wrap_up",
            "Agents in wrap-up, as counted by uContact (ucontact: onwrapup).")
CC_UC_GAUGE(campaign_talked_seconds, "callcenter_ucontact_campaign_talked_seconds",
            "The HH:MM:SS part of ucontact field talked (\"HH:MM:SS-N\"), in seconds; undocumented whether a total "
            "or an average talk time.")
CC_UC_GAUGE(campaign_talked_calls, "callcenter_ucontact_campaign_talked_calls",
            "The N part of ucontact field talked (\"HH:MM:SS-N\"); undocumented, probably the number of calls.")
CC_UC_GAUGE(campaign_hold_seconds, "callcenter_ucontact_campaign_hold_seconds",
            "The HH:MM:SS part of ucontact field hold (\"HH:MM:SS-N\"), in seconds; undocumented whether a total "
            "or an average hold time.")
CC_UC_GAUGE(campaign_hold_calls, "callcenter_ucontact_campaign_hold_calls",
            "The N part of ucontact field hold (\"HH:MM:SS-N\"); undocumented, probably the number of calls.")
CC_UC_GAUGE(campaign_acd, "callcenter_ucontact_campaign_acd",
            "ucontact field acd as sent; its meaning is not documented.")
CC_UC_GAUGE(campaign_abandoned_ratio, "callcenter_ucontact_campaign_abandoned_ratio",
            "Abandon rate as uContact computes it, 0-1 (ucontact: abandonedlevel / 100, a percentage; how uContact "
            "counts it is undocumented).")
CC_UC_GAUGE(campaign_service_level_with_abandoned_ratio,
            "callcenter_ucontact_campaign_service_level_with_abandoned_ratio",
            "Service level that also credits calls abandoned within the threshold, 0-1 (ucontact: servicelevel2 / "
            "100; inferred from Asterisk ServicelevelPerf2).")
CC_UC_GAUGE(campaign_wrapup, "callcenter_ucontact_campaign_wrapup",
            "ucontact field wrapup as sent; its meaning is not documented (possibly the wrap-up time setting).")

#undef CC_UC_GAUGE

}  // namespace cc::ucontact::metrics

#pragma once
// Pure parsers for uContact Integra `auth/getUserToken`, `Supervisor/queuesummary`
// and `Supervisor/campaignstatus` answers: bytes in, intermediate model or typed
// error out, then Snapshot builders. No I/O (see docs/vendors/api/ucontact.md).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "model/agent_state.h"
#include "model/snapshot.h"

namespace cc::ucontact {

struct ParseOptions {
  bool agent_metrics = true;  // agent and member series (queue_member_info stays regardless)
};

// One element of `Supervisor/queuesummary` (Asterisk QueueSummary event).
struct QueueSummary {
  std::string queue;
  std::optional<double> logged_in;             // loggedIn
  std::optional<double> available;             // available
  std::optional<double> callers;               // callers
  std::optional<double> hold_seconds;          // holdTime
  std::optional<double> talk_seconds;          // talkTime
  std::optional<double> longest_hold_seconds;  // longestHoldTime
};

// "HH:MM:SS-N" (`talked`, `hold`): a duration and a count.
struct DurationCount {
  double seconds = 0;
  std::optional<double> count;  // absent when the "-N" part is missing
};

// A `campaignstatus` entry with `campaign`.
struct Campaign {
  std::string name;
  std::string strategy;
  std::optional<double> availables, notavailables, paused, busy, busypaused, totalagents, logged, onwrapup;
  std::optional<double> completed, abandoned, totalcalls;
  std::optional<DurationCount> talked, hold;
  std::optional<double> abandoned_ratio;          // abandonedlevel / 100
  std::optional<double> acd;                      // raw, as sent
  std::optional<double> service_level_ratio;      // servicelevel / 100
  std::optional<double> service_level2_ratio;     // servicelevel2 / 100
  std::optional<double> service_level_threshold;  // slevelthreshold, seconds
  std::optional<double> wrapup;                   // raw, as sent
};

// A `campaignstatus` entry with `location` (Asterisk QueueMember event).
struct Member {
  std::string campaign;  // `queue`, falling back to the campaign asked for
  std::string agent;     // `location`, falling back to the map key
  std::string name;
  std::optional<double> status;
  std::optional<bool> paused;
  std::optional<double> penalty;
  std::optional<double> calls_taken;
  std::optional<double> last_call;  // epoch seconds; 0 = never
  std::optional<double> incall;
};

struct CampaignStatus {
  std::vector<Campaign> campaigns;
  std::vector<Member> members;
};

// Fields present but unusable, e.g. "Power<-:servicelevel", so the collector
// can report what it skipped. Filled by the parsers below when given.
using UnusableFields = std::vector<std::string>;

// getUserToken: a JSON array whose last element is the token. `0` (bare or as
// that element) or an empty token → auth; anything else malformed → parse.
// Error messages never contain the body (it may hold a token).
Result<std::string> ParseToken(std::string_view body);

// The trailing completion element (no `queue`) is skipped. Bare `0` → vendor_error.
Result<std::vector<QueueSummary>> ParseQueueSummary(std::string_view body, UnusableFields* unusable = nullptr);

// `campaign` entries are campaigns, `location` entries are agents, other
// entries are ignored. `asked` is the `queue` parameter sent (may be empty).
Result<CampaignStatus> ParseCampaignStatus(std::string_view body, std::string_view asked = {},
                                           UnusableFields* unusable = nullptr);

Snapshot BuildQueueSummarySnapshot(const std::vector<QueueSummary>& queues);
// Campaigns and members of several answers, merged: the first copy of a
// campaign and of a (campaign, agent) pair wins; agent series come from an
// agent's first membership.
Snapshot BuildCampaignSnapshot(const CampaignStatus& status, const ParseOptions& options);

// The ucontact column of docs/metrics.md "Normalised agent states".
AgentState MapAgentState(int status, bool paused);
AgentState AgentStateOf(const Member& member);

std::optional<DurationCount> ParseDurationCount(std::string_view text);

// `base_path` (the configured URL path) joined with a resource such as "Supervisor/queuesummary".
std::string ResourceTarget(std::string_view base_path, std::string_view resource);

}  // namespace cc::ucontact

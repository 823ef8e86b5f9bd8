#pragma once
// Pure parsers and request builders for the CC-CMS monitoring OpenAPI
// (docs/vendors/api/huawei_cec.md §3): bytes in, an intermediate model or a typed
// error out; the Build*Snapshot functions turn the models into series.
//
// Every field is read in both spellings the CMS versions use (workno/workNo,
// …). 4294967295 and 4294967295000 mean "none" and give no series.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/huawei_cec/listing.h"
#include "common/result.h"
#include "model/agent_state.h"
#include "model/snapshot.h"

namespace cc::huawei_cec {

// One agent of agentbyconfigedskill (or the single-agent object).
struct AgentRow {
  std::string id;  // workno
  std::string name;
  std::optional<std::string> phone;
  std::optional<std::string> group;
  std::optional<double> media_type;
  std::optional<double> status;
  std::optional<double> cti_status;
  std::optional<double> state_seconds;  // currentstatetime
  std::optional<double> login_ms;       // logindate, epoch ms
};

struct SkillAgents {
  std::string skill;
  std::vector<AgentRow> agents;
};

struct SkillStatus {  // totalskillstatusex3
  std::string skill;
  std::string description;
  std::optional<double> waiting;
  std::optional<double> longest_wait_seconds;
  std::optional<double> logged_in;
  std::optional<double> available;
  std::optional<double> max_waiting;
};

struct WindowStats {  // currentcallstateinfo
  std::string skill;
  std::optional<double> start_ms;
  std::optional<double> offered;
  std::optional<double> answered;
  std::optional<double> abandoned;
  std::optional<double> ended;
  std::optional<double> ivr_talk_seconds;
  std::optional<double> answered_within_20s;
  std::optional<double> wrapped_up;
  std::optional<double> wrap_up_seconds;
};

struct RestAgent {
  std::string id;  // workno
  std::string name;
  std::optional<double> blocked_reason;  // cantrestreason
  std::optional<double> begin_ms;        // begintime
  std::optional<double> requested_seconds;
};

struct RestInfo {                   // agentrestinfo
  std::optional<double> approved;   // allowrestnum
  std::optional<double> on_break;   // onrestnum
  std::optional<double> requested;  // waitrestnum
  std::vector<RestAgent> agents;
};

struct SnapshotOptions {
  bool agent_metrics = true;
  std::chrono::system_clock::time_point now;  // poll time, for state-since
};

// Fields present but unusable ("agent 1001.status"), for the collector's
// report. Filled by the parsers below when given.
using UnusableFields = std::vector<std::string>;

// Envelope: success is resultCode "0100000", or result "0" when there is no
// resultCode; anything else is vendor_error naming the code. Not JSON or a
// wrong shape is parse. An unusable value (not a number, a negative count)
// drops only its field and is recorded in `unusable`.
Result<std::vector<AgentRow>> ParseSkillAgents(std::string_view body, UnusableFields* unusable = nullptr);
Result<std::vector<SkillStatus>> ParseSkillStatus(std::string_view body, UnusableFields* unusable = nullptr);
Result<std::vector<WindowStats>> ParseCallStats(std::string_view body, UnusableFields* unusable = nullptr);
Result<RestInfo> ParseRestInfo(std::string_view body, UnusableFields* unusable = nullptr);

Snapshot BuildAgentsSnapshot(const std::vector<SkillAgents>& skills, const SnapshotOptions& options);
// callcenter_queue_info{name, media}: a listed skill's name (its skillDescrip
// when the listing has none) and media type (CallMediaName); media "" for a
// skill not in `listed`.
Snapshot BuildSkillStatusSnapshot(const std::vector<SkillStatus>& skills, std::span<const ListedSkill> listed = {});
Snapshot BuildCallStatsSnapshot(const std::vector<WindowStats>& skills);
Snapshot BuildRestSnapshot(const RestInfo& info, const SnapshotOptions& options);

// The `status` table of docs/metrics.md.
AgentState MapAgentState(int status);
// Agent type table (§4.3): 1 → "userline"; unknown codes as their number.
std::string MediaTypeName(int code);
// cantrestreason → the reason label of callcenter_agent_break_blocked; empty if unknown.
std::string_view BlockedReasonName(int code);

// Compact JSON bodies, signed and sent byte for byte.
std::string SkillAgentsBody(std::int64_t cc_id, std::int64_t vdn, std::int64_t skill);
std::string SkillIdsBody(std::int64_t cc_id, std::int64_t vdn, std::span<const std::int64_t> skills);
std::string VdnBody(std::int64_t cc_id, std::int64_t vdn);

}  // namespace cc::huawei_cec

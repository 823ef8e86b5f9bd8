#pragma once
// The CC-CMS monitoring OpenAPI over the model (docs/vendors/api/huawei_cec.md §3):
// which path is which interface in which generation, the request bodies it
// accepts and the responses it renders. Authentication is the caller's job
// (auth.h); this file only sees requests that passed it.
//
// Generations: the current paths (§4.1) answer with camelCase fields and
// the full envelope (result, resultCode, resultDatas, resultDesc); the
// legacy seed-era paths (§5.13, seed 001) answer with the lower-case
// spellings and only result + resultDatas.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"
#include "tools/sim/huawei_cec/model.h"

namespace cc::sim::huawei_cec {

enum class HuaweiEndpoint { skill_agents, skill_status, skill_call_stats, vdn_rest, skill_list };
enum class HuaweiGeneration { current, legacy };

struct HuaweiRoute {
  HuaweiEndpoint endpoint;
  HuaweiGeneration generation;
};

inline constexpr std::string_view kHuaweiApiPrefix = "/rest/cmsapp/";
inline constexpr std::size_t kHuaweiMaxSkillIds = 1000;

std::optional<HuaweiRoute> FindHuaweiRoute(std::string_view path);

// The body forms a request may take: the documents show ccId/vdn both flat
// and wrapped in {"queryParam":{…}}.
enum class HuaweiBodyForms { both, flat, query_param };

// The VDN the simulator plays.
struct HuaweiVdn {
  std::int64_t cc_id = 1;
  std::int64_t vdn = 1;
  // What configures/skills takes; the other form gets "invalid parameter".
  HuaweiBodyForms listing_forms = HuaweiBodyForms::both;
};

// Counters of the simulator's requests, for /_sim/state.
struct HuaweiAuthCounters {
  std::uint64_t requests = 0;                   // API requests received
  std::uint64_t ok = 0;                         // passed the signature check
  std::uint64_t unauthorized = 0;               // answered 401
  std::uint64_t forbidden = 0;                  // answered 403 (IP locked)
  std::uint64_t locks = 0;                      // times an IP got locked
  std::string last_failure;                     // AuthVerdict name of the last 401
  std::map<std::string, std::uint64_t> served;  // authenticated requests per known path
};

// The answer to an authenticated request: 200 with the vendor envelope
// (success or error code), 404 for an unknown path, 405 for a method other
// than POST.
http::Response HandleHuaweiCecApi(const http::Request& req, const HuaweiCecView& view, const HuaweiVdn& vdn);

// The CC-FS style body of a 401/403: {timestamp, status, error}.
std::string RenderHuaweiAuthError(unsigned status, std::int64_t now_ms);

// Response bodies (exposed for the unit tests).
std::string RenderHuaweiSkillAgents(const HuaweiCecView& view, int skill, std::int64_t vdn, HuaweiGeneration g);
std::string RenderHuaweiSkillStatus(const HuaweiCecView& view, const std::vector<int>& skills);
std::string RenderHuaweiCallStats(const HuaweiCecView& view, const std::vector<int>& skills);
std::string RenderHuaweiRestInfo(const HuaweiCecView& view, HuaweiGeneration g);
// configures/skills: {id, mediaType, submediaType "-1", name} per queue.
std::string RenderHuaweiSkillList(const HuaweiCecView& view);
std::string RenderHuaweiError(std::string_view code, std::string_view description, HuaweiGeneration g);

// The value of "huawei_cec" in /_sim/state (shape in tools/sim/huawei_cec/README.md).
std::string RenderHuaweiCecState(const HuaweiCecView& view, const HuaweiVdn& vdn, const HuaweiAuthCounters& auth);

}  // namespace cc::sim::huawei_cec

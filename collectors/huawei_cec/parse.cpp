#include "collectors/huawei_cec/parse.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <set>
#include <utility>

#include <rapidjson/document.h>

#include "collectors/huawei_cec/envelope.h"
#include "collectors/huawei_cec/metrics.h"
#include "collectors/kit/field_reader.h"
#include "collectors/kit/json.h"
#include "model/metrics.h"

namespace cc::huawei_cec {
namespace {

using namespace cc::kit;

// 4294967295 and 4294967295000 (UINT32_MAX, in s or ms) mean "none".
bool IsSentinel(const Value& v) {
  const auto n = NumberOf(v);
  return n && (*n == 4294967295.0 || *n == 4294967295000.0);
}

// The first of `keys` present and not null (versions differ in case).
const Value* MemberOf(const Value& obj, Keys keys) {
  for (const char* key : keys) {
    if (const Value* v = Member(obj, key)) return v;
  }
  return nullptr;
}

// Ids: 101 or "101"; an empty string is no id.
std::optional<std::string> IdOf(const Value& v) {
  auto id = IdText(v);
  if (id && id->empty()) return std::nullopt;
  return id;
}

// A reader for one payload element: Huawei's sentinels give no value.
FieldReader Reader(const Value& v, std::string prefix, UnusableFields& unusable) {
  return FieldReader(v, std::move(prefix), unusable, &IsSentinel);
}

// Parses, checks the envelope and hands each payload element to `each`.
// An object payload counts as a list of one.
template <class T, class F>
Result<std::vector<T>> ParseList(std::string_view body, F each, UnusableFields& unusable) {
  rapidjson::Document doc;
  if (auto error = ParseDocument(doc, body, "", Echo::body, &unusable)) return *error;
  auto payload = Payload(doc, body);
  if (!payload) return payload.error();
  std::vector<T> out;
  auto one = [&](const Value& v) -> std::optional<Error> {
    if (!v.IsObject()) return ParseError("payload element is not an object");
    auto item = each(v);
    if (!item) return item.error();
    out.push_back(std::move(item).value());
    return std::nullopt;
  };
  const Value& p = **payload;
  if (p.IsObject()) {
    if (auto err = one(p)) return *err;
  } else {
    for (const Value& v : p.GetArray()) {
      if (auto err = one(v)) return *err;
    }
  }
  return out;
}

// The element's id, or a parse error naming what lacks one: without its id an
// element cannot be placed at all.
Result<std::string> RequiredId(const Value& v, Keys keys, std::string_view what) {
  const Value* id = MemberOf(v, keys);
  auto text = id == nullptr ? std::nullopt : IdOf(*id);
  if (!text) return ParseError(std::string(what) + " without " + *keys.begin());
  return *text;
}

Result<AgentRow> ParseAgent(const Value& v, UnusableFields& unusable) {
  constexpr Range kCount = Range::non_negative;
  AgentRow a;
  auto id = RequiredId(v, {"workno", "workNo", "agentId"}, "agent");
  if (!id) return id.error();
  a.id = *id;
  FieldReader f = Reader(v, "agent " + a.id + ".", unusable);
  a.name = f.Text("name");
  if (auto phone = f.Text({"phonenumber", "phoneNumber"}); !phone.empty()) a.phone = std::move(phone);
  a.group = f.Id({"groupid", "groupId"});
  a.media_type = f.Number({"mediatype", "mediaType"}, kCount);
  a.status = f.Number("status");
  a.cti_status = f.Number({"ctiStatus", "citStatus", "ctistatus"});
  a.state_seconds = f.Number({"currentstatetime", "currentStateTime"}, kCount);
  a.login_ms = f.Number({"logindate", "loginDate"}, kCount);
  return a;
}

Result<SkillStatus> ParseStatus(const Value& v, UnusableFields& unusable) {
  constexpr Range kCount = Range::non_negative;
  SkillStatus s;
  auto id = RequiredId(v, {"skillId", "skillid", "id"}, "skill status");
  if (!id) return id.error();
  s.skill = *id;
  FieldReader f = Reader(v, "skill " + s.skill + ".", unusable);
  s.description = f.Text({"skillDescrip", "skilldescrip"});
  s.waiting = f.Number({"queueSize", "queuesize"}, kCount);
  s.longest_wait_seconds = f.Number({"queueTime", "queuetime"}, kCount);
  s.logged_in = f.Number({"loggedOnAgents", "loggedonagents"}, kCount);
  s.available = f.Number({"availAgents", "availagents"}, kCount);
  s.max_waiting = f.Number({"maxQueueSize", "maxqueuesize"}, kCount);
  return s;
}

Result<WindowStats> ParseWindow(const Value& v, UnusableFields& unusable) {
  constexpr Range kCount = Range::non_negative;
  WindowStats w;
  auto id = RequiredId(v, {"id", "skillId"}, "call statistics");
  if (!id) return id.error();
  w.skill = *id;
  FieldReader f = Reader(v, "skill " + w.skill + ".", unusable);
  w.start_ms = f.Number({"startTime", "starttime"}, kCount);
  w.offered = f.Number({"allCallCount", "allcallcount"}, kCount);
  w.answered = f.Number({"cnnedCallCount", "cnnedcallcount"}, kCount);
  w.abandoned = f.Number({"abanCallCount", "abancallcount"}, kCount);
  w.ended = f.Number({"callEndCount", "callendcount"}, kCount);
  w.ivr_talk_seconds = f.Number({"talkTimeOnIvr", "talktimeonivr"}, kCount);
  w.answered_within_20s = f.Number({"cnnedIn20sCallCount", "cnnedin20scallcount"}, kCount);
  w.wrapped_up = f.Number({"clearUpCallCount", "clearupcallcount"}, kCount);
  w.wrap_up_seconds = f.Number({"clearUpTime", "clearuptime"}, kCount);
  return w;
}

Result<RestAgent> ParseRestAgent(const Value& v, UnusableFields& unusable) {
  RestAgent a;
  auto id = RequiredId(v, {"workno", "workNo", "agentId"}, "rest detail");
  if (!id) return id.error();
  a.id = *id;
  FieldReader f = Reader(v, "rest " + a.id + ".", unusable);
  a.name = f.Text({"agentname", "agentName", "name"});
  a.blocked_reason = f.Number({"cantrestreason", "cantRestReason", "cantRestCause"});
  a.begin_ms = f.Number({"begintime", "beginTime"}, Range::non_negative);
  a.requested_seconds = f.Number({"restduration", "restDuration", "reqRestDura"}, Range::non_negative);
  return a;
}

// A code field as an int; -1 (no table entry) for fractions and huge values.
int Code(double v) { return IntegerCode(v).value_or(-1); }

void AddIf(Snapshot& snap, const MetricDef& def, Labels labels, const std::optional<double>& v) {
  if (v) snap.Add(def, std::move(labels), *v);
}

std::string Join(std::span<const std::int64_t> ids) {
  std::string out;
  for (std::int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace

namespace {

// `parse` with a place for the unusable fields, whether the caller wants them or not.
template <class T, class Parse>
Result<std::vector<T>> ParseElements(std::string_view body, Parse parse, UnusableFields* unusable) {
  UnusableFields ignored;
  UnusableFields& out = unusable ? *unusable : ignored;
  return ParseList<T>(
      body, [&](const Value& v) { return parse(v, out); }, out);
}

}  // namespace

Result<std::vector<AgentRow>> ParseSkillAgents(std::string_view body, UnusableFields* unusable) {
  return ParseElements<AgentRow>(body, ParseAgent, unusable);
}

Result<std::vector<SkillStatus>> ParseSkillStatus(std::string_view body, UnusableFields* unusable) {
  return ParseElements<SkillStatus>(body, ParseStatus, unusable);
}

Result<std::vector<WindowStats>> ParseCallStats(std::string_view body, UnusableFields* unusable) {
  return ParseElements<WindowStats>(body, ParseWindow, unusable);
}

Result<RestInfo> ParseRestInfo(std::string_view body, UnusableFields* unusable) {
  UnusableFields ignored;
  UnusableFields& out = unusable ? *unusable : ignored;
  RestInfo info;
  bool seen = false;
  auto parsed = ParseList<bool>(
      body,
      [&](const Value& v) -> Result<bool> {
        if (seen) return ParseError("rest info payload has more than one object");
        seen = true;
        FieldReader f = Reader(v, "", out);
        info.approved = f.Number({"allowrestnum", "allowRestNum", "allowRestAgentNum"}, Range::non_negative);
        info.on_break = f.Number({"onrestnum", "onRestNum", "onRestAgentNum"}, Range::non_negative);
        info.requested = f.Number({"waitrestnum", "waitRestNum", "waitRestAgentNum"}, Range::non_negative);
        const Value* details = MemberOf(v, {"agentsrestdetails", "agentsRestDetails", "details"});
        if (details == nullptr) return true;
        if (!details->IsArray()) return ParseError("agentsrestdetails is not an array");
        for (const Value& d : details->GetArray()) {
          if (!d.IsObject()) return ParseError("agentsrestdetails element is not an object");
          auto agent = ParseRestAgent(d, out);
          if (!agent) return agent.error();
          info.agents.push_back(std::move(agent).value());
        }
        return true;
      },
      out);
  if (!parsed) return parsed.error();
  if (!seen) return ParseError("rest info payload is empty");
  return info;
}

AgentState MapAgentState(int status) {
  switch (status) {
    case 4: return AgentState::available;
    case 7: return AgentState::on_call;
    case 5: return AgentState::wrap_up;
    case 3: return AgentState::not_ready;
    case 8: return AgentState::on_break;
    case 2: return AgentState::offline;
    default: return AgentState::unknown;
  }
}

std::string MediaTypeName(int code) {
  static constexpr std::string_view kNames[] = {
      "extension",  "userline", "1b1d", "single_phone", "pc_phone",       "isdn_2bd",           "isdn_6bd",
      "1b1d_phone", "manager",  "nb1d", "net",          "pc_phone_video", "single_phone_video", "emedia"};
  if (code >= 0 && code < static_cast<int>(std::size(kNames))) return std::string(kNames[code]);
  return std::to_string(code);
}

std::string_view BlockedReasonName(int code) {
  static constexpr std::string_view kNames[] = {"awaiting_approval", "agent_busy", "vdn_quota_full", "no_skill",
                                                "skill_quota_full"};
  if (code >= 0 && code < static_cast<int>(std::size(kNames))) return kNames[code];
  return {};
}

Snapshot BuildAgentsSnapshot(const std::vector<SkillAgents>& skills, const SnapshotOptions& options) {
  namespace m = cc::metrics;
  Snapshot snap;
  m::QueueAgentCounter counter;
  std::set<std::string> seen_agents;
  const double now = std::chrono::duration<double>(options.now.time_since_epoch()).count();
  for (const SkillAgents& skill : skills) {
    counter.AddQueue(skill.skill);
    std::set<std::string> members;
    for (const AgentRow& a : skill.agents) {
      if (!members.insert(a.id).second) continue;
      const AgentState state = a.status ? MapAgentState(Code(*a.status)) : AgentState::unknown;
      counter.Count(skill.skill, state);
      snap.Add(m::queue_member_info, {{"queue", skill.skill}, {"agent", a.id}}, 1);
      if (!options.agent_metrics || !seen_agents.insert(a.id).second) continue;

      Labels info{{"agent", a.id}, {"name", a.name}};
      if (a.phone) info.emplace_back("phone", *a.phone);
      if (a.group) info.emplace_back("group", *a.group);
      if (a.media_type) info.emplace_back("media", MediaTypeName(Code(*a.media_type)));
      snap.Add(m::agent_info, std::move(info), 1);
      m::AddAgentState(snap, a.id, state);
      AddIf(snap, m::agent_status_code, {{"agent", a.id}}, a.status);
      AddIf(snap, metrics::agent_cti_state_code, {{"agent", a.id}}, a.cti_status);
      if (a.state_seconds && *a.state_seconds >= 0) {
        snap.Add(m::agent_state_since_timestamp_seconds, {{"agent", a.id}}, std::floor(now - *a.state_seconds));
      }
      // 0 is what a never-signed-in agent carries: no login time, not 1970.
      if (a.login_ms && *a.login_ms > 0) {
        snap.Add(m::agent_login_timestamp_seconds, {{"agent", a.id}}, *a.login_ms / 1000);
      }
    }
  }
  counter.EmitTo(snap);
  return snap;
}

Snapshot BuildSkillStatusSnapshot(const std::vector<SkillStatus>& skills, std::span<const ListedSkill> listed) {
  namespace m = cc::metrics;
  Snapshot snap;
  std::set<std::string> seen;
  for (const SkillStatus& s : skills) {
    if (!seen.insert(s.skill).second) continue;
    auto entry = std::find_if(listed.begin(), listed.end(),
                              [&](const ListedSkill& l) { return std::to_string(l.id) == s.skill; });
    std::string name = s.description;
    std::string media;
    if (entry != listed.end()) {
      if (!entry->name.empty()) name = entry->name;
      if (entry->media_type) media = CallMediaName(*entry->media_type);
    }
    snap.Add(m::queue_info, {{"queue", s.skill}, {"name", std::move(name)}, {"media", std::move(media)}}, 1);
    AddIf(snap, m::queue_calls_waiting, {{"queue", s.skill}}, s.waiting);
    AddIf(snap, m::queue_max_calls_waiting, {{"queue", s.skill}}, s.max_waiting);
    AddIf(snap, m::queue_longest_wait_seconds, {{"queue", s.skill}}, s.longest_wait_seconds);
    AddIf(snap, m::queue_agents_logged_in, {{"queue", s.skill}}, s.logged_in);
    AddIf(snap, m::queue_agents_available, {{"queue", s.skill}}, s.available);
  }
  return snap;
}

Snapshot BuildCallStatsSnapshot(const std::vector<WindowStats>& skills) {
  namespace m = cc::metrics;
  Snapshot snap;
  std::set<std::string> seen;
  for (const WindowStats& w : skills) {
    if (!seen.insert(w.skill).second) continue;
    const Labels q{{"queue", w.skill}};
    if (w.start_ms && *w.start_ms > 0) snap.Add(m::queue_window_start_timestamp_seconds, q, *w.start_ms / 1000);
    AddIf(snap, m::queue_window_calls_offered, q, w.offered);
    AddIf(snap, m::queue_window_calls_answered, q, w.answered);
    AddIf(snap, m::queue_window_calls_abandoned, q, w.abandoned);
    AddIf(snap, m::queue_window_calls_ended, q, w.ended);
    AddIf(snap, m::queue_window_calls_answered_within_20s, q, w.answered_within_20s);
    AddIf(snap, m::queue_window_ivr_talk_seconds, q, w.ivr_talk_seconds);
    AddIf(snap, m::queue_window_calls_wrapped_up, q, w.wrapped_up);
    AddIf(snap, m::queue_window_wrap_up_seconds, q, w.wrap_up_seconds);
  }
  return snap;
}

Snapshot BuildRestSnapshot(const RestInfo& info, const SnapshotOptions& options) {
  namespace m = cc::metrics;
  Snapshot snap;
  AddIf(snap, m::break_agents, {{"phase", "approved"}}, info.approved);
  AddIf(snap, m::break_agents, {{"phase", "on_break"}}, info.on_break);
  AddIf(snap, m::break_agents, {{"phase", "requested"}}, info.requested);
  if (!options.agent_metrics) return snap;
  std::set<std::string> seen;
  for (const RestAgent& a : info.agents) {
    if (!seen.insert(a.id).second) continue;
    const Labels agent{{"agent", a.id}};
    // begintime is documented as "timestamp"; the seed's 2345 is no epoch, so
    // milliseconds are assumed only for values that look like epoch ms.
    if (a.begin_ms && *a.begin_ms > 0) {
      snap.Add(m::agent_break_start_timestamp_seconds, agent, *a.begin_ms >= 1e11 ? *a.begin_ms / 1000 : *a.begin_ms);
    }
    AddIf(snap, m::agent_break_requested_seconds, agent, a.requested_seconds);
    if (!a.blocked_reason) continue;
    snap.Add(metrics::agent_break_blocked_reason_code, agent, *a.blocked_reason);
    const std::string_view reason = BlockedReasonName(Code(*a.blocked_reason));
    if (reason.empty()) continue;
    for (int code = 0; !BlockedReasonName(code).empty(); ++code) {
      snap.Add(m::agent_break_blocked, {{"agent", a.id}, {"reason", std::string(BlockedReasonName(code))}},
               BlockedReasonName(code) == reason ? 1 : 0);
    }
  }
  return snap;
}

std::string SkillAgentsBody(std::int64_t cc_id, std::int64_t vdn, std::int64_t skill) {
  return R"({"queryParam":{"ccId":)" + std::to_string(cc_id) + R"(,"vdn":)" + std::to_string(vdn) + R"(,"skillId":)" +
         std::to_string(skill) + "}}";
}

std::string SkillIdsBody(std::int64_t cc_id, std::int64_t vdn, std::span<const std::int64_t> skills) {
  return R"({"ccId":)" + std::to_string(cc_id) + R"(,"vdn":)" + std::to_string(vdn) + R"(,"skillIds":[)" +
         Join(skills) + "]}";
}

std::string VdnBody(std::int64_t cc_id, std::int64_t vdn) {
  return R"({"queryParam":{"ccId":)" + std::to_string(cc_id) + R"(,"vdn":)" + std::to_string(vdn) + "}}";
}

}  // namespace cc::huawei_cec

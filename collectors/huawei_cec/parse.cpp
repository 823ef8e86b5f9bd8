#include "collectors/huawei_cec/parse.h"

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <set>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "collectors/common/json_fields.h"
#include "collectors/huawei_cec/metrics.h"
#include "model/metrics.h"

namespace cc::huawei_cec {
namespace {

using json::Snippet;
using json::Str;
using json::Trim;
using rapidjson::Value;
using Keys = std::initializer_list<const char*>;

constexpr std::string_view kSuccessCode = "0100000";

// The first of `keys` that is present and not null (versions differ in case).
const Value* Member(const Value& obj, Keys keys) {
  for (const char* key : keys) {
    if (const Value* v = json::Member(obj, key)) return v;
  }
  return nullptr;
}

bool IsSentinel(double v) { return v == 4294967295.0 || v == 4294967295000.0; }

std::optional<double> NumberOf(const Value& v) {
  auto out = json::NumberOf(v);
  if (!out || !std::isfinite(*out) || IsSentinel(*out)) return std::nullopt;
  return out;
}

std::optional<double> Number(const Value& obj, Keys keys) {
  const Value* v = Member(obj, keys);
  return v == nullptr ? std::nullopt : NumberOf(*v);
}

// Ids: 101 or "101"; an empty string is no id.
std::optional<std::string> IdText(const Value& v) {
  auto id = json::IdText(v);
  if (id && id->empty()) return std::nullopt;
  return id;
}

std::optional<std::string> Id(const Value& obj, Keys keys) {
  const Value* v = Member(obj, keys);
  return v == nullptr ? std::nullopt : IdText(*v);
}

std::string Text(const Value& obj, Keys keys) {
  const Value* v = Member(obj, keys);
  if (v == nullptr) return {};
  if (v->IsString()) return std::string(Str(*v));
  return IdText(*v).value_or("");
}

Error ParseError(std::string message) { return MakeError(Reason::parse, std::move(message)); }

// Checks the envelope and returns the payload (resultDesc, else resultDatas).
Result<const Value*> Payload(const rapidjson::Document& doc, std::string_view body) {
  if (!doc.IsObject()) return ParseError("response is not a JSON object: \"" + Snippet(Trim(body)) + "\"");
  const Value* code = Member(doc, {"resultCode"});
  const Value* result = Member(doc, {"result"});
  bool ok = false;
  std::string failure;
  if (code != nullptr) {
    const auto text = IdText(*code);
    ok = text == kSuccessCode;
    failure = "resultCode " + Snippet(text.value_or("?"));
  } else if (result != nullptr) {
    const auto text = IdText(*result);
    ok = text == "0";
    failure = "result " + Snippet(text.value_or("?"));
  } else {
    return ParseError("response has neither `resultCode` nor `result`");
  }
  if (!ok) {
    // On failure resultDesc is a message, e.g. "Invalid parameter".
    if (const Value* desc = Member(doc, {"resultDesc"}); desc != nullptr && desc->IsString()) {
      failure += " (" + Snippet(Str(*desc)) + ")";
    }
    return MakeError(Reason::vendor_error, "CC-CMS request failed: " + failure);
  }
  const Value* desc = Member(doc, {"resultDesc"});
  if (desc != nullptr && (desc->IsArray() || desc->IsObject())) return desc;
  const Value* datas = Member(doc, {"resultDatas"});
  if (datas != nullptr && (datas->IsArray() || datas->IsObject())) return datas;
  return ParseError("response has no `resultDesc` or `resultDatas` payload");
}

// Parses, checks the envelope and hands each payload element to `each`.
// An object payload counts as a list of one.
template <class T, class F>
Result<std::vector<T>> ParseList(std::string_view body, F each) {
  if (Trim(body).empty()) return ParseError("empty body");
  if (body.find('\0') != std::string_view::npos) return ParseError("body contains a NUL byte");
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    return ParseError(std::string("not JSON (") + rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                      std::to_string(doc.GetErrorOffset()) + "), body starts with \"" + Snippet(Trim(body)) + "\"");
  }
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

Result<AgentRow> ParseAgent(const Value& v) {
  AgentRow a;
  auto id = Id(v, {"workno", "workNo", "agentId"});
  if (!id) return ParseError("agent without workno");
  a.id = *id;
  a.name = Text(v, {"name"});
  if (const Value* phone = Member(v, {"phonenumber", "phoneNumber"})) a.phone = IdText(*phone);
  a.group = Id(v, {"groupid", "groupId"});
  a.media_type = Number(v, {"mediatype", "mediaType"});
  a.status = Number(v, {"status"});
  a.cti_status = Number(v, {"ctiStatus", "citStatus", "ctistatus"});
  a.state_seconds = Number(v, {"currentstatetime", "currentStateTime"});
  a.login_ms = Number(v, {"logindate", "loginDate"});
  return a;
}

Result<SkillStatus> ParseStatus(const Value& v) {
  SkillStatus s;
  auto id = Id(v, {"skillId", "skillid", "id"});
  if (!id) return ParseError("skill status without skillId");
  s.skill = *id;
  s.description = Text(v, {"skillDescrip", "skilldescrip"});
  s.waiting = Number(v, {"queueSize", "queuesize"});
  s.longest_wait_seconds = Number(v, {"queueTime", "queuetime"});
  s.logged_in = Number(v, {"loggedOnAgents", "loggedonagents"});
  s.available = Number(v, {"availAgents", "availagents"});
  s.max_waiting = Number(v, {"maxQueueSize", "maxqueuesize"});
  return s;
}

Result<WindowStats> ParseWindow(const Value& v) {
  WindowStats w;
  auto id = Id(v, {"id", "skillId"});
  if (!id) return ParseError("call statistics without skill id");
  w.skill = *id;
  w.start_ms = Number(v, {"startTime", "starttime"});
  w.offered = Number(v, {"allCallCount", "allcallcount"});
  w.answered = Number(v, {"cnnedCallCount", "cnnedcallcount"});
  w.abandoned = Number(v, {"abanCallCount", "abancallcount"});
  w.ended = Number(v, {"callEndCount", "callendcount"});
  w.ivr_talk_seconds = Number(v, {"talkTimeOnIvr", "talktimeonivr"});
  w.answered_within_20s = Number(v, {"cnnedIn20sCallCount", "cnnedin20scallcount"});
  w.wrapped_up = Number(v, {"clearUpCallCount", "clearupcallcount"});
  w.wrap_up_seconds = Number(v, {"clearUpTime", "clearuptime"});
  return w;
}

Result<RestAgent> ParseRestAgent(const Value& v) {
  RestAgent a;
  auto id = Id(v, {"workno", "workNo", "agentId"});
  if (!id) return ParseError("rest detail without workno");
  a.id = *id;
  a.name = Text(v, {"agentname", "agentName", "name"});
  a.blocked_reason = Number(v, {"cantrestreason", "cantRestReason", "cantRestCause"});
  a.begin_ms = Number(v, {"begintime", "beginTime"});
  a.requested_seconds = Number(v, {"restduration", "restDuration", "reqRestDura"});
  return a;
}

// A code field as an int; -1 (no table entry) for fractions and huge values,
// which a plain cast would turn into undefined behaviour.
int Code(double v) { return (v >= -1 && v <= 1e6 && v == std::floor(v)) ? static_cast<int>(v) : -1; }

void AddIf(Snapshot& snap, const MetricDef& def, Labels labels, const std::optional<double>& v) {
  if (v) snap.Add(def, std::move(labels), *v);
}

std::string Join(std::span<const std::int64_t> ids) {
  std::string out;
  for (std::int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace

Result<std::vector<AgentRow>> ParseSkillAgents(std::string_view body) { return ParseList<AgentRow>(body, ParseAgent); }

Result<std::vector<SkillStatus>> ParseSkillStatus(std::string_view body) {
  return ParseList<SkillStatus>(body, ParseStatus);
}

Result<std::vector<WindowStats>> ParseCallStats(std::string_view body) {
  return ParseList<WindowStats>(body, ParseWindow);
}

Result<RestInfo> ParseRestInfo(std::string_view body) {
  RestInfo info;
  bool seen = false;
  auto parsed = ParseList<bool>(body, [&](const Value& v) -> Result<bool> {
    if (seen) return ParseError("rest info payload has more than one object");
    seen = true;
    info.approved = Number(v, {"allowrestnum", "allowRestNum", "allowRestAgentNum"});
    info.on_break = Number(v, {"onrestnum", "onRestNum", "onRestAgentNum"});
    info.requested = Number(v, {"waitrestnum", "waitRestNum", "waitRestAgentNum"});
    const Value* details = Member(v, {"agentsrestdetails", "agentsRestDetails", "details"});
    if (details == nullptr) return true;
    if (!details->IsArray()) return ParseError("agentsrestdetails is not an array");
    for (const Value& d : details->GetArray()) {
      if (!d.IsObject()) return ParseError("agentsrestdetails element is not an object");
      auto agent = ParseRestAgent(d);
      if (!agent) return agent.error();
      info.agents.push_back(std::move(agent).value());
    }
    return true;
  });
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

Snapshot BuildSkillStatusSnapshot(const std::vector<SkillStatus>& skills) {
  namespace m = cc::metrics;
  Snapshot snap;
  std::set<std::string> seen;
  for (const SkillStatus& s : skills) {
    if (!seen.insert(s.skill).second) continue;
    snap.Add(m::queue_info, {{"queue", s.skill}, {"name", s.description}}, 1);
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

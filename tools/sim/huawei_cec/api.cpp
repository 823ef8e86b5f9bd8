#include "tools/sim/huawei_cec/api.h"

#include <algorithm>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tools/sim/vendor_sim.h"

namespace cc::sim::huawei_cec {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using rapidjson::Value;

constexpr std::string_view kSuccess = "0100000";
constexpr std::string_view kInvalidParameter = "0100002";

struct PathEntry {
  std::string_view path;
  HuaweiRoute route;
};

// docs/vendors/api/huawei_cec.md §3.1/§3.2. totalskillstatusex3 and
// currentcallstateinfo have no older path in the notes: one generation.
constexpr PathEntry kPaths[] = {
    {"/rest/cmsapp/v1/openapi/skill/agentbyconfigedskill", {HuaweiEndpoint::skill_agents, HuaweiGeneration::current}},
    {"/rest/cmsapp/v1/openapi/agentgroup/agentbyconfigedskill",
     {HuaweiEndpoint::skill_agents, HuaweiGeneration::legacy}},
    {"/rest/cmsapp/v1/openapi/skill/totalskillstatusex3", {HuaweiEndpoint::skill_status, HuaweiGeneration::current}},
    {"/rest/cmsapp/v1/openapi/skill/currentcallstateinfo",
     {HuaweiEndpoint::skill_call_stats, HuaweiGeneration::current}},
    {"/rest/cmsapp/v1/openapi/agentgroup/agentrestinfos", {HuaweiEndpoint::vdn_rest, HuaweiGeneration::current}},
    {"/rest/cmsapp/v1/openapi/agentgroup/agentrestinfo", {HuaweiEndpoint::vdn_rest, HuaweiGeneration::legacy}},
    {"/rest/cmsapp/v1/openapi/configures/skills", {HuaweiEndpoint::skill_list, HuaweiGeneration::current}},
};

// Field names per generation: seed 001 (legacy) versus §4.1 camelCase.
struct Names {
  const char *workno, *group, *media, *vdn, *phone, *state_time, *login;
  const char *allow, *on, *wait, *details, *agent_name, *reason, *begin, *duration;
};
constexpr Names kLegacy{"workno",         "groupid",          "mediatype",         "vdnid",
                        "phonenumber",    "currentstatetime", "logindate",         "allowrestnum",
                        "onrestnum",      "waitrestnum",      "agentsrestdetails", "agentname",
                        "cantrestreason", "begintime",        "restduration"};
// The new names of agentrestinfos are not in the notes: the old fields in
// camelCase, as every other renamed field of the same release.
constexpr Names kCurrent{"workNo",         "groupId",          "mediaType",         "vdnId",
                         "phoneNumber",    "currentStateTime", "loginDate",         "allowRestNum",
                         "onRestNum",      "waitRestNum",      "agentsRestDetails", "agentName",
                         "cantRestReason", "beginTime",        "restDuration"};

const Names& NamesOf(HuaweiGeneration g) { return g == HuaweiGeneration::legacy ? kLegacy : kCurrent; }

void Key(Writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void Str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

// The success envelope around `payload` (written once per copy).
template <class F>
std::string Envelope(HuaweiGeneration g, F payload) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  Key(w, "result");
  Str(w, "0");
  if (g == HuaweiGeneration::current) {
    Key(w, "resultCode");
    Str(w, kSuccess);
  }
  Key(w, "resultDatas");
  payload(w);
  if (g == HuaweiGeneration::current) {
    Key(w, "resultDesc");
    payload(w);
  }
  w.EndObject();
  return sb.GetString();
}

void WriteAgent(Writer& w, const HuaweiAgentView& a, std::int64_t vdn, const Names& n) {
  w.StartObject();
  // One key and its value per line, as the vendor sends them.
  // clang-format off
  Key(w, n.workno); w.Int(a.workno);
  Key(w, "name"); Str(w, a.name);
  Key(w, "status"); w.Int(a.status);
  Key(w, "ctiStatus"); w.Int(a.cti_status);
  Key(w, n.group); w.Int(a.group);
  Key(w, n.media); w.Int(a.media_type);
  Key(w, n.vdn); w.Int64(vdn);
  // clang-format on
  Key(w, n.phone);
  if (a.phone) {
    Str(w, *a.phone);
  } else {
    w.Null();  // as seed 001 prints a missing phone number
  }
  // One key and its value per line, as the vendor sends them.
  // clang-format off
  Key(w, n.state_time); w.Int64(a.state_seconds);
  Key(w, n.login); w.Int64(a.login_ms.value_or(kHuaweiNoneMs));
  // clang-format on
  w.EndObject();
}

const HuaweiSkillView* FindSkill(const HuaweiCecView& view, int id) {
  for (const auto& s : view.skills) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

// 3 or "3" as an integer.
std::optional<std::int64_t> IntOf(const Value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsString()) {
    std::string_view s(v->GetString(), v->GetStringLength());
    if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    return std::stoll(std::string(s));
  }
  return std::nullopt;
}

const Value* Field(const Value& params, const char* name) {
  auto it = params.FindMember(name);
  return it == params.MemberEnd() ? nullptr : &it->value;
}

// skillIds as an array of numbers or numeric strings, or the Postman
// collection's string form "[1,2]".
std::optional<std::vector<std::int64_t>> SkillIdsOf(const Value* v) {
  if (v == nullptr) return std::nullopt;
  rapidjson::Document inner;
  if (v->IsString()) {
    inner.Parse(v->GetString(), v->GetStringLength());
    if (inner.HasParseError()) return std::nullopt;
    v = &inner;
  }
  if (!v->IsArray()) return std::nullopt;
  std::vector<std::int64_t> out;
  for (const Value& id : v->GetArray()) {
    auto n = IntOf(&id);
    if (!n) return std::nullopt;
    out.push_back(*n);
  }
  return out;
}

http::Response Ok(std::string body) { return JsonResponse(200, std::move(body)); }

http::Response Invalid(HuaweiGeneration g) { return Ok(RenderHuaweiError(kInvalidParameter, "Invalid parameter", g)); }

// The skill ids of a batch request, or nullopt for the error envelope:
// missing, empty, over 1000 (the platform's cap) or not a configured skill.
std::optional<std::vector<int>> BatchSkills(const Value& params, const HuaweiCecView& view) {
  auto ids = SkillIdsOf(Field(params, "skillIds"));
  if (!ids || ids->empty() || ids->size() > kHuaweiMaxSkillIds) return std::nullopt;
  std::vector<int> out;
  for (std::int64_t id : *ids) {
    if (id < 1 || id > 10000 || FindSkill(view, static_cast<int>(id)) == nullptr) return std::nullopt;
    out.push_back(static_cast<int>(id));
  }
  return out;
}

}  // namespace

std::optional<HuaweiRoute> FindHuaweiRoute(std::string_view path) {
  for (const auto& e : kPaths) {
    if (e.path == path) return e.route;
  }
  return std::nullopt;
}

std::string RenderHuaweiSkillAgents(const HuaweiCecView& view, int skill, std::int64_t vdn, HuaweiGeneration g) {
  const HuaweiSkillView* s = FindSkill(view, skill);
  return Envelope(g, [&](Writer& w) {
    w.StartArray();
    for (const auto& a : view.agents) {
      if (s != nullptr && std::find(s->agents.begin(), s->agents.end(), a.workno) != s->agents.end()) {
        WriteAgent(w, a, vdn, NamesOf(g));
      }
    }
    w.EndArray();
  });
}

std::string RenderHuaweiSkillStatus(const HuaweiCecView& view, const std::vector<int>& skills) {
  return Envelope(HuaweiGeneration::current, [&](Writer& w) {
    w.StartArray();
    for (int id : skills) {
      const HuaweiSkillView* s = FindSkill(view, id);
      if (s == nullptr) continue;
      w.StartObject();
      // One key and its value per line, as the vendor sends them.
      // clang-format off
      Key(w, "skillId"); w.Int(s->id);
      Key(w, "queueSize"); w.Int(s->queue_size);
      Key(w, "queueTime"); w.Int64(s->queue_time_seconds);
      Key(w, "loggedOnAgents"); w.Int(s->logged_on);
      Key(w, "availAgents"); w.Int(s->available);
      Key(w, "skillDescrip"); Str(w, s->description);
      Key(w, "callId"); Str(w, s->longest_call_id);
      Key(w, "maxQueueSize"); w.Int(s->max_queue_size);
      // clang-format on
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string RenderHuaweiCallStats(const HuaweiCecView& view, const std::vector<int>& skills) {
  return Envelope(HuaweiGeneration::current, [&](Writer& w) {
    w.StartArray();
    for (int id : skills) {
      const HuaweiSkillView* s = FindSkill(view, id);
      if (s == nullptr) continue;
      const HuaweiWindowView& x = s->window;
      w.StartObject();
      // One key and its value per line, as the vendor sends them.
      // clang-format off
      Key(w, "id"); w.Int(s->id);
      Key(w, "startTime"); w.Int64(x.start_ms);
      Key(w, "allCallCount"); w.Int64(x.offered);
      Key(w, "cnnedCallCount"); w.Int64(x.answered);
      Key(w, "abanCallCount"); w.Int64(x.abandoned);
      Key(w, "callEndCount"); w.Int64(x.ended);
      Key(w, "talkTimeOnIvr"); w.Int64(x.ivr_talk_seconds);
      Key(w, "cnnedIn20sCallCount"); w.Int64(x.answered_within_20s);
      Key(w, "clearUpCallCount"); w.Int64(x.wrapped_up);
      Key(w, "clearUpTime"); w.Int64(x.wrap_up_seconds);
      // clang-format on
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string RenderHuaweiRestInfo(const HuaweiCecView& view, HuaweiGeneration g) {
  const Names& n = NamesOf(g);
  return Envelope(g, [&](Writer& w) {
    w.StartObject();
    // One key and its value per line, as the vendor sends them.
    // clang-format off
    Key(w, n.allow); w.Int(view.breaks_approved);
    Key(w, n.on); w.Int(view.breaks_on);
    Key(w, n.wait); w.Int(view.breaks_requested);
    // clang-format on
    // Seed 001 prints `{[ ... ]}` here, which is not JSON; an array is meant.
    Key(w, n.details);
    w.StartArray();
    for (const auto& a : view.agents) {
      if (a.break_phase == HuaweiBreakPhase::none) continue;
      w.StartObject();
      // One key and its value per line, as the vendor sends them.
      // clang-format off
      Key(w, n.agent_name); Str(w, a.name);
      Key(w, n.workno); w.Int(a.workno);
      // clang-format on
      // "Only meaningful for waiting agents": null for one already on break.
      Key(w, n.reason);
      if (a.blocked_reason) {
        w.Int(*a.blocked_reason);
      } else {
        w.Null();
      }
      // One key and its value per line, as the vendor sends them.
      // clang-format off
      Key(w, n.begin); w.Int64(a.break_begin_ms);
      Key(w, n.duration); w.Int64(a.break_requested_seconds);
      // clang-format on
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

std::string RenderHuaweiSkillList(const HuaweiCecView& view) {
  return Envelope(HuaweiGeneration::current, [&](Writer& w) {
    w.StartArray();
    for (const auto& s : view.skills) {
      w.StartObject();
      // One key and its value per line, as the vendor sends them.
      // clang-format off
      Key(w, "id"); w.Int(s.id);
      Key(w, "mediaType"); w.Int(s.media_type);
      Key(w, "submediaType"); Str(w, "-1");
      Key(w, "name"); Str(w, s.description);
      // clang-format on
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string RenderHuaweiError(std::string_view code, std::string_view description, HuaweiGeneration g) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  // Old versions report the code in `result` (non-0 = failure).
  Key(w, g == HuaweiGeneration::legacy ? "result" : "resultCode");
  Str(w, code);
  Key(w, "resultDesc");
  Str(w, description);
  w.EndObject();
  return sb.GetString();
}

std::string RenderHuaweiAuthError(unsigned status, std::int64_t now_ms) {
  return R"({"timestamp":)" + std::to_string(now_ms) + R"(,"status":)" + std::to_string(status) + R"(,"error":")" +
         (status == 403 ? "Forbidden" : "Unauthorized") + "\"}";
}

http::Response HandleHuaweiCecApi(const http::Request& req, const HuaweiCecView& view, const HuaweiVdn& vdn) {
  const auto route = FindHuaweiRoute(req.path);
  if (!route) return JsonError(404, "no such CC-CMS interface");
  if (req.method != "POST") return JsonError(405, "only POST is supported");
  const HuaweiGeneration g = route->generation;

  rapidjson::Document doc;
  doc.Parse(req.body.c_str(), req.body.size());
  if (doc.HasParseError() || !doc.IsObject()) return Invalid(g);
  // Both envelopes the documentation shows: {"queryParam":{...}} and flat.
  const Value* qp = Field(doc, "queryParam");
  const bool wrapped = qp != nullptr && qp->IsObject();
  const Value& params = wrapped ? *qp : static_cast<const Value&>(doc);
  if (IntOf(Field(params, "ccId")) != vdn.cc_id || IntOf(Field(params, "vdn")) != vdn.vdn) return Invalid(g);

  switch (route->endpoint) {
    case HuaweiEndpoint::skill_agents: {
      auto skill = IntOf(Field(params, "skillId"));
      if (!skill || *skill < 1 || *skill > 10000 || FindSkill(view, static_cast<int>(*skill)) == nullptr) {
        return Invalid(g);
      }
      return Ok(RenderHuaweiSkillAgents(view, static_cast<int>(*skill), vdn.vdn, g));
    }
    case HuaweiEndpoint::skill_status:
    case HuaweiEndpoint::skill_call_stats: {
      auto skills = BatchSkills(params, view);
      if (!skills) return Invalid(g);
      return Ok(route->endpoint == HuaweiEndpoint::skill_status ? RenderHuaweiSkillStatus(view, *skills)
                                                                : RenderHuaweiCallStats(view, *skills));
    }
    case HuaweiEndpoint::vdn_rest: return Ok(RenderHuaweiRestInfo(view, g));
    case HuaweiEndpoint::skill_list: {
      const auto refused = wrapped ? HuaweiBodyForms::flat : HuaweiBodyForms::query_param;
      if (vdn.listing_forms == refused) return Invalid(g);
      return Ok(RenderHuaweiSkillList(view));
    }
  }
  return Invalid(g);
}

std::string RenderHuaweiCecState(const HuaweiCecView& view, const HuaweiVdn& vdn, const HuaweiAuthCounters& auth) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  // One key and its value per line, as the vendor sends them.
  // clang-format off
  Key(w, "cc_id"); w.Int64(vdn.cc_id);
  Key(w, "vdn"); w.Int64(vdn.vdn);
  Key(w, "now_ms"); w.Int64(view.now_ms);
  // clang-format on
  Key(w, "skills");
  w.StartArray();
  for (const auto& s : view.skills) {
    w.StartObject();
    // One key and its value per line, as the vendor sends them.
    // clang-format off
    Key(w, "id"); w.Int(s.id);
    Key(w, "description"); Str(w, s.description);
    Key(w, "media_type"); w.Int(s.media_type);
    Key(w, "queue_size"); w.Int(s.queue_size);
    Key(w, "queue_time_seconds"); w.Int64(s.queue_time_seconds);
    Key(w, "longest_call_id"); Str(w, s.longest_call_id);
    Key(w, "max_queue_size"); w.Int(s.max_queue_size);
    Key(w, "logged_on"); w.Int(s.logged_on);
    Key(w, "available"); w.Int(s.available);
    // clang-format on
    Key(w, "agents");
    w.StartArray();
    for (int a : s.agents) w.Int(a);
    w.EndArray();
    const HuaweiWindowView& x = s.window;
    Key(w, "window");
    w.StartObject();
    // One key and its value per line, as the vendor sends them.
    // clang-format off
    Key(w, "start_ms"); w.Int64(x.start_ms);
    Key(w, "offered"); w.Int64(x.offered);
    Key(w, "answered"); w.Int64(x.answered);
    Key(w, "abandoned"); w.Int64(x.abandoned);
    Key(w, "ended"); w.Int64(x.ended);
    Key(w, "ivr_talk_seconds"); w.Int64(x.ivr_talk_seconds);
    Key(w, "answered_within_20s"); w.Int64(x.answered_within_20s);
    Key(w, "wrapped_up"); w.Int64(x.wrapped_up);
    Key(w, "wrap_up_seconds"); w.Int64(x.wrap_up_seconds);
    // clang-format on
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  Key(w, "agents");
  w.StartArray();
  static constexpr const char* kPhases[] = {"none", "requested", "approved", "on_break"};
  for (const auto& a : view.agents) {
    w.StartObject();
    // One key and its value per line, as the vendor sends them.
    // clang-format off
    Key(w, "workno"); w.Int(a.workno);
    Key(w, "name"); Str(w, a.name);
    // clang-format on
    Key(w, "phone");
    if (a.phone) {
      Str(w, *a.phone);
    } else {
      w.Null();
    }
    // One key and its value per line, as the vendor sends them.
    // clang-format off
    Key(w, "group"); w.Int(a.group);
    Key(w, "media_type"); w.Int(a.media_type);
    Key(w, "status"); w.Int(a.status);
    Key(w, "cti_status"); w.Int(a.cti_status);
    Key(w, "state_seconds"); w.Int64(a.state_seconds);
    // clang-format on
    Key(w, "login_ms");
    if (a.login_ms) {
      w.Int64(*a.login_ms);
    } else {
      w.Null();
    }
    Key(w, "skills");
    w.StartArray();
    for (int s : a.skills) w.Int(s);
    w.EndArray();
    Key(w, "break_phase");
    w.String(kPhases[static_cast<int>(a.break_phase)]);
    if (a.break_phase != HuaweiBreakPhase::none) {
      Key(w, "break_reason");
      if (a.blocked_reason) {
        w.Int(*a.blocked_reason);
      } else {
        w.Null();
      }
      // One key and its value per line, as the vendor sends them.
      // clang-format off
      Key(w, "break_begin_ms"); w.Int64(a.break_begin_ms);
      Key(w, "break_requested_seconds"); w.Int64(a.break_requested_seconds);
      // clang-format on
    }
    w.EndObject();
  }
  w.EndArray();
  Key(w, "breaks");
  w.StartObject();
  // One key and its value per line, as the vendor sends them.
  // clang-format off
  Key(w, "approved"); w.Int(view.breaks_approved);
  Key(w, "on_break"); w.Int(view.breaks_on);
  Key(w, "requested"); w.Int(view.breaks_requested);
  // clang-format on
  w.EndObject();
  Key(w, "auth");
  w.StartObject();
  // One key and its value per line, as the vendor sends them.
  // clang-format off
  Key(w, "requests"); w.Uint64(auth.requests);
  Key(w, "ok"); w.Uint64(auth.ok);
  Key(w, "unauthorized"); w.Uint64(auth.unauthorized);
  Key(w, "forbidden"); w.Uint64(auth.forbidden);
  Key(w, "locks"); w.Uint64(auth.locks);
  Key(w, "last_failure"); Str(w, auth.last_failure);
  // clang-format on
  w.EndObject();
  Key(w, "served");
  w.StartObject();
  for (const auto& [path, n] : auth.served) {
    Key(w, path);
    w.Uint64(n);
  }
  w.EndObject();
  w.EndObject();
  return sb.GetString();
}

}  // namespace cc::sim::huawei_cec

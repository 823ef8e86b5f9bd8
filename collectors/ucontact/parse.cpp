#include "collectors/ucontact/parse.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <utility>

#include <rapidjson/document.h>

#include "collectors/kit/field_reader.h"
#include "collectors/kit/json.h"
#include "collectors/ucontact/metrics.h"
#include "config/url.h"
#include "model/metrics.h"

namespace cc::ucontact {
namespace {

using namespace cc::kit;

// 92.5 or "92.5" (percent) → 0.925.
std::optional<double> RatioOf(const Value& v) {
  if (v.IsNumber()) return v.GetDouble() / 100;
  return v.IsString() ? ParsePercentRatio(Str(v)) : std::nullopt;
}

// "HH:MM:SS-N"; unusable values are recorded.
std::optional<DurationCount> DurationOf(FieldReader& f, const char* key) {
  const Value* v = f.Get(key);
  if (v == nullptr) return std::nullopt;
  std::optional<DurationCount> out;
  if (v->IsString()) out = ParseDurationCount(Str(*v));
  if (!out) f.Unusable(key);
  return out;
}

// Shared front end: rejects what is not JSON, and uContact's bare `0` (its
// error answer on most endpoints) as a vendor error.
std::optional<Error> ParseAnswer(rapidjson::Document& doc, std::string_view body, std::string_view what,
                                 UnusableFields& repairs) {
  if (auto error = ParseDocument(doc, body, what, Echo::body, &repairs)) return error;
  if (doc.IsNumber() && doc.GetDouble() == 0)
    return MakeError(Reason::vendor_error, std::string(what) + ": answered 0");
  return std::nullopt;
}

Campaign ReadCampaign(const Value& v, std::string name, UnusableFields& unusable) {
  constexpr Range kCount = Range::non_negative;
  Campaign c;
  c.name = std::move(name);
  FieldReader f(v, c.name + ":", unusable);
  c.strategy = f.Text("strategy");
  c.availables = f.Number("availables", kCount);
  c.notavailables = f.Number("notavailables", kCount);
  c.paused = f.Number("paused", kCount);
  c.busy = f.Number("busy", kCount);
  c.busypaused = f.Number("busypaused", kCount);
  c.totalagents = f.Number("totalagents", kCount);
  c.logged = f.Number("logged", kCount);
  c.onwrapup = f.Number("onwrapup", kCount);
  c.completed = f.Number("completed", kCount);
  c.abandoned = f.Number("abandoned", kCount);
  c.totalcalls = f.Number("totalcalls", kCount);
  c.talked = DurationOf(f, "talked");
  c.hold = DurationOf(f, "hold");
  c.abandoned_ratio = f.Parsed("abandonedlevel", RatioOf, Range::unit);
  c.acd = f.Number("acd");
  c.service_level_ratio = f.Parsed("servicelevel", RatioOf, Range::unit);
  c.service_level2_ratio = f.Parsed("servicelevel2", RatioOf, Range::unit);
  c.service_level_threshold = f.Number("slevelthreshold", kCount);
  c.wrapup = f.Number("wrapup");
  return c;
}

Member ReadMember(const Value& v, std::string agent, std::string campaign, UnusableFields& unusable) {
  Member m;
  m.agent = std::move(agent);
  m.campaign = std::move(campaign);
  FieldReader f(v, m.campaign + ":" + m.agent + ":", unusable);
  m.name = f.Text("name");
  m.status = f.Number("status");
  m.paused = f.Bool("paused");
  m.penalty = f.Number("penalty");
  m.calls_taken = f.Number("callsTaken", Range::non_negative);
  m.last_call = f.Number("lastCall", Range::non_negative);
  m.incall = f.Number("incall", Range::non_negative);
  return m;
}

}  // namespace

Result<std::string> ParseToken(std::string_view body) {
  // Never echo the body: a token in a malformed answer is still a token.
  const auto text = Trim(body);
  if (text.empty()) return ParseError("getUserToken: empty body");
  if (text == "0") return MakeError(Reason::auth, "getUserToken refused the credentials (answered 0)");
  rapidjson::Document doc;
  if (auto error = ParseDocument(doc, body, "getUserToken", Echo::none)) return *error;
  if (!doc.IsArray()) return ParseError("getUserToken: answer is not a JSON array");
  if (doc.Empty()) return ParseError("getUserToken: empty array");
  const Value& last = doc[doc.Size() - 1];
  std::string token;
  if (last.IsString()) {
    token = std::string(Trim(Str(last)));
  } else if (last.IsInt64() || last.IsUint64()) {
    token = *IdText(last);
  } else {
    return ParseError("getUserToken: the last element is not a string");
  }
  if (token.empty() || token == "0") return MakeError(Reason::auth, "getUserToken refused the credentials (token 0)");
  for (unsigned char c : token) {
    // It goes into a header; base64 and UUIDs are plain visible ASCII.
    if (c <= 0x20 || c >= 0x7f) return ParseError("getUserToken: the token contains unexpected characters");
  }
  return token;
}

Result<std::vector<QueueSummary>> ParseQueueSummary(std::string_view body, UnusableFields* unusable) {
  UnusableFields ignored;
  rapidjson::Document doc;
  if (auto error = ParseAnswer(doc, body, "queuesummary", unusable ? *unusable : ignored)) return *error;
  if (!doc.IsArray()) return ShapeError("queuesummary", "answer is not a JSON array", body);
  std::vector<QueueSummary> out;
  for (const Value& v : doc.GetArray()) {
    if (!v.IsObject()) return ParseError("queuesummary: an element is not an object");
    const Value* queue = kit::Member(v, "queue");
    if (queue == nullptr) continue;  // the completion event that ends the list
    auto id = IdText(*queue);
    if (!id || id->empty()) return ParseError("queuesummary: an element has an empty or non-text `queue`");
    QueueSummary q;
    q.queue = *id;
    FieldReader f(v, q.queue + ":", unusable ? *unusable : ignored);
    q.logged_in = f.Number("loggedIn", Range::non_negative);
    q.available = f.Number("available", Range::non_negative);
    q.callers = f.Number("callers", Range::non_negative);
    q.hold_seconds = f.Number("holdTime", Range::non_negative);
    q.talk_seconds = f.Number("talkTime", Range::non_negative);
    q.longest_hold_seconds = f.Number("longestHoldTime", Range::non_negative);
    out.push_back(std::move(q));
  }
  return out;
}

Result<CampaignStatus> ParseCampaignStatus(std::string_view body, std::string_view asked, UnusableFields* unusable) {
  UnusableFields ignored;
  UnusableFields& out_unusable = unusable ? *unusable : ignored;
  rapidjson::Document doc;
  if (auto error = ParseAnswer(doc, body, "campaignstatus", out_unusable)) return *error;
  CampaignStatus out;
  // Gson renders an empty map as {}, but be lenient with [] too.
  if (doc.IsArray() && doc.Empty()) return out;
  if (!doc.IsObject()) return ShapeError("campaignstatus", "answer is not a JSON object", body);
  for (const auto& m : std::as_const(doc).GetObject()) {  // const: no C++20 reversed-operator ambiguity
    const std::string key(Trim(Str(m.name)));
    if (!m.value.IsObject()) return ParseError("campaignstatus: entry \"" + Snippet(key) + "\" is not an object");
    if (const Value* campaign = kit::Member(m.value, "campaign")) {
      auto name = IdText(*campaign);
      if (!name) return ParseError("campaignstatus: entry \"" + Snippet(key) + "\" has a non-text `campaign`");
      if (name->empty()) *name = key;
      if (name->empty()) return ParseError("campaignstatus: a campaign without a name");
      out.campaigns.push_back(ReadCampaign(m.value, std::move(*name), out_unusable));
    } else if (const Value* location = kit::Member(m.value, "location")) {
      auto agent = IdText(*location);
      if (!agent) return ParseError("campaignstatus: entry \"" + Snippet(key) + "\" has a non-text `location`");
      if (agent->empty()) *agent = key;
      if (agent->empty()) return ParseError("campaignstatus: an agent without a location");
      std::string campaign(asked);
      if (const Value* q = kit::Member(m.value, "queue"); q != nullptr && IdText(*q) && !IdText(*q)->empty()) {
        campaign = *IdText(*q);
      }
      if (campaign.empty()) return ParseError("campaignstatus: agent \"" + Snippet(*agent) + "\" without a campaign");
      out.members.push_back(ReadMember(m.value, std::move(*agent), std::move(campaign), out_unusable));
    }
    // Anything else (a future entry kind) is not ours to guess.
  }
  return out;
}

Snapshot BuildQueueSummarySnapshot(const std::vector<QueueSummary>& queues) {
  namespace m = cc::metrics;
  Snapshot snap;
  std::set<std::string> seen;
  for (const QueueSummary& q : queues) {
    if (!seen.insert(q.queue).second) continue;
    auto add = [&](const MetricDef& def, const std::optional<double>& v) {
      if (v) snap.Add(def, {{"queue", q.queue}}, *v);
    };
    add(m::queue_calls_waiting, q.callers);
    add(m::queue_agents_logged_in, q.logged_in);
    add(m::queue_agents_available, q.available);
    add(m::queue_average_wait_seconds, q.hold_seconds);
    add(m::queue_average_talk_seconds, q.talk_seconds);
    add(m::queue_longest_wait_seconds, q.longest_hold_seconds);
  }
  return snap;
}

namespace {

// The queue and campaign series of one campaign.
void AddCampaignSeries(Snapshot& snap, const Campaign& c) {
  namespace m = cc::metrics;
  namespace um = cc::ucontact::metrics;
  snap.Add(m::queue_info, {{"queue", c.name}, {"strategy", c.strategy}}, 1);
  auto add = [&](const MetricDef& def, const std::optional<double>& v) {
    if (v) snap.Add(def, {{"queue", c.name}}, *v);
  };
  add(m::queue_calls_answered_total, c.completed);
  add(m::queue_calls_abandoned_total, c.abandoned);
  add(m::queue_calls_offered_total, c.totalcalls);
  add(m::queue_service_level_threshold_seconds, c.service_level_threshold);
  add(m::queue_service_level_ratio, c.service_level_ratio);
  add(um::campaign_agents_available, c.availables);
  add(um::campaign_agents_not_available, c.notavailables);
  add(um::campaign_agents_paused, c.paused);
  add(um::campaign_agents_busy, c.busy);
  add(um::campaign_agents_busy_paused, c.busypaused);
  add(um::campaign_agents_members, c.totalagents);
  add(um::campaign_agents_logged, c.logged);
  add(um::campaign_agents_wrap_up, c.onwrapup);
  if (c.talked) {
    add(um::campaign_talked_seconds, c.talked->seconds);
    add(um::campaign_talked_calls, c.talked->count);
  }
  if (c.hold) {
    add(um::campaign_hold_seconds, c.hold->seconds);
    add(um::campaign_hold_calls, c.hold->count);
  }
  add(um::campaign_acd, c.acd);
  add(um::campaign_abandoned_ratio, c.abandoned_ratio);
  add(um::campaign_service_level_with_abandoned_ratio, c.service_level2_ratio);
  add(um::campaign_wrapup, c.wrapup);
}

}  // namespace

Snapshot BuildCampaignSnapshot(const CampaignStatus& status, const ParseOptions& options) {
  namespace m = cc::metrics;
  Snapshot snap;
  m::QueueAgentCounter counter;
  std::set<std::string> seen_campaigns;
  for (const Campaign& c : status.campaigns) {
    if (!seen_campaigns.insert(c.name).second) continue;
    counter.AddQueue(c.name);
    AddCampaignSeries(snap, c);
  }

  std::set<std::pair<std::string, std::string>> seen_members;
  std::set<std::string> seen_agents;
  for (const Member& a : status.members) {
    if (!seen_members.emplace(a.campaign, a.agent).second) continue;
    const AgentState state = AgentStateOf(a);
    counter.Count(a.campaign, state);
    const Labels member{{"queue", a.campaign}, {"agent", a.agent}};
    // Membership stays with agent_metrics off, as for the other vendors.
    snap.Add(m::queue_member_info, member, 1);
    if (!options.agent_metrics) continue;
    if (a.calls_taken) snap.Add(m::queue_member_calls_answered_total, member, *a.calls_taken);
    // Asterisk reports 0 for "never": no timestamp rather than 1970.
    if (a.last_call && *a.last_call > 0) snap.Add(m::queue_member_last_call_timestamp_seconds, member, *a.last_call);
    if (a.paused) snap.Add(m::queue_member_paused, member, *a.paused ? 1 : 0);
    if (a.penalty) snap.Add(m::queue_member_penalty, member, *a.penalty);
    if (a.incall) snap.Add(m::queue_member_in_call, member, *a.incall != 0 ? 1 : 0);
    if (!seen_agents.insert(a.agent).second) continue;
    snap.Add(m::agent_info, {{"agent", a.agent}, {"name", a.name}}, 1);
    m::AddAgentState(snap, a.agent, state);
    if (a.status) snap.Add(m::agent_status_code, {{"agent", a.agent}}, *a.status);
  }
  counter.EmitTo(snap);
  return snap;
}

AgentState MapAgentState(int status, bool paused) {
  switch (status) {
    case 1: return paused ? AgentState::not_ready : AgentState::available;
    case 6: return AgentState::ringing;
    case 2:
    case 3:
    case 7: return AgentState::on_call;
    case 8: return AgentState::on_hold;
    case 9: return AgentState::wrap_up;
    case 4:
    case 5: return AgentState::offline;
    default: return AgentState::unknown;
  }
}

AgentState AgentStateOf(const Member& member) {
  const auto status = member.status ? IntegerCode(*member.status) : std::nullopt;
  if (!status) return AgentState::unknown;
  return MapAgentState(*status, member.paused.value_or(false));
}

std::optional<DurationCount> ParseDurationCount(std::string_view text) {
  text = Trim(text);
  DurationCount out;
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    auto count = Digits(text.substr(dash + 1));
    if (!count) return std::nullopt;
    out.count = static_cast<double>(*count);
    text = text.substr(0, dash);
  }
  std::uint64_t parts[3];
  for (int i = 0; i < 3; ++i) {
    const auto colon = text.find(':');
    if ((i < 2) == (colon == std::string_view::npos)) return std::nullopt;
    auto part = Digits(text.substr(0, colon));
    if (!part || (i > 0 && *part >= 60)) return std::nullopt;
    parts[i] = *part;
    if (i < 2) text.remove_prefix(colon + 1);
  }
  out.seconds = static_cast<double>(parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return out;
}

std::string ResourceTarget(std::string_view base_path, std::string_view resource) {
  // The resources hang below the configured path; a query on it would end up
  // in the middle of the new path, so it is dropped.
  std::string target(base_path.substr(0, base_path.find('?')));
  if (target.empty() || target.back() != '/') target += '/';
  target += resource;
  return target;
}

}  // namespace cc::ucontact

#include "collectors/mixcall/parse.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <utility>

#include <rapidjson/document.h>

#include "collectors/kit/field_reader.h"
#include "collectors/kit/json.h"
#include "config/url.h"
#include "model/metrics.h"

namespace cc::mixcall {
namespace {

using namespace cc::kit;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

// "unlimited" or a number.
std::optional<double> MaxOf(const Value& v) {
  if (v.IsString() && EqualsIgnoreCase(Trim(Str(v)), "unlimited")) return std::numeric_limits<double>::infinity();
  return NumberOf(v);
}

std::optional<double> WaitSecondsOf(const Value& v) {
  if (v.IsString()) return ParseWaitSeconds(Str(v));
  return NumberOf(v);
}

// 87.5, "87.5" or "87.5%".
std::optional<double> RatioOf(const Value& v) {
  if (v.IsNumber()) return v.GetDouble() / 100;
  return v.IsString() ? ParsePercentRatio(Str(v)) : std::nullopt;
}

// true, 1, "1", "paused" → 1; false, 0, "0", "unpaused" → 0.
std::optional<double> PausedOf(const Value& v) {
  if (v.IsBool()) return v.GetBool() ? 1 : 0;
  if (v.IsNumber()) return v.GetDouble() != 0 ? 1 : 0;
  if (!v.IsString()) return std::nullopt;
  const auto s = Trim(Str(v));
  if (EqualsIgnoreCase(s, "paused") || s == "1") return 1;
  if (EqualsIgnoreCase(s, "unpaused") || s == "0") return 0;
  return std::nullopt;
}

Result<Agent> ParseAgent(const std::string& queue, std::string_view key, const Value& v, UnusableFields& unusable) {
  if (!v.IsObject()) {
    return ParseError("queue " + Snippet(queue) + ": agent " + Snippet(key) + " is not an object");
  }
  Agent agent;
  bool bad_exten = false;
  if (const Value* exten = Member(v, "exten")) {
    auto id = IdText(*exten);
    bad_exten = !id;
    agent.id = id.value_or("");
  }
  if (agent.id.empty()) agent.id = std::string(Trim(key));
  if (agent.id.empty()) return ParseError("queue " + Snippet(queue) + ": agent without exten");

  FieldReader fields(v, "agents." + agent.id + ".", unusable);
  if (bad_exten) fields.Unusable("exten");
  agent.status = fields.Number("status");
  if (fields.Get("dnd") != nullptr) {
    agent.dnd = fields.Number("dnd");
    // A DND entry that is not a number is still a DND entry: the agent is busy.
    agent.busy = !agent.dnd || *agent.dnd != -1;
  }
  if (auto paused = fields.Parsed("paused", PausedOf)) agent.paused = *paused != 0;
  return agent;
}

Result<Queue> ParseQueue(std::string_view key, const Value& v) {
  if (!v.IsObject()) return ParseError("queue " + Snippet(key) + " is not an object");
  Queue q;
  if (const Value* id = Member(v, "queue")) {
    auto text = IdText(*id);
    if (!text) return ParseError("queue " + Snippet(key) + ": `queue` is not an id");
    q.id = *text;
  }
  if (q.id.empty()) q.id = std::string(Trim(key));
  if (q.id.empty()) return ParseError("queue without a queue number");

  FieldReader fields(v, "", q.unusable_fields);
  q.name = fields.Text("name");
  q.strategy = StrategyName(fields.Text("ringtype"));
  q.waiting = fields.Number("wait", Range::non_negative);
  q.max_waiting = fields.Parsed("max", MaxOf, Range::non_negative);
  q.longest_wait_seconds = fields.Parsed("maxwaittime", WaitSecondsOf, Range::non_negative);
  q.average_wait_seconds = fields.Number("holdtime", Range::non_negative);
  q.weight = fields.Number("weight");
  q.answered = fields.Number("completed", Range::non_negative);
  q.abandoned = fields.Number("abandoned", Range::non_negative);
  q.service_level_seconds = fields.Number("servicelevel", Range::non_negative);
  q.service_level_ratio = fields.Parsed("servicelevelperf", RatioOf, Range::unit);

  const Value* agents = Member(v, "agents");
  if (agents == nullptr) return q;
  auto add = [&](std::string_view agent_key, const Value& a) -> std::optional<Error> {
    auto agent = ParseAgent(q.id, agent_key, a, q.unusable_fields);
    if (!agent) return agent.error();
    q.agents.push_back(std::move(agent).value());
    return std::nullopt;
  };
  if (agents->IsObject()) {
    for (const auto& m : agents->GetObject()) {
      if (auto err = add(Str(m.name), m.value)) return *err;
    }
  } else if (agents->IsArray()) {  // PHP encodes an empty (or 0..n keyed) map as a list
    for (const auto& a : agents->GetArray()) {
      if (auto err = add({}, a)) return *err;
    }
  } else {
    return ParseError("queue " + Snippet(q.id) + ": agents is not an object");
  }
  return q;
}

// "0", 0, "" and absent are "no error".
std::optional<std::string> EnvelopeError(const Value& root) {
  const Value* err = Member(root, "error");
  if (err == nullptr) return std::nullopt;
  if (err->IsNumber()) {
    if (err->GetDouble() == 0) return std::nullopt;
    return IdText(*err).value_or(std::to_string(err->GetDouble()));
  }
  if (err->IsString()) {
    auto text = Trim(Str(*err));
    if (text.empty() || NumberText(text) == 0.0) return std::nullopt;
    return Snippet(text);
  }
  if (err->IsBool() && !err->GetBool()) return std::nullopt;
  return std::string("(non-scalar)");
}

}  // namespace

Result<std::vector<Queue>> ParseQueues(std::string_view body, std::vector<std::string>* repairs) {
  rapidjson::Document doc;
  if (auto error = ParseDocument(doc, body, "", Echo::body, repairs)) return *error;
  if (!doc.IsObject()) return ShapeError("", "response is not a JSON object", body);

  const Value* result = Member(doc, "result");
  if (result == nullptr) return ParseError("response has no `result` field");
  const bool ok = result->IsString() ? Trim(Str(*result)) == "1" : (result->IsNumber() && result->GetDouble() == 1);
  const auto error = EnvelopeError(doc);
  if (!ok || error) {
    std::string message = "queueinfo failed: result ";
    message += result->IsString() ? "\"" + Snippet(Str(*result)) + "\"" : IdText(*result).value_or("?");
    if (error) message += ", error " + *error;
    return MakeError(Reason::vendor_error, std::move(message));
  }

  const Value* data = Member(doc, "data");
  if (data == nullptr) return ParseError("response has no `data` field");
  std::vector<Queue> queues;
  if (data->IsObject()) {
    for (const auto& m : data->GetObject()) {
      auto q = ParseQueue(Str(m.name), m.value);
      if (!q) return q.error();
      queues.push_back(std::move(q).value());
    }
  } else if (data->IsArray()) {  // PHP's empty array is [], not {}
    for (const auto& v : data->GetArray()) {
      auto q = ParseQueue({}, v);
      if (!q) return q.error();
      queues.push_back(std::move(q).value());
    }
  } else {
    return ParseError("`data` is not an object");
  }
  return queues;
}

Snapshot BuildSnapshot(const std::vector<Queue>& queues, const ParseOptions& options) {
  namespace m = cc::metrics;
  Snapshot snap;
  m::QueueAgentCounter counter;
  std::set<std::string> seen_queues;
  std::set<std::string> seen_agents;
  for (const Queue& q : queues) {
    if (!seen_queues.insert(q.id).second) continue;
    snap.Add(m::queue_info, {{"queue", q.id}, {"name", q.name}, {"strategy", q.strategy}}, 1);
    auto add = [&](const MetricDef& def, const std::optional<double>& v) {
      if (v) snap.Add(def, {{"queue", q.id}}, *v);
    };
    add(m::queue_calls_waiting, q.waiting);
    add(m::queue_max_calls_waiting, q.max_waiting);
    add(m::queue_longest_wait_seconds, q.longest_wait_seconds);
    add(m::queue_average_wait_seconds, q.average_wait_seconds);
    add(m::queue_weight, q.weight);
    add(m::queue_calls_answered_total, q.answered);
    add(m::queue_calls_abandoned_total, q.abandoned);
    add(m::queue_service_level_threshold_seconds, q.service_level_seconds);
    add(m::queue_service_level_ratio, q.service_level_ratio);

    counter.AddQueue(q.id);
    std::set<std::string> members;
    for (const Agent& a : q.agents) {
      if (!members.insert(a.id).second) continue;
      const AgentState state = AgentStateOf(a);
      counter.Count(q.id, state);
      snap.Add(m::queue_member_info, {{"queue", q.id}, {"agent", a.id}}, 1);
      if (!options.agent_metrics || !seen_agents.insert(a.id).second) continue;
      m::AddAgentState(snap, a.id, state);
      if (a.status) snap.Add(m::agent_status_code, {{"agent", a.id}}, *a.status);
      if (a.busy && a.dnd) snap.Add(m::agent_busy_reason_code, {{"agent", a.id}}, *a.dnd);
    }
  }
  counter.EmitTo(snap);
  return snap;
}

Result<Snapshot> ParseQueueInfo(std::string_view body, const ParseOptions& options) {
  auto queues = ParseQueues(body);
  if (!queues) return queues.error();
  return BuildSnapshot(*queues, options);
}

void KeepQueues(std::vector<Queue>& queues, std::span<const std::string> wanted) {
  if (wanted.empty()) return;
  std::erase_if(queues, [&](const Queue& q) { return std::find(wanted.begin(), wanted.end(), q.id) == wanted.end(); });
}

AgentState MapAgentState(int status, int dnd) {
  switch (status) {
    case 0: return dnd == -1 ? AgentState::available : AgentState::not_ready;
    case 8: return AgentState::ringing;
    case 1:
    case 2:
    case 9: return AgentState::on_call;
    case 16:
    case 17: return AgentState::on_hold;
    case -2:
    case -1:
    case 4: return AgentState::offline;
    default: return AgentState::unknown;
  }
}

AgentState AgentStateOf(const Agent& agent) {
  const auto status = agent.status ? IntegerCode(*agent.status) : std::nullopt;
  if (!status) return AgentState::unknown;
  // MapAgentState only distinguishes -1 from "any busy reason".
  const int dnd = agent.busy ? 0 : -1;
  const AgentState state = MapAgentState(*status, dnd);
  if (state == AgentState::available && agent.paused.value_or(false)) return AgentState::not_ready;
  return state;
}

std::string StrategyName(std::string_view ringtype) {
  // The labels MixCall's web UI maps Asterisk strategies to (docs/vendors/api/mixcall.md 1.3).
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"全部振铃", "ringall"},     {"循环振铃", "roundrobin"}, {"最久未呼叫", "leastrecent"},
      {"最少呼叫", "fewestcalls"}, {"随机振铃", "random"},     {"记忆振铃", "rrmemory"},
  };
  ringtype = Trim(ringtype);
  for (const auto& [label, strategy] : kLabels) {
    if (ringtype == label) return std::string(strategy);
  }
  // Raw Asterisk names (ringall, linear, wrandom, …) and unknown labels as sent.
  return std::string(ringtype);
}

std::optional<double> ParseWaitSeconds(std::string_view text) {
  text = Trim(text);
  if (text.find(':') == std::string_view::npos) {
    auto v = NumberText(text);
    if (v && *v < 0) return std::nullopt;
    return v;
  }
  std::vector<std::uint64_t> parts;
  while (true) {
    const auto colon = text.find(':');
    auto part = Digits(text.substr(0, colon));
    if (!part) return std::nullopt;
    parts.push_back(*part);
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
  }
  // Asterisk prints minutes:seconds without capping minutes; H:MM:SS is tolerated.
  if (parts.size() == 2 && parts[1] < 60) return static_cast<double>(parts[0] * 60 + parts[1]);
  if (parts.size() == 3 && parts[1] < 60 && parts[2] < 60) {
    return static_cast<double>(parts[0] * 3600 + parts[1] * 60 + parts[2]);
  }
  return std::nullopt;
}

std::string QueueInfoTarget(std::string_view base_path, std::string_view queue) {
  std::string target(base_path.empty() ? "/" : base_path);
  if (target.find('?') == std::string::npos) {
    target += '?';
  } else if (target.back() != '?' && target.back() != '&') {
    target += '&';
  }
  target += "m=interface&c=api&a=queueinfo";
  if (queue.empty()) return target;
  target += "&queue=";
  target += PercentEncode(queue);
  return target;
}

}  // namespace cc::mixcall

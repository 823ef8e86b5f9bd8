#include "collectors/yunhu/parse.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <utility>

#include <rapidjson/document.h>

#include "collectors/kit/field_reader.h"
#include "collectors/kit/json.h"
#include "collectors/yunhu/metrics.h"
#include "config/url.h"
#include "model/metrics.h"

namespace cc::yunhu {
namespace {

using namespace cc::kit;

// An integer code such as ret or status, as number or string.
std::optional<long long> CodeOf(const Value* v) {
  if (v == nullptr) return std::nullopt;
  auto n = NumberOf(*v);
  if (!n || *n != std::trunc(*n) || std::fabs(*n) > 1e15) return std::nullopt;
  return static_cast<long long>(*n);
}

// "No time": the spellings of IsNeverTime, 0, and the Unix epoch written as a
// wall-clock time in any zone ("1970-01-01 08:00:00" is PHP's date() of 0 in
// UTC+8, "1969-12-31 19:00:00" in UTC-5): no zone is more than 14 h off UTC.
bool IsNoTime(const Value& v) {
  if (v.IsNumber()) return v.GetDouble() == 0;
  if (!v.IsString()) return false;
  if (IsNeverTime(Str(v))) return true;
  const auto as_utc = ParseLocalTime(Str(v), 0);
  return as_utc && std::fabs(*as_utc) <= 14 * 3600;
}

// A wall-clock time in the platform's zone; "never" gives no value.
std::optional<double> Time(FieldReader& fields, const char* key, int utc_offset_seconds) {
  const Value* v = fields.Get(key);
  if (v == nullptr || IsNoTime(*v)) return std::nullopt;
  return fields.Parsed(
      key, [&](const Value& t) { return t.IsString() ? ParseLocalTime(Str(t), utc_offset_seconds) : std::nullopt; },
      Range::non_negative);
}

// A parsed envelope: `data` points into `doc`.
struct Envelope {
  rapidjson::Document doc;
  const Value* data = nullptr;
  int ret = 0;
};

std::string RetMeaning(long long ret) {
  switch (ret) {
    case 400: return "illegal request";
    case 500: return "server error";
    case 600: return "token invalid";
    case 601: return "appid not authorized";
    case 602: return "appid authorization expired";
    case 603: return "module not authorized";
    case 604: return "illegal IP access: this exporter's IP address is not on the platform's allow-list";
    default: return "";
  }
}

// Fills `env` or returns the error. `what` names the call in messages;
// Login's body carries the token: Echo::none.
std::optional<Error> ParseEnvelope(std::string_view body, std::string_view what, Echo echo, Envelope& env,
                                   std::vector<std::string>* repairs = nullptr) {
  const std::string prefix = std::string(what) + ": ";
  if (auto error = ParseDocument(env.doc, body, what, echo, repairs)) return error;
  if (!env.doc.IsObject()) return ShapeError(what, "response is not a JSON object", body, echo);

  const auto ret = CodeOf(Member(env.doc, "ret"));
  if (!ret) return ShapeError(what, "response has no numeric `ret`", body, echo);
  env.ret = (*ret >= std::numeric_limits<int>::min() && *ret <= std::numeric_limits<int>::max())
                ? static_cast<int>(*ret)
                : -1;
  if (*ret != kRetOk) {
    std::string message = prefix + "ret " + std::to_string(*ret);
    if (auto meaning = RetMeaning(*ret); !meaning.empty()) message += " (" + meaning + ")";
    if (const Value* msg = Member(env.doc, "msg"); msg != nullptr && msg->IsString() && !Trim(Str(*msg)).empty()) {
      message += ": " + Snippet(Trim(Str(*msg)));
    }
    const bool auth = *ret >= kRetTokenInvalid && *ret <= 604;
    return MakeError(auth ? Reason::auth : Reason::vendor_error, std::move(message));
  }

  env.data = Member(env.doc, "data");
  if (env.data == nullptr || !env.data->IsObject()) return ParseError(prefix + "`data` is not an object");
  const Value* status = Member(*env.data, "status");
  const auto code = CodeOf(status);
  if (status != nullptr && !code) return ParseError(prefix + "`data.status` is not a number");
  if (code.value_or(0) != 0) {
    std::string message = prefix + "data.status " + std::to_string(*code);
    if (const Value* errors = Member(*env.data, "errors")) {
      if (auto c = CodeOf(Member(*errors, "code"))) message += ", code " + std::to_string(*c);
      if (const Value* m = Member(*errors, "codemsg"); m != nullptr && m->IsString()) {
        message += " \"" + Snippet(Trim(Str(*m))) + "\"";
      }
    }
    if (const Value* desc = Member(*env.data, "desc"); desc != nullptr && desc->IsString()) {
      message += ": " + Snippet(Trim(Str(*desc)));
    }
    return MakeError(Reason::vendor_error, std::move(message));
  }
  return std::nullopt;
}

std::optional<Error> ParseRow(const Value& v, std::size_t index, int utc_offset_seconds, Rows& out) {
  const std::string where = "result[" + std::to_string(index) + "]";
  if (!v.IsObject()) return ParseError("GetQueueSipStatus: " + where + " is not an object");
  Row row;
  FieldReader ids(v, where + ".", out.unusable_fields);
  row.queue = ids.Text("queuename");
  row.agent = ids.Text("extnumber");
  // Without both ids the row cannot be placed; dropping it beats failing the poll.
  if (row.queue.empty() || row.agent.empty()) {
    ids.Unusable(row.queue.empty() ? "queuename" : "extnumber");
    return std::nullopt;
  }
  FieldReader fields(v, row.queue + "/" + row.agent + ".", out.unusable_fields);
  row.seats_name = fields.Text("seatsname");
  row.status = fields.Number("status");
  row.state = fields.Number("state");
  row.state_unreadable = !row.state && fields.Get("state") != nullptr;
  row.last_answer_time = Time(fields, "lastanswertime", utc_offset_seconds);
  row.last_assign_time = Time(fields, "lastassigntime", utc_offset_seconds);
  row.state_change_time = Time(fields, "seatschangetime", utc_offset_seconds);
  row.missed = fields.Number("noanswercount", Range::non_negative);
  row.answered = fields.Number("callsanswered", Range::non_negative);
  row.external_calls = fields.Number("externalcallscount", Range::non_negative);
  row.wrap_up_seconds = fields.Number("wrapuptime", Range::non_negative);
  out.rows.push_back(std::move(row));
  return std::nullopt;
}

std::optional<int> IntCode(const std::optional<double>& v) { return v ? IntegerCode(*v) : std::nullopt; }

// Fixed-width decimal field of a time string.
std::optional<int> Field(std::string_view s, std::size_t pos, std::size_t len) {
  int v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

Reply<Secret> ParseLogin(std::string_view body) {
  Envelope env;
  if (auto err = ParseEnvelope(body, "Login", Echo::none, env)) return {*err, env.ret};
  const Value* result = Member(*env.data, "result");
  const Value* token = result == nullptr ? nullptr : Member(*result, "token");
  if (token == nullptr || !token->IsString() || Trim(Str(*token)).empty()) {
    return {ParseError("Login: no token in data.result"), env.ret};
  }
  return {Secret(std::string(Trim(Str(*token)))), env.ret};
}

Reply<Rows> ParseRows(std::string_view body, int utc_offset_seconds) {
  Envelope env;
  Rows out;
  if (auto err = ParseEnvelope(body, "GetQueueSipStatus", Echo::body, env, &out.unusable_fields)) {
    return {*err, env.ret};
  }
  const Value* result = Member(*env.data, "result");
  if (result == nullptr) return {out, env.ret};  // no rows
  if (result->IsArray()) {
    std::size_t i = 0;
    for (const Value& v : result->GetArray()) {
      if (auto err = ParseRow(v, i++, utc_offset_seconds, out)) return {*err, env.ret};
    }
  } else if (result->IsObject()) {  // PHP encodes a list with gaps in its keys as a map
    std::size_t i = 0;
    for (const auto& m : result->GetObject()) {
      if (auto err = ParseRow(m.value, i++, utc_offset_seconds, out)) return {*err, env.ret};
    }
  } else if (!(result->IsString() && Trim(Str(*result)).empty())) {
    return {ParseError("GetQueueSipStatus: `data.result` is not a list"), env.ret};
  }
  return {out, env.ret};
}

Snapshot BuildSnapshot(const std::vector<Row>& rows, const BuildOptions& options) {
  namespace m = cc::metrics;
  Snapshot snap;
  m::QueueAgentCounter counter;
  for (const std::string& q : options.queues) counter.AddQueue(q);
  std::set<std::pair<std::string, std::string>> members;
  std::set<std::string> agents;
  for (const Row& r : rows) {
    if (!members.emplace(r.queue, r.agent).second) continue;
    const AgentState state = AgentStateOf(r);
    counter.Count(r.queue, state);
    const Labels member{{"queue", r.queue}, {"agent", r.agent}};
    auto add = [&](const MetricDef& def, const std::optional<double>& v) {
      if (v) snap.Add(def, member, *v);
    };
    snap.Add(m::queue_member_info, member, 1);
    add(m::queue_member_calls_answered_total, r.answered);
    add(m::queue_member_calls_missed_total, r.missed);
    add(m::queue_member_last_call_timestamp_seconds, r.last_answer_time);
    add(m::queue_member_last_offer_timestamp_seconds, r.last_assign_time);
    add(m::queue_member_wrap_up_seconds, r.wrap_up_seconds);
    add(kQueueMemberExternalCallsTotal, r.external_calls);

    if (!options.agent_metrics || !agents.insert(r.agent).second) continue;
    const Labels agent{{"agent", r.agent}};
    snap.Add(m::agent_info, {{"agent", r.agent}, {"name", r.seats_name}}, 1);
    m::AddAgentState(snap, r.agent, state);
    if (r.state) snap.Add(m::agent_status_code, agent, *r.state);
    if (r.status) snap.Add(kAgentExtensionStatusCode, agent, *r.status);
    if (r.state_change_time) snap.Add(m::agent_state_since_timestamp_seconds, agent, *r.state_change_time);
  }
  counter.EmitTo(snap);
  return snap;
}

void KeepQueues(std::vector<Row>& rows, std::span<const std::string> wanted) {
  if (wanted.empty()) return;
  std::erase_if(rows, [&](const Row& r) { return std::find(wanted.begin(), wanted.end(), r.queue) == wanted.end(); });
}

AgentState MapAgentState(int code) {
  switch (code) {
    case 1201:  // idle
    case 1213:  // waiting
    case 1015:  // not in a call
    case 1016:  // enabled
    case 1017:  // registered
      return AgentState::available;
    case 1202:  // ringing
    case 1214:  // receiving
      return AgentState::ringing;
    case 1203:  // off-hook
    case 1204:  // in call
    case 1215:  // answered
      return AgentState::on_call;
    case 1217: return AgentState::not_ready;  // paused
    case 1014: return AgentState::offline;    // not registered
    default: return AgentState::unknown;
  }
}

AgentState AgentStateOf(const Row& row) {
  const auto state = IntCode(row.state);
  if (state && *state != 0) return MapAgentState(*state);
  if (row.state_unreadable || (row.state && !state)) return AgentState::unknown;
  const auto status = IntCode(row.status);
  return status ? MapAgentState(*status) : AgentState::unknown;
}

bool IsNeverTime(std::string_view text) {
  text = Trim(text);
  return text.empty() || text == "0" || text.starts_with("0000-00-00");
}

std::optional<double> ParseLocalTime(std::string_view text, int utc_offset_seconds) {
  text = Trim(text);
  // YYYY-MM-DD HH:MM:SS (a 'T' separator is tolerated).
  if (text.size() != 19 || text[4] != '-' || text[7] != '-' || (text[10] != ' ' && text[10] != 'T') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto y = Field(text, 0, 4), mo = Field(text, 5, 2), d = Field(text, 8, 2);
  const auto h = Field(text, 11, 2), mi = Field(text, 14, 2), s = Field(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(*y), std::chrono::month(static_cast<unsigned>(*mo)),
                                        std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  const auto days = std::chrono::sys_days(ymd).time_since_epoch().count();
  return static_cast<double>(days) * 86400 + *h * 3600 + *mi * 60 + *s - utc_offset_seconds;
}

std::optional<int> ParseUtcOffset(std::string_view text) {
  text = Trim(text);
  if (text == "Z" || text == "z") return 0;
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const int sign = text[0] == '-' ? -1 : 1;
  text.remove_prefix(1);
  std::optional<int> hours, minutes = 0;
  if (text.size() == 2) {
    hours = Field(text, 0, 2);
  } else if (text.size() == 4) {
    hours = Field(text, 0, 2);
    minutes = Field(text, 2, 2);
  } else if (text.size() == 5 && text[2] == ':') {
    hours = Field(text, 0, 2);
    minutes = Field(text, 3, 2);
  } else {
    return std::nullopt;
  }
  if (!hours || !minutes || *hours > 14 || *minutes > 59) return std::nullopt;
  return sign * (*hours * 3600 + *minutes * 60);
}

std::string LoginBody(std::string_view appid, const Secret& accesskey) {
  return FormEncode({{"service", "App.Sip_Auth.Login"}, {"appid", appid}, {"accesskey", accesskey.reveal()}});
}

std::string QueueSipStatusBody(const Secret& token, std::string_view queue) {
  std::vector<FormField> fields{{"service", "App.Sip_Queue.GetQueueSipStatus"}, {"token", token.reveal()}};
  if (!queue.empty()) fields.emplace_back("queuename", queue);
  return FormEncode(fields);
}

std::string Redact(std::string text, std::initializer_list<const Secret*> secrets) {
  for (const Secret* s : secrets) {
    if (s == nullptr || s->empty()) continue;
    const std::string& value = s->reveal();
    for (auto pos = text.find(value); pos != std::string::npos; pos = text.find(value, pos + 10)) {
      text.replace(pos, value.size(), "<redacted>");
    }
  }
  return text;
}

}  // namespace cc::yunhu

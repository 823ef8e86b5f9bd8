#include "tools/sim/ucontact/api.h"

#include <cctype>
#include <cstdio>
#include <ctime>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cc::sim::ucontact {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(Writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void Str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// What an HTML form or encodeURIComponent leaves unescaped, plus '+' (space).
bool RawFormChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~*!'()+").find(c) != std::string_view::npos;
}

FormValue DecodeFormValue(std::string_view raw) {
  FormValue out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '%') {
      const int hi = i + 2 < raw.size() ? HexDigit(raw[i + 1]) : -1;
      const int lo = i + 2 < raw.size() ? HexDigit(raw[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        out.valid = false;
        return out;
      }
      out.value += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (!RawFormChar(c)) {
      out.valid = false;
      return out;
    } else {
      out.value += c == '+' ? ' ' : c;
    }
  }
  return out;
}

void WriteCampaign(Writer& w, const UcontactCampaignView& c) {
  const UcontactCounts n = CountAgents(c);
  w.StartObject();
  // One key and its value per line, as the vendor sends them.
  // clang-format off
  Key(w, "campaign"); Str(w, c.name);
  Key(w, "availables"); w.Int(n.availables);
  Key(w, "notavailables"); w.Int(n.notavailables);
  Key(w, "paused"); w.Int(n.paused);
  Key(w, "busy"); w.Int(n.busy);
  Key(w, "busypaused"); w.Int(n.busypaused);
  Key(w, "totalagents"); w.Int(n.totalagents);
  Key(w, "logged"); w.Int(n.logged);
  Key(w, "onwrapup"); w.Int(n.onwrapup);
  Key(w, "completed"); w.Uint64(c.completed);
  Key(w, "abandoned"); w.Uint64(c.abandoned);
  Key(w, "talked"); Str(w, FormatDurationCount(c.talk_total, c.talk_calls));
  Key(w, "hold"); Str(w, FormatDurationCount(c.hold_total, c.completed));
  Key(w, "abandonedlevel"); Str(w, FormatAbandonedLevel(c));
  Key(w, "totalcalls"); w.Uint64(c.offered);
  Key(w, "acd"); w.Int64(AverageCallDuration(c));
  Key(w, "servicelevel"); Str(w, FormatPercent(c.completed_in_sl, c.completed));
  Key(w, "servicelevel2"); Str(w, FormatPercent(c.completed_in_sl + c.abandoned_in_sl, c.completed + c.abandoned));
  Key(w, "strategy"); Str(w, c.strategy);
  Key(w, "slevelthreshold"); Str(w, std::to_string(c.threshold));
  Key(w, "wrapup"); w.Int(c.wrapup);
  // clang-format on
  w.EndObject();
}

std::string Hms(std::int64_t seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return buf;
}

void WriteAgent(Writer& w, const UcontactCampaignView& c, const UcontactAgentView& a, const std::string& date,
                std::string_view action_id) {
  w.StartObject();
  // One key and its value per line, as the vendor sends them.
  // clang-format off
  Key(w, "queue"); Str(w, c.name);
  Key(w, "location"); Str(w, a.location);
  Key(w, "membership"); Str(w, "");
  Key(w, "name"); Str(w, a.name);
  Key(w, "penalty"); w.Int(a.penalty);
  Key(w, "callsTaken"); w.Uint64(a.calls_taken);
  Key(w, "lastCall"); w.Int64(a.last_call);
  Key(w, "status"); w.Int(a.status);
  Key(w, "paused"); w.Bool(a.paused);
  Key(w, "stateinterface"); Str(w, a.location);
  Key(w, "incall"); w.Int(a.incall ? 1 : 0);
  Key(w, "pausedreason"); Str(w, a.paused_reason);
  Key(w, "internalActionId"); Str(w, action_id);
  Key(w, "dateReceived"); Str(w, date);
  // clang-format on
  // Unknown in the seed ("00:10:12"); the sim shows the time in the current status.
  Key(w, "server");
  Str(w, Hms(a.state_seconds));
  w.EndObject();
}

http::Response Json(unsigned status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

http::Response Text(unsigned status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string FormString(const http::Request& req, std::string_view name) {
  auto v = FindFormValue(req.body, name);
  return v && v->valid ? v->value : std::string();
}

}  // namespace

UcontactCounts CountAgents(const UcontactCampaignView& c) {
  UcontactCounts n;
  for (const UcontactAgentView& a : c.agents) {
    ++n.totalagents;
    switch (a.status) {
      case kUcNotInUse: ++(a.paused ? n.paused : n.availables); break;
      case kUcWrapUp: ++n.onwrapup; break;
      case kUcInUse:
      case kUcBusy:
      case kUcRinging:
      case 7:
      case kUcOnHold: ++(a.paused ? n.busypaused : n.busy); break;
      default: ++n.notavailables; break;  // 0 unknown, 4 invalid, 5 unavailable
    }
  }
  n.logged = n.totalagents - n.notavailables;
  return n;
}

std::string FormatDurationCount(std::int64_t seconds, std::uint64_t count) {
  return Hms(seconds < 0 ? 0 : seconds) + "-" + std::to_string(count);
}

std::string FormatPercent(std::uint64_t num, std::uint64_t den) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", den == 0 ? 0.0 : 100.0 * static_cast<double>(num) / static_cast<double>(den));
  return buf;
}

double PercentRatio(std::uint64_t num, std::uint64_t den) { return std::stod(FormatPercent(num, den)) / 100.0; }

std::string FormatAbandonedLevel(const UcontactCampaignView& c) {
  const std::uint64_t ended = c.completed + c.abandoned;
  return std::to_string(ended == 0 ? 0 : (c.abandoned * 100 + ended / 2) / ended);
}

std::int64_t AverageCallDuration(const UcontactCampaignView& c) {
  return c.talk_calls == 0 ? 0 : c.talk_total / static_cast<std::int64_t>(c.talk_calls);
}

std::string GsonDate(std::int64_t epoch_seconds) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %d, %d %d:%02d:%02d %s", kMonths[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900, hour12,
                tm.tm_min, tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
  return buf;
}

std::optional<FormValue> FindFormValue(std::string_view body, std::string_view name) {
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    const auto eq = pair.find('=');
    const FormValue key = DecodeFormValue(pair.substr(0, eq));
    if (!key.valid || key.value != name) continue;
    return eq == std::string_view::npos ? FormValue{} : DecodeFormValue(pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::string RenderQueueSummary(const std::vector<UcontactCampaignView>& campaigns, std::int64_t epoch_now,
                               std::string_view action_id) {
  const std::string date = GsonDate(epoch_now);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  for (const UcontactCampaignView& c : campaigns) {
    const UcontactCounts n = CountAgents(c);
    w.StartObject();
    // One key and its value per line, as the vendor sends them.
    // clang-format off
    Key(w, "queue"); Str(w, c.name);
    Key(w, "loggedIn"); w.Int(n.logged);
    Key(w, "available"); w.Int(n.availables);
    Key(w, "callers"); w.Int(c.callers);
    Key(w, "holdTime"); w.Int64(c.hold_avg);
    Key(w, "talkTime"); w.Int64(c.talk_avg);
    Key(w, "longestHoldTime"); w.Int64(c.longest_hold);
    Key(w, "internalActionId"); Str(w, action_id);
    Key(w, "dateReceived"); Str(w, date);
    // clang-format on
    w.EndObject();
  }
  // The completion event that ends every AMI list (seed 004): no `queue`.
  w.StartObject();
  // One key and its value per line, as the vendor sends them.
  // clang-format off
  Key(w, "internalActionId"); Str(w, action_id);
  Key(w, "dateReceived"); Str(w, date);
  // clang-format on
  w.EndObject();
  w.EndArray();
  return buf.GetString();
}

std::string RenderCampaignStatus(const std::vector<UcontactCampaignView>& campaigns, std::string_view only,
                                 std::int64_t epoch_now, std::string_view action_id) {
  const std::string date = GsonDate(epoch_now);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  for (const UcontactCampaignView& c : campaigns) {
    if (!only.empty() && c.name != only) continue;
    Key(w, c.name);
    WriteCampaign(w, c);
    if (only.empty()) continue;
    for (const UcontactAgentView& a : c.agents) {
      Key(w, a.location);
      WriteAgent(w, c, a, date, action_id);
    }
  }
  w.EndObject();
  return buf.GetString();
}

std::string RenderUcontactState(const std::vector<UcontactCampaignView>& campaigns, const UcontactAuthCounters& auth) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Key(w, "campaigns");
  w.StartArray();
  for (const UcontactCampaignView& c : campaigns) {
    const UcontactCounts n = CountAgents(c);
    w.StartObject();
    // One key and its value per line, as the vendor sends them.
    // clang-format off
    Key(w, "name"); Str(w, c.name);
    Key(w, "strategy"); Str(w, c.strategy);
    Key(w, "callers"); w.Int(c.callers);
    Key(w, "longest_hold_seconds"); w.Int64(c.longest_hold);
    Key(w, "hold_avg_seconds"); w.Int64(c.hold_avg);
    Key(w, "talk_avg_seconds"); w.Int64(c.talk_avg);
    Key(w, "offered"); w.Uint64(c.offered);
    Key(w, "completed"); w.Uint64(c.completed);
    Key(w, "abandoned"); w.Uint64(c.abandoned);
    Key(w, "service_level_ratio"); w.Double(PercentRatio(c.completed_in_sl, c.completed));
    // clang-format on
    Key(w, "service_level2_ratio");
    w.Double(PercentRatio(c.completed_in_sl + c.abandoned_in_sl, c.completed + c.abandoned));
    // One key and its value per line, as the vendor sends them.
    // clang-format off
    Key(w, "threshold_seconds"); w.Int(c.threshold);
    Key(w, "wrapup"); w.Int(c.wrapup);
    Key(w, "acd"); w.Int64(AverageCallDuration(c));
    Key(w, "abandonedlevel"); w.Int64(std::stoll(FormatAbandonedLevel(c)));
    Key(w, "talked_seconds"); w.Int64(c.talk_total);
    Key(w, "talked_count"); w.Uint64(c.talk_calls);
    Key(w, "hold_seconds"); w.Int64(c.hold_total);
    Key(w, "hold_count"); w.Uint64(c.completed);
    // clang-format on
    Key(w, "counts");
    w.StartObject();
    // One key and its value per line, as the vendor sends them.
    // clang-format off
    Key(w, "availables"); w.Int(n.availables);
    Key(w, "notavailables"); w.Int(n.notavailables);
    Key(w, "paused"); w.Int(n.paused);
    Key(w, "busy"); w.Int(n.busy);
    Key(w, "busypaused"); w.Int(n.busypaused);
    Key(w, "totalagents"); w.Int(n.totalagents);
    Key(w, "logged"); w.Int(n.logged);
    Key(w, "onwrapup"); w.Int(n.onwrapup);
    // clang-format on
    w.EndObject();
    Key(w, "agents");
    w.StartArray();
    for (const UcontactAgentView& a : c.agents) {
      w.StartObject();
      // One key and its value per line, as the vendor sends them.
      // clang-format off
      Key(w, "location"); Str(w, a.location);
      Key(w, "name"); Str(w, a.name);
      Key(w, "status"); w.Int(a.status);
      Key(w, "paused"); w.Bool(a.paused);
      Key(w, "penalty"); w.Int(a.penalty);
      Key(w, "incall"); w.Int(a.incall ? 1 : 0);
      Key(w, "calls_taken"); w.Uint64(a.calls_taken);
      Key(w, "last_call"); w.Int64(a.last_call);
      // clang-format on
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  // One key and its value per line, as the vendor sends them.
  // clang-format off
  Key(w, "logins"); w.Uint64(auth.logins);
  Key(w, "login_failures"); w.Uint64(auth.login_failures);
  Key(w, "unauthorized"); w.Uint64(auth.unauthorized);
  Key(w, "end_sessions"); w.Uint64(auth.end_sessions);
  Key(w, "live_sessions"); w.Uint64(auth.live_sessions);
  // clang-format on
  w.EndObject();
  return buf.GetString();
}

bool IsUcontactPath(std::string_view path) { return path.starts_with(kUcontactBase); }

http::Response HandleUcontactApi(const http::Request& req, const UcontactModel& model, UcontactSessions& sessions,
                                 std::string_view action_id) {
  const std::string_view resource = std::string_view(req.path).substr(kUcontactBase.size());
  const bool known = resource == "auth/getUserToken" || resource == "auth/EndSession" ||
                     resource == "Supervisor/queuesummary" || resource == "Supervisor/campaignstatus";
  if (!known) return Text(404, "Not Found\n");
  if (req.method != "POST") return Text(405, "Method Not Allowed\n");

  if (resource == "auth/getUserToken") {
    auto token = sessions.Login(FormString(req, "user"), FormString(req, "password"));
    if (!token) return Json(200, "[0]");
    rapidjson::StringBuffer buf;
    Writer w(buf);
    // Only the last element is documented (the token); the user before it is the sim's guess.
    w.StartArray();
    Str(w, FormString(req, "user"));
    Str(w, *token);
    w.EndArray();
    return Json(200, buf.GetString());
  }
  const std::string_view authorization = req.Header("authorization");
  if (!sessions.Authorize(authorization)) return Text(401, "Unauthorized\n");
  if (resource == "auth/EndSession") {
    return Json(200, sessions.End(authorization, FormString(req, "user"), FormString(req, "token")) ? "1" : "0");
  }
  const auto campaigns = model.Campaigns();
  const std::int64_t now = model.EpochNow();
  if (resource == "Supervisor/queuesummary") return Json(200, RenderQueueSummary(campaigns, now, action_id));
  auto queue = FindFormValue(req.body, "queue");
  // Strict on purpose: a real server may decode leniently, but a name sent
  // unencoded ("Ventas->Soporte" raw) is the exporter's bug to catch.
  if (queue && !queue->valid) return Text(404, "campaign name not form-encoded\n");
  return Json(200, RenderCampaignStatus(campaigns, queue ? queue->value : "", now, action_id));
}

}  // namespace cc::sim::ucontact

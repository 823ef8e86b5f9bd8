#include "tools/sim/yunhu/api.h"

#include <algorithm>
#include <array>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tools/sim/mixcall/api.h"  // PhpJsonString: PHP's json_encode() of a string

namespace cc::sim::yunhu {

using mixcall::PhpJsonString;

namespace {

enum class Kind { login, logout, queue_sip_status, read, bare_read, write };

struct Service {
  std::string_view name;
  Kind kind;
};

// The services of the notes (docs/vendors/api/yunhu.md §2.4). Those an exporter must
// not call are answered like the rest, and counted.
constexpr std::array kServices{
    Service{"App.Sip_Auth.Login", Kind::login},
    Service{"App.Sip_Auth.Logout", Kind::logout},
    Service{"App.Sip_Queue.GetQueueSipStatus", Kind::queue_sip_status},
    Service{"App.Sip_Status.GetSipCallStatus", Kind::read},
    Service{"App.Sip_Queue.GetQueueList", Kind::read},
    Service{"App.Sip_Sipnum.GetSipnumberInfo", Kind::read},
    Service{"App.Sip_Status.GetSipRegisterStatus", Kind::read},
    Service{"App.Sip_Status.GetSipValidStatus", Kind::read},
    Service{"App.Sip_Extgroup.GetGroupExt", Kind::bare_read},  // `data` is the list itself
    Service{"App.Sip_Cdr.GetBill", Kind::read},
    Service{"App.Sip_Yccall.TaskList", Kind::read},
    Service{"App.Sip_Queue.SetSeatsStatus", Kind::write},
    Service{"App.Sip_Queue.SipSignIn", Kind::write},
    Service{"App.Sip_Queue.SipSignOut", Kind::write},
};

const Service* FindService(std::string_view name) {
  for (const auto& s : kServices) {
    if (s.name == name) return &s;
  }
  // Click-to-call and friends (App.Sip_Call.*): write APIs.
  static constexpr Service kCall{"App.Sip_Call.*", Kind::write};
  return name.starts_with("App.Sip_Call.") && name.size() > 13 ? &kCall : nullptr;
}

// A form field from the body, else from the query (PHP's $_REQUEST).
std::string FormParam(const http::Request& req, std::string_view name) {
  std::string v = req.FormParam(name);
  return v.empty() ? req.Param(name) : v;
}

http::Response Json(std::string body) {
  http::Response res;
  res.content_type = "application/json; charset=utf-8";  // PhalApi's
  res.body = std::move(body);
  return res;
}

// {"ret":…,"data":…,"msg":…}; PhalApi sends `data` as [] on errors.
http::Response Envelope(int ret, const std::string& data, std::string_view msg) {
  return Json(R"({"ret":)" + std::to_string(ret) + R"(,"data":)" + data + R"(,"msg":)" + PhpJsonString(msg) + "}");
}

std::string Times(std::int64_t now_s) {
  return R"("reqtime":)" + std::to_string(now_s) + R"(,"rsptime":)" + std::to_string(now_s);
}

std::string DataOk(std::string_view desc, const std::string& result, std::int64_t now_s) {
  return R"({"status":0,"desc":)" + PhpJsonString(desc) + R"(,"result":)" + result + "," + Times(now_s) + "}";
}

std::string DataFailed(std::string_view desc, int code, std::string_view codemsg, std::int64_t now_s) {
  return R"({"status":1,"desc":)" + PhpJsonString(desc) + R"(,"errors":{"code":)" + std::to_string(code) +
         R"(,"codemsg":)" + PhpJsonString(codemsg) + "}," + Times(now_s) + "}";
}

std::string Time(const std::optional<std::int64_t>& unix_s) {
  return unix_s ? FormatLocalTime(*unix_s, kYunhuUtcOffsetSeconds) : std::string();
}

void AppendRow(std::string& out, const YunhuMemberView& m) {
  // The docs type these three as strings; the example sends numbers.
  auto loose = [&](std::uint64_t v) {
    return m.numbers_as_strings ? "\"" + std::to_string(v) + "\"" : std::to_string(v);
  };
  out += R"({"queuename":)" + PhpJsonString(m.queuename);
  out += R"(,"seatsname":)" + PhpJsonString(m.seatsname);
  out += R"(,"extnumber":)" + PhpJsonString(m.extnumber);
  out += R"(,"status":)" + std::to_string(m.status);
  out += R"(,"state":)" + std::to_string(m.state);
  out += R"(,"lastanswertime":)" + PhpJsonString(Time(m.last_answer_s));
  out += R"(,"lastassigntime":)" + PhpJsonString(Time(m.last_assign_s));
  out += R"(,"seatschangetime":)" + PhpJsonString(Time(m.state_change_s));
  out += R"(,"noanswercount":)" + std::to_string(m.missed);
  out += R"(,"callsanswered":)" + std::to_string(m.answered);
  out += R"(,"externalcallscount":)" + loose(m.external_calls);
  out += R"(,"wrapuptime":)" + loose(static_cast<std::uint64_t>(m.wrapup_s));
  out += R"(,"maxnoanswer":)" + loose(0);  // "temporarily invalid"
  out += '}';
}

// The agent-state filter of the seed (0 all, 1 idle, 2 waiting, 3
// receiving, 4 talking) as codes; the mapping is the notes' inference.
bool StateMatches(int filter, int state) {
  static constexpr std::array kCodes{0, kYunhuIdle, kYunhuWaiting, kYunhuReceiving, kYunhuTalking};
  return filter == 0 || kCodes[static_cast<std::size_t>(filter)] == state;
}

bool InList(std::string_view list, std::string_view value) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (list.substr(0, comma) == value) return true;
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

http::Response QueueSipStatus(const http::Request& req, const YunhuModel& model, std::int64_t now_s) {
  const std::string queuename = FormParam(req, "queuename"), extnumber = FormParam(req, "extnumber");
  const std::string state = FormParam(req, "state");
  if (state.size() > 1 || (!state.empty() && (state[0] < '0' || state[0] > '4'))) {
    return Envelope(kYunhuRetIllegalRequest, "[]", "illegal request: state must be 0-4");
  }
  const int filter = state.empty() ? 0 : state[0] - '0';
  auto queues = model.Queues();
  if (!queuename.empty()) {
    std::erase_if(queues, [&](const YunhuQueueView& q) { return q.queuename != queuename; });
    if (queues.empty()) {
      return Envelope(kYunhuRetOk, DataFailed("get failed", 1211, "illegal queue", now_s), "");
    }
  }
  for (auto& q : queues) {
    std::erase_if(q.members, [&](const YunhuMemberView& m) {
      return (!extnumber.empty() && !InList(extnumber, m.extnumber)) || !StateMatches(filter, m.state);
    });
  }
  return Json(RenderQueueSipStatus(queues, now_s));
}

http::Response Login(const http::Request& req, YunhuAuth& auth, std::int64_t now_s) {
  auto r = auth.Login(FormParam(req, "appid"), FormParam(req, "accesskey"));
  if (r.ret != kYunhuRetOk) return Envelope(r.ret, "[]", "appid not authorized");
  const std::string result = R"({"companycode":"9026","companyname":"callcenter_sim","token":)" +
                             PhpJsonString(r.token) + R"(,"authtime":)" +
                             PhpJsonString(FormatLocalTime(now_s, kYunhuUtcOffsetSeconds)) + R"(,"authmodel":1})";
  return Envelope(kYunhuRetOk, DataOk("login success", result, now_s), "");
}

// The bill interface: credentials in every request, its own envelope.
http::Response Cdrs(const http::Request& req, const YunhuAuth& auth) {
  if (!auth.Matches(FormParam(req, "appid"), FormParam(req, "accesskey"))) {
    return Json(R"({"code":0,"msg":"appid error","data":[]})");
  }
  return Json(R"({"code":1,"msg":"success","data":{"data":[],"page":1,"per_page":20,"total":0}})");
}

}  // namespace

void YunhuCalls::Count(std::string_view service) {
  // Names as sent, but printable ASCII only: /_sim/state must stay valid JSON.
  std::string key(service.substr(0, 64));
  for (char& c : key) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  std::lock_guard lock(mu_);
  if (!calls_.contains(key) && calls_.size() >= kMaxNames) key = "(other)";
  ++calls_[key];
}

std::map<std::string, std::uint64_t> YunhuCalls::Get() const {
  std::lock_guard lock(mu_);
  return calls_;
}

void YunhuCalls::CountRet600() {
  std::lock_guard lock(mu_);
  ++ret_600_;
}

std::uint64_t YunhuCalls::ret_600() const {
  std::lock_guard lock(mu_);
  return ret_600_;
}

std::string RenderQueueSipStatus(const std::vector<YunhuQueueView>& queues, std::int64_t now_s) {
  std::string rows = "[";
  for (const auto& q : queues) {
    for (const auto& m : q.members) {
      if (rows.size() > 1) rows += ',';
      AppendRow(rows, m);
    }
  }
  rows += ']';
  return R"({"ret":200,"data":)" + DataOk("get success", rows, now_s) + R"(,"msg":""})";
}

std::string RenderYunhuState(const std::vector<YunhuQueueView>& queues, std::int64_t now_s, const YunhuAuth& auth,
                             const YunhuCalls& calls) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto time = [&](const char* key, const std::optional<std::int64_t>& unix_s) {
    w.Key(key);
    w.String(Time(unix_s).c_str());
    w.Key((std::string(key) + "_unix").c_str());
    if (unix_s) {
      w.Int64(*unix_s);
    } else {
      w.Null();
    }
  };
  w.StartObject();
  w.Key("epoch_s");
  w.Int64(kYunhuEpochSeconds);
  w.Key("utc_offset_s");
  w.Int(kYunhuUtcOffsetSeconds);
  w.Key("now_s");
  w.Int64(now_s);
  w.Key("queues");
  w.StartArray();
  for (const auto& q : queues) {
    w.StartObject();
    w.Key("queuename");
    w.String(q.queuename.c_str());
    w.Key("members");
    w.StartArray();
    for (const auto& m : q.members) {
      w.StartObject();
      w.Key("extnumber");
      w.String(m.extnumber.c_str());
      w.Key("seatsname");
      w.String(m.seatsname.c_str());
      w.Key("activity");
      w.String(m.activity.c_str());
      w.Key("status");
      w.Int(m.status);
      w.Key("state");
      w.Int(m.state);
      time("lastanswertime", m.last_answer_s);
      time("lastassigntime", m.last_assign_s);
      time("seatschangetime", m.state_change_s);
      w.Key("callsanswered");
      w.Uint64(m.answered);
      w.Key("noanswercount");
      w.Uint64(m.missed);
      w.Key("externalcallscount");
      w.Uint64(m.external_calls);
      w.Key("wrapuptime");
      w.Int(m.wrapup_s);
      w.Key("numbers_as_strings");
      w.Bool(m.numbers_as_strings);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();

  const YunhuAuthCounters c = auth.Counters();
  w.Key("auth");
  w.StartObject();
  w.Key("appid");
  w.String(auth.appid().c_str());
  w.Key("token_ttl_s");
  w.Int64(std::chrono::duration_cast<std::chrono::seconds>(auth.token_ttl()).count());
  w.Key("token_invalid_rate");
  w.Double(auth.token_invalid_rate());
  w.Key("deny_ip");
  w.Bool(auth.deny_ip());
  w.Key("logins");
  w.Uint64(c.logins);
  w.Key("login_refused");
  w.Uint64(c.login_refused);
  w.Key("ret_600");
  w.Uint64(calls.ret_600());
  w.Key("ret_600_expired");
  w.Uint64(c.ret_600_expired);
  w.Key("ret_600_random");
  w.Uint64(c.ret_600_random);
  w.Key("ret_600_unknown");
  w.Uint64(c.ret_600_unknown);
  w.Key("ret_600_rejected");
  w.Uint64(c.ret_600_rejected);
  w.Key("reject_tokens");
  w.Bool(auth.reject_tokens());
  w.Key("ret_604");
  w.Uint64(c.ret_604);
  w.Key("logouts");
  w.Uint64(c.logouts);
  w.Key("valid_tokens");
  w.Uint64(auth.valid_tokens());
  w.Key("tokens");
  w.StartArray();
  for (const auto& t : auth.IssuedTokens()) w.String(t.c_str());
  w.EndArray();
  w.EndObject();

  w.Key("calls");
  w.StartObject();
  for (const auto& [service, n] : calls.Get()) {
    w.Key(service.c_str(), static_cast<rapidjson::SizeType>(service.size()));
    w.Uint64(n);
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

bool IsYunhuPath(std::string_view path) {
  return path == kYunhuApiPath || path.starts_with(std::string(kYunhuApiPath) + "/") || path == kYunhuCdrsPath;
}

http::Response HandleYunhuApi(const http::Request& req, const YunhuModel& model, YunhuAuth& auth, YunhuCalls& calls) {
  if (req.path == kYunhuCdrsPath) {
    calls.Count(kYunhuCdrsPath);
    return Cdrs(req, auth);
  }
  const std::string service = FormParam(req, "service");
  calls.Count(service.empty() ? "(none)" : service);
  const std::int64_t now_s = model.NowUnixSeconds();
  // The allow-list sits in front of everything.
  if (auth.CheckIp() != kYunhuRetOk) return Envelope(kYunhuRetIllegalIp, "[]", "illegal ip access");
  const Service* s = FindService(service);
  if (s == nullptr) return Envelope(kYunhuRetIllegalRequest, "[]", "illegal request: no such service");
  if (s->kind == Kind::login) return Login(req, auth, now_s);
  const std::string token = FormParam(req, "token");
  if (auth.Check(token) != kYunhuRetOk) {
    calls.CountRet600();
    return Envelope(kYunhuRetTokenInvalid, "[]", "token invalid");
  }
  switch (s->kind) {
    case Kind::queue_sip_status: return QueueSipStatus(req, model, now_s);
    case Kind::logout: auth.Logout(token); return Envelope(kYunhuRetOk, DataOk("logout success", "[]", now_s), "");
    case Kind::bare_read: return Envelope(kYunhuRetOk, "[]", "");
    case Kind::read:
    case Kind::write:
    case Kind::login: break;
  }
  // Not simulated beyond the envelope: an empty success, but counted.
  return Envelope(kYunhuRetOk, DataOk("success", "[]", now_s), "");
}

}  // namespace cc::sim::yunhu

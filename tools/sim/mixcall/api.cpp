#include "tools/sim/mixcall/api.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cc::sim::mixcall {
namespace {

// The label map of MixCall's queueinfo() (docs/vendors/api/mixcall.md §1.3).
std::string_view ChineseLabel(std::string_view strategy) {
  if (strategy == "ringall") return "全部振铃";
  if (strategy == "roundrobin") return "循环振铃";
  if (strategy == "leastrecent") return "最久未呼叫";
  if (strategy == "fewestcalls") return "最少呼叫";
  if (strategy == "random") return "随机振铃";
  if (strategy == "rrmemory") return "记忆振铃";
  return strategy;
}

void AppendHex4(std::string& out, unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", v & 0xffffu);
  out += buf;
}

// Decodes one UTF-8 sequence at s[i]; returns U+FFFD for malformed input.
char32_t NextCodePoint(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
  if (extra < 0 || b >= 0xf8) return 0xfffd;
  char32_t cp = b & (0x3f >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) return 0xfffd;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3f);
  }
  return cp > 0x10ffff ? 0xfffd : cp;
}

void AppendField(std::string& out, std::string_view key, std::string_view value, bool first = false) {
  if (!first) out += ',';
  out += PhpJsonString(key);
  out += ':';
  out += PhpJsonString(value);
}

void AppendQueue(std::string& out, const MixcallQueueView& q) {
  out += PhpJsonString(q.queue);
  out += ":{";
  AppendField(out, "queue", q.queue, true);
  AppendField(out, "name", q.name);
  AppendField(out, "ringtype", RingtypeOf(q));
  AppendField(out, "max", q.max < 0 ? "unlimited" : std::to_string(q.max));
  AppendField(out, "wait", std::to_string(q.wait));
  AppendField(out, "maxwaittime", FormatMaxWaitTime(q.wait > 0 ? q.longest_wait_seconds : 0));
  AppendField(out, "maxwaittimetag", q.wait > 0 ? "1" : "0");
  AppendField(out, "holdtime", std::to_string(q.holdtime));
  AppendField(out, "weight", std::to_string(q.weight));
  AppendField(out, "abandoned", std::to_string(q.abandoned));
  AppendField(out, "completed", std::to_string(q.completed));
  AppendField(out, "servicelevel", std::to_string(q.servicelevel));
  AppendField(out, "servicelevelperf", FormatServiceLevelPerf(q.completed_in_sl, q.completed));
  out += ",\"agents\":";
  if (q.agents.empty()) {
    out += "[]";  // PHP encodes an empty array as a list
  } else {
    out += '{';
    bool first = true;
    for (const auto& a : q.agents) {
      if (!first) out += ',';
      first = false;
      out += PhpJsonString(a.exten);
      out += ":{";
      AppendField(out, "exten", a.exten, true);
      AppendField(out, "dnd", std::to_string(a.dnd));
      AppendField(out, "status", std::to_string(a.status));
      out += '}';
    }
    out += '}';
  }
  out += '}';
}

bool ValidCallback(std::string_view cb) {
  return !cb.empty() && cb.size() <= 64 && std::all_of(cb.begin(), cb.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$';
  });
}

}  // namespace

std::string RingtypeOf(const MixcallQueueView& q) {
  return q.chinese_ringtype ? std::string(ChineseLabel(q.strategy)) : q.strategy;
}

std::string FormatMaxWaitTime(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(seconds / 60),
                static_cast<long long>(seconds % 60));
  return buf;
}

std::string FormatServiceLevelPerf(std::uint64_t completed_in_sl, std::uint64_t completed) {
  const double pct =
      completed == 0 ? 0.0 : 100.0 * static_cast<double>(completed_in_sl) / static_cast<double>(completed);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%2.1f%%", pct);
  return buf;
}

double ServiceLevelRatio(std::uint64_t completed_in_sl, std::uint64_t completed) {
  return std::strtod(FormatServiceLevelPerf(completed_in_sl, completed).c_str(), nullptr) / 100.0;
}

std::string PhpJsonString(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '/':
        out += "\\/";
        ++i;
        continue;
      case '\b':
        out += "\\b";
        ++i;
        continue;
      case '\f':
        out += "\\f";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      default: break;
    }
    char32_t cp = NextCodePoint(s, i);
    if (cp < 0x20) {
      AppendHex4(out, static_cast<unsigned>(cp));
    } else if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x10000) {
      AppendHex4(out, static_cast<unsigned>(cp));
    } else {
      cp -= 0x10000;
      AppendHex4(out, 0xd800u + static_cast<unsigned>(cp >> 10));
      AppendHex4(out, 0xdc00u + static_cast<unsigned>(cp & 0x3ff));
    }
  }
  out += '"';
  return out;
}

std::string RenderQueueInfo(const std::vector<MixcallQueueView>& queues, std::string_view only_queue) {
  std::string out = R"({"result":"1","data":)";
  if (!only_queue.empty()) {
    auto it =
        std::find_if(queues.begin(), queues.end(), [&](const MixcallQueueView& q) { return q.queue == only_queue; });
    if (it == queues.end()) return std::string(kMixcallFailure);
    out += '{';
    AppendQueue(out, *it);
    out += '}';
  } else if (queues.empty()) {
    out += "[]";
  } else {
    out += '{';
    bool first = true;
    for (const auto& q : queues) {
      if (!first) out += ',';
      first = false;
      AppendQueue(out, q);
    }
    out += '}';
  }
  out += R"(,"error":0})";
  return out;
}

std::string RenderMixcallState(const std::vector<MixcallQueueView>& queues) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("queues");
  w.StartArray();
  for (const auto& q : queues) {
    w.StartObject();
    w.Key("queue");
    w.String(q.queue.c_str());
    w.Key("name");
    w.String(q.name.c_str());
    w.Key("strategy");
    w.String(q.strategy.c_str());
    w.Key("ringtype");
    w.String(RingtypeOf(q).c_str());
    w.Key("wait");
    w.Int(q.wait);
    w.Key("max");
    w.Int(q.max);
    w.Key("longest_wait_seconds");
    w.Int64(q.wait > 0 ? q.longest_wait_seconds : 0);
    w.Key("holdtime");
    w.Int64(q.holdtime);
    w.Key("weight");
    w.Int(q.weight);
    w.Key("completed");
    w.Uint64(q.completed);
    w.Key("abandoned");
    w.Uint64(q.abandoned);
    w.Key("completed_in_sl");
    w.Uint64(q.completed_in_sl);
    w.Key("servicelevel");
    w.Int(q.servicelevel);
    w.Key("servicelevelperf_ratio");
    w.Double(ServiceLevelRatio(q.completed_in_sl, q.completed));
    w.Key("agents");
    w.StartArray();
    for (const auto& a : q.agents) {
      w.StartObject();
      w.Key("exten");
      w.String(a.exten.c_str());
      w.Key("status");
      w.Int(a.status);
      w.Key("dnd");
      w.Int(a.dnd);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

bool IsMixcallPath(std::string_view path) {
  return path == "/admin" || path == "/admin/" || path == "/admin/index.php";
}

http::Response HandleMixcallApi(const http::Request& req, const MixcallModel& model) {
  http::Response res;
  // The PHP original echoes json_encode() without setting a JSON type.
  res.content_type = "text/html; charset=utf-8";
  if (req.Param("m") != "interface" || req.Param("c") != "api") {
    res.status = 404;
    res.body = "<html><body><h1>404 Not Found</h1></body></html>\n";
    return res;
  }
  std::string body = req.Param("a") == "queueinfo" ? RenderQueueInfo(model.Queues(), req.Param("queue"))
                                                   : std::string(kMixcallFailure);
  if (std::string cb = req.Param("callback"); ValidCallback(cb)) body = cb + "(" + body + ")";
  res.body = std::move(body);
  return res;
}

}  // namespace cc::sim::mixcall

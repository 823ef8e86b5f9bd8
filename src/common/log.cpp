#include "common/log.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>

namespace cc::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<Format> g_format{Format::logfmt};
std::mutex g_write_mu;

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

std::string NowRfc3339() {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

void AppendLogfmtValue(std::string& out, std::string_view v) {
  bool quote = v.empty();
  for (char c : v) {
    if (c == ' ' || c == '=' || c == '"' || static_cast<unsigned char>(c) < 0x20) quote = true;
  }
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '"';
}

void AppendJsonString(std::string& out, std::string_view v) {
  out += '"';
  for (char c : v) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

Value::Value(long long n, bool is_signed) : number_(true) {
  const auto end = is_signed ? std::to_chars(digits_, digits_ + sizeof digits_, n).ptr
                             : std::to_chars(digits_, digits_ + sizeof digits_, static_cast<unsigned long long>(n)).ptr;
  digits_size_ = static_cast<std::size_t>(end - digits_);
}

Value::Value(double d) : number_(std::isfinite(d)) {
  const auto end = std::to_chars(digits_, digits_ + sizeof digits_, d).ptr;
  digits_size_ = static_cast<std::size_t>(end - digits_);
}

Level ParseLevel(std::string_view s) {
  if (s == "debug") return Level::debug;
  if (s == "info") return Level::info;
  if (s == "warn") return Level::warn;
  if (s == "error") return Level::error;
  throw std::invalid_argument("unknown log level \"" + std::string(s) + "\" (debug, info, warn, error)");
}

Format ParseFormat(std::string_view s) {
  if (s == "logfmt") return Format::logfmt;
  if (s == "json") return Format::json;
  throw std::invalid_argument("unknown log format \"" + std::string(s) + "\" (logfmt, json)");
}

void Configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

bool Enabled(Level level) { return level >= g_level.load(); }

std::string FormatLine(Format format, Level level, std::string_view time, std::string_view msg,
                       std::initializer_list<Field> fields) {
  std::string out;
  out.reserve(128);
  if (format == Format::json) {
    out += "{\"ts\":";
    AppendJsonString(out, time);
    out += ",\"level\":";
    AppendJsonString(out, LevelName(level));
    out += ",\"msg\":";
    AppendJsonString(out, msg);
    for (const auto& [k, v] : fields) {
      out += ',';
      AppendJsonString(out, k);
      out += ':';
      if (v.number()) {
        out += v.text();
      } else {
        AppendJsonString(out, v.text());
      }
    }
    out += '}';
  } else {
    out += "ts=";
    out += time;
    out += " level=";
    out += LevelName(level);
    out += " msg=";
    AppendLogfmtValue(out, msg);
    for (const auto& [k, v] : fields) {
      out += ' ';
      out += k;
      out += '=';
      AppendLogfmtValue(out, v.text());
    }
  }
  return out;
}

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  std::string line = FormatLine(g_format.load(), level, NowRfc3339(), msg, fields);
  line += '\n';
  std::lock_guard lock(g_write_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace cc::log

#include "core/text_format.h"

#include <charconv>
#include <cmath>
#include <functional>

namespace cc::text_format {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if there is none.
std::size_t ValidSequence(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len <= 1) return len;
  if (i + len > s.size()) return 0;
  unsigned cp = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong encodings and surrogates are invalid, as Prometheus has them.
  const bool ok = (len == 2 && cp >= 0x80) || (len == 3 && cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) ||
                  (len == 4 && cp >= 0x10000 && cp <= 0x10FFFF);
  return ok ? len : 0;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// One label's share of a label set's hash: the sum of these over a set does not depend
// on the order. splitmix64's finalizer spreads each term over all 64 bits, so that sums
// of different sets rarely meet.
std::uint64_t LabelHash(std::string_view name, std::string_view written_value) {
  std::uint64_t h =
      std::hash<std::string_view>{}(name)*0x9E3779B97F4A7C15ULL ^ std::hash<std::string_view>{}(written_value);
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

}  // namespace

void AppendHeader(std::string& out, const MetricDef& def) {
  out += "# HELP ";
  out += def.name;
  out += ' ';
  for (char c : def.help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += "\n# TYPE ";
  out += def.name;
  switch (def.type) {
    case MetricType::gauge: out += " gauge\n"; break;
    case MetricType::counter: out += " counter\n"; break;
    case MetricType::histogram: out += " histogram\n"; break;
  }
}

void AppendLabelValue(std::string& out, std::string_view v) {
  out += '"';
  // Runs of bytes that need nothing are appended whole: most values are plain ASCII ids.
  std::size_t run = 0;
  for (std::size_t i = 0; i < v.size();) {
    const char c = v[i];
    if (c != '\\' && c != '"' && c != '\n' && static_cast<unsigned char>(c) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = (c == '\\' || c == '"' || c == '\n') ? 0 : ValidSequence(v, i);
    if (len > 0) {
      i += len;
      continue;
    }
    out.append(v.substr(run, i - run));
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else {
      out += kReplacement;
    }
    run = ++i;
  }
  out.append(v.substr(run));
  out += '"';
}

void AppendValue(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else if (v == std::trunc(v) && std::fabs(v) < 1e15) {
    // Whole numbers (counts, Unix times) as integers: "1700000000", where the
    // shortest form would be "1.7e+09".
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    out.append(buf, ec == std::errc() ? end : buf);
  } else {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? end : buf);
  }
}

std::uint64_t AppendSample(std::string& out, std::string_view name, std::string_view target, const Labels& labels,
                           double value) {
  std::uint64_t hash = 0;
  out += name;
  if (!target.empty() || !labels.empty()) {
    char sep = '{';
    if (!target.empty()) {
      out += "{target=";
      AppendLabelValue(out, target);
      sep = ',';
    }
    for (const auto& [label, v] : labels) {
      out += sep;
      out += label;
      out += '=';
      const std::size_t begin = out.size();
      AppendLabelValue(out, v);
      hash += LabelHash(label, std::string_view(out).substr(begin));
      sep = ',';
    }
    out += '}';
  }
  out += ' ';
  AppendValue(out, value);
  out += '\n';
  return hash;
}

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t len = ValidSequence(s, i); len > 0) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  return out;
}

}  // namespace cc::text_format

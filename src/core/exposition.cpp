#include "core/exposition.h"

#include <algorithm>
#include <set>

#include <prometheus/text_serializer.h>

namespace cc {

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len > 1) {
      // Reject overlong encodings and surrogates, which Prometheus refuses too.
      unsigned cp = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      ok = (len == 2 && cp >= 0x80) || (len == 3 && cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) ||
           (len == 4 && cp >= 0x10000 && cp <= 0x10FFFF);
    }
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

prometheus::MetricFamily ToMetricFamily(const FamilySamples& family, std::string_view target) {
  prometheus::MetricFamily mf;
  mf.name = std::string(family.def->name);
  mf.help = std::string(family.def->help);
  const bool counter = family.def->type == MetricType::counter;
  mf.type = counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge;
  mf.metric.reserve(family.samples.size());
  for (const Sample& s : family.samples) {
    prometheus::ClientMetric m;
    m.label.reserve(s.labels.size() + 1);
    m.label.push_back({"target", ValidUtf8(target)});
    for (const auto& [name, value] : s.labels) m.label.push_back({name, ValidUtf8(value)});
    (counter ? m.counter.value : m.gauge.value) = s.value;
    mf.metric.push_back(std::move(m));
  }
  return mf;
}

RenderedFamily SplitFamilyText(const std::string& text) {
  // The serializer writes "# HELP" then "# TYPE" before the samples.
  std::size_t pos = 0;
  for (int i = 0; i < 2 && pos != std::string::npos; ++i) {
    if (text.compare(pos, 2, "# ") != 0) break;
    pos = text.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  if (pos == std::string::npos) pos = text.size();
  return RenderedFamily{text.substr(0, pos), text.substr(pos)};
}

Rendered Render(const Snapshot& snapshot, std::string_view target) {
  Rendered out;
  prometheus::TextSerializer serializer;
  for (const auto& [name, family] : snapshot.families()) {
    prometheus::MetricFamily mf = ToMetricFamily(family, target);
    std::set<std::vector<prometheus::ClientMetric::Label>> seen;
    std::erase_if(mf.metric, [&](const prometheus::ClientMetric& m) {
      auto sorted = m.label;
      std::sort(sorted.begin(), sorted.end());
      bool duplicate = !seen.insert(std::move(sorted)).second;
      out.duplicates_dropped += duplicate;
      return duplicate;
    });
    out.series += mf.metric.size();
    out.families.emplace(name, SplitFamilyText(serializer.Serialize({mf})));
  }
  return out;
}

}  // namespace cc

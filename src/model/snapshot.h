#pragma once
// A Snapshot is the whole result of one poll of one collector: metric families
// with their samples, without the `target` label (added at exposition time).
// Parsers build it; nothing mutates it after the poll.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cc {

// Vendor series are gauges and counters; histogram is for the exporter's own
// request durations (core/http_metrics.h), which write their samples themselves.
enum class MetricType { gauge, counter, histogram };

// Definitions are constants with static storage (see model/metrics.h and the
// collectors' own vendor-specific definitions), so snapshots point at them.
struct MetricDef {
  std::string_view name;
  std::string_view help;
  MetricType type;
};

using Labels = std::vector<std::pair<std::string, std::string>>;

struct Sample {
  Labels labels;
  double value;
};

struct FamilySamples {
  const MetricDef* def;
  std::vector<Sample> samples;
};

class Snapshot {
 public:
  void Add(const MetricDef& def, Labels labels, double value);

  // Keyed by family name, so exposition order is stable.
  const std::map<std::string_view, FamilySamples>& families() const { return families_; }
  const FamilySamples* Find(std::string_view name) const;
  std::size_t SampleCount() const;

 private:
  std::map<std::string_view, FamilySamples> families_;
};

}  // namespace cc

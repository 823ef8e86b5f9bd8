#pragma once
// A Snapshot is the whole result of one poll of one collector: metric families
// with their samples, without the `target` label (added at exposition time).
// Parsers build it; nothing mutates it after the poll.

#include <cstddef>
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

// The samples of one family, their labels packed into one buffer: a poll of 33,000
// series held ~180 bytes a sample as Labels (a vector and two strings of 32 bytes each
// per label), ~40 packed. Readers decode a sample's labels into a Labels they reuse.
// Copyable; not thread-safe to write, safe to read from many threads.
class SampleList {
 public:
  void push_back(const Labels& labels, double value);

  std::size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }
  double value(std::size_t i) const { return index_[i].value; }
  // Sample i's labels into `out`, in the order added; reuses `out`'s strings, so a loop
  // over the samples allocates only for the longest labels.
  void LabelsOf(std::size_t i, Labels& out) const;
  // Sample i decoded (a copy).
  Sample operator[](std::size_t i) const;

  // Decoded samples, in the order added (each a copy).
  class const_iterator {
   public:
    using value_type = Sample;
    using difference_type = std::ptrdiff_t;
    const_iterator() = default;
    const_iterator(const SampleList* list, std::size_t i) : list_(list), i_(i) {}
    Sample operator*() const { return (*list_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) { return {list_, i_++}; }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    const SampleList* list_ = nullptr;
    std::size_t i_ = 0;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

 private:
  struct Entry {
    std::size_t offset;  // of its labels in bytes_; they end where the next sample's begin
    double value;
  };
  std::string bytes_;  // per label: LEB128 name length, name, LEB128 value length, value
  std::vector<Entry> index_;
};

struct FamilySamples {
  const MetricDef* def;
  SampleList samples;
};

class Snapshot {
 public:
  void Add(const MetricDef& def, const Labels& labels, double value);

  // Keyed by family name, so exposition order is stable.
  const std::map<std::string_view, FamilySamples>& families() const { return families_; }
  const FamilySamples* Find(std::string_view name) const;
  std::size_t SampleCount() const;

 private:
  std::map<std::string_view, FamilySamples> families_;
};

}  // namespace cc

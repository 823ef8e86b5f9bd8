#include "model/snapshot.h"

namespace cc {

void Snapshot::Add(const MetricDef& def, Labels labels, double value) {
  auto [it, inserted] = families_.try_emplace(def.name, FamilySamples{&def, {}});
  it->second.samples.push_back(Sample{std::move(labels), value});
}

const FamilySamples* Snapshot::Find(std::string_view name) const {
  auto it = families_.find(name);
  return it == families_.end() ? nullptr : &it->second;
}

std::size_t Snapshot::SampleCount() const {
  std::size_t n = 0;
  for (const auto& [name, family] : families_) n += family.samples.size();
  return n;
}

}  // namespace cc

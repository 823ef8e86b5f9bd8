#include "model/snapshot.h"

#include <string_view>

namespace cc {
namespace {

void AppendLength(std::string& out, std::size_t n) {
  for (; n >= 0x80; n >>= 7) out += static_cast<char>((n & 0x7f) | 0x80);
  out += static_cast<char>(n);
}

std::size_t ReadLength(std::string_view bytes, std::size_t& at) {
  std::size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes[at++]);
    n |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return n;
  }
}

std::string_view ReadString(std::string_view bytes, std::size_t& at) {
  const std::size_t n = ReadLength(bytes, at);
  const std::string_view s = bytes.substr(at, n);
  at += n;
  return s;
}

}  // namespace

void SampleList::push_back(const Labels& labels, double value) {
  index_.push_back({bytes_.size(), value});
  for (const auto& [name, v] : labels) {
    AppendLength(bytes_, name.size());
    bytes_ += name;
    AppendLength(bytes_, v.size());
    bytes_ += v;
  }
}

void SampleList::LabelsOf(std::size_t i, Labels& out) const {
  const std::size_t end = i + 1 < index_.size() ? index_[i + 1].offset : bytes_.size();
  std::size_t n = 0;
  for (std::size_t at = index_[i].offset; at < end; ++n) {
    if (n == out.size()) out.emplace_back();
    out[n].first.assign(ReadString(bytes_, at));
    out[n].second.assign(ReadString(bytes_, at));
  }
  out.resize(n);
}

Sample SampleList::operator[](std::size_t i) const {
  Sample s{{}, index_[i].value};
  LabelsOf(i, s.labels);
  return s;
}

void Snapshot::Add(const MetricDef& def, const Labels& labels, double value) {
  auto [it, inserted] = families_.try_emplace(def.name, FamilySamples{&def, {}});
  it->second.samples.push_back(labels, value);
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

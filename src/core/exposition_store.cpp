#include "core/exposition_store.h"

#include <vector>

namespace cc {
namespace {

// Calls on_header with the first header seen for each family name, in name order, then
// on_series with that family of every entry that has it, in key order.
template <class OnHeader, class OnSeries>
void Merge(const std::vector<std::shared_ptr<const Rendered>>& live, OnHeader on_header, OnSeries on_series) {
  std::map<std::string_view, const std::string*> headers;
  for (const auto& r : live) {
    for (const auto& [name, family] : r->families) headers.try_emplace(name, &family.header);
  }
  for (const auto& [name, header] : headers) {
    on_header(*header);
    for (const auto& r : live) {
      auto it = r->families.find(name);
      if (it != r->families.end()) on_series(it->second);
    }
  }
}

}  // namespace

void ExpositionStore::Put(const std::string& target, const std::string& collector, std::shared_ptr<const Rendered> data,
                          Clock::time_point expires) {
  std::lock_guard lock(mu_);
  entries_[{target, collector}] = Entry{std::move(data), expires};
}

void ExpositionStore::Retain(const std::set<Key>& keep) {
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [&](const auto& kv) { return !keep.contains(kv.first); });
}

std::vector<std::shared_ptr<const Rendered>> ExpositionStore::Live(Clock::time_point now,
                                                                   std::string_view only_target) const {
  std::vector<std::shared_ptr<const Rendered>> live;
  std::lock_guard lock(mu_);
  for (const auto& [key, entry] : entries_) {
    if (entry.expires <= now) continue;
    if (!only_target.empty() && key.first != only_target) continue;
    live.push_back(entry.data);
  }
  return live;
}

void ExpositionStore::Write(std::string& out, Clock::time_point now, std::string_view only_target) const {
  std::vector<std::string_view> pieces;
  const auto owner = WritePieces(pieces, now, only_target);
  std::size_t total = 0;
  for (auto p : pieces) total += p.size();
  out.reserve(out.size() + total);
  for (auto p : pieces) out += p;
}

std::shared_ptr<const void> ExpositionStore::WritePieces(std::vector<std::string_view>& pieces, Clock::time_point now,
                                                         std::string_view only_target) const {
  auto live = std::make_shared<const std::vector<std::shared_ptr<const Rendered>>>(Live(now, only_target));
  Merge(
      *live, [&](const std::string& header) { pieces.emplace_back(header); },
      [&](const RenderedFamily& family) { pieces.emplace_back(family.series); });
  return live;
}

void ExpositionStore::WriteGzip(GzipWriter& out, Clock::time_point now, std::string_view only_target) const {
  Merge(
      Live(now, only_target), [&](const std::string& header) { out.Deflate(header); },
      [&](const RenderedFamily& family) {
        if (family.series_deflated) {
          out.Append(*family.series_deflated);
        } else {
          out.Store(family.series);
        }
      });
}

}  // namespace cc

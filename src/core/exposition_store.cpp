#include "core/exposition_store.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace cc {
namespace {

// Calls on_header with the first header seen for each family name, in name order, then
// on_series with that family of every entry that has it, in key order. A merge of the
// entries' maps (each in name order) with one cursor per entry: with 1,000 targets a
// lookup of every name in every entry was a third of a scrape's time.
template <class OnHeader, class OnSeries>
void Merge(const std::vector<std::shared_ptr<const Rendered>>& live, OnHeader on_header, OnSeries on_series) {
  using Cursor = std::pair<decltype(Rendered::families)::const_iterator, decltype(Rendered::families)::const_iterator>;
  std::vector<Cursor> cursors;  // (next family, end) of each entry, in key order
  cursors.reserve(live.size());
  for (const auto& r : live) {
    if (!r->families.empty()) cursors.emplace_back(r->families.begin(), r->families.end());
  }
  while (!cursors.empty()) {
    std::string_view name = cursors.front().first->first;
    for (const auto& [next, end] : cursors) name = std::min<std::string_view>(name, next->first);
    bool header_written = false;
    for (auto& [next, end] : cursors) {
      if (next->first != name) continue;
      if (!header_written) on_header(next->second.header);
      header_written = true;
      on_series(next->second);
      ++next;
    }
    std::erase_if(cursors, [](const Cursor& c) { return c.first == c.second; });
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

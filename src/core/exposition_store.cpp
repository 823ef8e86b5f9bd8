#include "core/exposition_store.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

namespace cc {
namespace {

// One family of a group of entries: its series joined in entry order.
struct JoinedFamily {
  std::string_view name;
  std::string_view header;
  std::vector<std::string_view> pieces;  // into the group's `joined`, or long series of the entries
};

std::string_view NameOf(const std::pair<const std::string, RenderedFamily>& family) { return family.first; }
std::string_view NameOf(const JoinedFamily& family) { return family.name; }

// For each family name, in name order, calls on_family(first, family) with that family of
// every source that has it, in source order; `first` for the first of them. Sources are
// (begin, end) ranges of families in name order, merged with one cursor each: with 1,000
// targets a lookup of every name in every entry was a third of a scrape's time.
template <class It, class OnFamily>
void MergeByName(std::vector<std::pair<It, It>> cursors, OnFamily on_family) {
  const auto done = [](const std::pair<It, It>& c) { return c.first == c.second; };
  std::erase_if(cursors, done);
  while (!cursors.empty()) {
    std::string_view name = NameOf(*cursors.front().first);
    for (const auto& [next, end] : cursors) name = std::min(name, NameOf(*next));
    bool first = true;
    for (auto& [next, end] : cursors) {
      if (NameOf(*next) != name) continue;
      on_family(first, *next);
      first = false;
      ++next;
    }
    std::erase_if(cursors, done);
  }
}

// The families of each entry (anything with a `data` pointing to a Rendered) of [first, last).
template <class EntryIt>
auto FamiliesOf(EntryIt first, EntryIt last) {
  using It = decltype(Rendered::families)::const_iterator;
  std::vector<std::pair<It, It>> cursors;
  cursors.reserve(last - first);
  for (; first != last; ++first) cursors.emplace_back(first->data->families.begin(), first->data->families.end());
  return cursors;
}

}  // namespace

struct ExpositionStore::JoinedGroup {
  std::vector<std::uint64_t> versions;  // of its entries, in key order
  std::vector<JoinedFamily> families;   // in name order
  std::string joined;                   // the short series, copied together
};

void ExpositionStore::Put(const std::string& target, const std::string& collector, std::shared_ptr<const Rendered> data,
                          Clock::time_point expires) {
  std::vector<LiveEntry> group;
  std::size_t index = 0;
  {
    std::lock_guard lock(mu_);
    const auto [it, inserted] =
        entries_.insert_or_assign(Key{target, collector}, Entry{std::move(data), expires, next_version_++});
    // New data of a known entry: its group is joined now, on the poll's thread, so a
    // scrape finds it ready however seldom it comes (at 15 s, every group of 1,000
    // targets would have changed). A new entry moves every later group; the next
    // scrape joins them all at once.
    if (!inserted) group = GroupOf(it, Clock::now(), index);
  }
  if (group.empty()) return;
  auto joined = Join(group.data(), group.data() + group.size());
  std::lock_guard lock(groups_mu_);
  // Put by a scrape of other entries or by another Put meanwhile: a group of the wrong
  // entries is found out by its versions, and joined again when read.
  if (index < groups_.size()) groups_[index] = std::move(joined);
}

std::vector<ExpositionStore::LiveEntry> ExpositionStore::GroupOf(std::map<Key, Entry>::const_iterator entry,
                                                                 Clock::time_point now, std::size_t& index) const {
  std::size_t position = 0;
  auto it = entries_.begin();
  for (; it != entry; ++it, ++position) {
    if (it->second.expires <= now) return {};  // positions differ from the scrapes'
  }
  index = position / kGroupEntries;
  it = std::prev(it, static_cast<std::ptrdiff_t>(position % kGroupEntries));
  std::vector<LiveEntry> group;
  for (; it != entries_.end() && group.size() < kGroupEntries; ++it) {
    if (it->second.expires <= now) return {};
    group.push_back({it->second.data, it->second.version});
  }
  return group;
}

void ExpositionStore::Retain(const std::set<Key>& keep) {
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [&](const auto& kv) { return !keep.contains(kv.first); });
}

std::vector<ExpositionStore::LiveEntry> ExpositionStore::Live(Clock::time_point now,
                                                              std::string_view only_target) const {
  std::vector<LiveEntry> live;
  std::lock_guard lock(mu_);
  for (const auto& [key, entry] : entries_) {
    if (entry.expires <= now) continue;
    if (!only_target.empty() && key.first != only_target) continue;
    live.push_back({entry.data, entry.version});
  }
  return live;
}

std::shared_ptr<const ExpositionStore::JoinedGroup> ExpositionStore::Join(const LiveEntry* first,
                                                                          const LiveEntry* last) {
  auto group = std::make_shared<JoinedGroup>();
  std::size_t short_bytes = 0;
  for (const LiveEntry* e = first; e != last; ++e) {
    group->versions.push_back(e->version);
    for (const auto& [name, family] : e->data->families) {
      if (family.series.size() < kLargePiece) short_bytes += family.series.size();
    }
  }
  group->joined.reserve(short_bytes);  // never grows below, so the views into it stay put
  bool joining = false;                // the family's last piece is in `joined`, and may grow
  MergeByName(FamiliesOf(first, last), [&](bool first_of_name, const auto& named) {
    const auto& [name, family] = named;
    if (first_of_name) {
      group->families.push_back({name, family.header, {}});
      joining = false;
    }
    auto& pieces = group->families.back().pieces;
    const std::string_view series = family.series;
    if (series.size() >= kLargePiece) {
      pieces.push_back(series);
      joining = false;
      return;
    }
    const char* at = group->joined.data() + group->joined.size();
    group->joined += series;
    if (joining) {
      pieces.back() = {pieces.back().data(), pieces.back().size() + series.size()};
    } else {
      pieces.emplace_back(at, series.size());
      joining = true;
    }
  });
  return group;
}

std::vector<std::shared_ptr<const ExpositionStore::JoinedGroup>> ExpositionStore::Groups(
    const std::vector<LiveEntry>& live) const {
  std::lock_guard lock(groups_mu_);
  groups_.resize((live.size() + kGroupEntries - 1) / kGroupEntries);
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    const LiveEntry* first = live.data() + i * kGroupEntries;
    const LiveEntry* last = first + std::min(kGroupEntries, live.size() - i * kGroupEntries);
    auto& cached = groups_[i];
    const auto same = [](std::uint64_t version, const LiveEntry& e) { return version == e.version; };
    if (!cached || !std::equal(cached->versions.begin(), cached->versions.end(), first, last, same)) {
      cached = Join(first, last);
    }
  }
  return groups_;
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
  struct Held {
    std::vector<LiveEntry> live;
    std::vector<std::shared_ptr<const JoinedGroup>> groups;
  };
  auto held = std::make_shared<Held>();
  held->live = Live(now, only_target);
  if (!only_target.empty()) {  // one target's few entries: their text as it lies
    MergeByName(FamiliesOf(held->live.begin(), held->live.end()), [&](bool first, const auto& named) {
      if (first) pieces.push_back(named.second.header);
      pieces.emplace_back(named.second.series);
    });
    return held;
  }
  held->groups = Groups(held->live);
  using It = std::vector<JoinedFamily>::const_iterator;
  std::vector<std::pair<It, It>> cursors;
  for (const auto& group : held->groups) cursors.emplace_back(group->families.begin(), group->families.end());
  MergeByName(std::move(cursors), [&](bool first, const JoinedFamily& family) {
    if (first) pieces.push_back(family.header);
    pieces.insert(pieces.end(), family.pieces.begin(), family.pieces.end());
  });
  return held;
}

void ExpositionStore::WriteGzip(GzipWriter& out, Clock::time_point now, std::string_view only_target) const {
  const auto live = Live(now, only_target);
  MergeByName(FamiliesOf(live.begin(), live.end()), [&](bool first, const auto& named) {
    const RenderedFamily& family = named.second;
    if (first) out.Deflate(family.header);
    if (family.series_deflated) {
      out.Append(*family.series_deflated);
    } else {
      out.Store(family.series);
    }
  });
}

}  // namespace cc

#pragma once
// The rendered data of every (target, collector), swapped in whole when a poll
// finishes. A scrape copies the pointers under a short lock and then merges
// the chunks family by family; it never waits on a vendor, at most on the join
// of one group of entries (WritePieces).
//
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/exposition.h"
#include "http/gzip.h"

namespace cc {

class ExpositionStore {
 public:
  using Clock = std::chrono::steady_clock;
  using Key = std::pair<std::string, std::string>;  // target, collector

  // Replaces that collector's data; it is served until `expires` (stale_after). When the
  // entry was there before, joins its group (WritePieces) on the caller's thread.
  void Put(const std::string& target, const std::string& collector, std::shared_ptr<const Rendered> data,
           Clock::time_point expires);
  // Drops every entry whose key is not in `keep` (after a reload).
  void Retain(const std::set<Key>& keep);

  // Appends the exposition text of all unexpired entries (or of one target).
  void Write(std::string& out, Clock::time_point now, std::string_view only_target = {}) const;
  // The same text as views appended to `pieces`; they stay valid while the returned owner
  // lives, whatever Put does. Of all targets, the views are into groups of up to
  // kGroupEntries entries joined family by family when one of their entries changes
  // (Put), or here if entries came, went or expired since: 1,000 small targets make
  // ~600 long pieces, not ~20,000 short ones, and a scrape copies none of them. A piece of kLargePiece bytes or more is
  // referenced where it lies, never copied.
  std::shared_ptr<const void> WritePieces(std::vector<std::string_view>& pieces, Clock::time_point now,
                                          std::string_view only_target = {}) const;
  // The same text into a gzip member: each family's header deflated now, its series
  // spliced from the pieces deflated at render time (or stored where none was kept).
  void WriteGzip(GzipWriter& out, Clock::time_point now, std::string_view only_target = {}) const;

  // 32 and 128 measured alike at 1,000 targets (bench/RESULTS.md, scale.sh); larger
  // groups make fewer pieces, smaller ones copy less when one entry changes.
  static constexpr std::size_t kGroupEntries = 32;
  static constexpr std::size_t kLargePiece = 16 * 1024;  // bytes

 private:
  struct LiveEntry {
    std::shared_ptr<const Rendered> data;
    std::uint64_t version = 0;  // Put numbers the data it stores
  };
  struct JoinedGroup;  // exposition_store.cpp
  struct Entry {
    std::shared_ptr<const Rendered> data;
    Clock::time_point expires;
    std::uint64_t version = 0;  // as in LiveEntry
  };

  // The unexpired entries (of `only_target`, unless empty), in key order.
  std::vector<LiveEntry> Live(Clock::time_point now, std::string_view only_target) const;
  // The groups of `live`, from the cache where their entries are unchanged.
  std::vector<std::shared_ptr<const JoinedGroup>> Groups(const std::vector<LiveEntry>& live) const;
  static std::shared_ptr<const JoinedGroup> Join(const LiveEntry* first, const LiveEntry* last);
  // The entries of `entry`'s group as a scrape would cut the groups now, and the group's
  // index; none if an entry up to the group's end has expired (mu_ held).
  std::vector<LiveEntry> GroupOf(std::map<Key, Entry>::const_iterator entry, Clock::time_point now,
                                 std::size_t& index) const;

  mutable std::mutex mu_;
  std::map<Key, Entry> entries_;
  std::uint64_t next_version_ = 1;

  // Views of a cached group into its entries' Rendered data are read only while a
  // scrape holds those entries (their versions matched); a group whose entries were
  // replaced is rebuilt before it is read again.
  mutable std::mutex groups_mu_;
  mutable std::vector<std::shared_ptr<const JoinedGroup>> groups_;
};

}  // namespace cc

#pragma once
// The rendered data of every (target, collector), swapped in whole when a poll
// finishes. A scrape copies the pointers under a short lock and then merges
// the chunks family by family, so it never waits on a poll.
//
// Thread-safe.

#include <chrono>
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

  // Replaces that collector's data; it is served until `expires` (stale_after).
  void Put(const std::string& target, const std::string& collector, std::shared_ptr<const Rendered> data,
           Clock::time_point expires);
  // Drops every entry whose key is not in `keep` (after a reload).
  void Retain(const std::set<Key>& keep);

  // Appends the exposition text of all unexpired entries (or of one target).
  void Write(std::string& out, Clock::time_point now, std::string_view only_target = {}) const;
  // The same text as views appended to `pieces` (no copy: a plain scrape writes them as
  // they are); they stay valid while the returned owner lives, whatever Put does.
  std::shared_ptr<const void> WritePieces(std::vector<std::string_view>& pieces, Clock::time_point now,
                                          std::string_view only_target = {}) const;
  // The same text into a gzip member: each family's header deflated now, its series
  // spliced from the pieces deflated at render time (or stored where none was kept).
  void WriteGzip(GzipWriter& out, Clock::time_point now, std::string_view only_target = {}) const;

 private:
  // The unexpired entries (of `only_target`, unless empty), in key order.
  std::vector<std::shared_ptr<const Rendered>> Live(Clock::time_point now, std::string_view only_target) const;

  struct Entry {
    std::shared_ptr<const Rendered> data;
    Clock::time_point expires;
  };
  mutable std::mutex mu_;
  std::map<Key, Entry> entries_;
};

}  // namespace cc

#pragma once
// Exporter self-metrics (docs/metrics.md "Exporter and target health"), written
// by the same text format writer as the vendor series, plus the per-collector
// status the landing page and /-/ready need. Series exist from the moment a
// target runs; every series carries `target` first. A collector's series are
// rendered when they change (a few times a poll), not per scrape: with 1,000
// targets a scrape wrote ~15,000 of these lines.
//
// Thread-safe.

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "core/build_info.h"
#include "core/exposition_store.h"

namespace cc {

// One running target and the names of its collectors.
struct TargetCollectors {
  std::string target;
  std::string vendor;
  std::vector<std::string> collectors;
};

struct CollectorStatus {
  std::string target;
  std::string vendor;
  std::string collector;
  bool polled = false;
  bool up = false;
  std::chrono::system_clock::time_point last_success{};  // epoch: never
  std::string last_error;                                // "reason: message"
  std::chrono::system_clock::time_point next_poll{};     // epoch: not scheduled yet
  bool backed_off = false;  // next_poll is later than poll_interval: failures or Retry-After
};

class Health {
 public:
  explicit Health(const BuildInfo& build);

  // The running targets and their collectors; series of targets that went
  // away are removed, those that stay keep their counters.
  void SetTargets(const std::vector<TargetCollectors>& targets);

  void PollStarted(const std::string& target, const std::string& collector);
  void PollSucceeded(const std::string& target, const std::string& collector, std::chrono::duration<double> took,
                     std::chrono::system_clock::time_point end);
  void PollFailed(const std::string& target, const std::string& collector, std::chrono::duration<double> took,
                  const Error& error);
  // After each poll: the wait before the next one when longer than the
  // interval (back-off or Retry-After, callcenter_poll_backoff_seconds; zero
  // otherwise) and when the next one is due.
  void PollScheduled(const std::string& target, const std::string& collector, std::chrono::duration<double> backoff,
                     std::chrono::system_clock::time_point next_poll);
  void ConfigReloaded(bool ok, std::chrono::system_clock::time_point when);

  // Ready once every configured collector has been polled at least once.
  bool Ready() const;
  std::vector<CollectorStatus> Status() const;
  bool HasTarget(std::string_view target) const;

  // Appends the exposition text of the self-metrics (or only one target's).
  void Write(std::string& out, std::string_view only_target = {}) const;
  // Its two parts. The series of no one target (build, configuration reload), which
  // Write leaves out for `only_target`:
  void WriteGlobal(std::string& out) const;
  // and those of the targets (or of one) as views appended to `pieces`, valid while the
  // returned owner lives.
  std::shared_ptr<const void> WritePieces(std::vector<std::string_view>& pieces,
                                          std::string_view only_target = {}) const;
  // Those of the targets into a gzip member, deflated now.
  void WriteGzip(GzipWriter& out, std::string_view only_target = {}) const;

 private:
  struct Series {
    double up = 0;
    double duration_seconds = 0;
    double last_success = 0;  // Unix seconds; 0 = never
    double polls = 0;
    double backoff_seconds = 0;
    std::array<double, kAllReasons.size()> failures{};
    CollectorStatus status;
  };
  using Key = std::pair<std::string, std::string>;  // target, collector

  Series* Find(const std::string& target, const std::string& collector);
  // Renders the series of one collector into `rendered_`, after each change (mu_ held).
  void Publish(const std::string& target, const std::string& collector, const Series& s);

  const std::vector<std::pair<std::string, std::string>> build_labels_;
  mutable std::mutex mu_;
  std::map<Key, Series> series_;
  std::map<std::string, std::string> vendors_;  // target → vendor
  double reload_ok_ = 0;
  double reload_time_ = 0;  // Unix seconds of the last successful (re)load
  // The per-target series: each collector's under its key, callcenter_target_info under
  // (target, "").
  ExpositionStore rendered_;
};

}  // namespace cc

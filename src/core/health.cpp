#include "core/health.h"

#include <algorithm>
#include <set>

#include "core/exposition.h"
#include "core/text_format.h"
#include "model/snapshot.h"

namespace cc {
namespace {

constexpr auto kNever = ExpositionStore::Clock::time_point::max();

double EpochSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

constexpr MetricDef kTargetInfo{"callcenter_target_info", "Configured target and its vendor, value 1.",
                                MetricType::gauge};
constexpr MetricDef kUp{"callcenter_up", "1 if the last poll of this collector succeeded, 0 otherwise.",
                        MetricType::gauge};
constexpr MetricDef kDuration{"callcenter_poll_duration_seconds",
                              "Wall time of the last poll of this collector, in seconds.", MetricType::gauge};
constexpr MetricDef kLastSuccess{"callcenter_last_success_timestamp_seconds",
                                 "End of the last successful poll of this collector, Unix time; 0 if none yet.",
                                 MetricType::gauge};
constexpr MetricDef kPolls{"callcenter_polls_total", "Polls started by this collector.", MetricType::counter};
constexpr MetricDef kFailures{"callcenter_poll_failures_total", "Failed polls of this collector, by reason.",
                              MetricType::counter};
constexpr MetricDef kBackoff{"callcenter_poll_backoff_seconds",
                             "Wait before the next poll of this collector when longer than its poll_interval, because "
                             "its polls keep failing (exponential back-off) or the vendor sent Retry-After, in "
                             "seconds; 0 while it polls every poll_interval.",
                             MetricType::gauge};
constexpr MetricDef kReloadOk{"callcenter_config_last_reload_successful",
                              "1 if the last configuration (re)load succeeded, 0 otherwise.", MetricType::gauge};
constexpr MetricDef kReloadTime{"callcenter_config_last_reload_success_timestamp_seconds",
                                "Time of the last successful configuration (re)load, Unix time.", MetricType::gauge};
constexpr MetricDef kBuildInfo{"callcenter_exporter_build_info",
                               "What callcenter_exporter was built from and with (version, revision, branch, build "
                               "date, compiler, platform), value 1.",
                               MetricType::gauge};

}  // namespace

Health::Health(const BuildInfo& build) : build_labels_(build.Fields()) {}

void Health::SetTargets(const std::vector<TargetCollectors>& targets) {
  std::lock_guard lock(mu_);
  std::set<Key> wanted;
  vendors_.clear();
  for (const auto& t : targets) {
    vendors_[t.target] = t.vendor;
    for (const auto& c : t.collectors) wanted.insert({t.target, c});
  }
  // Collectors that stay keep their counters.
  std::erase_if(series_, [&](const auto& kv) { return !wanted.contains(kv.first); });
  std::set<ExpositionStore::Key> rendered = wanted;
  for (const auto& key : wanted) {
    Series& s = series_[key];
    s.status.target = key.first;
    s.status.vendor = vendors_[key.first];
    s.status.collector = key.second;
    Publish(key.first, key.second, s);
  }
  for (const auto& [target, vendor] : vendors_) {
    Snapshot info;
    info.Add(kTargetInfo, {{"vendor", vendor}}, 1);
    rendered_.Put(target, "", std::make_shared<const Rendered>(Render(info, target, {.deflate_level = 0})), kNever);
    rendered.insert({target, ""});
  }
  rendered_.Retain(rendered);
}

void Health::Publish(const std::string& target, const std::string& collector, const Series& s) {
  Snapshot snap;
  const auto add = [&](const MetricDef& def, double value) { snap.Add(def, {{"collector", collector}}, value); };
  add(kUp, s.up);
  add(kDuration, s.duration_seconds);
  add(kLastSuccess, s.last_success);
  add(kPolls, s.polls);
  add(kBackoff, s.backoff_seconds);
  for (std::size_t i = 0; i < kAllReasons.size(); ++i) {
    snap.Add(kFailures, {{"collector", collector}, {"reason", std::string(ToString(kAllReasons[i]))}}, s.failures[i]);
  }
  // No gzip pieces: most of these families are one line, which deflate would not make
  // shorter; a gzip scrape deflates them all together (WriteGzip).
  rendered_.Put(target, collector, std::make_shared<const Rendered>(Render(snap, target, {.deflate_level = 0})),
                kNever);
}

Health::Series* Health::Find(const std::string& target, const std::string& collector) {
  auto it = series_.find({target, collector});
  return it == series_.end() ? nullptr : &it->second;
}

void Health::PollStarted(const std::string& target, const std::string& collector) {
  std::lock_guard lock(mu_);
  if (auto* s = Find(target, collector)) {
    ++s->polls;
    Publish(target, collector, *s);
  }
}

void Health::PollSucceeded(const std::string& target, const std::string& collector, std::chrono::duration<double> took,
                           std::chrono::system_clock::time_point end) {
  std::lock_guard lock(mu_);
  auto* s = Find(target, collector);
  if (!s) return;  // reloaded away meanwhile
  s->up = 1;
  s->duration_seconds = took.count();
  s->last_success = EpochSeconds(end);
  s->status.polled = true;
  s->status.up = true;
  s->status.last_success = end;
  Publish(target, collector, *s);
}

void Health::PollFailed(const std::string& target, const std::string& collector, std::chrono::duration<double> took,
                        const Error& error) {
  std::lock_guard lock(mu_);
  auto* s = Find(target, collector);
  if (!s) return;
  s->up = 0;
  s->duration_seconds = took.count();
  auto idx = std::find(kAllReasons.begin(), kAllReasons.end(), error.reason) - kAllReasons.begin();
  s->failures[idx] += 1;
  s->status.polled = true;
  s->status.up = false;
  s->status.last_error = std::string(ToString(error.reason)) + ": " + error.message;
  Publish(target, collector, *s);
}

void Health::PollScheduled(const std::string& target, const std::string& collector,
                           std::chrono::duration<double> backoff, std::chrono::system_clock::time_point next_poll) {
  std::lock_guard lock(mu_);
  auto* s = Find(target, collector);
  if (!s) return;
  const bool changed = s->backoff_seconds != backoff.count();
  s->backoff_seconds = backoff.count();
  s->status.next_poll = next_poll;
  s->status.backed_off = backoff.count() > 0;
  if (changed) Publish(target, collector, *s);  // next_poll is not a series
}

void Health::ConfigReloaded(bool ok, std::chrono::system_clock::time_point when) {
  std::lock_guard lock(mu_);
  reload_ok_ = ok ? 1 : 0;
  if (ok) reload_time_ = EpochSeconds(when);
}

bool Health::Ready() const {
  std::lock_guard lock(mu_);
  return std::all_of(series_.begin(), series_.end(), [](const auto& kv) { return kv.second.status.polled; });
}

std::vector<CollectorStatus> Health::Status() const {
  std::lock_guard lock(mu_);
  std::vector<CollectorStatus> out;
  for (const auto& [key, s] : series_) out.push_back(s.status);
  return out;
}

bool Health::HasTarget(std::string_view target) const {
  std::lock_guard lock(mu_);
  return vendors_.contains(std::string(target));
}

void Health::WriteGlobal(std::string& out) const {
  std::lock_guard lock(mu_);
  text_format::AppendHeader(out, kBuildInfo);
  text_format::AppendSample(out, kBuildInfo.name, {}, build_labels_, 1);
  text_format::AppendHeader(out, kReloadOk);
  text_format::AppendSample(out, kReloadOk.name, {}, {}, reload_ok_);
  text_format::AppendHeader(out, kReloadTime);
  text_format::AppendSample(out, kReloadTime.name, {}, {}, reload_time_);
}

std::shared_ptr<const void> Health::WritePieces(std::vector<std::string_view>& pieces,
                                                std::string_view only_target) const {
  return rendered_.WritePieces(pieces, ExpositionStore::Clock::now(), only_target);
}

void Health::WriteGzip(GzipWriter& out, std::string_view only_target) const {
  std::string text;
  rendered_.Write(text, ExpositionStore::Clock::now(), only_target);
  out.Deflate(text);
}

void Health::Write(std::string& out, std::string_view only_target) const {
  // The exporter's own series; /probe shows only what concerns its target.
  if (only_target.empty()) WriteGlobal(out);
  rendered_.Write(out, ExpositionStore::Clock::now(), only_target);
}

}  // namespace cc

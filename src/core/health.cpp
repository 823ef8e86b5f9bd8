#include "core/health.h"

#include <algorithm>
#include <set>

#include <prometheus/text_serializer.h>

namespace cc {
namespace {

double EpochSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

Health::Health(std::string version, std::string revision)
    : registry_(std::make_shared<prometheus::Registry>()),
      target_info_(prometheus::BuildGauge()
                       .Name("callcenter_target_info")
                       .Help("Configured target and its vendor, value 1.")
                       .Register(*registry_)),
      up_(prometheus::BuildGauge()
              .Name("callcenter_up")
              .Help("1 if the last poll of this collector succeeded, 0 otherwise.")
              .Register(*registry_)),
      duration_(prometheus::BuildGauge()
                    .Name("callcenter_poll_duration_seconds")
                    .Help("Wall time of the last poll of this collector, in seconds.")
                    .Register(*registry_)),
      last_success_(prometheus::BuildGauge()
                        .Name("callcenter_last_success_timestamp_seconds")
                        .Help("End of the last successful poll of this collector, Unix time; 0 if none yet.")
                        .Register(*registry_)),
      polls_(prometheus::BuildCounter()
                 .Name("callcenter_polls_total")
                 .Help("Polls started by this collector.")
                 .Register(*registry_)),
      failures_(prometheus::BuildCounter()
                    .Name("callcenter_poll_failures_total")
                    .Help("Failed polls of this collector, by reason.")
                    .Register(*registry_)),
      reload_ok_(prometheus::BuildGauge()
                     .Name("callcenter_config_last_reload_successful")
                     .Help("1 if the last configuration (re)load succeeded, 0 otherwise.")
                     .Register(*registry_)
                     .Add({})),
      reload_time_(prometheus::BuildGauge()
                       .Name("callcenter_config_last_reload_success_timestamp_seconds")
                       .Help("Time of the last successful configuration (re)load, Unix time.")
                       .Register(*registry_)
                       .Add({})) {
  prometheus::BuildGauge()
      .Name("callcenter_exporter_build_info")
      .Help("Version and revision callcenter_exporter was built from, value 1.")
      .Register(*registry_)
      .Add({{"version", std::move(version)}, {"revision", std::move(revision)}})
      .Set(1);
}

void Health::SetTargets(const std::vector<TargetCollectors>& targets) {
  std::lock_guard lock(mu_);
  std::set<Key> wanted;
  std::map<std::string, std::string> vendors;
  for (const auto& t : targets) {
    vendors[t.target] = t.vendor;
    for (const auto& c : t.collectors) wanted.insert({t.target, c});
  }
  for (auto it = series_.begin(); it != series_.end();) {
    if (wanted.contains(it->first)) {
      it->second.status.vendor = vendors[it->first.first];
      ++it;
    } else {
      RemoveSeries(it->second);
      it = series_.erase(it);
    }
  }
  for (auto it = target_info_series_.begin(); it != target_info_series_.end();) {
    auto v = vendors.find(it->first);
    if (v == vendors.end() || v->second != it->second.first) {
      target_info_.Remove(it->second.second);
      it = target_info_series_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [name, vendor] : vendors) {
    if (target_info_series_.contains(name)) continue;
    auto& g = target_info_.Add({{"target", name}, {"vendor", vendor}});
    g.Set(1);
    target_info_series_[name] = {vendor, &g};
  }
  for (const auto& key : wanted) {
    if (series_.contains(key)) continue;
    const prometheus::Labels labels{{"target", key.first}, {"collector", key.second}};
    Series s{&up_.Add(labels), &duration_.Add(labels), &last_success_.Add(labels), &polls_.Add(labels), {}, {}};
    for (std::size_t i = 0; i < kAllReasons.size(); ++i) {
      auto with_reason = labels;
      with_reason["reason"] = std::string(ToString(kAllReasons[i]));
      s.failures[i] = &failures_.Add(with_reason);
    }
    s.status.target = key.first;
    s.status.vendor = vendors[key.first];
    s.status.collector = key.second;
    series_.emplace(key, s);
  }
}

void Health::RemoveSeries(Series& s) {
  up_.Remove(s.up);
  duration_.Remove(s.duration);
  last_success_.Remove(s.last_success);
  polls_.Remove(s.polls);
  for (auto* c : s.failures) failures_.Remove(c);
}

Health::Series* Health::Find(const std::string& target, const std::string& collector) {
  auto it = series_.find({target, collector});
  return it == series_.end() ? nullptr : &it->second;
}

void Health::PollStarted(const std::string& target, const std::string& collector) {
  std::lock_guard lock(mu_);
  if (auto* s = Find(target, collector)) s->polls->Increment();
}

void Health::PollSucceeded(const std::string& target, const std::string& collector, std::chrono::duration<double> took,
                           std::chrono::system_clock::time_point end) {
  std::lock_guard lock(mu_);
  auto* s = Find(target, collector);
  if (!s) return;  // reloaded away meanwhile
  s->up->Set(1);
  s->duration->Set(took.count());
  s->last_success->Set(EpochSeconds(end));
  s->status.polled = true;
  s->status.up = true;
  s->status.last_success = end;
}

void Health::PollFailed(const std::string& target, const std::string& collector, std::chrono::duration<double> took,
                        const Error& error) {
  std::lock_guard lock(mu_);
  auto* s = Find(target, collector);
  if (!s) return;
  s->up->Set(0);
  s->duration->Set(took.count());
  auto idx = std::find(kAllReasons.begin(), kAllReasons.end(), error.reason) - kAllReasons.begin();
  s->failures[idx]->Increment();
  s->status.polled = true;
  s->status.up = false;
  s->status.last_error = std::string(ToString(error.reason)) + ": " + error.message;
}

void Health::ConfigReloaded(bool ok, std::chrono::system_clock::time_point when) {
  reload_ok_.Set(ok ? 1 : 0);
  if (ok) reload_time_.Set(EpochSeconds(when));
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
  return target_info_series_.contains(std::string(target));
}

void Health::Write(std::string& out, std::string_view only_target) const {
  auto families = registry_->Collect();
  if (!only_target.empty()) {
    for (auto& f : families) {
      std::erase_if(f.metric, [&](const prometheus::ClientMetric& m) {
        return std::none_of(m.label.begin(), m.label.end(),
                            [&](const auto& l) { return l.name == "target" && l.value == only_target; });
      });
    }
    std::erase_if(families, [](const auto& f) { return f.metric.empty(); });
  }
  out += prometheus::TextSerializer().Serialize(families);
}

}  // namespace cc

#include "tools/sim/yunhu/model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace cc::sim::yunhu {
namespace {

// Call handling, in seconds.
constexpr double kRingMin = 2, kRingSpread = 6;
constexpr double kAnswerProbability = 0.85;  // else the offer counts in noanswercount
constexpr double kTalkMin = 10, kTalkMean = 30;
constexpr double kLoad = 0.7;                 // offered load per member (Erlang)
constexpr std::array kWrapUps{0, 5, 10, 15};  // wrapuptime settings, seconds
// A waiting agent's own events: mean seconds between them, and their length.
constexpr double kPauseEvery = 600, kPauseMin = 20, kPauseMean = 60;
constexpr double kOfflineEvery = 1800, kOfflineMin = 30, kOfflineMean = 120;
constexpr double kExternalEvery = 900, kExternalMin = 10, kExternalMean = 40;
// Every seventh extension starts unregistered for this long: it has never
// been assigned a call, so its rows carry empty times.
constexpr std::int64_t kLongOfflineMs = 6LL * 3600 * 1000;

std::int64_t Ms(double seconds) { return static_cast<std::int64_t>(seconds * 1000.0); }

std::int64_t UnixSeconds(std::int64_t sim_ms) { return kYunhuEpochSeconds + sim_ms / 1000; }

}  // namespace

std::string FormatLocalTime(std::int64_t unix_seconds, int utc_offset_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds(unix_seconds + utc_offset_seconds)};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

YunhuModel::YunhuModel(const YunhuOptions& options) : rng_(options.seed) {
  const int per_queue = std::max(0, options.agents_per_queue);
  int global = 0;
  for (int i = 0; i < std::max(0, options.queues); ++i) {
    Queue q;
    q.name = "queue-" + std::to_string(i + 1);
    q.task_id = 9026 + i;
    for (int k = 0; k < per_queue; ++k, ++global) {
      std::string ext = std::to_string(100001 + global);
      Agent agent;
      if (global % 7 == 6) {
        agent.activity = Activity::offline;
        agent.until_ms = kLongOfflineMs;
      }
      agents_.emplace(ext, agent);
      q.members.push_back(Member{ext, -1, -1, 0, 0, kWrapUps[static_cast<std::size_t>(i + k) % kWrapUps.size()]});
    }
    // An extension may serve several task groups: the last one of the
    // previous queue also answers this one.
    if (i > 0 && per_queue >= 2) {
      const std::string shared = queues_.back().members[static_cast<std::size_t>(per_queue) - 1].extnumber;
      q.members.push_back(Member{shared, -1, -1, 0, 0, kWrapUps[static_cast<std::size_t>(i) % kWrapUps.size()]});
    }
    q.offers_per_second = kLoad * static_cast<double>(q.members.size()) / (kRingMin + kTalkMin + kTalkMean + 5);
    queues_.push_back(std::move(q));
  }
}

void YunhuModel::Advance(std::chrono::milliseconds dt) {
  std::lock_guard lock(mu_);
  if (!paused_) Step(dt.count());
}

void YunhuModel::SetPaused(bool paused) {
  std::lock_guard lock(mu_);
  paused_ = paused;
}

std::int64_t YunhuModel::NowUnixSeconds() const {
  std::lock_guard lock(mu_);
  return UnixSeconds(now_ms_);
}

double YunhuModel::Uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

double YunhuModel::Exponential(double mean) { return -mean * std::log1p(-Uniform()); }

bool YunhuModel::Chance(double mean_seconds_between, std::int64_t dt_ms) {
  return Uniform() < 1.0 - std::exp(-static_cast<double>(dt_ms) / 1000.0 / mean_seconds_between);
}

int YunhuModel::StateCode(Activity a) {
  switch (a) {
    case Activity::waiting:
    case Activity::wrap_up: return kYunhuWaiting;  // wrap-up only holds back new offers
    case Activity::ringing: return kYunhuReceiving;
    case Activity::talking: return kYunhuTalking;
    case Activity::external: return kYunhuOffHook;
    case Activity::paused: return kYunhuPaused;
    case Activity::offline: return 0;  // no agent state: readers fall back to `status`
  }
  return 0;
}

int YunhuModel::StatusCode(Activity a) {
  switch (a) {
    case Activity::waiting:
    case Activity::wrap_up: return kYunhuWaiting;
    case Activity::ringing: return kYunhuRinging;
    case Activity::talking:
    case Activity::external: return kYunhuTalking;
    case Activity::paused: return kYunhuIdle;  // the phone is idle, the agent is busy
    case Activity::offline: return kYunhuNotRegistered;
  }
  return 0;
}

const char* YunhuModel::Name(Activity a) {
  switch (a) {
    case Activity::waiting: return "waiting";
    case Activity::wrap_up: return "wrap_up";
    case Activity::ringing: return "ringing";
    case Activity::talking: return "talking";
    case Activity::external: return "external";
    case Activity::paused: return "paused";
    case Activity::offline: return "offline";
  }
  return "";
}

void YunhuModel::Set(Agent& agent, Activity activity, std::int64_t until_ms) {
  if (StateCode(activity) != StateCode(agent.activity) || StatusCode(activity) != StatusCode(agent.activity)) {
    agent.changed_ms = now_ms_;
  }
  agent.activity = activity;
  agent.until_ms = until_ms;
}

YunhuModel::Member* YunhuModel::FindMember(std::size_t queue_index, std::string_view extnumber) {
  for (auto& m : queues_[queue_index].members) {
    if (m.extnumber == extnumber) return &m;
  }
  return nullptr;
}

void YunhuModel::Step(std::int64_t dt_ms) {
  if (dt_ms <= 0) return;
  now_ms_ += dt_ms;
  for (auto& [ext, agent] : agents_) StepAgent(agent, ext, dt_ms);
  for (std::size_t i = 0; i < queues_.size(); ++i) {
    if (Uniform() < 1.0 - std::exp(-queues_[i].offers_per_second * static_cast<double>(dt_ms) / 1000.0)) Offer(i);
  }
}

void YunhuModel::StepAgent(Agent& agent, const std::string& ext, std::int64_t dt_ms) {
  if (agent.activity == Activity::waiting) {
    if (Chance(kPauseEvery, dt_ms)) {
      Set(agent, Activity::paused, now_ms_ + Ms(kPauseMin + Exponential(kPauseMean)));
    } else if (Chance(kOfflineEvery, dt_ms)) {
      Set(agent, Activity::offline, now_ms_ + Ms(kOfflineMin + Exponential(kOfflineMean)));
    } else if (Chance(kExternalEvery, dt_ms)) {
      ++agent.external_calls;
      Set(agent, Activity::external, now_ms_ + Ms(kExternalMin + Exponential(kExternalMean)));
    }
    return;
  }
  if (now_ms_ < agent.until_ms) return;
  Member* member = agent.activity == Activity::ringing || agent.activity == Activity::talking
                       ? FindMember(agent.ring_queue, ext)
                       : nullptr;
  if (agent.activity == Activity::ringing && member != nullptr && agent.will_answer) {
    ++member->answered;
    member->last_answer_ms = now_ms_;
    Set(agent, Activity::talking, now_ms_ + Ms(kTalkMin + Exponential(kTalkMean)));
    return;
  }
  if (agent.activity == Activity::ringing && member != nullptr) ++member->missed;
  if (agent.activity == Activity::talking && member != nullptr && member->wrapup_s > 0) {
    Set(agent, Activity::wrap_up, now_ms_ + member->wrapup_s * 1000LL);
    return;
  }
  Set(agent, Activity::waiting, now_ms_);
}

void YunhuModel::Offer(std::size_t queue_index) {
  // Strategy 1, longest idle: the waiting member whose state changed first.
  Member* pick = nullptr;
  Agent* pick_agent = nullptr;
  for (auto& m : queues_[queue_index].members) {
    auto it = agents_.find(m.extnumber);
    if (it == agents_.end() || it->second.activity != Activity::waiting) continue;
    if (pick_agent == nullptr || it->second.changed_ms < pick_agent->changed_ms) {
      pick = &m;
      pick_agent = &it->second;
    }
  }
  if (pick == nullptr) return;  // nobody free: the dialer tries again later
  pick->last_assign_ms = now_ms_;
  pick_agent->ring_queue = queue_index;
  pick_agent->will_answer = Uniform() < kAnswerProbability;
  Set(*pick_agent, Activity::ringing, now_ms_ + Ms(kRingMin + Uniform() * kRingSpread));
}

bool YunhuModel::RemoveAgent(std::string_view extnumber) {
  std::lock_guard lock(mu_);
  bool found = false;
  for (auto& q : queues_) {
    found = std::erase_if(q.members, [&](const Member& m) { return m.extnumber == extnumber; }) > 0 || found;
  }
  if (auto it = agents_.find(extnumber); it != agents_.end()) agents_.erase(it);
  return found;
}

std::vector<YunhuQueueView> YunhuModel::Queues() const {
  std::lock_guard lock(mu_);
  std::vector<YunhuQueueView> out;
  out.reserve(queues_.size());
  for (std::size_t i = 0; i < queues_.size(); ++i) {
    const Queue& q = queues_[i];
    YunhuQueueView v{q.name, {}};
    for (std::size_t k = 0; k < q.members.size(); ++k) {
      const Member& m = q.members[k];
      auto it = agents_.find(m.extnumber);
      if (it == agents_.end()) continue;
      const Agent& a = it->second;
      YunhuMemberView row;
      row.queuename = q.name;
      row.extnumber = m.extnumber;
      row.seatsname = m.extnumber + "_" + m.extnumber + "_autocall-" + std::to_string(q.task_id);
      row.activity = Name(a.activity);
      row.status = StatusCode(a.activity);
      row.state = StateCode(a.activity);
      if (m.last_answer_ms >= 0) row.last_answer_s = UnixSeconds(m.last_answer_ms);
      if (m.last_assign_ms >= 0) row.last_assign_s = UnixSeconds(m.last_assign_ms);
      row.state_change_s = UnixSeconds(a.changed_ms);
      row.answered = m.answered;
      row.missed = m.missed;
      row.external_calls = a.external_calls;
      row.wrapup_s = m.wrapup_s;
      row.numbers_as_strings = (i + k) % 2 == 1;
      v.members.push_back(std::move(row));
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace cc::sim::yunhu

#include "tools/sim/huawei_cec/model.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace cc::sim::huawei_cec {
namespace {

constexpr std::array kSkillNames{"Hotline", "售后服务", "VIP", "Billing", "技术支持"};
constexpr std::array kMediaTypes{4, 1, 13};  // pc_phone, userline, emedia
// Call media types of the skill queues (§5.4): voice, web chat, voice, text chat, social chat.
constexpr std::array kSkillMedia{5, 51, 5, 1, 53};

// Call handling, in seconds.
constexpr double kTalkMin = 20, kTalkMean = 50;  // talk = min + Exp(mean)
constexpr double kAnswerMin = 2, kAnswerMax = 5;
constexpr double kWrapMin = 5, kWrapMax = 25;
constexpr double kPatienceMin = 10, kPatienceMean = 60;
constexpr double kIvrMin = 3, kIvrMax = 30;
constexpr double kLoad = 0.7;  // offered Erlang per agent
constexpr std::int64_t kWithin20sMs = 20000;
// Agent behaviour: mean seconds between events, and durations.
constexpr double kBusyEvery = 600, kBusyMin = 20, kBusyMax = 120;
constexpr double kStudyEvery = 2400, kStudyMin = 30, kStudyMax = 120;
constexpr double kSignOutEvery = 900, kSignInEvery = 300;
constexpr double kBreakEvery = 900;
constexpr double kApprovalMin = 5, kApprovalMax = 15, kRetryBlocked = 10;
// cantrestreason codes (seed 001 table 6).
constexpr int kAwaitingApproval = 0, kAgentBusy = 1, kVdnQuotaFull = 2, kSkillQuotaFull = 4;

struct Codes {
  int status, cti;
};

}  // namespace

HuaweiCecModel::HuaweiCecModel(const HuaweiCecOptions& options) : rng_(options.seed), origin_ms_(options.origin_ms) {
  const int n = std::max(0, options.skills), per = std::max(0, options.agents_per_skill);
  for (int i = 0; i < n; ++i) {
    Skill s;
    s.id = i + 1;
    s.description = std::string(kSkillNames[i % kSkillNames.size()]) + " " + std::to_string(s.id);
    s.media_type = kSkillMedia[static_cast<std::size_t>(i) % kSkillMedia.size()];
    s.max_queue = 5 + 5 * (i % 3);
    s.arrivals_per_second = kLoad * std::max(1, per) / (kTalkMin + kTalkMean + (kWrapMin + kWrapMax) / 2);
    skills_.push_back(std::move(s));
  }
  for (int i = 0; i < n * per; ++i) {
    Agent a;
    a.workno = 1001 + i;
    a.name = (i % 2 == 0 ? "HW" : "座席") + std::to_string(a.workno);
    if (i % 5 != 4) a.phone = "7" + std::to_string(a.workno);
    const auto skill = static_cast<std::size_t>(i / per);
    a.group = static_cast<int>(skill) + 1;
    a.media_type = kMediaTypes[static_cast<std::size_t>(i) % kMediaTypes.size()];
    a.skills.push_back(skill);
    // The first agent of a skill also serves the next one: multi-skill agents.
    if (i % per == 0 && skill + 1 < skills_.size()) a.skills.push_back(skill + 1);
    if (Uniform() < 0.2) {
      a.activity = Activity::signed_out;
      a.since_ms = -Between(0, 3600);
    } else {
      a.activity = Activity::idle;
      a.login_ms = -Between(600, 14400);
      a.since_ms = -Between(0, 600);
    }
    agents_.push_back(std::move(a));
  }
  vdn_rest_quota_ = std::max(1, n * per / 4);
  skill_rest_quota_ = std::max(1, per / 3);
}

void HuaweiCecModel::Advance(std::chrono::milliseconds dt) {
  std::lock_guard lock(mu_);
  if (!paused_ && dt.count() > 0) Step(dt.count());
}

void HuaweiCecModel::SetPaused(bool paused) {
  std::lock_guard lock(mu_);
  paused_ = paused;
}

bool HuaweiCecModel::RemoveAgent(int workno) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(agents_.begin(), agents_.end(), [&](const Agent& a) { return a.workno == workno; });
  if (it == agents_.end()) return false;
  agents_.erase(it);
  return true;
}

bool HuaweiCecModel::AddSkill(int id, int media_type, std::string description) {
  std::lock_guard lock(mu_);
  if (id < 1 || id > 10000) return false;
  auto it = std::find_if(skills_.begin(), skills_.end(), [&](const Skill& s) { return s.id == id; });
  if (it != skills_.end() && !it->retired) return false;
  Skill& s = it != skills_.end() ? *it : skills_.emplace_back();
  s.id = id;
  s.description = std::move(description);
  s.media_type = media_type;
  s.retired = false;
  s.max_queue = 5;
  s.arrivals_per_second = kLoad / (kTalkMin + kTalkMean + (kWrapMin + kWrapMax) / 2);
  s.window = HuaweiWindowView{.start_ms = now_ms_ / kHuaweiWindowMs * kHuaweiWindowMs};
  return true;
}

bool HuaweiCecModel::RemoveSkill(int id) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(skills_.begin(), skills_.end(), [&](const Skill& s) { return s.id == id && !s.retired; });
  if (it == skills_.end()) return false;
  it->retired = true;
  it->waiting.clear();
  return true;
}

bool HuaweiCecModel::HasSkill(int id) const {
  std::lock_guard lock(mu_);
  return std::any_of(skills_.begin(), skills_.end(), [&](const Skill& s) { return s.id == id && !s.retired; });
}

double HuaweiCecModel::Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

std::int64_t HuaweiCecModel::Between(double min_s, double max_s) {
  return static_cast<std::int64_t>((min_s + (max_s - min_s) * Uniform()) * 1000.0);
}

bool HuaweiCecModel::Chance(double mean_seconds, std::int64_t dt_ms) {
  return Uniform() < 1.0 - std::exp(-static_cast<double>(dt_ms) / 1000.0 / mean_seconds);
}

void HuaweiCecModel::Become(Agent& a, Activity activity, std::int64_t duration_ms) {
  a.activity = activity;
  a.since_ms = now_ms_;
  a.until_ms = now_ms_ + duration_ms;
}

void HuaweiCecModel::BecomeFree(Agent& a) {
  if (a.phase == HuaweiBreakPhase::approved) {
    a.phase = HuaweiBreakPhase::on_break;
    a.break_begin_ms = now_ms_;
    Become(a, Activity::rest, a.break_seconds * 1000);
  } else {
    Become(a, Activity::idle, 0);
  }
}

int HuaweiCecModel::OnBreak(std::optional<std::size_t> skill) const {
  int n = 0;
  for (const Agent& a : agents_) {
    if (a.phase != HuaweiBreakPhase::on_break) continue;
    n += !skill || std::find(a.skills.begin(), a.skills.end(), *skill) != a.skills.end();
  }
  return n;
}

void HuaweiCecModel::Step(std::int64_t dt_ms) {
  now_ms_ += dt_ms;
  for (Skill& s : skills_) StepSkill(s, dt_ms);
  for (Agent& a : agents_) StepAgent(a, dt_ms);
  for (Agent& a : agents_) StepBreak(a, dt_ms);
  for (std::size_t i = 0; i < skills_.size(); ++i) Distribute(i);
}

void HuaweiCecModel::StepSkill(Skill& s, std::int64_t dt_ms) {
  if (s.retired) return;
  const std::int64_t start = now_ms_ / kHuaweiWindowMs * kHuaweiWindowMs;
  if (s.window.start_ms != start) s.window = HuaweiWindowView{.start_ms = start};
  // Lost while waiting.
  std::erase_if(s.waiting, [&](const Call& c) {
    if (now_ms_ - c.arrived_ms < c.patience_ms) return false;
    ++s.window.abandoned;
    return true;
  });
  if (!Chance(1.0 / s.arrivals_per_second, dt_ms)) return;
  ++s.window.offered;
  s.window.ivr_talk_seconds += Between(kIvrMin, kIvrMax) / 1000;
  if (static_cast<int>(s.waiting.size()) >= s.max_queue) {
    ++s.window.abandoned;  // queue full: the call is lost at once
    return;
  }
  const auto patience = static_cast<std::int64_t>(
      (kPatienceMin + std::exponential_distribution<double>(1.0 / kPatienceMean)(rng_)) * 1000.0);
  s.waiting.push_back(Call{next_call_++, now_ms_, patience});
}

void HuaweiCecModel::StepAgent(Agent& a, std::int64_t dt_ms) {
  const bool due = now_ms_ >= a.until_ms;
  switch (a.activity) {
    case Activity::answering:
      if (due) {
        const auto talk = static_cast<std::int64_t>(
            (kTalkMin + std::exponential_distribution<double>(1.0 / kTalkMean)(rng_)) * 1000.0);
        Become(a, Activity::talking, talk);
      }
      return;
    case Activity::talking:
      if (due) {
        ++skills_[a.call_skill].window.ended;
        Become(a, Activity::wrap_up, Between(kWrapMin, kWrapMax));
      }
      return;
    case Activity::wrap_up:
      if (due) {
        auto& w = skills_[a.call_skill].window;
        ++w.wrapped_up;
        w.wrap_up_seconds += (now_ms_ - a.since_ms) / 1000;
        BecomeFree(a);
      }
      return;
    case Activity::busy:
    case Activity::study:
      if (due) BecomeFree(a);
      return;
    case Activity::rest:
      if (due) {
        a.phase = HuaweiBreakPhase::none;
        Become(a, Activity::idle, 0);
      }
      return;
    case Activity::signed_out:
      if (Chance(kSignInEvery, dt_ms)) {
        a.login_ms = now_ms_;
        Become(a, Activity::idle, 0);
      }
      return;
    case Activity::idle:
      if (Chance(kBusyEvery, dt_ms)) {
        Become(a, Activity::busy, Between(kBusyMin, kBusyMax));
      } else if (Chance(kStudyEvery, dt_ms)) {
        Become(a, Activity::study, Between(kStudyMin, kStudyMax));
      } else if (Chance(kSignOutEvery, dt_ms)) {
        a.phase = HuaweiBreakPhase::none;  // a pending break request goes with the session
        Become(a, Activity::signed_out, 0);
      }
      return;
  }
}

void HuaweiCecModel::StepBreak(Agent& a, std::int64_t dt_ms) {
  if (a.activity == Activity::signed_out || a.activity == Activity::rest) return;
  switch (a.phase) {
    case HuaweiBreakPhase::none:
      if (Chance(kBreakEvery, dt_ms)) {
        a.phase = HuaweiBreakPhase::requested;
        a.reason = kAwaitingApproval;
        a.break_begin_ms = now_ms_;
        a.break_seconds = 60 * std::uniform_int_distribution<std::int64_t>(1, 10)(rng_);
        a.decide_ms = now_ms_ + Between(kApprovalMin, kApprovalMax);
      }
      return;
    case HuaweiBreakPhase::requested: {
      if (now_ms_ < a.decide_ms) return;
      bool skill_full = false;
      for (std::size_t s : a.skills) skill_full = skill_full || OnBreak(s) >= skill_rest_quota_;
      if (OnBreak(std::nullopt) >= vdn_rest_quota_ || skill_full) {
        a.reason = skill_full && OnBreak(std::nullopt) < vdn_rest_quota_ ? kSkillQuotaFull : kVdnQuotaFull;
        a.decide_ms = now_ms_ + static_cast<std::int64_t>(kRetryBlocked * 1000);
        return;
      }
      a.phase = HuaweiBreakPhase::approved;
      a.reason = kAgentBusy;
      a.break_begin_ms = now_ms_;
      if (a.activity == Activity::idle) BecomeFree(a);
      return;
    }
    case HuaweiBreakPhase::approved:
      if (a.activity == Activity::idle) BecomeFree(a);
      return;
    case HuaweiBreakPhase::on_break: return;
  }
}

void HuaweiCecModel::Distribute(std::size_t skill) {
  Skill& s = skills_[skill];
  while (!s.waiting.empty()) {
    Agent* pick = nullptr;
    for (Agent& a : agents_) {
      if (a.activity != Activity::idle) continue;
      if (std::find(a.skills.begin(), a.skills.end(), skill) == a.skills.end()) continue;
      if (pick == nullptr || a.since_ms < pick->since_ms) pick = &a;  // longest idle first
    }
    if (pick == nullptr) return;
    const Call call = s.waiting.front();
    s.waiting.pop_front();
    ++s.window.answered;
    if (now_ms_ - call.arrived_ms <= kWithin20sMs) ++s.window.answered_within_20s;
    pick->call_skill = skill;
    Become(*pick, Activity::answering, Between(kAnswerMin, kAnswerMax));
  }
}

std::int64_t HuaweiCecModel::Origin() const {
  if (origin_ms_ == 0) {
    const std::int64_t wall =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    origin_ms_ = (wall - now_ms_) / kHuaweiWindowMs * kHuaweiWindowMs;
  }
  return origin_ms_;
}

HuaweiCecView HuaweiCecModel::View() const {
  std::lock_guard lock(mu_);
  const std::int64_t origin = Origin();
  HuaweiCecView v;
  v.now_ms = origin + now_ms_;
  std::vector<int> at(skills_.size(), -1);  // skill index → position in v.skills; -1: retired
  for (std::size_t i = 0; i < skills_.size(); ++i) {
    const Skill& s = skills_[i];
    if (s.retired) continue;
    at[i] = static_cast<int>(v.skills.size());
    HuaweiSkillView sv;
    sv.id = s.id;
    sv.description = s.description;
    sv.media_type = s.media_type;
    sv.queue_size = static_cast<int>(s.waiting.size());
    sv.longest_call_id = std::string(kHuaweiNoCall);
    if (!s.waiting.empty()) {
      const Call& oldest = s.waiting.front();
      sv.queue_time_seconds = (now_ms_ - oldest.arrived_ms) / 1000;
      sv.longest_call_id = std::to_string((origin + oldest.arrived_ms) / 1000) + "-" + std::to_string(oldest.seq);
    }
    sv.max_queue_size = s.max_queue;
    sv.window = s.window;
    sv.window.start_ms += origin;
    v.skills.push_back(std::move(sv));
  }
  for (const Agent& a : agents_) {
    static constexpr Codes kCodes[] = {{2, 0}, {4, 1}, {7, 4}, {7, 5}, {5, 6}, {3, 7}, {8, 8}, {0, 9}};
    const Codes codes = kCodes[static_cast<int>(a.activity)];
    HuaweiAgentView av;
    av.workno = a.workno;
    av.name = a.name;
    av.phone = a.phone;
    av.group = a.group;
    av.media_type = a.media_type;
    av.status = codes.status;
    av.cti_status = codes.cti;
    av.state_seconds = (now_ms_ - a.since_ms) / 1000;
    if (a.activity != Activity::signed_out) av.login_ms = origin + a.login_ms;
    av.break_phase = a.phase;
    if (a.phase == HuaweiBreakPhase::requested || a.phase == HuaweiBreakPhase::approved) av.blocked_reason = a.reason;
    av.break_begin_ms = origin + a.break_begin_ms;
    av.break_requested_seconds = a.break_seconds;
    for (std::size_t s : a.skills) {
      if (at[s] < 0) continue;
      HuaweiSkillView& sv = v.skills[static_cast<std::size_t>(at[s])];
      av.skills.push_back(skills_[s].id);
      sv.agents.push_back(a.workno);
      sv.logged_on += a.activity != Activity::signed_out;
      sv.available += a.activity == Activity::idle;
    }
    v.breaks_requested += a.phase == HuaweiBreakPhase::requested;
    v.breaks_approved += a.phase == HuaweiBreakPhase::approved;
    v.breaks_on += a.phase == HuaweiBreakPhase::on_break;
    v.agents.push_back(std::move(av));
  }
  return v;
}

}  // namespace cc::sim::huawei_cec

#include "tools/sim/ucontact/model.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace cc::sim::ucontact {
namespace {

// Arrows inside names and characters a form encoder must escape ("&", "+",
// " ", non-ASCII) on purpose: the exporter has to send them encoded.
constexpr std::array kNames{"Soporte<-",      "Ventas->Soporte", "in<-out",     "Cobros & Pagos->",
                            "Atención 24h<-", "VIP+Gold->",      "Encuestas->", "Retención<-"};
constexpr std::array kAgentNames{"Daniel", "Santiago", "Lucía",   "Martín",   "Sofía", "Valentina",
                                 "Mateo",  "Camila",   "Joaquín", "Isabella", "Tomás", "Renata"};
constexpr std::array kStrategies{"leastrecent", "fewestcalls", "rrmemory", "ringall", "random", "linear"};
constexpr std::array kThresholds{20, 30, 15};
constexpr std::array kWrapups{5, 0, 10};
constexpr std::array kLoad{0.75, 0.85, 0.6, 0.9, 0.7};  // offered Erlang per agent

// Call handling, in seconds.
constexpr double kTalkMin = 20, kTalkMean = 40;
constexpr double kPatienceMin = 8, kPatienceMean = 60;
constexpr double kRingMin = 2, kRingSpread = 4;
constexpr double kAnswerProbability = 0.93;
// Idle agents: mean seconds between events, and how long they last.
constexpr double kPauseEvery = 600, kPauseMin = 30, kPauseMean = 120;
constexpr double kUnavailableEvery = 2400, kUnavailableMin = 20, kUnavailableMean = 90;
// While talking: hold, and a pause asked for during the call (it shows as busypaused).
constexpr double kHoldEvery = 90, kHoldMean = 15, kPauseInCallEvery = 900;

}  // namespace

UcontactModel::UcontactModel(const UcontactOptions& options) : rng_(options.seed) {
  const int per = std::max(0, options.agents_per_campaign);
  for (int i = 0; i < std::max(0, options.campaigns); ++i) {
    Campaign c;
    c.name =
        i < static_cast<int>(kNames.size()) ? kNames[i] : "Campaña" + std::to_string(i + 1) + (i % 2 ? "->" : "<-");
    c.strategy = kStrategies[i % kStrategies.size()];
    c.threshold = kThresholds[i % kThresholds.size()];
    c.wrapup = kWrapups[i % kWrapups.size()];
    c.arrivals_per_second = kLoad[i % kLoad.size()] * std::max(1, per) / (kTalkMin + kTalkMean + c.wrapup);
    for (int k = 0; k < per; ++k) {
      const int n = i * per + k;
      Agent a;
      a.location = "SIP/" + std::to_string(1001 + n);
      a.name = kAgentNames[n % kAgentNames.size()];
      a.penalty = k % 3;
      a.plain_reason = n % 2 == 1;
      c.agents.push_back(std::move(a));
    }
    campaigns_.push_back(std::move(c));
  }
}

void UcontactModel::Advance(std::chrono::milliseconds dt) {
  std::lock_guard lock(mu_);
  if (!paused_) Step(dt.count());
}

void UcontactModel::SetPaused(bool paused) {
  std::lock_guard lock(mu_);
  paused_ = paused;
}

std::int64_t UcontactModel::EpochNow() const {
  std::lock_guard lock(mu_);
  return kUcEpochStart + now_ms_ / 1000;
}

double UcontactModel::Uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
double UcontactModel::Exponential(double mean) { return -mean * std::log1p(-Uniform()); }
bool UcontactModel::Chance(double mean_seconds_between, std::int64_t dt_ms) {
  return Uniform() < 1.0 - std::exp(-static_cast<double>(dt_ms) / 1000.0 / mean_seconds_between);
}

void UcontactModel::SetStatus(Agent& a, Activity activity, int status) {
  if (a.status != status) a.since_ms = now_ms_;
  a.activity = activity;
  a.status = status;
}

void UcontactModel::Step(std::int64_t dt_ms) {
  if (dt_ms <= 0) return;
  now_ms_ += dt_ms;
  for (Campaign& c : campaigns_) {
    for (Agent& a : c.agents) StepAgent(c, a, dt_ms);
    StepCallers(c, dt_ms);
    Distribute(c);
  }
}

void UcontactModel::EndCall(Campaign& c, Agent& a) {
  const std::int64_t talked = (now_ms_ - a.talk_started_ms) / 1000;
  c.talk_total += talked;
  ++c.talk_calls;
  // Asterisk's running average: (3 × old + new) / 4, in whole seconds.
  c.talk_avg = (c.talk_avg * 3 + talked) / 4;
  a.last_call_ms = now_ms_;
  a.on_hold = false;
  if (c.wrapup > 0) {
    SetStatus(a, Activity::wrapup, kUcWrapUp);
    a.until_ms = now_ms_ + c.wrapup * 1000LL;
  } else if (a.paused) {
    SetStatus(a, Activity::paused, kUcNotInUse);
    a.until_ms = now_ms_ + Ms(kPauseMin + Exponential(kPauseMean));
  } else {
    SetStatus(a, Activity::idle, kUcNotInUse);
  }
}

void UcontactModel::StepAgent(Campaign& c, Agent& a, std::int64_t dt_ms) {
  switch (a.activity) {
    case Activity::ringing:
      if (now_ms_ < a.until_ms) break;
      if (auto it =
              std::find_if(c.waiting.begin(), c.waiting.end(), [&](const Caller& x) { return x.id == a.ring_call; });
          it != c.waiting.end() && a.will_answer) {
        const std::int64_t waited = (now_ms_ - it->arrived_ms) / 1000;
        c.waiting.erase(it);
        ++c.completed;
        c.hold_total += waited;
        c.hold_avg = (c.hold_avg * 3 + waited) / 4;
        if (waited <= c.threshold) ++c.completed_in_sl;
        ++a.calls;
        a.talk_started_ms = now_ms_;
        a.until_ms = now_ms_ + Ms(kTalkMin + Exponential(kTalkMean));
        SetStatus(a, Activity::talking, kUcInUse);
      } else {
        if (it != c.waiting.end()) it->ringing.clear();  // no answer: the caller waits on
        SetStatus(a, Activity::idle, kUcNotInUse);
      }
      break;
    case Activity::talking:
      if (now_ms_ >= a.until_ms) {
        EndCall(c, a);
      } else if (!a.on_hold && Chance(kHoldEvery, dt_ms)) {
        a.on_hold = true;
        SetStatus(a, Activity::talking, kUcOnHold);
      } else if (a.on_hold && Chance(kHoldMean, dt_ms)) {
        a.on_hold = false;
        SetStatus(a, Activity::talking, kUcInUse);
      } else if (!a.paused && Chance(kPauseInCallEvery, dt_ms)) {
        a.paused = true;
      }
      break;
    case Activity::wrapup:
      if (now_ms_ < a.until_ms) break;
      if (a.paused) {
        SetStatus(a, Activity::paused, kUcNotInUse);
        a.until_ms = now_ms_ + Ms(kPauseMin + Exponential(kPauseMean));
      } else {
        SetStatus(a, Activity::idle, kUcNotInUse);
      }
      break;
    case Activity::paused:
    case Activity::unavailable:
    case Activity::forced:
      if (now_ms_ < a.until_ms) break;
      a.paused = false;
      a.since_ms = now_ms_;  // unpausing is a change even when the status stays 1
      SetStatus(a, Activity::idle, kUcNotInUse);
      break;
    case Activity::idle:
      if (Chance(kPauseEvery, dt_ms)) {
        a.paused = true;
        a.since_ms = now_ms_;
        SetStatus(a, Activity::paused, kUcNotInUse);
        a.until_ms = now_ms_ + Ms(kPauseMin + Exponential(kPauseMean));
      } else if (Chance(kUnavailableEvery, dt_ms)) {
        SetStatus(a, Activity::unavailable, kUcUnavailable);
        a.until_ms = now_ms_ + Ms(kUnavailableMin + Exponential(kUnavailableMean));
      }
      break;
  }
}

void UcontactModel::StepCallers(Campaign& c, std::int64_t dt_ms) {
  if (Uniform() < 1.0 - std::exp(-c.arrivals_per_second * static_cast<double>(dt_ms) / 1000.0)) {
    ++c.offered;
    c.waiting.push_back(Caller{next_call_id_++, now_ms_, Ms(kPatienceMin + Exponential(kPatienceMean)), {}});
  }
  std::erase_if(c.waiting, [&](const Caller& caller) {
    if (now_ms_ - caller.arrived_ms < caller.patience_ms) return false;
    for (Agent& a : c.agents) {
      if (a.activity == Activity::ringing && a.ring_call == caller.id) SetStatus(a, Activity::idle, kUcNotInUse);
    }
    ++c.abandoned;
    if ((now_ms_ - caller.arrived_ms) / 1000 <= c.threshold) ++c.abandoned_in_sl;
    return true;
  });
}

UcontactModel::Agent* UcontactModel::PickAgent(Campaign& c) {
  std::vector<Agent*> free;
  for (Agent& a : c.agents) {
    if (a.activity == Activity::idle && !a.paused) free.push_back(&a);
  }
  if (free.empty()) return nullptr;
  if (c.strategy == "random") return free[static_cast<std::size_t>(Uniform() * static_cast<double>(free.size()))];
  if (c.strategy == "leastrecent") {
    return *std::min_element(free.begin(), free.end(),
                             [](const Agent* x, const Agent* y) { return x->last_call_ms < y->last_call_ms; });
  }
  if (c.strategy == "fewestcalls") {
    return *std::min_element(free.begin(), free.end(),
                             [](const Agent* x, const Agent* y) { return x->calls < y->calls; });
  }
  if (c.strategy == "rrmemory") {
    const std::size_t n = c.agents.size();
    for (std::size_t k = 0; k < n; ++k) {
      Agent& a = c.agents[(c.next_member + k) % n];
      if (a.activity == Activity::idle && !a.paused) {
        c.next_member = (c.next_member + k + 1) % n;
        return &a;
      }
    }
  }
  return free.front();  // ringall / linear: the first free member in order answers
}

void UcontactModel::Distribute(Campaign& c) {
  for (Caller& caller : c.waiting) {
    if (!caller.ringing.empty()) continue;
    Agent* a = PickAgent(c);
    if (a == nullptr) return;
    SetStatus(*a, Activity::ringing, kUcRinging);
    a->until_ms = now_ms_ + Ms(kRingMin + Uniform() * kRingSpread);
    a->will_answer = Uniform() < kAnswerProbability;
    a->ring_call = caller.id;
    caller.ringing = a->location;
  }
}

bool UcontactModel::RemoveAgent(std::string_view location) {
  std::lock_guard lock(mu_);
  for (Campaign& c : campaigns_) {
    auto it = std::find_if(c.agents.begin(), c.agents.end(), [&](const Agent& a) { return a.location == location; });
    if (it == c.agents.end()) continue;
    for (Caller& caller : c.waiting) {
      if (caller.ringing == location) caller.ringing.clear();
    }
    c.agents.erase(it);
    c.next_member = 0;
    return true;
  }
  return false;
}

bool UcontactModel::SetAgent(std::string_view location, int status, bool paused, std::chrono::milliseconds hold_for) {
  std::lock_guard lock(mu_);
  for (Campaign& c : campaigns_) {
    for (Agent& a : c.agents) {
      if (a.location != location) continue;
      for (Caller& caller : c.waiting) {
        if (caller.ringing == location) caller.ringing.clear();
      }
      a.paused = paused;
      a.on_hold = false;
      a.since_ms = now_ms_;
      SetStatus(a, Activity::forced, status);
      a.until_ms = now_ms_ + hold_for.count();
      return true;
    }
  }
  return false;
}

std::vector<UcontactCampaignView> UcontactModel::Campaigns() const {
  std::lock_guard lock(mu_);
  std::vector<UcontactCampaignView> out;
  for (const Campaign& c : campaigns_) {
    UcontactCampaignView v;
    v.name = c.name;
    v.strategy = c.strategy;
    v.threshold = c.threshold;
    v.wrapup = c.wrapup;
    v.callers = static_cast<int>(c.waiting.size());
    for (const Caller& caller : c.waiting)
      v.longest_hold = std::max(v.longest_hold, (now_ms_ - caller.arrived_ms) / 1000);
    v.hold_avg = c.hold_avg;
    v.talk_avg = c.talk_avg;
    v.offered = c.offered;
    v.completed = c.completed;
    v.abandoned = c.abandoned;
    v.completed_in_sl = c.completed_in_sl;
    v.abandoned_in_sl = c.abandoned_in_sl;
    v.talk_total = c.talk_total;
    v.talk_calls = c.talk_calls;
    v.hold_total = c.hold_total;
    for (const Agent& a : c.agents) {
      UcontactAgentView av;
      av.location = a.location;
      av.name = a.name;
      av.penalty = a.penalty;
      av.status = a.status;
      av.paused = a.paused;
      av.incall = a.status == kUcInUse || a.status == kUcBusy || a.status == kUcOnHold;
      av.paused_reason = a.paused ? "Break" : (a.plain_reason ? "" : "[]");
      av.calls_taken = a.calls;
      av.last_call = a.last_call_ms < 0 ? 0 : kUcEpochStart + a.last_call_ms / 1000;
      av.state_seconds = (now_ms_ - a.since_ms) / 1000;
      v.agents.push_back(std::move(av));
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace cc::sim::ucontact

#include "tools/sim/mixcall/model.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>

namespace cc::sim::mixcall {
namespace {

constexpr std::array kNames{"sales", "support", "billing", "vip", "callback", "retention", "tech", "complaints"};
constexpr std::array kStrategies{"rrmemory", "ringall", "leastrecent", "fewestcalls", "random", "roundrobin"};
constexpr std::array kServiceLevels{60, 20, 30};
// Offered load per agent (Erlang); near 1 the queue backs up and callers abandon.
constexpr std::array kLoad{0.75, 0.85, 0.6, 0.9, 0.7};

// Call handling, in seconds.
constexpr double kTalkMin = 20, kTalkMean = 40;  // talk = min + Exp(mean)
constexpr double kPatienceMin = 8, kPatienceMean = 60;
constexpr double kRingMin = 2, kRingSpread = 6;
constexpr double kAnswerProbability = 0.93;
// Agent behaviour: mean seconds between events (DND at any time, the others while idle).
constexpr double kDndEvery = 900, kUnavailableEvery = 2400, kOutboundEvery = 1200;
constexpr double kDndMin = 30, kDndMean = 120;
constexpr double kUnavailableMin = 20, kUnavailableMean = 90;
constexpr double kOutboundMin = 15, kOutboundMean = 60;
// While talking: mean seconds until hold, and hold length.
constexpr double kHoldEvery = 90, kHoldMean = 15;

bool ValidExten(std::string_view exten) {
  return !exten.empty() && exten.size() <= 32 &&
         std::all_of(exten.begin(), exten.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

}  // namespace

MixcallModel::MixcallModel(const MixcallOptions& options) : rng_(options.seed) {
  const int per_queue = std::max(0, options.agents_per_queue);
  for (int i = 0; i < std::max(0, options.queues); ++i) {
    Queue q;
    q.number = std::to_string(90 + i);
    q.name = i < static_cast<int>(kNames.size()) ? kNames[i] : "queue" + q.number;
    q.strategy = kStrategies[i % kStrategies.size()];
    // MixCall versions differ: some print the Chinese label, some the raw name.
    q.chinese_ringtype = i % 2 == 0;
    q.max = i % 3 == 1 ? 8 : -1;
    q.weight = i % 4 == 3 ? 10 : 0;
    q.servicelevel = kServiceLevels[i % kServiceLevels.size()];
    q.arrivals_per_second = kLoad[i % kLoad.size()] * std::max(1, per_queue) / (kTalkMin + kTalkMean);
    for (int k = 0; k < per_queue; ++k) {
      std::string exten = std::to_string(6101 + i * per_queue + k);
      agents_.emplace(exten, Agent{});
      q.members.push_back(std::move(exten));
    }
    queues_.push_back(std::move(q));
  }
}

void MixcallModel::Advance(std::chrono::milliseconds dt) {
  std::lock_guard lock(mu_);
  if (!paused_) Step(dt.count());
}

void MixcallModel::Warmup(std::chrono::milliseconds duration, std::chrono::milliseconds step) {
  if (step.count() <= 0) return;
  std::lock_guard lock(mu_);
  for (std::int64_t t = 0; t < duration.count(); t += step.count()) Step(step.count());
}

void MixcallModel::SetPaused(bool paused) {
  std::lock_guard lock(mu_);
  paused_ = paused;
}

bool MixcallModel::paused() const {
  std::lock_guard lock(mu_);
  return paused_;
}

std::chrono::milliseconds MixcallModel::now() const {
  std::lock_guard lock(mu_);
  return std::chrono::milliseconds(now_ms_);
}

double MixcallModel::Uniform() {
  // Top 53 bits: the same on every platform, unlike std:: distributions.
  return static_cast<double>(rng_() >> 11) * 0x1.0p-53;
}

double MixcallModel::Exponential(double mean) { return -mean * std::log1p(-Uniform()); }

bool MixcallModel::Chance(double mean_seconds_between, std::int64_t dt_ms) {
  return Uniform() < 1.0 - std::exp(-static_cast<double>(dt_ms) / 1000.0 / mean_seconds_between);
}

void MixcallModel::Step(std::int64_t dt_ms) {
  if (dt_ms <= 0) return;
  now_ms_ += dt_ms;
  for (auto& [exten, agent] : agents_) StepAgent(exten, agent, dt_ms);
  for (std::size_t i = 0; i < queues_.size(); ++i) StepQueue(i, dt_ms);
  // Heavier queues get first pick of agents shared between queues.
  std::vector<std::size_t> order(queues_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return queues_[a].weight > queues_[b].weight; });
  for (std::size_t i : order) Distribute(i);
}

void MixcallModel::StepAgent(const std::string& exten, Agent& agent, std::int64_t dt_ms) {
  if (agent.dnd != kNoDnd && now_ms_ >= agent.dnd_until_ms) agent.dnd = kNoDnd;
  // Agents set DND whatever they are doing (during a call it keeps the next one away), as on
  // a real floor. Drawn only while idle, it was all but absent: under load few agents idle.
  if (agent.dnd == kNoDnd && Chance(kDndEvery, dt_ms)) {
    agent.dnd = 1 + static_cast<int>(Uniform() * 3);
    agent.dnd_until_ms = now_ms_ + Ms(kDndMin + Exponential(kDndMean));
  }
  switch (agent.activity) {
    case Activity::ringing:
      if (now_ms_ >= agent.until_ms) {
        if (agent.will_answer) {
          Answer(agent);
        } else {
          if (Caller* c = FindCaller(queues_[agent.ring_queue], agent.ring_call); c && c->ringing == exten) {
            c->ringing.clear();  // ring timeout: the caller waits for the next agent
          }
          agent.activity = Activity::idle;
          agent.status = kExtIdle;
        }
      }
      break;
    case Activity::talking:
      if (now_ms_ >= agent.until_ms) {
        agent.activity = Activity::idle;
        agent.status = kExtIdle;
        agent.last_call_end_ms = now_ms_;
      } else if (agent.status == kExtInUse && Chance(kHoldEvery, dt_ms)) {
        agent.status = kExtOnHold;
      } else if (agent.status == kExtOnHold && Chance(kHoldMean, dt_ms)) {
        agent.status = kExtInUse;
      }
      break;
    case Activity::outbound:
    case Activity::unavailable:
      if (now_ms_ >= agent.until_ms) {
        if (agent.activity == Activity::outbound) agent.last_call_end_ms = now_ms_;
        agent.activity = Activity::idle;
        agent.status = kExtIdle;
      }
      break;
    case Activity::idle:
      if (Chance(kUnavailableEvery, dt_ms)) {
        agent.activity = Activity::unavailable;
        agent.status = kExtUnavailable;
        agent.until_ms = now_ms_ + Ms(kUnavailableMin + Exponential(kUnavailableMean));
      } else if (Chance(kOutboundEvery, dt_ms)) {
        agent.activity = Activity::outbound;
        agent.status = kExtInUse;
        agent.until_ms = now_ms_ + Ms(kOutboundMin + Exponential(kOutboundMean));
      }
      break;
  }
}

void MixcallModel::Answer(Agent& agent) {
  Queue& q = queues_[agent.ring_queue];
  auto it = std::find_if(q.waiting.begin(), q.waiting.end(), [&](const Caller& c) { return c.id == agent.ring_call; });
  if (it == q.waiting.end()) {  // the caller hung up meanwhile
    agent.activity = Activity::idle;
    agent.status = kExtIdle;
    return;
  }
  // Asterisk's hold time runs from entering the queue to being connected.
  const double hold = static_cast<double>(now_ms_ - it->arrived_ms) / 1000.0;
  q.waiting.erase(it);
  ++q.completed;
  q.hold_total_seconds += hold;
  if (hold <= q.servicelevel) ++q.completed_in_sl;
  agent.activity = Activity::talking;
  agent.status = kExtInUse;
  agent.until_ms = now_ms_ + Ms(kTalkMin + Exponential(kTalkMean));
  ++agent.calls;
}

void MixcallModel::StepQueue(std::size_t index, std::int64_t dt_ms) {
  Queue& q = queues_[index];
  if (Uniform() < 1.0 - std::exp(-q.arrivals_per_second * static_cast<double>(dt_ms) / 1000.0)) {
    const std::int64_t patience = Ms(kPatienceMin + Exponential(kPatienceMean));
    // A full queue turns callers away (QUEUESTATUS=FULL); they are not counted.
    if (q.max < 0 || static_cast<int>(q.waiting.size()) < q.max) {
      q.waiting.push_back(Caller{next_call_id_++, now_ms_, patience, {}});
    }
  }
  std::erase_if(q.waiting, [&](const Caller& c) {
    if (now_ms_ - c.arrived_ms < c.patience_ms) return false;
    if (!c.ringing.empty()) {
      auto it = agents_.find(c.ringing);
      if (it != agents_.end() && it->second.activity == Activity::ringing) {
        it->second.activity = Activity::idle;
        it->second.status = kExtIdle;
      }
    }
    ++q.abandoned;
    return true;
  });
}

MixcallModel::Caller* MixcallModel::FindCaller(Queue& queue, std::uint64_t id) {
  for (auto& c : queue.waiting) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

MixcallModel::AgentMap::iterator MixcallModel::PickAgent(Queue& q) {
  using It = AgentMap::iterator;
  auto available = [&](const std::string& exten) {
    auto it = agents_.find(exten);
    if (it != agents_.end() && (it->second.activity != Activity::idle || it->second.dnd != kNoDnd)) {
      it = agents_.end();
    }
    return it;
  };
  const std::size_t n = q.members.size();
  if (q.strategy == "leastrecent" || q.strategy == "fewestcalls" || q.strategy == "random") {
    std::vector<It> candidates;
    for (const auto& exten : q.members) {
      if (auto it = available(exten); it != agents_.end()) candidates.push_back(it);
    }
    if (candidates.empty()) return agents_.end();
    if (q.strategy == "random") {
      return candidates[static_cast<std::size_t>(Uniform() * static_cast<double>(candidates.size()))];
    }
    auto key = [&](It it) {
      return q.strategy == "leastrecent" ? it->second.last_call_end_ms : static_cast<std::int64_t>(it->second.calls);
    };
    return *std::min_element(candidates.begin(), candidates.end(), [&](It a, It b) { return key(a) < key(b); });
  }
  // ringall (modelled as the first free member answering), roundrobin, rrmemory.
  const std::size_t start = q.strategy == "ringall" || n == 0 ? 0 : q.next_member % n;
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t pos = (start + k) % n;
    if (auto it = available(q.members[pos]); it != agents_.end()) {
      q.next_member = pos + 1;
      return it;
    }
  }
  return agents_.end();
}

void MixcallModel::Distribute(std::size_t index) {
  Queue& q = queues_[index];
  for (auto& caller : q.waiting) {
    if (!caller.ringing.empty()) continue;
    auto it = PickAgent(q);
    if (it == agents_.end()) return;
    Agent& agent = it->second;
    agent.activity = Activity::ringing;
    agent.status = kExtRinging;
    agent.until_ms = now_ms_ + Ms(kRingMin + Uniform() * kRingSpread);
    agent.will_answer = Uniform() < kAnswerProbability;
    agent.ring_queue = index;
    agent.ring_call = caller.id;
    caller.ringing = it->first;
  }
}

bool MixcallModel::RemoveAgent(std::string_view exten) {
  std::lock_guard lock(mu_);
  bool found = false;
  for (auto& q : queues_) {
    auto it = std::find(q.members.begin(), q.members.end(), exten);
    if (it == q.members.end()) continue;
    found = true;
    q.members.erase(it);
    for (auto& c : q.waiting) {
      if (c.ringing == exten) c.ringing.clear();
    }
  }
  if (auto it = agents_.find(exten); it != agents_.end()) agents_.erase(it);
  return found;
}

bool MixcallModel::SetDnd(std::string_view exten, int dnd, std::chrono::milliseconds duration) {
  std::lock_guard lock(mu_);
  auto it = agents_.find(std::string(exten));
  if (it == agents_.end()) return false;
  it->second.dnd = dnd;
  it->second.dnd_until_ms = now_ms_ + duration.count();
  return true;
}

MixcallModel::AddResult MixcallModel::AddAgent(std::string_view queue, std::string_view exten) {
  if (!ValidExten(exten)) return AddResult::bad_exten;
  std::lock_guard lock(mu_);
  auto q = std::find_if(queues_.begin(), queues_.end(), [&](const Queue& x) { return x.number == queue; });
  if (q == queues_.end()) return AddResult::no_such_queue;
  if (std::find(q->members.begin(), q->members.end(), exten) != q->members.end()) {
    return AddResult::already_member;
  }
  agents_.try_emplace(std::string(exten));
  q->members.emplace_back(exten);
  return AddResult::added;
}

std::vector<MixcallQueueView> MixcallModel::Queues() const {
  std::lock_guard lock(mu_);
  std::vector<MixcallQueueView> out;
  out.reserve(queues_.size());
  for (const auto& q : queues_) {
    MixcallQueueView v;
    v.queue = q.number;
    v.name = q.name;
    v.strategy = q.strategy;
    v.chinese_ringtype = q.chinese_ringtype;
    v.max = q.max;
    v.wait = static_cast<int>(q.waiting.size());
    std::int64_t oldest = now_ms_;
    for (const auto& c : q.waiting) oldest = std::min(oldest, c.arrived_ms);
    v.longest_wait_seconds = (now_ms_ - oldest) / 1000;
    v.holdtime =
        q.completed == 0 ? 0 : static_cast<std::int64_t>(q.hold_total_seconds / static_cast<double>(q.completed));
    v.weight = q.weight;
    v.completed = q.completed;
    v.abandoned = q.abandoned;
    v.completed_in_sl = q.completed_in_sl;
    v.servicelevel = q.servicelevel;
    for (const auto& exten : q.members) {
      auto it = agents_.find(exten);
      if (it == agents_.end()) continue;
      v.agents.push_back(MixcallAgentView{exten, it->second.status, it->second.dnd});
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace cc::sim::mixcall

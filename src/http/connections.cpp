#include "http/connections.h"

#include <algorithm>

#include <boost/asio/post.hpp>

#include "common/log.h"

namespace cc::http {

void Connection::MarkIdle(bool served) {
  served_.store(served);
  idle_since_.store(std::max<std::int64_t>(1, std::chrono::steady_clock::now().time_since_epoch().count()));
}

std::shared_ptr<Connection> ConnectionRegistry::Add(const std::shared_ptr<Connection>& c, bool& refuse) {
  refuse = false;
  std::lock_guard lock(mu_);
  if (all_.size() >= prune_at_) {
    std::erase_if(all_, [](const std::weak_ptr<Connection>& w) { return w.expired(); });
    prune_at_ = std::max<std::size_t>(64, all_.size() * 2);
  }
  std::shared_ptr<Connection> victim;
  if (max_open_ > 0 && open_.load() >= max_open_) {
    victim = PickIdleLocked();
    if (!victim) {
      refuse = true;
      return nullptr;
    }
  }
  c->shed_.store(false);
  open_.fetch_add(1);
  all_.push_back(c);
  return victim;
}

std::shared_ptr<Connection> ConnectionRegistry::PickIdle() {
  std::lock_guard lock(mu_);
  return PickIdleLocked();
}

// A linear scan: it only runs when the limit is reached, and a connection
// costs far more than a look at two atomics.
std::shared_ptr<Connection> ConnectionRegistry::PickIdleLocked() {
  std::shared_ptr<Connection> best;
  std::int64_t best_since = 0;
  bool best_served = false;
  for (const auto& weak : all_) {
    auto c = weak.lock();
    if (!c || c->shed_.load()) continue;
    const std::int64_t since = c->idle_since_.load();
    if (since == 0) continue;
    const bool served = c->served_.load();
    if (!best || (served && !best_served) || (served == best_served && since < best_since)) {
      best = std::move(c);
      best_since = since;
      best_served = served;
    }
  }
  if (best) best->shed_.store(true);
  return best;
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::TakeAll() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Connection>> live;
  for (auto& weak : all_) {
    if (auto c = weak.lock()) live.push_back(std::move(c));
  }
  all_.clear();
  return live;
}

void ConnectionRegistry::Shed(const std::shared_ptr<Connection>& c) {
  boost::asio::post(c->executor(), [c] {
    if (!c->CloseIfIdle()) c->shed_.store(false);
  });
}

namespace {
constexpr std::chrono::milliseconds kFirstDelay{5};
constexpr std::chrono::milliseconds kMaxDelay{1000};
constexpr std::chrono::minutes kReportEvery{1};
}  // namespace

std::chrono::milliseconds AcceptBackoff::Failed(const std::string& error) {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  delay_ = delay_.count() == 0 ? kFirstDelay : std::min(delay_ * 2, kMaxDelay);
  if (!warned_ || now - last_line_ >= kReportEvery) {
    log::Warn("http accept failed, backing off", {{"err", error}, {"failures_since_last_report", unreported_}});
    warned_ = true;
    last_line_ = now;
    unreported_ = 0;
  } else {
    ++unreported_;
  }
  return delay_;
}

void AcceptBackoff::Succeeded() {
  std::lock_guard lock(mu_);
  delay_ = std::chrono::milliseconds(0);
  if (unreported_ == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_line_ < kReportEvery) return;
  log::Warn("http accept failures since the last report", {{"failures", unreported_}});
  last_line_ = now;
  unreported_ = 0;
}

}  // namespace cc::http

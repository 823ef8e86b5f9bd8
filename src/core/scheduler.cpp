#include "core/scheduler.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "common/memory_trim.h"
#include "core/backoff.h"
#include "core/poll_log.h"
#include "core/stable_hash.h"

namespace cc {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

class Scheduler::TargetRunner : public std::enable_shared_from_this<TargetRunner> {
 public:
  TargetRunner(asio::io_context& ioc, std::shared_ptr<const Config> config, const TargetConfig& target,
               std::vector<std::shared_ptr<Collector>> collectors, ExpositionStore& store, Health& health)
      : strand_(asio::make_strand(ioc)),
        config_(std::move(config)),
        target_(target),
        collectors_(std::move(collectors)),
        store_(store),
        health_(health) {
    try {
      http_ = std::make_unique<http::Client>(
          strand_, http::Client::Options{target.url, target.tls, target.poll.max_response_bytes});
    } catch (const std::exception& e) {
      setup_error_ = e.what();  // reported as a tls failure on every poll
    }
  }

  void Start(const Jitter& jitter, const FirstPoll& first_poll) {
    jitter_ = jitter;
    for (const auto& collector : collectors_) {
      asio::co_spawn(strand_, Loop(shared_from_this(), collector, first_poll(target_, collector->name())),
                     asio::detached);
    }
  }

  const TargetConfig& target() const { return target_; }
  const std::vector<std::shared_ptr<Collector>>& collectors() const { return collectors_; }

  // `done` runs once the collectors have closed.
  void Stop(std::function<void()> done) {
    asio::post(strand_, [self = shared_from_this(), done = std::move(done)]() mutable {
      self->stopped_ = true;
      for (auto* t : self->timers_) t->cancel();
      asio::co_spawn(self->strand_, Close(self, std::move(done)), asio::detached);
    });
  }

 private:
  static asio::awaitable<void> Loop(std::shared_ptr<TargetRunner> self, std::shared_ptr<Collector> collector,
                                    Clock::duration first_delay) {
    asio::steady_timer timer(self->strand_);
    self->timers_.push_back(&timer);
    const std::string name(collector->name());
    PollLog poll_log(self->target_.name, name);
    std::uint64_t failures = 0;  // in a row
    Next next{Clock::now() + first_delay, false};
    while (!self->stopped_) {
      co_await self->WaitFor(timer, next.at);
      if (self->stopped_) break;
      const auto started = Clock::now();
      const auto failure = co_await self->PollOnce(*collector);
      TrimFreedMemory();          // the poll's transient memory is all freed by now
      if (self->stopped_) break;  // reloaded or shutting down: this target is no longer served
      failures = failure ? failures + 1 : 0;
      next = self->NextPoll(started, failure, failures);
      const auto now = Clock::now();
      if (failure) {
        poll_log.Failed(*failure, now, next.at - now);
      } else {
        poll_log.Succeeded(now);
      }
      const auto backoff = next.backed_off ? next.at - now : Clock::duration::zero();
      self->health_.PollScheduled(self->target_.name, name, backoff,
                                  std::chrono::system_clock::now() + (next.at - now));
    }
    std::erase(self->timers_, &timer);
  }

  // Until `at`, and longer while the target's Retry-After says so: another
  // collector may get one while this one waits. One answered to a poll that
  // started once this one was due does not hold it back, so every collector
  // gets its turn when a Retry-After ends.
  asio::awaitable<void> WaitFor(asio::steady_timer& timer, Clock::time_point at) {
    for (;;) {
      const auto due = std::max(at, not_before_);
      timer.expires_at(due);
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (stopped_ || Clock::now() >= not_before_ || not_before_asked_at_ >= due) co_return;
    }
  }

  struct Next {
    Clock::time_point at;
    bool backed_off;  // later than the interval because of failures or Retry-After
  };

  // Fixed rate while polls succeed (ticks missed by an overrunning poll are
  // skipped, not queued); backoff::Wait while they fail, minus up to a tenth
  // (jitter) so that targets failing together spread out; never before the
  // target's Retry-After.
  Next NextPoll(Clock::time_point started, const std::optional<Error>& failure, std::uint64_t failures) {
    const auto interval = target_.poll.poll_interval;
    auto wait = backoff::Wait(interval, failures);
    const bool backed_off = wait > interval;
    if (backed_off) wait -= jitter_(wait / 10);
    auto next = started + wait;
    const auto now = Clock::now();
    while (next <= now) next += interval;
    if (failure && failure->retry_after) {
      not_before_ = std::max(not_before_, now + backoff::RetryAfter(interval, *failure->retry_after));
      not_before_asked_at_ = started;
    }
    if (next < not_before_) return Next{not_before_, true};
    return Next{next, backed_off};
  }

  static asio::awaitable<void> Close(std::shared_ptr<TargetRunner> self, std::function<void()> done) {
    if (self->http_) {
      PollContext ctx{*self->http_, self->target_, Clock::now() + kCloseTimeout, std::chrono::system_clock::now()};
      for (const auto& collector : self->collectors_) co_await collector->Close(ctx);
      self->http_->CloseIdle();
    }
    if (done) done();
  }

  // The poll's error, if it failed.
  asio::awaitable<std::optional<Error>> PollOnce(Collector& collector) {
    const std::string collector_name(collector.name());
    health_.PollStarted(target_.name, collector_name);
    const auto started = Clock::now();
    Result<Snapshot> result = Error{Reason::tls, setup_error_};
    if (http_) {
      PollContext ctx{*http_, target_, started + target_.poll.poll_timeout, std::chrono::system_clock::now()};
      result = co_await collector.Poll(ctx);
    }
    if (stopped_) co_return std::nullopt;
    if (!result.ok()) {
      health_.PollFailed(target_.name, collector_name, Clock::now() - started, result.error());
      co_return result.error();
    }
    const RenderOptions options{target_.poll.label_value_length_limit, &target_.poll.agent_labels};
    auto rendered = std::make_shared<Rendered>(Render(*result, target_.name, options));
    const auto took = Clock::now() - started;  // rendering included: it can cost more than the request
    if (auto over = OverSampleLimit(collector_name, rendered->series)) {
      health_.PollFailed(target_.name, collector_name, took, *over);
      co_return *over;
    }
    LogDropped(collector_name, *rendered);
    const auto series = rendered->series;
    series_[collector_name] = series;
    store_.Put(target_.name, collector_name, std::move(rendered), Clock::now() + target_.poll.stale_after);
    health_.PollSucceeded(target_.name, collector_name, took, std::chrono::system_clock::now());
    log::Debug("poll ok", {{"target", target_.name}, {"collector", collector_name}, {"series", series}});
    co_return std::nullopt;
  }

  // The target's series with this poll's in place of its collector's last ones, if that
  // is over sample_limit.
  std::optional<Error> OverSampleLimit(const std::string& collector, std::size_t series) const {
    const std::uint64_t limit = target_.poll.sample_limit;
    std::size_t total = series;
    for (const auto& [name, count] : series_) total += name == collector ? 0 : count;
    if (limit == 0 || total <= limit) return std::nullopt;
    return Error{Reason::sample_limit, "the target would serve " + std::to_string(total) + " series (" +
                                           std::to_string(series) + " from this collector), over sample_limit " +
                                           std::to_string(limit)};
  }

  // Series the renderer dropped, logged when their count changes rather than every poll.
  void LogDropped(const std::string& collector, const Rendered& rendered) {
    auto& [duplicates, too_long] = dropped_[collector];
    if (rendered.duplicates_dropped != duplicates) {
      log::Warn("vendor reported duplicate series; kept the first of each",
                {{"target", target_.name}, {"collector", collector}, {"dropped", rendered.duplicates_dropped}});
    }
    if (rendered.too_long_dropped != too_long) {
      log::Warn("dropped series with a label value over label_value_length_limit",
                {{"target", target_.name},
                 {"collector", collector},
                 {"dropped", rendered.too_long_dropped},
                 {"label", rendered.too_long_label},
                 {"limit", target_.poll.label_value_length_limit}});
    }
    duplicates = rendered.duplicates_dropped;
    too_long = rendered.too_long_dropped;
  }

  asio::strand<asio::io_context::executor_type> strand_;
  std::shared_ptr<const Config> config_;  // keeps target_ alive
  const TargetConfig& target_;
  const std::vector<std::shared_ptr<Collector>> collectors_;
  ExpositionStore& store_;
  Health& health_;
  std::unique_ptr<http::Client> http_;
  std::string setup_error_;
  Jitter jitter_;
  bool stopped_ = false;                     // strand only
  std::vector<asio::steady_timer*> timers_;  // strand only
  // Strand only, by collector: series stored by its last successful poll, and what the
  // renderer dropped then (duplicates, over-long label values).
  std::map<std::string, std::size_t> series_;
  std::map<std::string, std::pair<std::size_t, std::size_t>> dropped_;
  Clock::time_point not_before_{};           // strand only: the vendor's Retry-After, for every collector
  Clock::time_point not_before_asked_at_{};  // strand only: start of the poll that got it
};

Scheduler::Scheduler(asio::io_context& ioc, ExpositionStore& store, Health& health, BuildCollectors build,
                     Jitter jitter)
    : ioc_(ioc),
      store_(store),
      health_(health),
      build_(std::move(build)),
      jitter_(jitter ? jitter : Jitter(&Scheduler::RandomJitter)),
      first_poll_(FirstPolls(jitter)) {}

Scheduler::FirstPoll Scheduler::FirstPolls(const Jitter& jitter) {
  if (jitter) return [jitter](const TargetConfig& t, std::string_view) { return jitter(t.poll.poll_interval); };
  return [](const TargetConfig& t, std::string_view collector) -> Clock::duration {
    const std::chrono::nanoseconds interval = t.poll.poll_interval;
    return FirstPollDelay(StartPhase(t.name, collector, interval), interval, std::chrono::system_clock::now());
  };
}

Clock::duration Scheduler::RandomJitter(Clock::duration max) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return Clock::duration(std::uniform_int_distribution<Clock::rep>(0, max.count())(rng));
}

std::chrono::nanoseconds Scheduler::StartPhase(std::string_view target, std::string_view collector,
                                               std::chrono::nanoseconds interval) {
  if (interval.count() <= 0) return {};
  std::string key(target);
  key += '\0';  // "ab"+"c" and "a"+"bc" are different collectors
  key += collector;
  return std::chrono::nanoseconds(
      static_cast<std::int64_t>(Fnv1a64(key) % static_cast<std::uint64_t>(interval.count())));
}

std::chrono::nanoseconds Scheduler::FirstPollDelay(std::chrono::nanoseconds phase, std::chrono::nanoseconds interval,
                                                   std::chrono::system_clock::time_point now) {
  if (interval.count() <= 0) return {};
  const auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch());
  const auto modulo = [&](std::chrono::nanoseconds d) { return (d % interval + interval) % interval; };
  return modulo(phase - modulo(since_epoch));
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start(std::shared_ptr<const Config> config) {
  std::vector<std::shared_ptr<TargetRunner>> next;
  std::vector<std::shared_ptr<TargetRunner>> fresh;
  for (const auto& target : config->targets) {
    auto same = std::find_if(runners_.begin(), runners_.end(), [&](const auto& r) {
      return r->target().name == target.name && r->target().fingerprint == target.fingerprint;
    });
    if (same != runners_.end()) {
      // Unchanged: keeps polling with its session, connections and timers.
      next.push_back(std::move(*same));
      runners_.erase(same);
      continue;
    }
    fresh.push_back(std::make_shared<TargetRunner>(ioc_, config, target, build_(target), store_, health_));
    next.push_back(fresh.back());
  }
  std::vector<TargetCollectors> running;
  std::set<ExpositionStore::Key> keys;
  for (const auto& r : next) {
    TargetCollectors& t = running.emplace_back(TargetCollectors{r->target().name, r->target().vendor, {}});
    for (const auto& c : r->collectors()) {
      t.collectors.emplace_back(c->name());
      keys.insert({t.target, t.collectors.back()});
    }
  }
  health_.SetTargets(running);
  store_.Retain(keys);
  Stop();  // what is left changed or was removed: its sessions end
  runners_ = std::move(next);
  for (auto& r : fresh) r->Start(jitter_, first_poll_);
}

void Scheduler::Stop(std::function<void()> closed) {
  if (runners_.empty()) {
    if (closed) closed();
    return;
  }
  auto left = std::make_shared<std::atomic<std::size_t>>(runners_.size());
  for (auto& r : runners_) {
    r->Stop([left, closed] {
      if (left->fetch_sub(1) == 1 && closed) closed();
    });
  }
  runners_.clear();
}

}  // namespace cc

#pragma once
// Runs the targets: builds each target's collectors (through its vendor) and
// polls every collector on its own timer, at its own phase of the interval
// (StartPhase), on one io_context. A target's collectors share its strand and
// http::Client; each poll has a deadline (poll_timeout), so a slow vendor
// delays nothing else.
// Keeps Health and the ExpositionStore in step with the collectors it runs.
// A collector whose polls keep failing backs off and honours the vendor's
// Retry-After (core/backoff.h); its log lines are PollLog's.

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "collectors/kit/collector.h"
#include "config/config.h"
#include "core/exposition_store.h"
#include "core/health.h"

namespace cc {

class Scheduler {
 public:
  // A target's collectors, built from its options (VendorDef::build). Called on
  // the thread that calls Start; must not throw.
  using BuildCollectors = std::function<std::vector<std::shared_ptr<Collector>>(const TargetConfig&)>;
  // What is taken off a back-off wait, given a tenth of it (core/backoff.h).
  // A seam for tests: set, it also gives the delay of a collector's first
  // poll after its target starts, given poll_interval (a fixed delay makes
  // polls predictable). Empty: RandomJitter, and the first poll at the
  // collector's phase (FirstPollDelay). Called on the thread that calls Start
  // and on the targets' strands (so it must be thread-safe).
  using Jitter = std::function<std::chrono::steady_clock::duration(std::chrono::steady_clock::duration max)>;

  Scheduler(boost::asio::io_context& ioc, ExpositionStore& store, Health& health, BuildCollectors build,
            Jitter jitter = {});
  ~Scheduler();

  // Polls the targets of `config` (start and reload). A target already running
  // with the same name and TargetConfig::fingerprint keeps running untouched
  // (its collectors, vendor session, connections and counters); every other
  // running target is stopped as by Stop() (results of its polls in flight
  // are discarded) and the new or changed ones get new collectors and start.
  // Health and the store learn the new set of collectors before any poll.
  // Not thread-safe: one caller at a time (App holds its reload lock).
  void Start(std::shared_ptr<const Config> config);
  // Stops all targets; polls in flight end by their deadline. Each target then
  // runs its collectors' Close() on its strand, within kCloseTimeout; `closed`
  // (if set) is called, on any thread, once every target has done so.
  void Stop(std::function<void()> closed = {});

  // Uniform in [0, max]: spreads the polls of targets that fail together.
  static std::chrono::steady_clock::duration RandomJitter(std::chrono::steady_clock::duration max);

  // Where in each `interval` a collector polls, as an offset from the Unix
  // epoch modulo the interval, in [0, interval): Fnv1a64(target NUL
  // collector) mod interval (core/stable_hash.h). As Prometheus spreads its
  // scrapes (scrape/target.go, Target.offset): 1,000 targets of one interval
  // poll evenly over it instead of together, and a target polls at the same
  // phase after a restart or a reload that changed it.
  static std::chrono::nanoseconds StartPhase(std::string_view target, std::string_view collector,
                                             std::chrono::nanoseconds interval);
  // The wait from `now` to the next instant at `phase` of `interval` (both as
  // StartPhase), in [0, interval): the delay of a collector's first poll.
  static std::chrono::nanoseconds FirstPollDelay(std::chrono::nanoseconds phase, std::chrono::nanoseconds interval,
                                                 std::chrono::system_clock::time_point now);

  // Ending vendor sessions must never hold up a shutdown for long.
  static constexpr std::chrono::milliseconds kCloseTimeout{1500};

 private:
  class TargetRunner;
  // The delay of a collector's first poll: from `jitter` if set, else at its phase.
  using FirstPoll = std::function<std::chrono::steady_clock::duration(const TargetConfig&, std::string_view collector)>;
  static FirstPoll FirstPolls(const Jitter& jitter);
  boost::asio::io_context& ioc_;
  ExpositionStore& store_;
  Health& health_;
  BuildCollectors build_;
  Jitter jitter_;
  FirstPoll first_poll_;
  std::vector<std::shared_ptr<TargetRunner>> runners_;
};

}  // namespace cc

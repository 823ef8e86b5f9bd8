#include "core/scheduler.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>

#include "tests/unit/support/fake_collector.h"

#include "tests/unit/support/text.h"

namespace cc {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::FakeCollector;

// A target of the fake vendor; only the config loader enforces poll_interval >= 1 s.
TargetConfig Target(std::string name, std::chrono::milliseconds interval, std::string fingerprint = "1") {
  TargetConfig t;
  t.name = std::move(name);
  t.vendor = "fake";
  t.url = *ParseUrl("http://127.0.0.1:9/", nullptr);
  t.poll.poll_interval = interval;
  t.poll.poll_timeout = interval;
  t.poll.stale_after = 1h;
  t.fingerprint = std::move(fingerprint);
  return t;
}

std::shared_ptr<const Config> Targets(std::vector<TargetConfig> targets) {
  auto config = std::make_shared<Config>();
  config->targets = std::move(targets);
  return config;
}

// Runs a Scheduler of fake collectors on an io_context thread, as the daemon does.
class SchedulerTest : public testing::Test {
 protected:
  SchedulerTest() : thread_([this] { ioc_.run(); }) {}

  ~SchedulerTest() override {
    for (const auto& [name, built] : built_) {
      for (const auto& c : built) c->Release();
    }
    if (scheduler_) {
      EXPECT_TRUE(Stop());
    }
    scheduler_.reset();
    work_.reset();
    ioc_.stop();
    thread_.join();
  }

  // Collector names of each target (default: one, "main"); set before Start.
  std::map<std::string, std::vector<std::string>> collector_names_;
  // Newly built collectors hold their polls (FakeCollector::Hold).
  bool hold_new_ = false;

  Scheduler& Make(Scheduler::Jitter jitter = {}) {
    auto build = [this](const TargetConfig& target) {
      std::vector<std::shared_ptr<Collector>> out;
      auto names =
          collector_names_.contains(target.name) ? collector_names_[target.name] : std::vector<std::string>{"main"};
      const double generation = static_cast<double>(++builds_[target.name]);
      for (const auto& name : names) {
        auto c = std::make_shared<FakeCollector>(name, generation, events_);
        if (hold_new_) c->Hold();
        built_[target.name].push_back(c);
        out.push_back(c);
      }
      return out;
    };
    scheduler_ = std::make_unique<Scheduler>(ioc_, store_, health_, build, std::move(jitter));
    return *scheduler_;
  }

  // The n-th (0-based) collector built for `target`, over all its builds.
  FakeCollector& Built(const std::string& target, std::size_t n = 0) {
    EXPECT_LT(n, built_[target].size()) << target;
    return *built_[target].at(n);
  }

  bool WaitUntil(const std::function<bool()>& done) { return events_->WaitUntil(done); }

  // Stop() and wait for its `closed` callback.
  bool Stop() {
    std::atomic<bool> closed{false};
    scheduler_->Stop([&] {
      closed = true;
      events_->Notify();
    });
    return WaitUntil([&] { return closed.load(); });
  }

  // Returns once what the strand of `c`'s last poll was running has finished
  // (the rest of that poll in the scheduler: store and health updates).
  void Sync(FakeCollector& c) {
    std::promise<void> done;
    boost::asio::post(c.strand(), [&] { done.set_value(); });
    ASSERT_EQ(done.get_future().wait_for(30s), std::future_status::ready);
  }

  std::string StoreText() const {
    std::string out;
    store_.Write(out, ExpositionStore::Clock::now());
    return out;
  }
  std::string HealthText() const {
    std::string out;
    health_.Write(out);
    return out;
  }

  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{ioc_.get_executor()};
  ExpositionStore store_;
  Health health_{BuildInfo{"v", "r", "b", "d", "c", "p"}};
  std::shared_ptr<test::Events> events_ = std::make_shared<test::Events>();
  std::map<std::string, int> builds_;
  std::map<std::string, std::vector<std::shared_ptr<FakeCollector>>> built_;
  std::unique_ptr<Scheduler> scheduler_;
  std::thread thread_;
};

TEST_F(SchedulerTest, ASetJitterIsAskedForEachFirstPollGivenTheInterval) {
  std::vector<Clock::duration> bounds;
  collector_names_["fast"] = {"x", "y"};
  Make([&](Clock::duration max) {
    bounds.push_back(max);
    return Clock::duration::zero();
  });
  scheduler_->Start(Targets({Target("fast", 200ms), Target("slow", 5s)}));
  std::sort(bounds.begin(), bounds.end());
  EXPECT_EQ(bounds, (std::vector<Clock::duration>{200ms, 200ms, 5s}));
}

TEST_F(SchedulerTest, RandomJitterStaysWithinItsBoundAndSpreads) {
  EXPECT_EQ(Scheduler::RandomJitter(Clock::duration::zero()), Clock::duration::zero());
  const Clock::duration max = 1s;
  bool low = false, high = false;
  for (int i = 0; i < 2000; ++i) {
    const auto j = Scheduler::RandomJitter(max);
    ASSERT_GE(j, Clock::duration::zero());
    ASSERT_LE(j, max);
    low = low || j < max / 4;
    high = high || j > max * 3 / 4;
  }
  EXPECT_TRUE(low && high) << "2000 draws should cover the range";
}

TEST_F(SchedulerTest, FirstPollWaitsForItsJitterThenFollowsTheInterval) {
  constexpr auto kInterval = 100ms;
  Make([](Clock::duration max) { return max / 2; });
  const auto start = Clock::now();
  scheduler_->Start(Targets({Target("a", kInterval)}));
  FakeCollector& c = Built("a");
  ASSERT_TRUE(WaitUntil([&] { return c.polls_started() >= 4; }));
  const auto polls = c.poll_starts();
  // Timers never fire early, so these lower bounds hold on any machine (the
  // tolerance covers the fake's own timestamp, taken a little after the
  // scheduler's).
  EXPECT_GE(polls[0] - start, kInterval / 2);
  for (std::size_t i = 1; i < polls.size(); ++i) EXPECT_GE(polls[i] - polls[i - 1], kInterval * 3 / 4) << i;
}

TEST_F(SchedulerTest, FirstPollsAreAtTheirPhaseWithinTheIntervalThenAtTheInterval) {
  constexpr auto kInterval = 100ms;
  collector_names_["a"] = {"x", "y", "z"};
  Make();
  const auto start = Clock::now();
  scheduler_->Start(Targets({Target("a", kInterval)}));
  for (std::size_t i = 0; i < 3; ++i) {
    FakeCollector& c = Built("a", i);
    ASSERT_TRUE(WaitUntil([&] { return c.polls_started() >= 1; }));
    // Bound: the interval (Scheduler::FirstPollDelay); the slack only absorbs a busy machine.
    EXPECT_LE(c.poll_starts()[0] - start, kInterval + 1s) << c.name();
  }
  // Count the polls of one collector over a window of 10 intervals.
  FakeCollector& c = Built("a");
  const auto first = c.poll_starts()[0];
  std::this_thread::sleep_until(first + 10 * kInterval + 2 * kInterval);
  const auto polls = c.poll_starts();
  const auto in_window =
      std::count_if(polls.begin(), polls.end(), [&](auto t) { return t >= first && t <= first + 10 * kInterval; });
  EXPECT_LE(in_window, 11);  // fixed rate: never faster than the interval
  EXPECT_GE(in_window, 4);   // 10 expected; the slack absorbs a busy machine
}

TEST_F(SchedulerTest, AnOverrunningPollSkipsTicksInsteadOfQueueingThem) {
  constexpr auto kInterval = 100ms;
  Make([](Clock::duration) { return Clock::duration::zero(); });
  scheduler_->Start(Targets({Target("a", kInterval)}));
  FakeCollector& c = Built("a");
  ASSERT_TRUE(WaitUntil([&] { return c.polls_done() >= 1; }));
  c.Hold();
  ASSERT_TRUE(WaitUntil([&] { return c.polls_held() == 1; }));
  std::this_thread::sleep_for(3 * kInterval + kInterval / 2);  // the held poll overruns 3 ticks
  const auto released = Clock::now();
  c.Release();
  ASSERT_TRUE(WaitUntil([&] { return c.polls_started() >= 3; }));
  std::this_thread::sleep_until(released + 2 * kInterval);
  const auto polls = c.poll_starts();
  const auto burst =
      std::count_if(polls.begin(), polls.end(), [&](auto t) { return t >= released && t <= released + kInterval; });
  EXPECT_LE(burst, 2) << "missed ticks were queued";  // queued: 3 at once, at the release
}

TEST_F(SchedulerTest, APollInFlightAtStopIsDroppedWhenItEnds) {
  collector_names_["a"] = {"ok", "bad"};
  hold_new_ = true;
  Make([](Clock::duration) { return Clock::duration::zero(); });
  scheduler_->Start(Targets({Target("a", 10s)}));
  FakeCollector& ok = Built("a", 0);
  FakeCollector& bad = Built("a", 1);
  bad.Fail(Reason::auth);
  ASSERT_TRUE(WaitUntil([&] { return ok.polls_held() == 1 && bad.polls_held() == 1; }));
  ASSERT_TRUE(Stop());
  EXPECT_EQ(ok.closes(), 1u);
  EXPECT_EQ(bad.closes(), 1u);
  ok.Release();
  bad.Release();
  ASSERT_TRUE(WaitUntil([&] { return ok.polls_done() == 1 && bad.polls_done() == 1; }));
  Sync(ok);
  Sync(bad);
  EXPECT_FALSE(test::Contains(StoreText(), "fake_value")) << StoreText();
  for (const CollectorStatus& s : health_.Status()) EXPECT_FALSE(s.polled) << s.collector;
  const auto health = HealthText();
  EXPECT_TRUE(
      test::Contains(health, "callcenter_poll_failures_total{target=\"a\",collector=\"bad\",reason=\"auth\"} 0\n"))
      << health;
}

TEST_F(SchedulerTest, APollInFlightAtReloadIsDroppedAndTheNewCollectorsServe) {
  hold_new_ = true;
  Make([](Clock::duration) { return Clock::duration::zero(); });
  scheduler_->Start(Targets({Target("a", 10s, "v1")}));
  FakeCollector& old = Built("a", 0);
  ASSERT_TRUE(WaitUntil([&] { return old.polls_held() == 1; }));
  scheduler_->Start(Targets({Target("a", 10s, "v2")}));
  FakeCollector& fresh = Built("a", 1);
  ASSERT_TRUE(WaitUntil([&] { return old.closes() == 1 && fresh.polls_held() == 1; }));
  old.Release();
  ASSERT_TRUE(WaitUntil([&] { return old.polls_done() == 1; }));
  Sync(old);
  EXPECT_FALSE(test::Contains(StoreText(), "fake_value")) << StoreText();
  ASSERT_EQ(health_.Status().size(), 1u);
  EXPECT_FALSE(health_.Status()[0].polled);

  fresh.Release();
  ASSERT_TRUE(WaitUntil([&] { return fresh.polls_done() == 1; }));
  Sync(fresh);
  EXPECT_TRUE(test::Contains(StoreText(), "fake_value{target=\"a\",collector=\"main\"} 2\n")) << StoreText();
  EXPECT_TRUE(health_.Status()[0].polled);
}

TEST_F(SchedulerTest, ReloadClosesChangedAndRemovedTargetsAndKeepsUnchangedOnes) {
  Make([](Clock::duration) { return Clock::duration::zero(); });
  scheduler_->Start(Targets({Target("same", 10s), Target("changed", 10s, "v1"), Target("removed", 10s)}));
  scheduler_->Start(Targets({Target("same", 10s), Target("changed", 10s, "v2"), Target("added", 10s)}));
  EXPECT_EQ(builds_, (std::map<std::string, int>{{"same", 1}, {"changed", 2}, {"removed", 1}, {"added", 1}}));
  ASSERT_TRUE(WaitUntil([&] { return Built("changed", 0).closes() == 1 && Built("removed").closes() == 1; }));
  EXPECT_EQ(Built("same").closes(), 0u);
  EXPECT_EQ(Built("changed", 1).closes(), 0u);
  EXPECT_EQ(Built("added").closes(), 0u);
  // The unchanged target kept polling with its collector (one poll so far, no second start).
  ASSERT_TRUE(WaitUntil([&] { return Built("same").polls_done() == 1; }));
  EXPECT_EQ(Built("same").polls_started(), 1u);

  std::size_t closes_seen_by_closed = 0;
  std::atomic<bool> closed{false};
  scheduler_->Stop([&] {
    for (const auto& [name, built] : built_) {
      for (const auto& c : built) closes_seen_by_closed += c->closes();
    }
    closed = true;
    events_->Notify();
  });
  ASSERT_TRUE(WaitUntil([&] { return closed.load(); }));
  EXPECT_EQ(closes_seen_by_closed, 5u) << "every collector closed once, before `closed`";
  scheduler_.reset();
}

TEST_F(SchedulerTest, StopWithoutTargetsCallsClosedAtOnce) {
  Make();
  bool closed = false;
  scheduler_->Stop([&] { closed = true; });
  EXPECT_TRUE(closed);
}

TEST_F(SchedulerTest, HealthListsExactlyTheRunningCollectors) {
  hold_new_ = true;
  collector_names_ = {{"a", {"x", "y"}}, {"b", {"x"}}, {"c", {"z"}}};
  Make();
  auto pairs = [&] {
    std::set<std::pair<std::string, std::string>> out;
    for (const CollectorStatus& s : health_.Status()) out.insert({s.target, s.collector});
    return out;
  };
  scheduler_->Start(Targets({Target("a", 10s), Target("b", 10s)}));
  EXPECT_EQ(pairs(), (std::set<std::pair<std::string, std::string>>{{"a", "x"}, {"a", "y"}, {"b", "x"}}));
  scheduler_->Start(Targets({Target("b", 10s), Target("c", 10s)}));
  EXPECT_EQ(pairs(), (std::set<std::pair<std::string, std::string>>{{"b", "x"}, {"c", "z"}}));
  EXPECT_FALSE(health_.HasTarget("a"));
}

TEST_F(SchedulerTest, ASuccessfulPollPutsItsSeriesInTheStore) {
  Make([](Clock::duration) { return Clock::duration::zero(); });
  scheduler_->Start(Targets({Target("a", 10s)}));
  FakeCollector& c = Built("a");
  ASSERT_TRUE(WaitUntil([&] { return c.polls_done() == 1; }));
  Sync(c);
  EXPECT_TRUE(test::Contains(StoreText(), "fake_value{target=\"a\",collector=\"main\"} 1\n")) << StoreText();
  EXPECT_TRUE(test::Contains(HealthText(), "callcenter_up{target=\"a\",collector=\"main\"} 1\n"));
}

TEST_F(SchedulerTest, AFailingPollSetsUpToZeroAndCountsItsReason) {
  hold_new_ = true;
  Make([](Clock::duration) { return Clock::duration::zero(); });
  scheduler_->Start(Targets({Target("a", 10s)}));
  FakeCollector& c = Built("a");
  c.Fail(Reason::auth);
  c.Release();
  ASSERT_TRUE(WaitUntil([&] { return c.polls_done() == 1; }));
  Sync(c);
  const auto health = HealthText();
  EXPECT_TRUE(test::Contains(health, "callcenter_up{target=\"a\",collector=\"main\"} 0\n")) << health;
  EXPECT_TRUE(
      test::Contains(health, "callcenter_poll_failures_total{target=\"a\",collector=\"main\",reason=\"auth\"} 1\n"));
  EXPECT_TRUE(
      test::Contains(health, "callcenter_poll_failures_total{target=\"a\",collector=\"main\",reason=\"timeout\"} 0\n"));
  ASSERT_EQ(health_.Status().size(), 1u);
  EXPECT_EQ(health_.Status()[0].last_error, "auth: fake failure");
  EXPECT_FALSE(test::Contains(StoreText(), "fake_value"));
}

// Records what the scheduler asks of the jitter seam (zero jitter): after the
// start, it is asked for a tenth of each back-off wait. Shared with the seam:
// the scheduler runs until the fixture ends, after the test's locals.
class JitterLog : public std::enable_shared_from_this<JitterLog> {
 public:
  Scheduler::Jitter Seam() {
    return [self = shared_from_this()](Clock::duration max) {
      std::lock_guard lock(self->mu_);
      self->asked_.push_back(max);
      return Clock::duration::zero();
    };
  }
  std::vector<Clock::duration> Asked() const {
    std::lock_guard lock(mu_);
    return asked_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Clock::duration> asked_;
};

double BackoffGauge(const std::string& health) {
  const std::string key = "callcenter_poll_backoff_seconds{target=\"a\",collector=\"main\"} ";
  const auto at = health.find(key);
  EXPECT_NE(at, std::string::npos) << health;
  return at == std::string::npos ? -1 : std::stod(health.substr(at + key.size()));
}

TEST_F(SchedulerTest, FailingPollsBackOffExponentiallyUpToTenIntervalsAndResetOnSuccess) {
  auto jitter_log = std::make_shared<JitterLog>();
  JitterLog& jitter = *jitter_log;
  Make(jitter.Seam());
  hold_new_ = true;
  scheduler_->Start(Targets({Target("a", 40ms)}));
  FakeCollector& c = Built("a");
  c.Fail(Reason::connect);
  c.Release();
  // Waits of 40 (first failure: the interval), 80, 160, 320, 400 (cap), 400 ms.
  ASSERT_TRUE(WaitUntil([&] { return c.polls_done() >= 6; }));
  c.Hold();
  ASSERT_TRUE(WaitUntil([&] { return c.polls_held() == 1; }));
  auto asked = jitter.Asked();
  ASSERT_GE(asked.size(), 6u);
  // The first poll's delay (given the interval), then a tenth of each back-off wait.
  EXPECT_EQ(std::vector<Clock::duration>(asked.begin(), asked.begin() + 6),
            (std::vector<Clock::duration>{40ms, 8ms, 16ms, 32ms, 40ms, 40ms}));
  EXPECT_GT(BackoffGauge(HealthText()), 0) << "backing off is exposed";
  ASSERT_EQ(health_.Status().size(), 1u);
  EXPECT_TRUE(health_.Status()[0].backed_off);

  // The first success polls at the interval again: no back-off wait.
  c.Fail(std::nullopt);
  c.Release();
  const std::size_t done = c.polls_done();
  ASSERT_TRUE(WaitUntil([&] { return c.polls_done() >= done + 3; }));
  Sync(c);
  EXPECT_EQ(BackoffGauge(HealthText()), 0);
  EXPECT_FALSE(health_.Status()[0].backed_off);
  asked = jitter.Asked();
  const auto after_success = asked.size();
  // Failing again starts over from the interval.
  c.Fail(Reason::http_status);
  ASSERT_TRUE(WaitUntil([&] { return jitter.Asked().size() >= after_success + 2; }));
  asked = jitter.Asked();
  EXPECT_EQ(asked[after_success], 8ms);
  EXPECT_EQ(asked[after_success + 1], 16ms);
}

TEST_F(SchedulerTest, RetryAfterHoldsBackEveryCollectorOfTheTarget) {
  collector_names_["a"] = {"limited", "other"};
  Make([](Clock::duration) { return Clock::duration::zero(); });
  hold_new_ = true;
  scheduler_->Start(Targets({Target("a", 200ms)}));  // back-off cap 2 s
  FakeCollector& limited = Built("a", 0);
  FakeCollector& other = Built("a", 1);
  limited.Fail(Reason::http_status, std::chrono::seconds(1));
  ASSERT_TRUE(WaitUntil([&] { return other.polls_held() == 1; }));
  other.Release();
  ASSERT_TRUE(WaitUntil([&] { return other.polls_done() >= 2; }));  // polling every interval
  limited.Release();
  ASSERT_TRUE(WaitUntil([&] { return limited.polls_done() == 1; }));
  // Taken after the failure was answered, and the scheduler's not-before is
  // set in the same strand step as that answer: every poll after `answered`
  // is one the Retry-After governs.
  const auto answered = Clock::now();
  const auto asked_from = limited.poll_starts()[0];  // no later than the answer
  ASSERT_TRUE(WaitUntil([&] {
    const auto others = other.poll_starts();
    return limited.polls_started() >= 2 && others.back() > answered;
  }));
  // Timers never fire early: no poll of either collector before the second asked for.
  for (const auto t : other.poll_starts()) {
    EXPECT_TRUE(t <= answered || t >= asked_from + 1s) << "a poll of the other collector during the Retry-After";
  }
  EXPECT_GE(limited.poll_starts()[1] - asked_from, 1s);
}

TEST_F(SchedulerTest, RetryAfterIsCappedAtTheBackoffCap) {
  Make([](Clock::duration) { return Clock::duration::zero(); });
  scheduler_->Start(Targets({Target("a", 50ms)}));
  FakeCollector& c = Built("a");
  c.Fail(Reason::http_status, std::chrono::hours(1));
  // Without the cap (10 × 50 ms) the next poll would be an hour away.
  ASSERT_TRUE(WaitUntil([&] { return c.polls_started() >= 3; }));
  Sync(c);
  EXPECT_GT(BackoffGauge(HealthText()), 0);
}

}  // namespace
}  // namespace cc

#pragma once
// A Collector for the tests of what runs collectors (scheduler, app): it does
// no I/O, counts its polls and Close calls, answers with one series or an
// Error, and can hold its polls (each on a timer of the target's strand) until
// the test releases them. The test waits for what it does through Events
// instead of sleeping.
//
// Thread safety: Poll and Close run on the target's strand; every other member
// function may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "collectors/kit/collector.h"

namespace cc::test {

inline constexpr MetricDef kFakeValue{"fake_value", "What a fake collector reports.", MetricType::gauge};

// Wakes a waiting test whenever a fake collector did something.
class Events {
 public:
  void Notify() {
    { std::lock_guard lock(mu_); }  // a waiter is either before its check or waiting
    cv_.notify_all();
  }
  // True once `done()` holds; false after `timeout`, which only guards
  // against a hang (it is not a timing being tested).
  template <class Pred>
  bool WaitUntil(Pred done, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, done);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
};

class FakeCollector : public Collector {
 public:
  using Clock = std::chrono::steady_clock;

  FakeCollector(std::string name, double value, std::shared_ptr<Events> events)
      : name_(std::move(name)), value_(value), events_(std::move(events)) {}

  std::string_view name() const override { return name_; }

  boost::asio::awaitable<Result<Snapshot>> Poll(PollContext&) override {
    namespace asio = boost::asio;
    const asio::any_io_executor strand = co_await asio::this_coro::executor;
    asio::steady_timer gate(strand, asio::steady_timer::time_point::max());
    bool held = false;
    {
      std::lock_guard lock(mu_);
      strand_ = strand;
      poll_starts_.push_back(Clock::now());
      if (hold_) held_.push_back(&gate);
      held = hold_;
    }
    events_->Notify();
    if (held) co_await gate.async_wait(asio::as_tuple(asio::use_awaitable));
    Result<Snapshot> result = Outcome();
    {
      std::lock_guard lock(mu_);
      ++polls_done_;
    }
    events_->Notify();
    co_return result;
  }

  boost::asio::awaitable<void> Close(PollContext&) override {
    {
      std::lock_guard lock(mu_);
      ++closes_;
    }
    events_->Notify();
    co_return;
  }

  // Polls from now on fail with `reason` (nullopt: succeed again), asking
  // for `retry_after` as a vendor's Retry-After would.
  void Fail(std::optional<Reason> reason, std::optional<std::chrono::seconds> retry_after = {}) {
    std::lock_guard lock(mu_);
    fail_ = reason;
    retry_after_ = retry_after;
  }
  // Polls from now on wait until Release().
  void Hold() {
    std::lock_guard lock(mu_);
    hold_ = true;
  }
  // Lets the held polls finish, and the next ones run through.
  void Release() {
    std::vector<boost::asio::steady_timer*> held;
    {
      std::lock_guard lock(mu_);
      hold_ = false;
      held.swap(held_);
    }
    // Each held timer is cancelled once, on its strand; its poll cannot end
    // before that, so the pointer stays valid.
    for (auto* t : held) boost::asio::post(t->get_executor(), [t] { t->cancel(); });
  }

  std::size_t polls_started() const {
    std::lock_guard lock(mu_);
    return poll_starts_.size();
  }
  std::size_t polls_held() const {
    std::lock_guard lock(mu_);
    return held_.size();
  }
  std::size_t polls_done() const {
    std::lock_guard lock(mu_);
    return polls_done_;
  }
  std::size_t closes() const {
    std::lock_guard lock(mu_);
    return closes_;
  }
  // The executor the last poll ran on (the target's strand).
  boost::asio::any_io_executor strand() const {
    std::lock_guard lock(mu_);
    return strand_;
  }
  std::vector<Clock::time_point> poll_starts() const {
    std::lock_guard lock(mu_);
    return poll_starts_;
  }

 private:
  Result<Snapshot> Outcome() const {
    std::lock_guard lock(mu_);
    if (fail_) return Error{*fail_, "fake failure", retry_after_};
    Snapshot snap;
    snap.Add(kFakeValue, {{"collector", name_}}, value_);
    return snap;
  }

  const std::string name_;
  const double value_;
  const std::shared_ptr<Events> events_;

  mutable std::mutex mu_;
  std::optional<Reason> fail_;
  std::optional<std::chrono::seconds> retry_after_;
  boost::asio::any_io_executor strand_;
  bool hold_ = false;
  std::vector<boost::asio::steady_timer*> held_;
  std::vector<Clock::time_point> poll_starts_;
  std::size_t polls_done_ = 0;
  std::size_t closes_ = 0;
};

}  // namespace cc::test

#include "collectors/kit/fan_out.h"

#include <map>
#include <optional>
#include <set>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

namespace cc {
namespace {

namespace asio = boost::asio;

// Drives ForEachBounded step by step on one thread: every fetch waits on a
// timer of its own until the test releases it, and io_context::poll() runs
// whatever became ready. No timings are involved.
class FanOut {
 public:
  // Script: the result of fetch i (none: success).
  std::map<std::size_t, Error> errors;

  void Start(std::size_t n, std::size_t limit) {
    asio::co_spawn(
        ioc_,
        [this, n, limit]() -> asio::awaitable<void> {
          auto fetch = [this](std::size_t i) { return Fetch(i); };
          result_.emplace(co_await kit::ForEachBounded(n, limit, fetch));
          returned_ = true;
        },
        asio::detached);
    ioc_.poll();
  }

  // Lets fetch i finish.
  void Release(std::size_t i) {
    ASSERT_TRUE(waiting_.contains(i)) << i;
    waiting_.at(i)->cancel();
    ioc_.poll();
  }
  // Releases the fetches in flight, oldest first, until the call returned.
  void ReleaseAll() {
    while (!returned_ && !waiting_.empty()) Release(waiting_.begin()->first);
  }

  bool returned() const { return returned_; }
  const std::optional<Error>& result() const { return *result_; }
  std::size_t running() const { return waiting_.size(); }
  std::size_t max_running() const { return max_running_; }
  const std::vector<std::size_t>& started() const { return started_; }
  std::set<std::size_t> in_flight() const {
    std::set<std::size_t> out;
    for (const auto& [i, timer] : waiting_) out.insert(i);
    return out;
  }

 private:
  asio::awaitable<std::optional<Error>> Fetch(std::size_t i) {
    EXPECT_FALSE(returned_) << "fetch " << i << " started after ForEachBounded returned";
    started_.push_back(i);
    asio::steady_timer timer(ioc_, asio::steady_timer::time_point::max());
    waiting_[i] = &timer;
    max_running_ = std::max(max_running_, waiting_.size());
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    waiting_.erase(i);
    EXPECT_FALSE(returned_) << "fetch " << i << " ended after ForEachBounded returned";
    if (auto e = errors.find(i); e != errors.end()) co_return e->second;
    co_return std::nullopt;
  }

  asio::io_context ioc_;
  std::map<std::size_t, asio::steady_timer*> waiting_;
  std::size_t max_running_ = 0;
  std::vector<std::size_t> started_;
  std::optional<std::optional<Error>> result_;
  bool returned_ = false;
};

std::vector<std::size_t> Iota(std::size_t n) {
  std::vector<std::size_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

TEST(FanOutTest, NeverMoreThanLimitInFlightAndEveryIndexOnce) {
  FanOut f;
  f.Start(10, 3);
  EXPECT_EQ(f.in_flight(), (std::set<std::size_t>{0, 1, 2}));
  // Out of order: a slot freed by any fetch goes to the next index.
  f.Release(1);
  EXPECT_EQ(f.in_flight(), (std::set<std::size_t>{0, 2, 3}));
  f.Release(0);
  f.Release(3);
  EXPECT_EQ(f.in_flight(), (std::set<std::size_t>{2, 4, 5}));
  f.ReleaseAll();
  ASSERT_TRUE(f.returned());
  EXPECT_FALSE(f.result().has_value());
  EXPECT_EQ(f.max_running(), 3u);
  auto started = f.started();
  std::sort(started.begin(), started.end());
  EXPECT_EQ(started, Iota(10));
}

TEST(FanOutTest, FewerIndicesThanTheLimit) {
  FanOut f;
  f.Start(2, 8);
  EXPECT_EQ(f.running(), 2u);
  f.ReleaseAll();
  ASSERT_TRUE(f.returned());
  EXPECT_EQ(f.started().size(), 2u);
}

TEST(FanOutTest, LimitZeroMeansOneAtATime) {
  FanOut f;
  f.Start(4, 0);
  EXPECT_EQ(f.running(), 1u);
  f.ReleaseAll();
  ASSERT_TRUE(f.returned());
  EXPECT_EQ(f.max_running(), 1u);
  EXPECT_EQ(f.started(), Iota(4));
}

TEST(FanOutTest, NothingToFetchReturnsAtOnce) {
  FanOut f;
  f.Start(0, 4);
  ASSERT_TRUE(f.returned()) << "waited although there was nothing to fetch";
  EXPECT_FALSE(f.result().has_value());
  EXPECT_TRUE(f.started().empty());
}

TEST(FanOutTest, FetchesThatNeverSuspendAllRunOnce) {
  asio::io_context ioc;
  std::vector<std::size_t> fetched;
  auto fetch = [&](std::size_t i) -> asio::awaitable<std::optional<Error>> {
    fetched.push_back(i);
    co_return std::nullopt;
  };
  bool returned = false;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        EXPECT_FALSE((co_await kit::ForEachBounded(5, 2, fetch)).has_value());
        returned = true;
      },
      asio::detached);
  ioc.run();
  EXPECT_TRUE(returned);
  std::sort(fetched.begin(), fetched.end());
  EXPECT_EQ(fetched, Iota(5));
}

TEST(FanOutTest, TheFirstErrorStopsNewFetchesAndWaitsForTheOnesInFlight) {
  FanOut f;
  f.errors = {{1, Error{Reason::auth, "first"}}, {2, Error{Reason::parse, "second"}}};
  f.Start(10, 3);
  f.Release(1);  // fails: no fetch takes its slot
  EXPECT_EQ(f.in_flight(), (std::set<std::size_t>{0, 2}));
  EXPECT_FALSE(f.returned()) << "returned before the fetches in flight ended";
  f.Release(2);  // fails too; the first error is the one returned
  EXPECT_FALSE(f.returned());
  f.Release(0);
  ASSERT_TRUE(f.returned());
  ASSERT_TRUE(f.result().has_value());
  EXPECT_EQ(f.result()->reason, Reason::auth);
  EXPECT_EQ(f.result()->message, "first");
  EXPECT_EQ(f.started(), Iota(3));
  EXPECT_EQ(f.running(), 0u);
}

TEST(FanOutTest, AnErrorAfterSomeSuccessesStopsTheRest) {
  FanOut f;
  f.errors = {{3, Error{Reason::http_status, "boom"}}};
  f.Start(10, 2);
  f.Release(0);  // 2 starts
  f.Release(1);  // 3 starts
  f.Release(3);  // fails while 2 is in flight
  EXPECT_EQ(f.in_flight(), (std::set<std::size_t>{2}));
  f.Release(2);
  ASSERT_TRUE(f.returned());
  ASSERT_TRUE(f.result().has_value());
  EXPECT_EQ(f.result()->message, "boom");
  EXPECT_EQ(f.started(), Iota(4));
}

}  // namespace
}  // namespace cc

#include "collectors/huawei_cec/discovery.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cc::huawei_cec {

namespace asio = boost::asio;

asio::awaitable<std::optional<Error>> SkillDirectory::Refresh(const Fetch& fetch, Clock::time_point deadline) {
  if (in_flight_) {
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, deadline);
    waiters_.push_back(timer);
    auto [ec] = co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    std::erase(waiters_, timer);
    // Not cancelled: the deadline passed first.
    if (!ec) co_return MakeError(Reason::timeout, "waiting for the skill listing in flight");
    co_return last_error_;
  }
  in_flight_ = true;
  auto list = co_await fetch();
  in_flight_ = false;
  if (list) {
    known_ = std::move(list).value();
    next_ = Clock::now() + interval_;
    last_error_.reset();
  } else {
    last_error_ = list.error();
    next_ = {};  // try again at the next poll
  }
  for (const auto& waiter : waiters_) waiter->cancel();
  co_return last_error_;
}

}  // namespace cc::huawei_cec

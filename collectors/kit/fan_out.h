#pragma once
// Bounded fan-out for collectors that need many requests per poll (one per skill, one
// per campaign): at most `limit` in flight, on the caller's executor (the
// target's strand, so the fetches need no locking).

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/result.h"

namespace cc::kit {

namespace fan_out_detail {

struct State {
  explicit State(const boost::asio::any_io_executor& ex) : done(ex, boost::asio::steady_timer::time_point::max()) {}
  std::size_t next = 0;
  std::size_t running = 0;
  std::optional<Error> error;
  boost::asio::steady_timer done;
};

template <class F>
boost::asio::awaitable<void> Worker(std::shared_ptr<State> state, F* fetch, std::size_t n) {
  while (!state->error && state->next < n) {
    const std::size_t i = state->next++;
    if (auto error = co_await (*fetch)(i); error && !state->error) state->error = std::move(error);
  }
  if (--state->running == 0) state->done.cancel();
}

}  // namespace fan_out_detail

// Runs `co_await fetch(i)` (returning std::optional<Error>) for i in 0..n-1.
// The first error stops new fetches and is returned once the ones in flight
// are done. `fetch` must outlive the call (it does: the call awaits them all).
template <class F>
boost::asio::awaitable<std::optional<Error>> ForEachBounded(std::size_t n, std::size_t limit, F& fetch) {
  namespace asio = boost::asio;
  using fan_out_detail::State;
  auto state = std::make_shared<State>(co_await asio::this_coro::executor);
  const std::size_t workers = std::min(n, std::max<std::size_t>(limit, 1));
  state->running = workers;
  for (std::size_t w = 0; w < workers; ++w) {
    asio::co_spawn(state->done.get_executor(), fan_out_detail::Worker(state, &fetch, n), asio::detached);
  }
  // Workers may all have finished inline; otherwise the last one wakes us.
  if (state->running > 0) co_await state->done.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return state->error;
}

}  // namespace cc::kit

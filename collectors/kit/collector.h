#pragma once
// The collector interface every vendor implements (docs/adding-a-vendor.md).
// A collector is one kind of poll of a target: the `collector` label of the
// health series. The scheduler owns collectors and calls them on the target's
// strand, one call at a time per collector.

#include <chrono>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "config/config.h"
#include "http/client.h"
#include "model/snapshot.h"

namespace cc {

// What one poll (or Close) gets: the target's HTTP client (one per target,
// keep-alive pool, verified TLS), its configuration and the deadline.
struct PollContext {
  http::Client& http;
  const TargetConfig& target;
  Deadline deadline;                              // steady clock: the poll must be over by then
  std::chrono::system_clock::time_point started;  // wall clock, for parsers that need "now"
};

// May keep state between polls (a session token, a back-off): it is only ever
// touched on the target's strand, so it needs no locking.
class Collector {
 public:
  virtual ~Collector() = default;
  // Stable, lower_snake_case; the `collector` label.
  virtual std::string_view name() const = 0;
  // One poll: the series of this collector, or an Error whose reason goes to
  // callcenter_poll_failures_total. Must not throw; must respect ctx.deadline
  // (every http::Client call does).
  virtual boost::asio::awaitable<Result<Snapshot>> Poll(PollContext& ctx) = 0;
  // Called once when the target stops being polled (shutdown, or a reload that
  // changed or removed it), on the target's strand, while a poll may still be
  // in flight. Ends what the collector opened on the vendor side (a login
  // session); must be over by ctx.deadline and must not throw.
  virtual boost::asio::awaitable<void> Close(PollContext& /*ctx*/) { co_return; }
};

}  // namespace cc

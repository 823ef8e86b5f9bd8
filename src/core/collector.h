#pragma once
// The vendor plug-in interface. A vendor is one folder under collectors/ that
// provides a VendorDef; collectors/registry.cpp lists them.

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "config/config.h"
#include "core/vendor.h"
#include "http/client.h"
#include "model/snapshot.h"

namespace cc {

struct PollContext {
  HttpClient& http;
  const TargetConfig& target;
  Deadline deadline;                              // the poll must be over by then
  std::chrono::system_clock::time_point started;  // wall clock, for parsers that need "now"
};

// One collector = one kind of poll of a target (`collector` label). Runs on the
// target's strand; may keep state between polls (e.g. a session token).
class Collector {
 public:
  virtual ~Collector() = default;
  virtual std::string_view name() const = 0;
  virtual boost::asio::awaitable<Result<Snapshot>> Poll(PollContext& ctx) = 0;
  // Called once when the target stops being polled (shutdown, and reload,
  // which brings new collectors), on the target's strand, while a poll may
  // still be in flight. Ends what the collector opened on the vendor side
  // (a login session); must be over by ctx.deadline and must not throw.
  virtual boost::asio::awaitable<void> Close(PollContext& /*ctx*/) { co_return; }
};

}  // namespace cc

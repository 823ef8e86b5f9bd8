#pragma once
// Fault injection for the simulator's vendor API routes (never /_sim/*): the
// failure shapes an exporter meets in the field, switchable at run time.
//
// Thread safety: all methods may be called from any thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/server.h"

namespace cc::sim {

enum class FaultMode {
  none,       // normal responses
  http500,    // 500 with a short body
  garbage,    // 200 with random binary bytes
  html,       // 200 with an HTML error page (text/html)
  slow,       // the normal response after delay_ms
  truncated,  // Content-Length larger than the bytes sent, then close
  hang,       // no response until the fault changes (or 10 minutes pass)
  http429,    // 429 Too Many Requests, with Retry-After when retry_after is set
  http503,    // 503 Service Unavailable, with Retry-After when retry_after is set
};

std::optional<FaultMode> ParseFaultMode(std::string_view name);
std::string_view ToString(FaultMode mode);

struct FaultSetting {
  FaultMode mode = FaultMode::none;
  std::chrono::milliseconds delay{0};  // slow: the delay (0 → kDefaultSlowDelay); truncated: pause before the tail
  std::string retry_after{};           // http429, http503: the Retry-After value, sent verbatim (empty: none)
};

inline constexpr std::chrono::milliseconds kDefaultSlowDelay{5000};
inline constexpr std::chrono::minutes kHangLimit{10};

class Faults {
 public:
  explicit Faults(std::uint64_t seed, std::string server_header = "callcenter_sim");

  // Changing the fault releases requests that hang under the old one.
  void Set(FaultSetting setting);
  FaultSetting Get() const;

  // The response for a vendor route under the current fault; `make` builds
  // the normal one (called after any delay, so the data is current).
  boost::asio::awaitable<http::Response> Apply(std::function<http::Response()> make);

 private:
  struct Waiter {
    boost::asio::any_io_executor executor;
    std::weak_ptr<boost::asio::steady_timer> timer;
  };

  mutable std::mutex mu_;
  FaultSetting setting_;
  std::uint64_t generation_ = 0;  // bumped by Set
  std::mt19937_64 rng_;
  std::vector<Waiter> waiters_;
  const std::string server_header_;
};

}  // namespace cc::sim

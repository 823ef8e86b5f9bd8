#pragma once
// The log lines of one collector's poll outcomes. A target that keeps failing
// must not write a line per poll (many faulty targets would flood the log), so:
// one "poll failed" warning at the first failure and at each change of
// reason, a "poll still failing" warning every kSummaryPeriod while it lasts
// (failures and seconds since the first), and one "poll recovered" line at the
// first success after. Other failed polls are logged at debug level only.
//
// Not thread-safe: one per collector, used on its target's strand.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.h"

namespace cc {

class PollLog {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::minutes kSummaryPeriod{5};

  PollLog(std::string target, std::string collector);

  // A failed poll that ended at `now`; the next poll is in `next_poll_in`.
  void Failed(const Error& error, Clock::time_point now, Clock::duration next_poll_in);
  // A successful poll that ended at `now`.
  void Succeeded(Clock::time_point now);

 private:
  const std::string target_;
  const std::string collector_;
  std::uint64_t failures_ = 0;  // in a row
  Reason reason_ = Reason::connect;
  Clock::time_point since_{};         // end of the first failure in a row
  Clock::time_point last_summary_{};  // of the last warning line
};

}  // namespace cc

#include "core/poll_log.h"

#include <utility>

#include "common/log.h"

namespace cc {
namespace {

double Seconds(PollLog::Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

PollLog::PollLog(std::string target, std::string collector)
    : target_(std::move(target)), collector_(std::move(collector)) {}

void PollLog::Failed(const Error& error, Clock::time_point now, Clock::duration next_poll_in) {
  const Reason previous = reason_;
  const bool first = failures_++ == 0;
  reason_ = error.reason;
  if (first) {
    since_ = now;
    last_summary_ = now;
    log::Warn("poll failed", {{"target", target_},
                              {"collector", collector_},
                              {"reason", ToString(error.reason)},
                              {"err", error.message},
                              {"next_poll_seconds", Seconds(next_poll_in)}});
  } else if (error.reason != previous) {
    last_summary_ = now;
    log::Warn("poll failed", {{"target", target_},
                              {"collector", collector_},
                              {"reason", ToString(error.reason)},
                              {"previous_reason", ToString(previous)},
                              {"err", error.message},
                              {"failures", failures_},
                              {"next_poll_seconds", Seconds(next_poll_in)}});
  } else if (now - last_summary_ >= kSummaryPeriod) {
    last_summary_ = now;
    log::Warn("poll still failing", {{"target", target_},
                                     {"collector", collector_},
                                     {"reason", ToString(error.reason)},
                                     {"err", error.message},
                                     {"failures", failures_},
                                     {"failing_seconds", Seconds(now - since_)},
                                     {"next_poll_seconds", Seconds(next_poll_in)}});
  } else {
    log::Debug("poll failed", {{"target", target_},
                               {"collector", collector_},
                               {"reason", ToString(error.reason)},
                               {"err", error.message},
                               {"failures", failures_},
                               {"next_poll_seconds", Seconds(next_poll_in)}});
  }
}

void PollLog::Succeeded(Clock::time_point now) {
  if (failures_ == 0) return;
  log::Info("poll recovered", {{"target", target_},
                               {"collector", collector_},
                               {"reason", ToString(reason_)},
                               {"failures", failures_},
                               {"failing_seconds", Seconds(now - since_)}});
  failures_ = 0;
}

}  // namespace cc

#pragma once
// The skill queues a target last listed, shared by its collectors: the
// `skill_discovery` collector refreshes it on its own, slower schedule, and
// the skill collectors read it (or, before the first listing, wait for one).
// Only one listing request is in flight at a time; callers that come while it
// is give up waiting at their deadline.
//
// Thread safety: none; every call on the target's strand (collectors/kit/collector.h).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collectors/huawei_cec/listing.h"
#include "common/result.h"

namespace cc::huawei_cec {

class SkillDirectory {
 public:
  using Clock = std::chrono::steady_clock;
  using List = std::vector<ListedSkill>;
  using Fetch = std::function<boost::asio::awaitable<Result<List>>()>;

  // `interval`: how long a successful listing is used before the next one.
  explicit SkillDirectory(Clock::duration interval) : interval_(interval) {}

  // The last successful listing; null before the first.
  const List* Known() const { return known_ ? &*known_ : nullptr; }
  // Never listed, or the last success is `interval` old. A failed listing
  // leaves it due: the next poll tries again.
  bool Due(Clock::time_point now) const { return !known_ || now >= next_; }
  // The list may be out of date (the CMS refused a listed id): due now.
  void Expire() { next_ = {}; }

  // Lists with `fetch`, or, while another call's listing is in flight, waits
  // for that one (Reason::timeout at `deadline`). Returns the listing's error;
  // on error the known list stays as it was.
  boost::asio::awaitable<std::optional<Error>> Refresh(const Fetch& fetch, Clock::time_point deadline);

 private:
  Clock::duration interval_;
  std::optional<List> known_;
  Clock::time_point next_{};
  bool in_flight_ = false;
  std::optional<Error> last_error_;
  std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace cc::huawei_cec

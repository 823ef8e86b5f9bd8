#pragma once
// When a collector polls next: every poll_interval while its polls succeed;
// while they keep failing (any reason), exponentially less often, capped;
// never before a vendor's Retry-After (RFC 9110 §10.2.3), capped likewise.
// The first success polls at the interval again. Documented for users in
// docs/metrics.md (callcenter_poll_backoff_seconds).
//
// Pure functions of their arguments; thread-safe.

#include <chrono>
#include <cstdint>

namespace cc::backoff {

using Duration = std::chrono::steady_clock::duration;

// The longest wait after a failure, back-off or Retry-After: 10 × interval,
// at most 5 min, but never less than the interval itself.
Duration Cap(Duration interval);

// The wait from the start of a poll to the next, after `failures` failed
// polls in a row (0 after a success): interval × 2^(failures − 1), capped.
// One failure keeps the interval: a single blip costs nothing.
Duration Wait(Duration interval, std::uint64_t failures);

// The wait a Retry-After of `retry_after` asks for, capped: a vendor must not
// be able to silence a target for longer than its own back-off would.
Duration RetryAfter(Duration interval, std::chrono::seconds retry_after);

}  // namespace cc::backoff

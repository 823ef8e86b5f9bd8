#include "core/backoff.h"

#include <algorithm>

namespace cc::backoff {

Duration Cap(Duration interval) {
  return std::max<Duration>(interval, std::min<Duration>(10 * interval, std::chrono::minutes(5)));
}

Duration Wait(Duration interval, std::uint64_t failures) {
  const Duration cap = Cap(interval);
  Duration wait = interval;
  for (std::uint64_t i = 1; i < failures && wait < cap; ++i) wait *= 2;  // stops at the cap: no overflow
  return std::min(wait, cap);
}

Duration RetryAfter(Duration interval, std::chrono::seconds retry_after) {
  const Duration cap = Cap(interval);
  // Compared in seconds first: a huge value must not overflow the clock's ticks.
  if (retry_after >= std::chrono::duration_cast<std::chrono::seconds>(cap)) return cap;
  return std::max<Duration>(Duration::zero(), retry_after);
}

}  // namespace cc::backoff

#include "common/memory_trim.h"

#include <atomic>
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace cc {

void TrimFreedMemory(std::chrono::steady_clock::duration min_gap) {
  static std::atomic<std::chrono::steady_clock::rep> last{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  auto seen = last.load(std::memory_order_relaxed);
  if (seen != 0 && now - seen < min_gap.count()) return;
  if (!last.compare_exchange_strong(seen, now, std::memory_order_relaxed)) return;  // another thread trims
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

const char* LimitMallocArenas() {
  if (const char* env = std::getenv("MALLOC_ARENA_MAX")) return env;
#if defined(__GLIBC__)
  mallopt(M_ARENA_MAX, 1);
#endif
  return "1";
}

}  // namespace cc

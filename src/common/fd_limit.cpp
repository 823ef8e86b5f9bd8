#include "common/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace cc {

FileLimit RaiseFileLimit() {
  FileLimit out;
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) {
    out.error = std::strerror(errno);
    return out;
  }
  out.before = out.soft = lim.rlim_cur;
  out.hard = lim.rlim_max;
  if (lim.rlim_cur == lim.rlim_max) return out;
  // An unlimited hard limit is refused by Linux above fs.nr_open (EPERM):
  // the soft limit then stays as it was, as in Go.
  lim.rlim_cur = lim.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &lim) != 0) {
    out.error = std::strerror(errno);
    return out;
  }
  out.soft = lim.rlim_cur;
  return out;
}

std::size_t DefaultMaxConnections(std::uint64_t soft) {
  constexpr std::uint64_t kMinReserve = 64;
  constexpr std::uint64_t kMax = 65536;
  const std::uint64_t reserve = std::max(kMinReserve, soft / 4);
  if (soft <= reserve) return 1;
  return static_cast<std::size_t>(std::min(kMax, soft - reserve));
}

}  // namespace cc

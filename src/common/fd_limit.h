#pragma once
// The process's open-file limit (RLIMIT_NOFILE, POSIX getrlimit/setrlimit)
// and the listener's connection limit derived from it. systemd starts services
// with a soft limit of 1024 and a far higher hard limit; like Go programs
// (since Go 1.19) the exporter raises the soft limit to the hard one at start.

#include <cstddef>
#include <cstdint>
#include <string>

namespace cc {

struct FileLimit {
  std::uint64_t before = 0;  // soft limit found at start
  std::uint64_t soft = 0;    // soft limit now
  std::uint64_t hard = 0;
  std::string error;  // why raising failed (the soft limit is then unchanged), or ""
};

// Raises the soft limit to the hard one. Not thread-safe: call once at
// start-up, before other threads exist. Never throws.
FileLimit RaiseFileLimit();

// Connections the listener keeps open under a soft limit of `soft`
// descriptors: a quarter of them, at least 64, stay free for vendor
// connections, files and the listeners; at least 1, at most 65536.
std::size_t DefaultMaxConnections(std::uint64_t soft);

}  // namespace cc

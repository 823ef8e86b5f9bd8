#pragma once
// The standard process_* metrics of Prometheus client libraries (client_golang's process
// collector: same names, units and meaning), read from /proc/self on each scrape, so a
// restart, a leak or an fd exhaustion shows without node-level tools.
//
// Linux only (proc(5)). Thread-safe: no shared state.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cc {

struct ProcessStats {
  double cpu_seconds = 0;          // user + system CPU time, seconds
  double resident_bytes = 0;       // resident set size, bytes
  double virtual_bytes = 0;        // virtual memory size, bytes
  double start_time_seconds = 0;   // Unix time the process started, seconds
  std::optional<double> open_fds;  // CountOpenFds(); unset when unreadable
  std::optional<double> max_fds;   // soft RLIMIT_NOFILE; unset when unlimited or unreadable
};

// Fields of /proc/<pid>/stat (proc(5): utime 14, stime 15, starttime 22, vsize 23,
// rss 24, counted after the parenthesised command name, which may hold spaces and
// parentheses). `ticks_per_second` is sysconf(_SC_CLK_TCK); `boot_time_seconds` is the
// `btime` line of /proc/stat. Error (parse) on text that does not have those fields.
Result<ProcessStats> ParseProcStat(std::string_view stat, double ticks_per_second, double page_bytes,
                                   double boot_time_seconds);
// The `btime` value of /proc/stat text, in Unix seconds; nullopt without one.
std::optional<double> ParseBootTime(std::string_view proc_stat);

// The file descriptors this process has open (the entries of /proc/self/fd, proc(5));
// nullopt when that cannot be read.
std::optional<double> CountOpenFds();

// This process's figures, or an Error naming the file that could not be read.
Result<ProcessStats> ReadProcessStats();

// Appends process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_start_time_seconds, and process_open_fds and
// process_max_fds when known, each with HELP and TYPE.
void AppendProcessMetrics(std::string& out, const ProcessStats& stats);

}  // namespace cc

#include "core/process_metrics.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/text_format.h"
#include "model/snapshot.h"

namespace cc {
namespace {

constexpr MetricDef kCpu{"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                         MetricType::counter};
constexpr MetricDef kResident{"process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::gauge};
constexpr MetricDef kVirtual{"process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::gauge};
constexpr MetricDef kStart{"process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                           MetricType::gauge};
constexpr MetricDef kOpenFds{"process_open_fds", "Number of open file descriptors.", MetricType::gauge};
constexpr MetricDef kMaxFds{"process_max_fds", "Maximum number of open file descriptors.", MetricType::gauge};

std::optional<double> Number(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string_view> Fields(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\n') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::optional<std::string> Slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void Append(std::string& out, const MetricDef& def, double value) {
  text_format::AppendHeader(out, def);
  text_format::AppendSample(out, def.name, {}, {}, value);
}

}  // namespace

Result<ProcessStats> ParseProcStat(std::string_view stat, double ticks_per_second, double page_bytes,
                                   double boot_time_seconds) {
  const std::size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return MakeError(Reason::parse, "/proc/self/stat: no command name");
  // After ") ": field 3 (state) is index 0, so field N is index N - 3.
  const std::vector<std::string_view> f = Fields(stat.substr(close + 1));
  auto field = [&](std::size_t n) { return f.size() > n - 3 ? Number(f[n - 3]) : std::nullopt; };
  const auto utime = field(14), stime = field(15), start = field(22), vsize = field(23), rss = field(24);
  if (!utime || !stime || !start || !vsize || !rss || ticks_per_second <= 0) {
    return MakeError(Reason::parse, "/proc/self/stat: fields 14, 15, 22, 23 and 24 are not all numbers");
  }
  ProcessStats s;
  s.cpu_seconds = (*utime + *stime) / ticks_per_second;
  s.start_time_seconds = boot_time_seconds + *start / ticks_per_second;
  s.virtual_bytes = *vsize;
  s.resident_bytes = *rss * page_bytes;
  return s;
}

std::optional<double> ParseBootTime(std::string_view proc_stat) {
  std::size_t at = 0;
  while (at < proc_stat.size()) {
    std::size_t end = proc_stat.find('\n', at);
    if (end == std::string_view::npos) end = proc_stat.size();
    const std::string_view line = proc_stat.substr(at, end - at);
    if (line.starts_with("btime ")) return Number(line.substr(6));
    at = end + 1;
  }
  return std::nullopt;
}

std::optional<double> CountOpenFds() {
  // Linux 6.2 and later give the number of open files as the size of /proc/self/fd
  // ("proc: report open files as size in stat() for /proc/pid/fd"), without listing
  // them: with 1,000 targets, one connection each, the listing was a tenth of a scrape.
  struct stat dir {};
  if (stat("/proc/self/fd", &dir) == 0 && dir.st_size > 0) return static_cast<double>(dir.st_size);
  // Earlier kernels give 0: count the entries, less the one the listing opens itself.
  std::error_code ec;
  double entries = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++entries;
  if (ec || entries < 1) return std::nullopt;
  return entries - 1;
}

Result<ProcessStats> ReadProcessStats() {
  const auto stat = Slurp("/proc/self/stat");
  const auto system = Slurp("/proc/stat");
  if (!stat || !system) return MakeError(Reason::parse, "cannot read /proc/self/stat or /proc/stat");
  const auto boot = ParseBootTime(*system);
  if (!boot) return MakeError(Reason::parse, "/proc/stat has no btime line");
  auto stats = ParseProcStat(*stat, static_cast<double>(sysconf(_SC_CLK_TCK)),
                             static_cast<double>(sysconf(_SC_PAGESIZE)), *boot);
  if (!stats.ok()) return stats;
  stats->open_fds = CountOpenFds();
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    stats->max_fds = static_cast<double>(limit.rlim_cur);
  }
  return stats;
}

void AppendProcessMetrics(std::string& out, const ProcessStats& stats) {
  Append(out, kCpu, stats.cpu_seconds);
  if (stats.open_fds) Append(out, kOpenFds, *stats.open_fds);
  if (stats.max_fds) Append(out, kMaxFds, *stats.max_fds);
  Append(out, kResident, stats.resident_bytes);
  Append(out, kStart, stats.start_time_seconds);
  Append(out, kVirtual, stats.virtual_bytes);
}

}  // namespace cc

#pragma once
// What this binary was built from and with, as the Prometheus exporters report it
// (`--version`, the `…_build_info` series, the start-up log line). Fixed at build time;
// thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cc {

struct BuildInfo {
  std::string version;     // the project version, e.g. "0.4.0"
  std::string revision;    // git commit, 12 hex digits, or "unknown"
  std::string branch;      // git branch, or "unknown"
  std::string build_date;  // UTC, RFC 3339; SOURCE_DATE_EPOCH when the build sets it
  std::string compiler;    // e.g. "gcc 12.2.0"
  std::string platform;    // GOOS/GOARCH style, e.g. "linux/amd64"

  // Name/value pairs in this order: the labels of build_info and the log line's fields.
  std::vector<std::pair<std::string, std::string>> Fields() const;
};

const BuildInfo& ThisBuild();

// The `--version` text, as Prometheus exporters print it:
//   callcenter_exporter, version 0.4.0 (branch: main, revision: 0123456789ab)
//     build date:       2026-11-30T22:00:00Z
//     compiler:         gcc 12.2.0
//     platform:         linux/amd64
std::string VersionText(const BuildInfo& build);

}  // namespace cc

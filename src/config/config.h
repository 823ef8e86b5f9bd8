#pragma once
// The daemon configuration (docs/design.md "Configuration") as plain data:
// global defaults, targets with per-target overrides, and each target's
// vendor options, read by its vendor from the vendor's own keys. Loading
// throws ConfigError; nothing else in the daemon throws. Knows nothing of
// collectors, HTTP or the daemon core.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/url.h"

namespace cc {

class ConfigNode;

// "file:line: key: message", naming the offending key by its full path.
// One or more errors of a configuration file, each "FILE:LINE: KEY.PATH: what is wrong"
// (what() holds them one per line, in the order the file was read).
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& error) : std::runtime_error(error), errors_{error} {}
  explicit ConfigError(std::vector<std::string> errors);

  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

// A secret value. Deliberately has no stream operator and no implicit string
// conversion, so it cannot end up in a log line or an error by accident.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string v) : value_(std::move(v)) {}
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

struct TlsConfig {
  std::string ca_file;  // empty: the system CAs
  bool insecure_skip_verify = false;
};

// The descriptive labels of callcenter_agent_info (docs/metrics.md), from which a
// target's `agent_labels` chooses; the id label `agent` is always exported. name and
// phone identify a person (personal data, GDPR Art. 4(1)), so they are off by default
// (Art. 25(2), data protection by default); group and media describe the seat.
inline constexpr std::string_view kAgentLabelNames[] = {"name", "phone", "group", "media"};

// Keys that live in `global:` and can be overridden on any target.
struct PollSettings {
  std::chrono::milliseconds poll_interval{15000};
  std::chrono::milliseconds poll_timeout{10000};
  std::chrono::milliseconds stale_after{0};  // 0 until resolved: 3 × poll_interval
  std::uint64_t max_response_bytes = 16ull << 20;
  bool agent_metrics = true;
  // Which of kAgentLabelNames callcenter_agent_info carries; the others are left out.
  std::vector<std::string> agent_labels{"group", "media"};
  // As Prometheus' scrape settings of the same names; 0 means no limit. A series whose
  // label value (bytes, before escaping) is longer is dropped alone; a poll that would
  // make the target serve more series fails with reason sample_limit.
  std::uint64_t label_value_length_limit = 1024;
  std::uint64_t sample_limit = 500000;
};

// What a vendor reads from its own keys of a target (queues, auth, …): each
// vendor derives its own type. Immutable once loaded.
struct VendorOptions {
  virtual ~VendorOptions() = default;
};

struct TargetConfig {
  std::string name;
  std::string vendor;
  Url url;
  PollSettings poll;
  TlsConfig tls;
  // The vendor's own keys, as its VendorKeys::read made them.
  std::shared_ptr<const VendorOptions> options;
  // Everything the target's behaviour depends on (ConfigNode::Fingerprint of
  // the global section and of the target): a reload keeps a target whose
  // fingerprint did not change running as it is. Holds secrets: never shown.
  std::string fingerprint;
};

struct Config {
  std::string file;
  PollSettings global;
  std::vector<TargetConfig> targets;
};

// The configuration side of a vendor: its name and the reader of its keys.
struct VendorKeys {
  // `target` has everything but `options` filled; `node` is the target's
  // mapping: the reader asks for its own keys (any key nobody asked for is
  // then reported as unknown) and throws ConfigError via node.Fail.
  using Read = std::function<std::shared_ptr<const VendorOptions>(const TargetConfig& target, ConfigNode& node)>;
  std::string_view name;
  Read read;
};

// Throws ConfigError. `vendors` are the known vendors (collectors/registry.h).
Config LoadConfigFile(const std::string& path, std::span<const VendorKeys> vendors);
Config ParseConfig(const std::string& yaml_text, const std::string& file_name, std::span<const VendorKeys> vendors);

}  // namespace cc

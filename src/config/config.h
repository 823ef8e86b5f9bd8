#pragma once
// The daemon configuration (docs/design.md "Configuration"): global defaults,
// targets with per-target overrides, and each target's collectors, built by
// its vendor from the vendor's own keys. Loading throws ConfigError; nothing
// else in the daemon throws.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/url.h"

namespace cc {

class Collector;

// "file:line: key: message", naming the offending key by its full path.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
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

// Keys that live in `global:` and can be overridden on any target.
struct PollSettings {
  std::chrono::milliseconds poll_interval{15000};
  std::chrono::milliseconds poll_timeout{10000};
  std::chrono::milliseconds stale_after{0};  // 0 until resolved: 3 × poll_interval
  std::uint64_t max_response_bytes = 16ull << 20;
  bool agent_metrics = true;
};

struct TargetConfig {
  std::string name;
  std::string vendor;
  Url url;
  PollSettings poll;
  TlsConfig tls;
  // Built by the vendor at load time; they hold no connection until polled.
  std::vector<std::shared_ptr<Collector>> collectors;
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

struct VendorDef;

// Throws ConfigError. `vendors` are the known vendors (collectors/registry.h).
Config LoadConfigFile(const std::string& path, std::span<const VendorDef> vendors);
Config ParseConfig(const std::string& yaml_text, const std::string& file_name, std::span<const VendorDef> vendors);

}  // namespace cc

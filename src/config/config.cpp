#include "config/config.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <yaml-cpp/yaml.h>

#include "config/config_node.h"

namespace cc {
namespace {

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

// The errors of one file: every unit that fails (the global section, the top level, each
// target) adds its error, and the keys it holds that look misspelt; the file is then
// reported whole rather than one error per `--config.check` run.
class ErrorList {
 public:
  // Runs `read`; a ConfigError it throws is kept with `node`'s misspelt keys.
  template <class F>
  bool Collect(const ConfigNode& node, F&& read) {
    try {
      read();
      return true;
    } catch (const ConfigError& e) {
      for (const std::string& error : e.errors()) Add(error);
      for (const std::string& error : node.MisspeltKeys()) Add(error);
      return false;
    }
  }
  void ThrowIfAny() const {
    if (!errors_.empty()) throw ConfigError(errors_);
  }

 private:
  void Add(const std::string& error) {
    if (std::find(errors_.begin(), errors_.end(), error) == errors_.end()) errors_.push_back(error);
  }
  std::vector<std::string> errors_;
};

using std::chrono::milliseconds;

constexpr milliseconds kMinPollInterval{1000};
constexpr std::uint64_t kMinResponseBytes = 1024;

// The poll settings of one level (global or a target) and which of them that
// level gave explicitly, which decides the inherited defaults and whom an
// error blames.
struct PollLevel {
  PollSettings settings;
  std::set<std::string> given;

  bool Given(const std::string& key) const { return given.count(key) > 0; }
};

// A count where 0 means "no limit", as in Prometheus' scrape limits.
std::uint64_t Limit(ConfigNode& node, const std::string& key, std::uint64_t fallback) {
  const std::int64_t v = node.Int(key, static_cast<std::int64_t>(fallback));
  if (v < 0) node.Fail(key, "must be 0 (no limit) or more, got " + std::to_string(v));
  return static_cast<std::uint64_t>(v);
}

// A subset of kAgentLabelNames; absent (or null): `fallback`, the level above.
std::vector<std::string> AgentLabels(ConfigNode& node, const std::vector<std::string>& fallback) {
  const bool given = node.Has("agent_labels");
  std::vector<std::string> labels = node.StringList("agent_labels");
  if (!given) return fallback;
  std::string known;
  for (std::string_view name : kAgentLabelNames) known += (known.empty() ? "" : ", ") + std::string(name);
  std::set<std::string> seen;
  for (const std::string& label : labels) {
    if (label == "agent") node.Fail("agent_labels", "\"agent\" is the agent's id, always exported; list only " + known);
    if (std::find(std::begin(kAgentLabelNames), std::end(kAgentLabelNames), label) == std::end(kAgentLabelNames)) {
      node.Fail("agent_labels", "unknown label \"" + label + "\" (known: " + known + ")");
    }
    if (!seen.insert(label).second) node.Fail("agent_labels", "label \"" + label + "\" is listed twice");
  }
  return labels;
}

// `parent` is null for the global level.
PollLevel ReadPoll(ConfigNode& node, const PollLevel* parent) {
  static const char* const kKeys[] = {"poll_interval",      "poll_timeout",  "stale_after",
                                      "max_response_bytes", "agent_metrics", "label_value_length_limit",
                                      "sample_limit",       "agent_labels"};
  PollLevel level;
  const PollSettings base = parent ? parent->settings : PollSettings{};
  for (const char* key : kKeys) {
    if (node.Has(key)) level.given.insert(key);
  }
  PollSettings& s = level.settings;
  s.poll_interval = node.Duration("poll_interval", base.poll_interval);
  s.poll_timeout = node.Duration("poll_timeout", base.poll_timeout);
  s.stale_after = node.Duration("stale_after", base.stale_after);
  s.max_response_bytes = node.Size("max_response_bytes", base.max_response_bytes);
  s.agent_metrics = node.Bool("agent_metrics", base.agent_metrics);
  s.agent_labels = AgentLabels(node, base.agent_labels);
  s.label_value_length_limit = Limit(node, "label_value_length_limit", base.label_value_length_limit);
  s.sample_limit = Limit(node, "sample_limit", base.sample_limit);

  // As Prometheus does with scrape_timeout: an inherited timeout shrinks to a
  // shorter interval instead of failing; only an explicit one is checked.
  if (!level.Given("poll_timeout")) s.poll_timeout = std::min(s.poll_timeout, s.poll_interval);
  // stale_after follows the interval of its own level unless someone set it.
  bool stale_given = level.Given("stale_after") || (parent && parent->Given("stale_after"));
  if (!stale_given) s.stale_after = 3 * s.poll_interval;
  return level;
}

void ValidatePoll(const ConfigNode& node, const PollLevel& level) {
  const PollSettings& s = level.settings;
  // Blames the key this level set, so the line points at what to change.
  auto blame = [&](const char* a, const char* b) { return level.Given(a) || !level.Given(b) ? a : b; };
  if (s.poll_interval < kMinPollInterval) {
    node.Fail("poll_interval", "must be at least 1s, got " + FormatDuration(s.poll_interval));
  }
  if (s.poll_timeout <= milliseconds::zero()) node.Fail("poll_timeout", "must be greater than 0");
  if (s.poll_timeout > s.poll_interval) {
    node.Fail(blame("poll_timeout", "poll_interval"), "poll_timeout (" + FormatDuration(s.poll_timeout) +
                                                          ") must not exceed poll_interval (" +
                                                          FormatDuration(s.poll_interval) + ")");
  }
  if (s.stale_after < s.poll_interval) {
    node.Fail(blame("stale_after", "poll_interval"), "stale_after (" + FormatDuration(s.stale_after) +
                                                         ") must be at least poll_interval (" +
                                                         FormatDuration(s.poll_interval) + ")");
  }
  if (s.max_response_bytes < kMinResponseBytes) {
    node.Fail("max_response_bytes", "must be at least 1KiB, got " + std::to_string(s.max_response_bytes));
  }
}

bool ValidTargetName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
}

TlsConfig ReadTls(ConfigNode& target) {
  ConfigNode node = target.Child("tls");
  TlsConfig tls;
  tls.ca_file = node.FilePath("ca_file", "");
  tls.insecure_skip_verify = node.Bool("insecure_skip_verify", false);
  node.RejectUnknownKeys();
  if (!tls.ca_file.empty()) {
    // Checked now so a typo fails at load time, not at the first poll.
    std::string error;
    if (!node.ReadReferencedFile(tls.ca_file, &error)) {
      node.Fail("ca_file", "cannot read CA file \"" + tls.ca_file + "\": " + error);
    }
  }
  return tls;
}

TargetConfig ReadTarget(ConfigNode& node, const PollLevel& global, std::span<const VendorKeys> vendors,
                        std::map<std::string, std::string>& seen_names) {
  TargetConfig target;
  target.name = node.String("name");
  if (!ValidTargetName(target.name)) {
    node.Fail("name", "\"" + target.name + "\" must use only A-Z a-z 0-9 _ . -");
  }
  auto [it, inserted] = seen_names.emplace(target.name, node.path());
  if (!inserted) node.Fail("name", "duplicate target name \"" + target.name + "\" (also " + it->second + ")");

  target.vendor = node.String("vendor");
  auto vendor =
      std::find_if(vendors.begin(), vendors.end(), [&](const VendorKeys& v) { return v.name == target.vendor; });
  if (vendor == vendors.end()) {
    std::string known;
    for (const VendorKeys& v : vendors) known += (known.empty() ? "" : ", ") + std::string(v.name);
    node.Fail("vendor", "unknown vendor \"" + target.vendor + "\" (known: " + (known.empty() ? "none" : known) + ")");
  }

  std::string url_error;
  std::optional<Url> url = ParseUrl(node.String("url"), &url_error);
  if (!url) node.Fail("url", url_error);
  target.url = std::move(*url);

  target.tls = ReadTls(node);
  PollLevel poll = ReadPoll(node, &global);
  ValidatePoll(node, poll);
  target.poll = poll.settings;

  if (vendor->read) {
    try {
      target.options = vendor->read(target, node);
    } catch (const ConfigError&) {
      throw;
    } catch (const std::exception& e) {
      node.Fail("vendor", "vendor " + target.vendor + " rejected the target: " + e.what());
    }
  }
  // After the vendor, which asks for its own keys: whatever is left is a typo.
  node.RejectUnknownKeys();
  return target;
}

}  // namespace

Config ParseConfig(const std::string& yaml_text, const std::string& file_name, std::span<const VendorKeys> vendors) {
  YAML::Node doc = ParseYaml(yaml_text, file_name);
  Config config;
  config.file = file_name;
  if (!doc.IsDefined() || doc.IsNull()) {
    config.global.stale_after = 3 * config.global.poll_interval;
    return config;
  }
  ConfigNode root(doc, file_name, "");
  if (!doc.IsMap()) root.Fail("", "the top level must be a mapping with global and targets");

  ErrorList errors;
  try {
    std::optional<ConfigNode> global_node;
    // `global:` that is no mapping leaves nothing to read the targets against.
    if (!errors.Collect(root, [&] { global_node.emplace(root.Child("global")); })) errors.ThrowIfAny();
    PollLevel global;
    const bool global_ok = errors.Collect(*global_node, [&] {
      global = ReadPoll(*global_node, nullptr);
      ValidatePoll(*global_node, global);
      global_node->RejectUnknownKeys();
    });
    // The targets are then read against the defaults, so the global error is not repeated for each.
    if (!global_ok) global = PollLevel{};
    config.global = global.settings;

    std::vector<ConfigNode> target_nodes;
    errors.Collect(root, [&] {
      target_nodes = root.ChildList("targets");
      root.RejectUnknownKeys();
    });

    std::map<std::string, std::string> seen_names;
    const std::string global_fingerprint = global_node->Fingerprint();
    for (ConfigNode& node : target_nodes) {
      errors.Collect(node, [&] {
        config.targets.push_back(ReadTarget(node, global, vendors, seen_names));
        config.targets.back().fingerprint = global_fingerprint + "\n---\n" + node.Fingerprint();
      });
    }
  } catch (const YAML::Exception& e) {
    // Not expected (every access is type-checked first); keep it a ConfigError.
    throw ConfigError(file_name + ": " + e.msg);
  }
  errors.ThrowIfAny();
  return config;
}

ConfigError::ConfigError(std::vector<std::string> errors)
    : std::runtime_error(JoinLines(errors)), errors_(std::move(errors)) {}

Config LoadConfigFile(const std::string& path, std::span<const VendorKeys> vendors) {
  std::string error;
  std::optional<std::string> text = ReadFile(path, &error);
  if (!text) throw ConfigError(path + ": cannot read config file: " + error);
  return ParseConfig(*text, path, vendors);
}

}  // namespace cc

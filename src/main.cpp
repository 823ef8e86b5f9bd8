// callcenter_exporter: flags, logging set-up, then App does the rest.

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/registry.h"
#include "common/fd_limit.h"
#include "common/log.h"
#include "common/memory_trim.h"
#include "config/config.h"
#include "core/app.h"
#include "core/build_info.h"
#include "core/shard.h"
#include "http/web_config.h"

namespace {

constexpr const char* kUsage = R"(usage: callcenter_exporter [flags]

Prometheus exporter for contact-center platforms (MixCall, Huawei CEC, yunhu, uContact).

  --config.file=PATH          configuration file (default: config.yaml)
  --config.check              validate the configuration and exit (0 valid, 1 invalid)
  --web.listen-address=ADDR   address to listen on, repeatable (default: :9714)
  --web.telemetry-path=PATH   path of the metrics endpoint (default: /metrics)
  --web.config.file=PATH      TLS and basic auth for the listeners (exporter-toolkit format)
  --web.enable-lifecycle      allow POST /-/reload (SIGHUP reloads either way)
  --web.max-connections=N     connections open at once; a new one past it closes the
                              longest idle one (default: 3/4 of the open file limit)
  --web.max-requests=N        scrapes (/metrics, /probe) answered at once; more get 503
                              (default: 40; 0: no limit)
  --shard=I/N                 poll and serve only the targets in shard I of N (0 <= I < N):
                              those whose name Prometheus' hashmod with modulus N puts at I;
                              without it, every target
  --log.level=LEVEL           debug, info, warn, error (default: info)
  --log.format=FORMAT         logfmt or json (default: logfmt)
  --version                   print the version and exit
  --help                      print this help and exit
)";

struct Flags {
  cc::AppOptions app;
  std::vector<std::string> listen;
  bool check = false;
  bool version = false;
  bool help = false;
  std::string log_level = "info";
  std::string log_format = "logfmt";
};

constexpr std::string_view kValueFlags[] = {"--config.file",     "--web.listen-address",  "--web.telemetry-path",
                                            "--web.config.file", "--web.max-connections", "--web.max-requests",
                                            "--shard",           "--log.level",           "--log.format"};

// A decimal count (positive unless `zero_allowed`), or nullopt.
std::optional<std::size_t> ParseCount(const std::string& v, bool zero_allowed = false) {
  if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const auto n = static_cast<std::size_t>(std::stoul(v));
  if (n == 0 && !zero_allowed) return std::nullopt;
  return n;
}

// Stores the value of a flag that takes one. Returns an error message or nullopt.
std::optional<std::string> SetValueFlag(const std::string& name, const std::string& v, Flags& f) {
  if (name == "--config.file") {
    f.app.config_file = v;
  } else if (name == "--web.listen-address") {
    f.listen.push_back(v);
  } else if (name == "--web.telemetry-path") {
    f.app.telemetry_path = v;
  } else if (name == "--web.config.file") {
    f.app.web_config_file = v;
  } else if (name == "--web.max-connections") {
    auto n = ParseCount(v);
    if (!n) return "--web.max-connections must be a positive whole number";
    f.app.max_connections = *n;
  } else if (name == "--web.max-requests") {
    auto n = ParseCount(v, true);
    if (!n) return "--web.max-requests must be a whole number (0: no limit)";
    f.app.max_requests = *n;
  } else if (name == "--shard") {
    auto shard = cc::ParseShard(v);
    if (!shard) return "--shard: " + shard.error().message;
    f.app.shard = *shard;
  } else if (name == "--log.level") {
    f.log_level = v;
  } else if (name == "--log.format") {
    f.log_format = v;
  } else {
    return "unknown flag " + name;
  }
  return std::nullopt;
}

// Accepts --name=value and --name value. Returns an error message or nullopt.
std::optional<std::string> ParseFlags(int argc, char** argv, Flags& f) {
  f.app.config_file = "config.yaml";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string name = arg, value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    auto take = [&]() -> std::optional<std::string> {
      if (has_value) return value;
      if (i + 1 < argc) return std::string(argv[++i]);
      return std::nullopt;
    };
    if (name == "--config.check" || name == "--version" || name == "--help" || name == "-h" ||
        name == "--web.enable-lifecycle") {
      if (has_value) return "flag " + name + " takes no value";
      if (name == "--config.check")
        f.check = true;
      else if (name == "--web.enable-lifecycle")
        f.app.enable_lifecycle = true;
      else if (name == "--version")
        f.version = true;
      else
        f.help = true;
      continue;
    }
    if (std::find(std::begin(kValueFlags), std::end(kValueFlags), name) == std::end(kValueFlags)) {
      return "unknown flag " + name;
    }
    auto v = take();
    if (!v) return "flag " + name + " needs a value";
    if (auto err = SetValueFlag(name, *v, f)) return err;
  }
  if (!f.listen.empty()) f.app.listen_addresses = f.listen;
  if (f.app.telemetry_path.empty() || f.app.telemetry_path.front() != '/' || f.app.telemetry_path == "/" ||
      f.app.telemetry_path == "/probe" || f.app.telemetry_path.starts_with("/-/")) {
    return "--web.telemetry-path must start with '/' and not clash with /, /probe or /-/*";
  }
  return std::nullopt;
}

// Raises the open-file limit and sizes the connection limit under it.
void UseFileLimit(cc::AppOptions& app) {
  const cc::FileLimit files = cc::RaiseFileLimit();
  if (app.max_connections == 0) app.max_connections = cc::DefaultMaxConnections(files.soft);
  const auto text = [](std::uint64_t n) { return n == RLIM_INFINITY ? std::string("unlimited") : std::to_string(n); };
  if (!files.error.empty()) {
    cc::log::Warn("cannot raise the open file limit",
                  {{"soft", text(files.soft)}, {"hard", text(files.hard)}, {"err", files.error}});
  }
  cc::log::Info("open file limit", {{"soft", text(files.soft)},
                                    {"hard", text(files.hard)},
                                    {"raised_from", text(files.before)},
                                    {"max_connections", app.max_connections}});
}

// --config.check: 0 if the configuration (and web configuration) is valid, else 1.
int CheckConfig(const cc::AppOptions& app) {
  try {
    auto config = cc::LoadConfigFile(app.config_file, cc::AllVendorKeys());
    std::cout << app.config_file << ": valid, " << config.targets.size() << " target(s)";
    if (app.shard.sharded()) {
      std::cout << ", " << cc::TargetsOfShard(config, app.shard).targets.size() << " in shard " << app.shard.ToString();
    }
    std::cout << "\n";
    if (!app.web_config_file.empty()) {
      cc::http::LoadWebConfig(app.web_config_file);
      std::cout << app.web_config_file << ": valid\n";
    }
    return 0;
  } catch (const cc::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (auto err = ParseFlags(argc, argv, flags)) {
    std::cerr << "callcenter_exporter: " << *err << "\n\n" << kUsage;
    return 2;
  }
  if (flags.help) {
    std::cout << kUsage;
    return 0;
  }
  if (flags.version) {
    std::cout << cc::VersionText(cc::ThisBuild());
    return 0;
  }
  try {
    cc::log::Configure(cc::log::ParseLevel(flags.log_level), cc::log::ParseFormat(flags.log_format));
  } catch (const std::invalid_argument& e) {
    std::cerr << "callcenter_exporter: " << e.what() << "\n";
    return 2;
  }

  if (flags.check) return CheckConfig(flags.app);

  cc::log::Debug("malloc arenas", {{"max", cc::LimitMallocArenas()}});  // before any thread is made
  UseFileLimit(flags.app);
  const cc::BuildInfo& build = cc::ThisBuild();
  cc::log::Info("starting callcenter_exporter", {{"version", build.version},
                                                 {"revision", build.revision},
                                                 {"branch", build.branch},
                                                 {"build_date", build.build_date},
                                                 {"compiler", build.compiler},
                                                 {"platform", build.platform}});
  try {
    cc::App app(flags.app, cc::AllVendors());
    app.Start();
    app.Run(/*handle_signals=*/true);
  } catch (const cc::ConfigError& e) {
    for (const std::string& error : e.errors()) cc::log::Error("invalid configuration", {{"err", error}});
    return 1;
  } catch (const std::exception& e) {
    cc::log::Error("startup failed", {{"err", e.what()}});
    return 1;
  }
  cc::log::Info("stopped");
  return 0;
}

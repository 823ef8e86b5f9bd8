#pragma once
// The exporter as a whole: config, scheduler, stores and the HTTP surface
// (docs/design.md "Command line and HTTP surface"). main() only parses flags.

#include <atomic>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "collectors/kit/vendor.h"
#include "config/config.h"
#include "core/exposition_store.h"
#include "core/health.h"
#include "core/http_metrics.h"
#include "core/scheduler.h"
#include "core/shard.h"
#include "http/server.h"

namespace cc {
namespace http {
class BasicAuth;
}

struct AppOptions {
  std::string config_file;
  std::vector<std::string> listen_addresses{":9714"};
  std::string telemetry_path = "/metrics";
  std::string web_config_file;      // --web.config.file; empty: plain HTTP, no auth
  bool enable_lifecycle = false;    // --web.enable-lifecycle: POST /-/reload (SIGHUP always works)
  std::size_t max_connections = 0;  // --web.max-connections; 0: no limit (main derives one from the fd limit)
  int threads = 2;
  std::size_t max_requests = 40;  // --web.max-requests: scrapes answered at once, 0 = no limit
  Shard shard;                    // --shard: the targets this process polls and serves
};

class App {
 public:
  // Throws ConfigError if the initial config is invalid (startup).
  App(AppOptions options, std::span<const VendorDef> vendors);
  ~App();

  // Binds the listeners (throws std::runtime_error) and starts polling.
  void Start();
  // Runs the io_context on `threads` threads until Shutdown() (or SIGTERM/SIGINT
  // when `handle_signals`); SIGHUP reloads.
  void Run(bool handle_signals);
  void Shutdown();

  // Loads the config file again; on error keeps the running config and
  // returns false with the message in `error`.
  bool Reload(std::string* error);

  // Routes the request, counts it in the HTTP metrics once it has been sent,
  // and answers scrapes past max_requests with 503.
  boost::asio::awaitable<http::Response> Handle(http::Request request);
  std::vector<std::string> LocalAddresses() const { return server_.LocalAddresses(); }

 private:
  boost::asio::awaitable<http::Response> Route(http::Request request);
  http::Response Metrics(const http::Request& req, std::string_view only_target);
  void AppendSelfMetrics(std::string& out, std::string_view only_target) const;
  http::Response LandingPage() const;
  http::Response NotInThisShard(const std::string& target);
  // Polls the targets of `config` that this shard serves; logs what it kept.
  void Serve(std::shared_ptr<const Config> config, const char* message);
  void WaitForSignals();

  AppOptions options_;
  std::vector<VendorKeys> vendor_keys_;
  boost::asio::io_context ioc_;
  ExpositionStore store_;
  Health health_;
  Scheduler scheduler_;
  std::shared_ptr<http::BasicAuth> auth_;  // null without basic_auth_users
  HttpMetrics http_metrics_;
  http::Server server_;
  boost::asio::signal_set signals_;
  std::mutex reload_mu_;
  std::shared_ptr<const Config> config_;  // guarded by reload_mu_; every target, of all shards
  std::atomic<std::size_t> targets_served_{0}, targets_skipped_{0};  // by this shard, of config_
  std::atomic<bool> shutting_down_{false};
};

}  // namespace cc

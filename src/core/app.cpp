#include "core/app.h"

#include <algorithm>
#include <array>
#include <csignal>
#include <thread>
#include <tuple>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/log.h"
#include "core/landing_page.h"
#include "core/process_metrics.h"
#include "http/basic_auth.h"
#include "http/gzip.h"
#include "http/web_config.h"

namespace cc {

namespace asio = boost::asio;

namespace {

constexpr const char* kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";
// For the text a gzip scrape deflates itself: a few KiB, the families' headers and the
// exporter's own series.
constexpr int kScrapeDeflateLevel = 1;

// The collectors of a target, from its vendor (the config loader accepted only
// known vendors).
Scheduler::BuildCollectors CollectorBuilder(std::span<const VendorDef> vendors) {
  return [vendors](const TargetConfig& target) {
    for (const VendorDef& v : vendors) {
      if (v.name == target.vendor) return v.build(target);
    }
    return std::vector<std::shared_ptr<Collector>>{};
  };
}

http::Response Text(unsigned status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// RFC 9110 §15.5.6: a 405 names the methods the resource allows.
http::Response MethodNotAllowed(std::string_view allow) {
  http::Response r = Text(405, "Method Not Allowed; allowed: " + std::string(allow) + "\n");
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

// The listeners' TLS, basic auth and headers from --web.config.file (read
// once at start-up, like exporter-toolkit's flags; a change needs a restart).
// `auth` gets the basic auth verifier, if any, so that App stops its pool.
http::Server::Options ServerOptions(const std::string& web_config_file, std::size_t max_connections,
                                    std::shared_ptr<http::BasicAuth>* auth) {
  http::Server::Options options;
  options.max_connections = max_connections;
  if (web_config_file.empty()) return options;
  http::WebConfig web = http::LoadWebConfig(web_config_file);
  options.tls = web.tls;
  options.extra_headers = std::move(web.headers);
  if (!web.basic_auth_users.empty()) {
    *auth = std::make_shared<http::BasicAuth>(std::move(web.basic_auth_users));
    options.authorize = [a = *auth](std::string authorization) { return a->Check(std::move(authorization)); };
  }
  log::Info("web config loaded", {{"file", web_config_file},
                                  {"tls", options.tls ? "true" : "false"},
                                  {"basic_auth", options.authorize ? "true" : "false"}});
  return options;
}

}  // namespace

App::App(AppOptions options, std::span<const VendorDef> vendors)
    : options_(std::move(options)),
      vendor_keys_(KeysOf(vendors)),
      health_(ThisBuild()),
      scheduler_(ioc_, store_, health_, CollectorBuilder(vendors)),
      http_metrics_({options_.telemetry_path, "/probe", "/", "/-/healthy", "/-/ready", "/-/reload"},
                    options_.max_requests),
      server_(
          ioc_, [this](http::Request req) { return Handle(std::move(req)); },
          ServerOptions(options_.web_config_file, options_.max_connections, &auth_)),
      signals_(ioc_) {
  config_ = std::make_shared<const Config>(LoadConfigFile(options_.config_file, vendor_keys_));
  health_.ConfigReloaded(true, std::chrono::system_clock::now());
}

App::~App() {
  scheduler_.Stop();
  server_.Stop();
  // Verifications in flight resume their connections on ioc_, which must
  // still exist when they finish.
  if (auth_) auth_->Stop();
}

void App::Start() {
  for (const auto& address : options_.listen_addresses) server_.Listen(address);
  for (const auto& address : server_.LocalAddresses()) log::Info("listening", {{"address", address}});
  std::lock_guard lock(reload_mu_);
  Serve(config_, "started");
}

void App::Serve(std::shared_ptr<const Config> config, const char* message) {
  const Shard& shard = options_.shard;
  auto served = shard.sharded() ? std::make_shared<const Config>(TargetsOfShard(*config, shard)) : config;
  scheduler_.Start(served);
  targets_served_ = served->targets.size();
  targets_skipped_ = config->targets.size() - served->targets.size();
  config_ = std::move(config);
  if (!shard.sharded()) {
    log::Info(message, {{"config", options_.config_file}, {"targets", targets_served_.load()}});
    return;
  }
  log::Info(message, {{"config", options_.config_file},
                      {"shard", shard.ToString()},
                      {"targets", targets_served_.load()},
                      {"skipped_other_shards", targets_skipped_.load()}});
}

bool App::Reload(std::string* error) {
  std::lock_guard lock(reload_mu_);
  try {
    Serve(std::make_shared<const Config>(LoadConfigFile(options_.config_file, vendor_keys_)), "configuration reloaded");
    health_.ConfigReloaded(true, std::chrono::system_clock::now());
    return true;
  } catch (const ConfigError& e) {
    health_.ConfigReloaded(false, std::chrono::system_clock::now());
    log::Error("reload failed, keeping the running configuration", {{"err", e.what()}});
    if (error) *error = e.what();
    return false;
  }
}

void App::Shutdown() {
  if (shutting_down_.exchange(true)) return;
  log::Info("shutting down");
  asio::post(ioc_, [this] {
    signals_.cancel();
    server_.Stop();
    // The io_context stops once scrapes in flight had a moment (1 s) and the
    // collectors have ended their vendor sessions (bounded by
    // Scheduler::kCloseTimeout, and by `cap` should a Close misbehave). Polls
    // in flight are abandoned: their results would not be served anyway.
    auto waiting = std::make_shared<std::atomic<int>>(2);
    auto one_done = [this, waiting] {
      if (waiting->fetch_sub(1) == 1) ioc_.stop();
    };
    {
      std::lock_guard lock(reload_mu_);
      scheduler_.Stop(one_done);
    }
    auto timer = std::make_shared<asio::steady_timer>(ioc_, std::chrono::seconds(1));
    timer->async_wait([timer, one_done](auto) { one_done(); });
    auto cap = std::make_shared<asio::steady_timer>(ioc_, Scheduler::kCloseTimeout + std::chrono::milliseconds(500));
    cap->async_wait([this, cap](auto) { ioc_.stop(); });
  });
}

void App::WaitForSignals() {
  signals_.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      log::Info("SIGHUP received, reloading");
      Reload(nullptr);
      WaitForSignals();
      return;
    }
    signals_.cancel();
    Shutdown();
  });
}

void App::Run(bool handle_signals) {
  if (handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.add(SIGHUP);
    WaitForSignals();
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < options_.threads; ++i) threads.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : threads) t.join();
}

asio::awaitable<http::Response> App::Handle(http::Request req) {
  const auto start = HttpMetrics::Clock::now();
  const std::string handler(http_metrics_.HandlerOf(req.path));
  // As promhttp's MaxRequestsInFlight: the limit is on scrapes, whose answers
  // are large and may be read slowly; health checks always get through.
  const bool scrape = req.path == options_.telemetry_path || req.path == "/probe";
  std::shared_ptr<void> slot = scrape ? http_metrics_.TryStartScrape() : nullptr;
  http::Response res;
  if (scrape && !slot) {
    res = Text(503, "Too many concurrent scrapes: at most " + std::to_string(options_.max_requests) +
                        " at once (--web.max-requests); try again later.\n");
  } else {
    res = co_await Route(std::move(req));
  }
  res.on_sent = http_metrics_.Track(handler, res.status, start, std::move(slot));
  co_return res;
}

asio::awaitable<http::Response> App::Route(http::Request req) {
  const bool get = req.method == "GET" || req.method == "HEAD";
  constexpr std::string_view kGet = "GET, HEAD";
  if (req.path == options_.telemetry_path) {
    if (!get) co_return MethodNotAllowed(kGet);
    co_return Metrics(req, {});
  }
  if (req.path == "/probe") {
    if (!get) co_return MethodNotAllowed(kGet);
    std::string target = req.Param("target");
    if (target.empty()) co_return Text(400, "missing parameter \"target\"\n");
    if (!health_.HasTarget(target)) co_return NotInThisShard(target);
    co_return Metrics(req, target);
  }
  if (req.path == "/") {
    if (!get) co_return MethodNotAllowed(kGet);
    co_return LandingPage();
  }
  // As Prometheus: the health endpoints answer GET and HEAD only.
  if (req.path == "/-/healthy") {
    if (!get) co_return MethodNotAllowed(kGet);
    co_return Text(200, "Healthy.\n");
  }
  if (req.path == "/-/ready") {
    if (!get) co_return MethodNotAllowed(kGet);
    if (health_.Ready()) co_return Text(200, "Ready.\n");
    co_return Text(503, "Not ready: not every target has been polled yet.\n");
  }
  if (req.path == "/-/reload") {
    if (req.method != "POST" && req.method != "PUT") co_return MethodNotAllowed("POST, PUT");
    // As Prometheus: whoever reaches the port must not be able to reload
    // unless the operator asked for it; SIGHUP always works.
    if (!options_.enable_lifecycle) {
      co_return Text(403, "Lifecycle API is not enabled: start with --web.enable-lifecycle, or send SIGHUP.\n");
    }
    std::string error;
    if (Reload(&error)) co_return Text(200, "Configuration reloaded.\n");
    co_return Text(500, "Reload failed, running configuration kept: " + error + "\n");
  }
  co_return Text(404, "Not Found\n");
}

http::Response App::Metrics(const http::Request& req, std::string_view only_target) {
  http::Response r;
  r.content_type = kExpositionContentType;
  const auto now = ExpositionStore::Clock::now();
  // The exporter's series of no one target first and its HTTP side and process last, made
  // now; between them the targets' health series and the vendors' series, rendered when
  // they changed (the vendors' deflated then too).
  auto made_now = std::make_shared<std::array<std::string, 2>>();
  if (only_target.empty()) health_.WriteGlobal((*made_now)[0]);
  AppendSelfMetrics((*made_now)[1], only_target);
  if (AcceptsGzip(req.Header("accept-encoding"))) {
    GzipWriter gz(r.body, kScrapeDeflateLevel);
    gz.Deflate((*made_now)[0]);
    health_.WriteGzip(gz, only_target);
    store_.WriteGzip(gz, now, only_target);
    gz.Deflate((*made_now)[1]);
    gz.Finish();
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    r.body_pieces.emplace_back((*made_now)[0]);
    auto health = health_.WritePieces(r.body_pieces, only_target);
    auto stored = store_.WritePieces(r.body_pieces, now, only_target);
    r.body_pieces.emplace_back((*made_now)[1]);
    r.body_owner = std::make_shared<const std::tuple<decltype(made_now), decltype(health), decltype(stored)>>(
        made_now, health, stored);
  }
  r.headers.emplace_back("Vary", "Accept-Encoding");
  return r;
}

// 404 either way: this process has no series of `target`. A target of the
// configuration that another shard serves says which, so that a misrouted
// probe is found at once.
http::Response App::NotInThisShard(const std::string& target) {
  const std::string quoted = "\"" + HtmlEscape(target) + "\"";
  const Shard& shard = options_.shard;
  if (!shard.sharded()) return Text(404, "unknown target " + quoted + "\n");
  bool configured = false;
  {
    std::lock_guard lock(reload_mu_);
    configured = std::any_of(config_->targets.begin(), config_->targets.end(),
                             [&](const TargetConfig& t) { return t.name == target; });
  }
  if (!configured) return Text(404, "unknown target " + quoted + " (in no shard of the configuration)\n");
  const Shard owner{shard.Of(target), shard.count};
  return Text(404, "target " + quoted + " is served by shard " + owner.ToString() + ", not by this one, shard " +
                       shard.ToString() + " (--shard)\n");
}

void App::AppendSelfMetrics(std::string& out, std::string_view only_target) const {
  // The exporter's own HTTP side and process, last, for /metrics only: /probe is
  // about its target.
  if (!only_target.empty()) return;
  http_metrics_.Append(out);
  if (auto stats = ReadProcessStats(); stats.ok()) AppendProcessMetrics(out, *stats);
}

http::Response App::LandingPage() const {
  http::Response r;
  r.content_type = "text/html; charset=utf-8";
  std::string scope;
  if (options_.shard.sharded()) {
    scope = "Shard " + options_.shard.ToString() + ": serves " + std::to_string(targets_served_.load()) +
            " of the targets of the configuration; " + std::to_string(targets_skipped_.load()) +
            " belong to the other shards.";
  }
  r.body = RenderLandingPage(health_.Status(), options_.telemetry_path, ThisBuild().version, scope);
  return r;
}

}  // namespace cc

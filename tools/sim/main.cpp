// callcenter_sim: serves the vendor APIs the exporter polls, over a live
// model per vendor, with switchable faults and /_sim/* control routes (README.md).

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "http/server.h"
#include "tools/sim/faults.h"
#include "tools/sim/vendor_sim.h"

namespace {

namespace asio = boost::asio;
using namespace cc;
using namespace cc::sim;

constexpr std::string_view kUsage = R"(usage: callcenter_sim [flags]

Serves the vendor APIs the exporter polls (MixCall, Huawei CEC, yunhu,
uContact) over live, seeded call-centre models.

  --listen ADDR        host:port, :port or [::1]:port (default 127.0.0.1:9710; port 0 = any free)
  --tls-listen ADDR    also serve every route over HTTPS here (needs --tls-cert and --tls-key)
  --tls-cert FILE      PEM certificate chain for --tls-listen
  --tls-key FILE       PEM private key for --tls-listen
  --queues N           queues (skills, campaigns) per vendor (default 3)
  --agents N           agents per queue (default 5)
  --seed N             RNG seed; same seed, same history (default 1)
  --tick-ms N          model step and timer period in ms (default 250)
  --warmup-s N         simulated seconds run before serving, so counters have history (default 600)
  --fault MODE         start-up fault: none|http500|garbage|html|slow|truncated|hang|http429|http503
                       (default none)
  --fault-delay-ms N   delay for slow (default 5000) and truncated faults
  --set VENDOR.KEY=V   a vendor setting (credentials, session lifetimes; README.md), repeatable
  --threads N          io_context threads (default 1)
  --help               this text

Control routes: GET /_sim/state, POST /_sim/pause, /_sim/resume,
/_sim/fault?mode=M&delay_ms=N&retry_after=V, /_sim/VENDOR/ROUTE (README.md).
)";

constexpr std::array<std::string_view, 13> kFlagNames{
    "--listen",  "--tls-listen", "--tls-cert", "--tls-key",        "--queues", "--agents", "--seed",
    "--tick-ms", "--warmup-s",   "--fault",    "--fault-delay-ms", "--set",    "--threads"};

struct Flags {
  std::string listen = "127.0.0.1:9710";
  std::string tls_listen, tls_cert, tls_key;
  int queues = 3;
  int agents = 5;
  std::uint64_t seed = 1;
  int tick_ms = 250;
  int warmup_s = 600;
  FaultSetting fault;
  std::map<std::string, std::map<std::string, std::string>> settings;  // vendor → key → value
  int threads = 1;
};

[[noreturn]] void UsageError(const std::string& message) {
  std::fprintf(stderr, "callcenter_sim: %s\n\n%s", message.c_str(), std::string(kUsage).c_str());
  std::exit(2);
}

template <class T>
T ParseNumber(std::string_view flag, std::string_view value, T min, T max) {
  T out{};
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc{} || ptr != value.data() + value.size() || out < min || out > max) {
    UsageError("invalid value for " + std::string(flag) + ": \"" + std::string(value) + "\"");
  }
  return out;
}

void AddSetting(Flags& f, std::string_view value) {
  const auto dot = value.find('.');
  const auto eq = value.find('=');
  if (dot == 0 || dot == std::string_view::npos || eq == std::string_view::npos || eq < dot + 2) {
    UsageError("--set wants VENDOR.KEY=VALUE");
  }
  f.settings[std::string(value.substr(0, dot))][std::string(value.substr(dot + 1, eq - dot - 1))] =
      std::string(value.substr(eq + 1));
}

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(std::string(kUsage).c_str(), stdout);
      std::exit(0);
    }
    if (!arg.starts_with("--")) UsageError("unexpected argument \"" + std::string(arg) + "\"");
    std::string_view name = arg;
    std::string_view value;
    const auto eq = arg.find('=');
    if (eq != std::string_view::npos) name = arg.substr(0, eq);
    if (std::find(kFlagNames.begin(), kFlagNames.end(), name) == kFlagNames.end()) {
      UsageError("unknown flag " + std::string(name));
    }
    if (eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
    } else {
      if (i + 1 >= argc) UsageError(std::string(arg) + " needs a value");
      value = argv[++i];
    }
    if (name == "--listen") {
      f.listen = std::string(value);
    } else if (name == "--tls-listen") {
      f.tls_listen = std::string(value);
    } else if (name == "--tls-cert") {
      f.tls_cert = std::string(value);
    } else if (name == "--tls-key") {
      f.tls_key = std::string(value);
    } else if (name == "--queues") {
      f.queues = ParseNumber(name, value, 0, 1000);
    } else if (name == "--agents") {
      f.agents = ParseNumber(name, value, 0, 1000);
    } else if (name == "--seed") {
      f.seed = ParseNumber<std::uint64_t>(name, value, 0, UINT64_MAX);
    } else if (name == "--tick-ms") {
      f.tick_ms = ParseNumber(name, value, 1, 60000);
    } else if (name == "--warmup-s") {
      f.warmup_s = ParseNumber(name, value, 0, 7 * 86400);
    } else if (name == "--fault") {
      auto mode = ParseFaultMode(value);
      if (!mode) UsageError("unknown fault mode \"" + std::string(value) + "\"");
      f.fault.mode = *mode;
    } else if (name == "--fault-delay-ms") {
      f.fault.delay = std::chrono::milliseconds(ParseNumber(name, value, 0, 3600000));
    } else if (name == "--set") {
      AddSetting(f, value);
    } else if (name == "--threads") {
      f.threads = ParseNumber(name, value, 1, 64);
    } else {
      UsageError("unknown flag " + std::string(name));
    }
  }
  if (!f.tls_listen.empty() && (f.tls_cert.empty() || f.tls_key.empty())) {
    UsageError("--tls-listen needs --tls-cert and --tls-key");
  }
  return f;
}

struct App {
  std::vector<std::unique_ptr<VendorSim>> vendors;
  Faults faults;
  std::atomic<bool> paused{false};
  std::atomic<std::int64_t> time_ms{0};

  VendorSim* Find(std::string_view name) const {
    for (const auto& v : vendors) {
      if (v->name() == name) return v.get();
    }
    return nullptr;
  }
  void Advance(std::chrono::milliseconds dt) {
    if (paused) return;
    for (const auto& v : vendors) v->Advance(dt);
    time_ms += dt.count();
  }
};

std::string StateJson(const App& app) {
  auto fault = app.faults.Get();
  std::string out = R"({"paused":)" + std::string(app.paused ? "true" : "false") + R"(,"time_ms":)" +
                    std::to_string(app.time_ms.load()) + R"(,"fault":{"mode":")" + std::string(ToString(fault.mode)) +
                    R"(","delay_ms":)" + std::to_string(fault.delay.count()) + "}";
  for (const auto& v : app.vendors) out += ",\"" + std::string(v->name()) + "\":" + v->StateJson();
  return out + "}";
}

http::Response Control(App& app, const http::Request& req) {
  std::string_view route = std::string_view(req.path).substr(6);  // after "/_sim/"
  if (route == "state") {
    if (req.method != "GET" && req.method != "HEAD") return JsonError(405, "use GET");
    return JsonResponse(200, StateJson(app));
  }
  if (req.method != "POST") return JsonError(405, "use POST");
  if (route == "pause" || route == "resume") {
    app.paused = route == "pause";
    for (const auto& v : app.vendors) v->SetPaused(app.paused);
    return JsonResponse(200, std::string(R"({"paused":)") + (app.paused ? "true" : "false") + "}");
  }
  if (route == "fault") {
    auto mode = ParseFaultMode(req.Param("mode"));
    if (!mode) {
      return JsonError(400,
                       "mode must be one of none, http500, garbage, html, slow, truncated, hang, http429, http503");
    }
    FaultSetting s{*mode, std::chrono::milliseconds(0), req.Param("retry_after")};
    if (std::any_of(s.retry_after.begin(), s.retry_after.end(), [](char c) { return c < 0x20 || c == 0x7f; })) {
      return JsonError(400, "retry_after must be printable");
    }
    if (std::string d = req.Param("delay_ms"); !d.empty()) {
      long long ms = 0;
      auto [ptr, ec] = std::from_chars(d.data(), d.data() + d.size(), ms);
      if (ec != std::errc{} || ptr != d.data() + d.size() || ms < 0 || ms > 3600000) {
        return JsonError(400, "delay_ms must be 0..3600000");
      }
      s.delay = std::chrono::milliseconds(ms);
    }
    app.faults.Set(s);
    log::Info("fault set", {{"mode", ToString(s.mode)}, {"delay_ms", s.delay.count()}, {"retry_after", s.retry_after}});
    return JsonResponse(200, R"({"mode":")" + std::string(ToString(s.mode)) + R"(","delay_ms":)" +
                                 std::to_string(s.delay.count()) + "}");
  }
  // /_sim/VENDOR/ROUTE; the first simulator's /_sim/remove_agent and
  // /_sim/add_agent still mean MixCall's.
  std::string_view vendor = "mixcall";
  if (auto slash = route.find('/'); slash != std::string_view::npos) {
    vendor = route.substr(0, slash);
    route = route.substr(slash + 1);
  }
  if (VendorSim* v = app.Find(vendor)) {
    if (auto res = v->Control(route, req)) return *res;
  }
  return JsonError(404, "unknown control route");
}

asio::awaitable<http::Response> Route(App& app, http::Request req) {
  if (req.path.starts_with("/_sim/")) co_return Control(app, req);
  for (const auto& v : app.vendors) {
    if (v->Owns(req)) {
      // Faults apply to vendor routes only.
      VendorSim* vendor = v.get();
      co_return co_await app.faults.Apply([vendor, &req] { return vendor->Handle(req); });
    }
  }
  http::Response res;
  if (req.path == "/") {
    res.body = "callcenter_sim\n\n";
    for (const auto& v : app.vendors) res.body += v->Describe();
    res.body += "\nControl: GET /_sim/state, POST /_sim/pause|resume|fault\n";
    co_return res;
  }
  res.status = 404;
  res.body = "not found\n";
  co_return res;
}

asio::awaitable<void> Tick(App& app, std::chrono::milliseconds tick) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    next += tick;
    timer.expires_at(next);
    co_await timer.async_wait(asio::use_awaitable);
    app.Advance(tick);
  }
}

std::shared_ptr<asio::ssl::context> TlsContext(const Flags& flags) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  ctx->use_certificate_chain_file(flags.tls_cert);
  ctx->use_private_key_file(flags.tls_key, asio::ssl::context::pem);
  return ctx;
}

}  // namespace

int main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  std::vector<std::unique_ptr<VendorSim>> vendors;
  try {
    vendors = MakeVendorSims(SimOptions{flags.queues, flags.agents, flags.seed, {}}, flags.settings);
  } catch (const std::invalid_argument& e) {
    UsageError(e.what());
  }
  try {
    const auto tick = std::chrono::milliseconds(flags.tick_ms);
    App app{std::move(vendors), Faults(flags.seed)};
    for (std::int64_t t = 0; t < flags.warmup_s * 1000LL; t += flags.tick_ms) app.Advance(tick);
    app.faults.Set(flags.fault);

    asio::io_context ioc(flags.threads);
    http::Server::Options options;
    options.server_header = "callcenter_sim";
    auto handler = [&app](http::Request req) { return Route(app, std::move(req)); };
    http::Server server(ioc, handler, options);
    server.Listen(flags.listen);
    std::optional<http::Server> tls_server;
    if (!flags.tls_listen.empty()) {
      options.tls = TlsContext(flags);
      tls_server.emplace(ioc, handler, options);
      tls_server->Listen(flags.tls_listen);
    }

    asio::co_spawn(asio::make_strand(ioc), Tick(app, tick), asio::detached);
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      // Not the exporter's "shutting down": the two often share a terminal or a log.
      log::Info("callcenter_sim shutting down");
      server.Stop();
      if (tls_server) tls_server->Stop();
      ioc.stop();
    });

    const std::string address = server.LocalAddresses().at(0);
    log::Info("callcenter_sim started", {{"listen", address},
                                         {"queues", flags.queues},
                                         {"agents_per_queue", flags.agents},
                                         {"seed", flags.seed},
                                         {"fault", ToString(flags.fault.mode)}});
    // Tests and scripts read the bound addresses from these lines (port 0 picks one); the
    // plain one comes last, once both accept connections.
    if (tls_server) log::Info("listening", {{"scheme", "https"}, {"address", tls_server->LocalAddresses().at(0)}});
    log::Info("listening", {{"scheme", "http"}, {"address", address}});

    std::vector<std::thread> threads;
    for (int i = 1; i < flags.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
  } catch (const std::exception& e) {
    log::Error("callcenter_sim failed", {{"err", e.what()}});
    return 1;
  }
  return 0;
}

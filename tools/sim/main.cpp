// callcenter_sim: serves the vendor APIs the exporter polls, over a live
// model, with switchable faults and /_sim/* control routes (README.md).

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "http/server.h"
#include "tools/sim/faults.h"
#include "tools/sim/mixcall_api.h"
#include "tools/sim/mixcall_model.h"

namespace {

namespace asio = boost::asio;
using namespace cc;
using namespace cc::sim;

constexpr std::string_view kUsage = R"(usage: callcenter_sim [flags]

Serves the MixCall queueinfo API over a live, seeded call-centre model.

  --listen ADDR        host:port, :port or [::1]:port (default 127.0.0.1:9710; port 0 = any free)
  --queues N           MixCall queues 90, 91, ... (default 3)
  --agents N           agents per queue, extens from 6101 (default 5)
  --seed N             RNG seed; same seed, same history (default 1)
  --tick-ms N          model step and timer period in ms (default 250)
  --warmup-s N         simulated seconds run before serving, so counters have history (default 600)
  --fault MODE         start-up fault: none|http500|garbage|html|slow|truncated|hang (default none)
  --fault-delay-ms N   delay for slow (default 5000) and truncated faults
  --threads N          io_context threads (default 1)
  --help               this text

Control routes: GET /_sim/state, POST /_sim/pause, /_sim/resume,
/_sim/fault?mode=M&delay_ms=N, /_sim/remove_agent?exten=E, /_sim/add_agent?queue=Q&exten=E.
)";

constexpr std::array<std::string_view, 9> kFlagNames{
    "--listen", "--queues", "--agents", "--seed", "--tick-ms", "--warmup-s", "--fault", "--fault-delay-ms", "--threads"};

struct Flags {
  std::string listen = "127.0.0.1:9710";
  int queues = 3;
  int agents = 5;
  std::uint64_t seed = 1;
  int tick_ms = 250;
  int warmup_s = 600;
  FaultSetting fault;
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
    } else if (name == "--threads") {
      f.threads = ParseNumber(name, value, 1, 64);
    } else {
      UsageError("unknown flag " + std::string(name));
    }
  }
  return f;
}

struct App {
  MixcallModel mixcall;
  Faults faults;
};

http::Response Json(unsigned status, std::string body) {
  http::Response res;
  res.status = status;
  res.content_type = "application/json";
  res.body = std::move(body) + "\n";
  return res;
}

http::Response JsonError(unsigned status, std::string_view message) {
  return Json(status, R"({"error":")" + std::string(message) + "\"}");
}

std::string StateJson(const App& app) {
  auto fault = app.faults.Get();
  return R"({"paused":)" + std::string(app.mixcall.paused() ? "true" : "false") +
         R"(,"time_ms":)" + std::to_string(app.mixcall.now().count()) + R"(,"fault":{"mode":")" +
         std::string(ToString(fault.mode)) + R"(","delay_ms":)" + std::to_string(fault.delay.count()) +
         R"(},"mixcall":)" + RenderMixcallState(app.mixcall.Queues()) + "}";
}

// Only characters that need no JSON escaping get echoed back.
bool Plain(std::string_view s) {
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

http::Response Control(App& app, const http::Request& req) {
  const std::string_view route = std::string_view(req.path).substr(6);  // after "/_sim/"
  if (route == "state") {
    if (req.method != "GET" && req.method != "HEAD") return JsonError(405, "use GET");
    return Json(200, StateJson(app));
  }
  if (req.method != "POST") return JsonError(405, "use POST");
  if (route == "pause" || route == "resume") {
    app.mixcall.SetPaused(route == "pause");
    return Json(200, std::string(R"({"paused":)") + (route == "pause" ? "true" : "false") + "}");
  }
  if (route == "fault") {
    auto mode = ParseFaultMode(req.Param("mode"));
    if (!mode) return JsonError(400, "mode must be one of none, http500, garbage, html, slow, truncated, hang");
    FaultSetting s{*mode, std::chrono::milliseconds(0)};
    if (std::string d = req.Param("delay_ms"); !d.empty()) {
      long long ms = 0;
      auto [ptr, ec] = std::from_chars(d.data(), d.data() + d.size(), ms);
      if (ec != std::errc{} || ptr != d.data() + d.size() || ms < 0 || ms > 3600000) {
        return JsonError(400, "delay_ms must be 0..3600000");
      }
      s.delay = std::chrono::milliseconds(ms);
    }
    app.faults.Set(s);
    log::Info("fault set", {{"mode", ToString(s.mode)}, {"delay_ms", std::to_string(s.delay.count())}});
    return Json(200, R"({"mode":")" + std::string(ToString(s.mode)) + R"(","delay_ms":)" +
                         std::to_string(s.delay.count()) + "}");
  }
  if (route == "remove_agent") {
    std::string exten = req.Param("exten");
    if (!app.mixcall.RemoveAgent(exten)) return JsonError(404, "no such agent");
    return Json(200, R"({"removed":")" + (Plain(exten) ? exten : "") + "\"}");
  }
  if (route == "add_agent") {
    std::string queue = req.Param("queue"), exten = req.Param("exten");
    switch (app.mixcall.AddAgent(queue, exten)) {
      case MixcallModel::AddResult::added:
        return Json(200, R"({"added":")" + exten + R"(","queue":")" + (Plain(queue) ? queue : "") + "\"}");
      case MixcallModel::AddResult::already_member: return JsonError(409, "already a member of that queue");
      case MixcallModel::AddResult::no_such_queue: return JsonError(404, "no such queue");
      case MixcallModel::AddResult::bad_exten: return JsonError(400, "exten must be 1-32 letters or digits");
    }
  }
  return JsonError(404, "unknown control route");
}

asio::awaitable<http::Response> Route(App& app, http::Request req) {
  if (req.path.starts_with("/_sim/")) co_return Control(app, req);
  if (IsMixcallPath(req.path)) {
    // Faults apply to vendor routes only.
    co_return co_await app.faults.Apply([&app, &req] { return HandleMixcallApi(req, app.mixcall); });
  }
  http::Response res;
  if (req.path == "/") {
    res.body = "callcenter_sim\n\nMixCall: GET /admin/?m=interface&c=api&a=queueinfo[&queue=90]\n"
               "Control: GET /_sim/state, POST /_sim/pause|resume|fault|remove_agent|add_agent\n";
    co_return res;
  }
  res.status = 404;
  res.body = "not found\n";
  co_return res;
}

asio::awaitable<void> Tick(MixcallModel& model, std::chrono::milliseconds tick) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    next += tick;
    timer.expires_at(next);
    co_await timer.async_wait(asio::use_awaitable);
    model.Advance(tick);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  try {
    const auto tick = std::chrono::milliseconds(flags.tick_ms);
    App app{MixcallModel(MixcallOptions{flags.queues, flags.agents, flags.seed}), Faults(flags.seed)};
    app.mixcall.Warmup(std::chrono::seconds(flags.warmup_s), tick);
    app.faults.Set(flags.fault);

    asio::io_context ioc(flags.threads);
    http::Server::Options options;
    options.server_header = "callcenter_sim";
    http::Server server(
        ioc, [&app](http::Request req) { return Route(app, std::move(req)); }, options);
    server.Listen(flags.listen);

    asio::co_spawn(asio::make_strand(ioc), Tick(app.mixcall, tick), asio::detached);
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      log::Info("shutting down");
      server.Stop();
      ioc.stop();
    });

    const std::string address = server.LocalAddresses().at(0);
    log::Info("callcenter_sim started",
              {{"listen", address}, {"queues", std::to_string(flags.queues)},
               {"agents_per_queue", std::to_string(flags.agents)}, {"seed", std::to_string(flags.seed)},
               {"fault", ToString(flags.fault.mode)}});
    std::printf("callcenter_sim listening on %s\n", address.c_str());
    std::fflush(stdout);

    std::vector<std::thread> threads;
    for (int i = 1; i < flags.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "callcenter_sim: %s\n", e.what());
    return 1;
  }
  return 0;
}

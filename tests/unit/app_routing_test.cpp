#include "core/app.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>

#include "config/config_node.h"
#include "tests/unit/support/fake_collector.h"

#include "tests/unit/support/text.h"
#include "tests/unit/support/zlib_inflate.h"

namespace cc {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::FakeCollector;

constexpr std::string_view kExposition = "text/plain; version=0.0.4; charset=utf-8";

using test::ZlibInflate;

std::string_view HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

// Two targets of the fake vendor; `value` is the fake vendor's own key.
std::string ConfigYaml(const std::string& extra_target = "") {
  std::string yaml = R"(global:
  poll_interval: 1s
targets:
  - name: alpha
    vendor: fake
    url: http://127.0.0.1:9/
    value: 1
  - name: beta
    vendor: fake
    url: http://127.0.0.1:9/
    value: 2
)";
  if (!extra_target.empty()) {
    yaml += "  - name: " + extra_target + "\n    vendor: fake\n    url: http://127.0.0.1:9/\n";
  }
  return yaml;
}

struct FakeOptions : VendorOptions {
  double value = 0;
};

// An App of the fake vendor, with no listener: requests go to App::Handle directly.
class AppRoutingTest : public testing::Test {
 protected:
  AppRoutingTest() {
    char dir[] = "/tmp/app_routing_test.XXXXXX";
    dir_ = mkdtemp(dir);
    WriteConfig(ConfigYaml());
    vendors_.push_back(VendorDef{"fake", &ReadOptions, [this](const TargetConfig& t) { return Build(t); }});
    AppOptions options;
    options.config_file = ConfigFile();
    options.listen_addresses.clear();
    options.threads = 1;
    options.enable_lifecycle = true;
    app_ = std::make_unique<App>(std::move(options), vendors_);
    app_->Start();  // no listen address: it only starts polling
  }

  ~AppRoutingTest() override {
    {
      std::lock_guard lock(mu_);
      for (const auto& c : built_) c->Release();
      // A collector keeps its strand: none may outlive the App's io_context.
      built_.clear();
    }
    if (runner_.joinable()) {
      app_->Shutdown();
      runner_.join();
    }
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string ConfigFile() const { return dir_ + "/config.yaml"; }
  void WriteConfig(const std::string& text) { std::ofstream(ConfigFile()) << text; }

  // Runs the App's io_context (polls happen); without it no poll ever runs.
  void RunApp() {
    runner_ = std::thread([this] { app_->Run(false); });
  }

  http::Response Call(std::string method, std::string target,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request req;
    req.method = std::move(method);
    req.target = target;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    req.query = q == std::string::npos ? "" : target.substr(q + 1);
    req.headers = std::move(headers);
    asio::io_context ioc;
    std::optional<http::Response> out;
    asio::co_spawn(ioc, app_->Handle(std::move(req)), [&](std::exception_ptr e, http::Response r) {
      EXPECT_FALSE(e) << "Handle threw";
      if (!e) out = std::move(r);
    });
    ioc.run();
    if (out) {
      out->on_sent.reset();  // as the server does once the answer is written
      out->body = out->BodyBytes();
      return std::move(*out);
    }
    http::Response none;
    none.status = 0;
    return none;
  }

  // The collectors built for `target` so far, oldest first.
  std::vector<std::shared_ptr<FakeCollector>> BuiltFor(const std::string& target) {
    std::lock_guard lock(mu_);
    std::vector<std::shared_ptr<FakeCollector>> out;
    for (std::size_t i = 0; i < built_.size(); ++i) {
      if (built_targets_[i] == target) out.push_back(built_[i]);
    }
    return out;
  }

  // Waits until `c` finished a poll and the App recorded it.
  void WaitPolled(FakeCollector& c) {
    ASSERT_TRUE(events_->WaitUntil([&] { return c.polls_done() >= 1; }));
    std::promise<void> synced;
    asio::post(c.strand(), [&] { synced.set_value(); });
    ASSERT_EQ(synced.get_future().wait_for(30s), std::future_status::ready);
  }

 private:
  static std::shared_ptr<const VendorOptions> ReadOptions(const TargetConfig&, ConfigNode& node) {
    auto options = std::make_shared<FakeOptions>();
    options->value = static_cast<double>(node.Int("value", 0));
    return options;
  }

  std::vector<std::shared_ptr<Collector>> Build(const TargetConfig& target) {
    auto c = std::make_shared<FakeCollector>("main", OptionsOf<FakeOptions>(target).value, events_);
    std::lock_guard lock(mu_);
    built_.push_back(c);
    built_targets_.push_back(target.name);
    return {c};
  }

  std::string dir_;
  std::shared_ptr<test::Events> events_ = std::make_shared<test::Events>();
  std::mutex mu_;
  std::vector<std::shared_ptr<FakeCollector>> built_;
  std::vector<std::string> built_targets_;
  std::vector<VendorDef> vendors_;  // outlives app_, which keeps a span of it
  std::unique_ptr<App> app_;
  std::thread runner_;
};

TEST_F(AppRoutingTest, MetricsAnswersGetAndHeadOnly) {
  for (const char* method : {"GET", "HEAD"}) {
    auto r = Call(method, "/metrics");
    EXPECT_EQ(r.status, 200u) << method;
    EXPECT_EQ(r.content_type, kExposition) << method;
    EXPECT_TRUE(test::Contains(r.body, "callcenter_up{target=\"alpha\",collector=\"main\"} 0\n")) << r.body;
    EXPECT_TRUE(test::Contains(r.body, "callcenter_exporter_build_info{"));
    EXPECT_TRUE(test::Contains(r.body, "\nprocess_open_fds ")) << r.body;
    EXPECT_TRUE(test::Contains(r.body, "\nprocess_resident_memory_bytes "));
  }
  EXPECT_EQ(Call("POST", "/metrics").status, 405u);
}

TEST_F(AppRoutingTest, ProbeNeedsAKnownTarget) {
  EXPECT_EQ(Call("GET", "/probe").status, 400u);
  EXPECT_EQ(Call("GET", "/probe?target=").status, 400u);
  auto unknown = Call("GET", "/probe?target=%3Cb%3E");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_FALSE(test::Contains(unknown.body, "<b>")) << "the name is escaped";
  EXPECT_EQ(Call("POST", "/probe?target=alpha").status, 405u);
}

TEST_F(AppRoutingTest, ProbeServesOnlyThatTarget) {
  RunApp();
  WaitPolled(*BuiltFor("alpha").at(0));
  WaitPolled(*BuiltFor("beta").at(0));
  auto r = Call("GET", "/probe?target=alpha");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, kExposition);
  EXPECT_TRUE(test::Contains(r.body, "fake_value{target=\"alpha\",collector=\"main\"} 1\n")) << r.body;
  EXPECT_TRUE(test::Contains(r.body, "callcenter_up{target=\"alpha\",collector=\"main\"} 1\n"));
  EXPECT_FALSE(test::Contains(r.body, "beta"));
  EXPECT_FALSE(test::Contains(r.body, "callcenter_exporter_build_info")) << "global series are for /metrics";
  EXPECT_FALSE(test::Contains(r.body, "process_"));
  // /metrics has both.
  auto all = Call("GET", "/metrics");
  EXPECT_TRUE(test::Contains(all.body, "fake_value{target=\"alpha\",collector=\"main\"} 1\n")) << all.body;
  EXPECT_TRUE(test::Contains(all.body, "fake_value{target=\"beta\",collector=\"main\"} 2\n"));
}

TEST_F(AppRoutingTest, LandingPageHealthyAndUnknownPaths) {
  auto page = Call("GET", "/");
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(test::Contains(page.body, "alpha")) << page.body;
  EXPECT_EQ(Call("POST", "/").status, 405u);
  EXPECT_EQ(Call("GET", "/-/healthy").status, 200u);
  EXPECT_EQ(Call("HEAD", "/-/healthy").status, 200u);
  EXPECT_EQ(Call("GET", "/nope").status, 404u);
  EXPECT_EQ(Call("GET", "/metrics/").status, 404u);
}

TEST_F(AppRoutingTest, ReadyOnceEveryCollectorHasBeenPolled) {
  // Nothing has polled yet (the App's io_context has not run): hold the first polls.
  auto alpha = BuiltFor("alpha").at(0);
  auto beta = BuiltFor("beta").at(0);
  alpha->Hold();
  beta->Hold();
  RunApp();
  EXPECT_EQ(Call("GET", "/-/ready").status, 503u);
  alpha->Release();
  WaitPolled(*alpha);
  EXPECT_EQ(Call("GET", "/-/ready").status, 503u) << "beta has not been polled";
  beta->Release();
  WaitPolled(*beta);
  EXPECT_EQ(Call("GET", "/-/ready").status, 200u);
}

TEST_F(AppRoutingTest, ReloadOnlyByPostAndKeepsTheRunningConfigOnError) {
  EXPECT_EQ(Call("GET", "/-/reload").status, 405u);
  WriteConfig(ConfigYaml("gamma"));
  EXPECT_EQ(Call("GET", "/probe?target=gamma").status, 404u) << "not before the reload";
  EXPECT_EQ(Call("POST", "/-/reload").status, 200u);
  EXPECT_EQ(Call("GET", "/probe?target=gamma").status, 200u);
  EXPECT_EQ(BuiltFor("gamma").size(), 1u);

  WriteConfig("targets: [");  // not YAML
  auto r = Call("POST", "/-/reload");
  EXPECT_EQ(r.status, 500u);
  EXPECT_TRUE(test::Contains(r.body, "running configuration kept")) << r.body;
  EXPECT_EQ(Call("GET", "/probe?target=gamma").status, 200u);
  EXPECT_EQ(BuiltFor("gamma").size(), 1u) << "the running targets were left alone";
  EXPECT_EQ(BuiltFor("gamma")[0]->closes(), 0u);
  EXPECT_TRUE(test::Contains(Call("GET", "/metrics").body, "callcenter_config_last_reload_successful 0\n"));
}

// RFC 9110 §15.5.6: a 405 says what is allowed; the health endpoints answer
// GET and HEAD only, as Prometheus' do.
TEST_F(AppRoutingTest, MethodNotAllowedNamesTheAllowedMethods) {
  for (const char* path : {"/metrics", "/probe?target=alpha", "/", "/-/healthy", "/-/ready"}) {
    for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
      auto r = Call(method, path);
      EXPECT_EQ(r.status, 405u) << method << " " << path;
      EXPECT_EQ(HeaderOf(r, "Allow"), "GET, HEAD") << method << " " << path;
    }
  }
  auto reload = Call("GET", "/-/reload");
  EXPECT_EQ(reload.status, 405u);
  EXPECT_EQ(HeaderOf(reload, "Allow"), "POST, PUT");
}

TEST_F(AppRoutingTest, GzipWhenTheClientAsksForIt) {
  // The App's io_context does not run: nothing changes between the two scrapes.
  auto plain = Call("GET", "/metrics");
  EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), "");
  auto gz = Call("GET", "/metrics", {{"accept-encoding", "deflate, gzip"}});
  EXPECT_EQ(gz.status, 200u);
  EXPECT_EQ(HeaderOf(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(gz, "Vary"), "Accept-Encoding");
  EXPECT_EQ(gz.content_type, kExposition);
  // The exporter's own figures (requests answered so far, memory, CPU) move between
  // any two scrapes; they come last, and the rest must match.
  auto without_process = [](const std::string& text) {
    std::size_t end = text.size();
    for (const char* own :
         {"# HELP callcenter_exporter_http_", "# HELP callcenter_exporter_scrapes_", "# HELP process_"})
      end = std::min(end, text.find(own));
    return text.substr(0, end);
  };
  const std::string inflated = ZlibInflate(gz.body);
  EXPECT_TRUE(test::Contains(inflated, "\nprocess_open_fds "));
  EXPECT_EQ(without_process(inflated), without_process(plain.body));
  auto probe = Call("GET", "/probe?target=beta", {{"accept-encoding", "gzip"}});
  EXPECT_EQ(HeaderOf(probe, "Content-Encoding"), "gzip");
  EXPECT_TRUE(test::Contains(ZlibInflate(probe.body), "callcenter_up{target=\"beta\",collector=\"main\"} 0\n"));
}

}  // namespace
}  // namespace cc

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collectors/kit/collector.h"
#include "collectors/ucontact/collector.h"
#include "config/config_node.h"
#include "config/url.h"
#include "http/server.h"
#include "tests/unit/support/fake_vendor.h"
#include "tests/unit/support/vendor_testing.h"

namespace cc::ucontact {
namespace {

using test::Count;
using test::ReadFile;
using test::RunPoll;
using test::Value;

std::string CollectorFixture(const std::string& name) { return test::Fixture("ucontact", name); }

namespace net = boost::asio;
using http::Request;
using test::FakeVendor;

constexpr char kPassword[] = "pa55&w=rd";
constexpr char kStaticToken[] = "U3RhdGljOnRva2VuLTQyNDI0Mg";

// A uContact answer (JSON, or text that the collector must refuse).
http::Response Reply(unsigned status, std::string body) {
  return test::MakeResponse(status, std::move(body), "application/json");
}

TargetConfig MakeTarget(const std::string& url, bool agent_metrics = true) {
  TargetConfig target;
  target.name = "uc";
  target.vendor = "ucontact";
  std::string error;
  auto parsed = ParseUrl(url, &error);
  EXPECT_TRUE(parsed.has_value()) << error;
  if (parsed) target.url = *parsed;
  target.poll.agent_metrics = agent_metrics;
  return target;
}

struct Collectors {
  std::shared_ptr<Collector> queue_summary;
  std::shared_ptr<Collector> campaign_status;
};

Collectors Build(const std::string& yaml, const TargetConfig& target) {
  ConfigNode node(YAML::Load(yaml), "test.yaml", "targets[0]");
  auto built = test::BuildCollectors(Vendor(), target, node);
  node.RejectUnknownKeys();
  EXPECT_EQ(built.size(), 2u);
  if (built.size() != 2) return {};
  return {built[0], built[1]};
}

std::string PasswordYaml(const std::string& extra = "") {
  return "auth: {username: api, password: \"" + std::string(kPassword) + "\"}\n" + extra;
}

std::unique_ptr<http::Client> MakeClient(net::io_context& ioc, const TargetConfig& target) {
  return std::make_unique<http::Client>(ioc.get_executor(), http::Client::Options{.base = target.url, .tls = {}});
}

// A server whose sessions expire on demand: each login issues a new token and
// only the newest is accepted.
struct SessionServer {
  int logins = 0;
  int ended = 0;
  bool refuse_login = false;
  std::string valid;  // the accepted token; empty = none

  http::Response operator()(const Request& r) {
    if (r.target.ends_with("/auth/getUserToken")) {
      if (refuse_login) return Reply(200, "[0]");
      valid = "dG9rZW4tMDAwMDAw" + std::to_string(++logins);
      return Reply(200, "[\"api\",\"" + valid + "\"]");
    }
    if (valid.empty() || r.Header("authorization") != "Basic " + valid) return Reply(401, "Unauthorized");
    if (r.target.ends_with("/auth/EndSession")) {
      if (r.body != "user=api&token=" + valid) return Reply(200, "0");
      valid.clear();
      ++ended;
      return Reply(200, "1");
    }
    if (r.target.ends_with("/Supervisor/queuesummary")) return Reply(200, CollectorFixture("seed_queuesummary.json"));
    if (r.target.ends_with("/Supervisor/campaignstatus")) {
      if (r.body == "queue=") return Reply(200, CollectorFixture("seed_campaignstatus_all.json"));
      if (r.body == "queue=test-%3E") return Reply(200, CollectorFixture("seed_campaignstatus_test.json"));
      if (r.body == "queue=Power%3C-") return Reply(200, "{}");
    }
    return Reply(404, "not found");
  }
};

// --- configuration ---------------------------------------------------------------

TEST(UcontactCollectorTest, BuildReadsConfig) {
  const TargetConfig target = MakeTarget("http://127.0.0.1:1/Integra/resources/");
  Collectors c = Build(PasswordYaml("campaigns: [\"Sales->\", \"Power<-\"]\nmax_concurrent_requests: 8\n"), target);
  ASSERT_NE(c.queue_summary, nullptr);
  EXPECT_EQ(c.queue_summary->name(), "queue_summary");
  EXPECT_EQ(c.campaign_status->name(), "campaign_status");
  EXPECT_NE(Build(std::string("auth: {token: ") + kStaticToken + "}\n", target).queue_summary, nullptr);
  EXPECT_EQ(Vendor().name, "ucontact");
}

TEST(UcontactCollectorTest, BuildRejectsBadConfig) {
  const TargetConfig target = MakeTarget("http://127.0.0.1:1/Integra/resources/");
  const std::pair<std::string, std::string> kCases[] = {
      {"{}", "username"},
      {"auth: {username: api}\n", "password"},
      {"auth: {password: x}\n", "username"},
      {"auth: {username: api, password: x, token: abc}\n", "either token"},
      {"auth: {token: \"a b\"}\n", "token"},
      {PasswordYaml("campaigns: [\"\"]\n"), "campaigns"},
      {PasswordYaml("campaigns: [\"a->\", \"a->\"]\n"), "twice"},
      {PasswordYaml("max_concurrent_requests: 0\n"), "max_concurrent_requests"},
      {PasswordYaml("max_concurrent_requests: 1000\n"), "max_concurrent_requests"},
  };
  for (const auto& [yaml, expect] : kCases) {
    SCOPED_TRACE(yaml);
    ConfigNode node(YAML::Load(yaml), "test.yaml", "targets[0]");
    try {
      test::BuildCollectors(Vendor(), target, node);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(expect), std::string::npos) << what;
      EXPECT_EQ(what.find(kPassword), std::string::npos) << what;
    }
  }
}

// --- the session -----------------------------------------------------------------

TEST(UcontactCollectorTest, LoginOnceAndReuseTheTokenAcrossPollsAndCollectors) {
  net::io_context ioc;
  SessionServer logic;
  FakeVendor server(std::ref(logic));
  const TargetConfig target = MakeTarget(server.Url("/Integra/resources/"));
  Collectors c = Build(PasswordYaml("campaigns: [\"test->\"]\n"), target);
  ASSERT_NE(c.queue_summary, nullptr);
  auto client = MakeClient(ioc, target);

  for (int poll = 0; poll < 2; ++poll) {
    auto qs = RunPoll(ioc, *client, *c.queue_summary, target);
    ASSERT_TRUE(qs.ok()) << qs.error().message;
    EXPECT_EQ(Value(*qs, "callcenter_queue_calls_waiting", {{"queue", "Power<-"}}), 3.0);
    auto cs = RunPoll(ioc, *client, *c.campaign_status, target);
    ASSERT_TRUE(cs.ok()) << cs.error().message;
    EXPECT_EQ(Value(*cs, "callcenter_agent_status_code", {{"agent", "SIP/1010"}}), 5.0);
  }
  EXPECT_EQ(logic.logins, 1);
  ASSERT_EQ(server.count(), 7u);  // one login, then 2 × (queuesummary + 2 campaignstatus)
  const Request login = server.requests()[0];
  EXPECT_EQ(login.method, "POST");
  EXPECT_EQ(login.target, "/Integra/resources/auth/getUserToken");
  EXPECT_EQ(login.body, "user=api&password=pa55%26w%3Drd");
  EXPECT_EQ(login.Header("content-type"), "application/x-www-form-urlencoded; charset=UTF-8");
  EXPECT_EQ(login.Header("authorization"), "");
  const std::vector<Request> requests = server.requests();
  for (std::size_t i = 1; i < requests.size(); ++i) {
    const Request& r = requests[i];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.Header("authorization"), "Basic dG9rZW4tMDAwMDAw1") << r.target;
    EXPECT_EQ(r.Header("content-type"), "application/x-www-form-urlencoded; charset=UTF-8");
  }
  EXPECT_EQ(server.requests()[1].target, "/Integra/resources/Supervisor/queuesummary");
  EXPECT_EQ(server.requests()[1].body, "");
  EXPECT_EQ(server.requests()[2].body, "queue=");
  EXPECT_EQ(server.requests()[3].body, "queue=test-%3E");
}

TEST(UcontactCollectorTest, ExpiredSessionLogsInAgainWithinTheSamePoll) {
  net::io_context ioc;
  SessionServer logic;
  FakeVendor server(std::ref(logic));
  const TargetConfig target = MakeTarget(server.Url("/Integra/resources/"));
  Collectors c = Build(PasswordYaml(), target);
  auto client = MakeClient(ioc, target);

  testing::internal::CaptureStderr();
  auto first = RunPoll(ioc, *client, *c.queue_summary, target);
  const std::string old_token = logic.valid;
  logic.valid.clear();  // the session expires between polls
  auto second = RunPoll(ioc, *client, *c.queue_summary, target);
  const std::string logs = testing::internal::GetCapturedStderr();

  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(second.ok()) << second.error().message;  // not a single failed poll
  EXPECT_EQ(Value(*second, "callcenter_queue_longest_wait_seconds", {{"queue", "Power<-"}}), 220.0);
  EXPECT_EQ(logic.logins, 2);
  ASSERT_EQ(server.count(), 5u);
  EXPECT_EQ(server.requests()[2].Header("authorization"), "Basic " + old_token);  // refused with 401
  EXPECT_TRUE(server.requests()[3].target.ends_with("/auth/getUserToken"));
  EXPECT_EQ(server.requests()[4].Header("authorization"), "Basic " + logic.valid);

  EXPECT_NE(logs.find("logging in again"), std::string::npos) << logs;
  EXPECT_EQ(logs.find(kPassword), std::string::npos) << logs;
  EXPECT_EQ(logs.find("pa55"), std::string::npos) << logs;
  EXPECT_EQ(logs.find(old_token), std::string::npos) << logs;
  EXPECT_EQ(logs.find(logic.valid), std::string::npos) << logs;
}

TEST(UcontactCollectorTest, ExpiryDuringConcurrentCampaignCallsLogsInOnce) {
  net::io_context ioc;
  SessionServer logic;
  FakeVendor server(std::ref(logic));
  const TargetConfig target = MakeTarget(server.Url("/Integra/resources/"));
  Collectors c = Build(PasswordYaml(), target);
  auto client = MakeClient(ioc, target);
  ASSERT_TRUE(RunPoll(ioc, *client, *c.queue_summary, target).ok());
  logic.valid.clear();
  // Both collectors' polls run interleaved, as on the target's strand.
  std::optional<Result<Snapshot>> a, b;
  net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        PollContext ctx{*client, target, std::chrono::steady_clock::now() + std::chrono::seconds(30), {}};
        a.emplace(co_await c.queue_summary->Poll(ctx));
      },
      net::detached);
  net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        PollContext ctx{*client, target, std::chrono::steady_clock::now() + std::chrono::seconds(30), {}};
        b.emplace(co_await c.campaign_status->Poll(ctx));
      },
      net::detached);
  net::steady_timer hang_guard(ioc, std::chrono::seconds(60));
  hang_guard.async_wait([&](boost::system::error_code ec) {
    if (!ec) ioc.stop();
  });
  while (!(a && b) && !ioc.stopped()) ioc.run_one();
  hang_guard.cancel();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->ok()) << a->error().message;
  ASSERT_TRUE(b->ok()) << b->error().message;
  EXPECT_EQ(logic.logins, 2);  // one initial login, one shared re-login
}

TEST(UcontactCollectorTest, RepeatedUnauthorizedRetriesOnlyOnce) {
  net::io_context ioc;
  int logins = 0;
  FakeVendor server([&](const Request& r) -> http::Response {
    if (r.target.ends_with("/auth/getUserToken")) return Reply(200, "[\"dG9rZW4" + std::to_string(++logins) + "\"]");
    return Reply(401, "");
  });
  const TargetConfig target = MakeTarget(server.Url("/Integra/resources/"));
  Collectors c = Build(PasswordYaml(), target);
  auto client = MakeClient(ioc, target);
  auto result = RunPoll(ioc, *client, *c.queue_summary, target);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, Reason::auth);
  EXPECT_EQ(logins, 2);
  EXPECT_EQ(server.count(), 4u);  // login, 401, login, 401
  EXPECT_EQ(result.error().message.find("dG9rZW4"), std::string::npos) << result.error().message;
}

TEST(UcontactCollectorTest, RefusedLoginIsAuthWithoutSecrets) {
  for (const char* answer : {"[0]", "0"}) {
    SCOPED_TRACE(answer);
    net::io_context ioc;
    FakeVendor server([&](const Request&) { return Reply(200, answer); });
    const TargetConfig target = MakeTarget(server.Url("/Integra/resources/"));
    Collectors c = Build(PasswordYaml(), target);
    auto client = MakeClient(ioc, target);
    testing::internal::CaptureStderr();
    auto qs = RunPoll(ioc, *client, *c.queue_summary, target);
    auto cs = RunPoll(ioc, *client, *c.campaign_status, target);
    const std::string logs = testing::internal::GetCapturedStderr();
    for (const auto* r : {&qs, &cs}) {
      ASSERT_FALSE(r->ok());
      EXPECT_EQ(r->error().reason, Reason::auth);
      EXPECT_EQ(r->error().message.find("pa55"), std::string::npos) << r->error().message;
    }
    EXPECT_EQ(logs.find("pa55"), std::string::npos) << logs;
    EXPECT_EQ(server.count(), 2u);  // each poll tried to log in once, nothing else
  }
}

TEST(UcontactCollectorTest, LoginHttpErrors) {
  for (const auto& [status, reason] : {std::pair{403, Reason::auth}, std::pair{500, Reason::http_status}}) {
    net::io_context ioc;
    FakeVendor server([status = status](const Request&) { return Reply(status, "<html>error</html>"); });
    const TargetConfig target = MakeTarget(server.Url("/Integra/resources/"));
    Collectors c = Build(PasswordYaml(), target);
    auto client = MakeClient(ioc, target);
    auto r = RunPoll(ioc, *client, *c.queue_summary, target);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().reason, reason);
    EXPECT_NE(r.error().message.find(std::to_string(status)), std::string::npos) << r.error().message;
  }
}

TEST(UcontactCollectorTest, StaticTokenIsSentAndNeverRefreshed) {
  net::io_context ioc;
  bool accept = true;
  FakeVendor server([&](const Request& r) -> http::Response {
    if (r.Header("authorization") != std::string("Basic ") + kStaticToken || !accept) return Reply(401, "");
    return Reply(200, CollectorFixture("seed_queuesummary.json"));
  });
  const TargetConfig target = MakeTarget(server.Url("/Integra/resources"));
  Collectors c = Build(std::string("auth: {token: ") + kStaticToken + "}\n", target);
  auto client = MakeClient(ioc, target);
  auto ok = RunPoll(ioc, *client, *c.queue_summary, target);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(server.requests()[0].target, "/Integra/resources/Supervisor/queuesummary");
  accept = false;
  auto refused = RunPoll(ioc, *client, *c.queue_summary, target);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, Reason::auth);
  EXPECT_EQ(refused.error().message.find(kStaticToken), std::string::npos);
  EXPECT_EQ(server.count(), 2u);  // no login attempt
}

// Runs `collector.Close()` to completion, as the scheduler does on shutdown.
void RunClose(net::io_context& ioc, http::Client& client, Collector& collector, const TargetConfig& target) {
  bool done = false;
  net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        PollContext ctx{client, target, std::chrono::steady_clock::now() + std::chrono::seconds(30), {}};
        co_await collector.Close(ctx);
        done = true;
      },
      net::detached);
  net::steady_timer hang_guard(ioc, std::chrono::seconds(60));
  hang_guard.async_wait([&](boost::system::error_code ec) {
    if (!ec) ioc.stop();
  });
  while (!done && !ioc.stopped()) ioc.run_one();
  hang_guard.cancel();
  EXPECT_TRUE(done);
}

TEST(UcontactCollectorTest, CloseEndsTheSharedSessionOnce) {
  net::io_context ioc;
  SessionServer logic;
  FakeVendor server(std::ref(logic));
  const TargetConfig target = MakeTarget(server.Url("/Integra/resources/"));
  Collectors c = Build(PasswordYaml(), target);
  auto client = MakeClient(ioc, target);
  ASSERT_TRUE(RunPoll(ioc, *client, *c.queue_summary, target).ok());
  const std::string token = logic.valid;

  testing::internal::CaptureStderr();
  RunClose(ioc, *client, *c.queue_summary, target);
  RunClose(ioc, *client, *c.campaign_status, target);  // the same session: nothing more to end
  const std::string logs = testing::internal::GetCapturedStderr();
  EXPECT_EQ(logic.ended, 1);
  ASSERT_EQ(server.count(), 3u);  // login, queuesummary, EndSession
  const Request end = server.requests()[2];
  EXPECT_EQ(end.target, "/Integra/resources/auth/EndSession");
  EXPECT_EQ(end.Header("authorization"), "Basic " + token);
  EXPECT_EQ(end.Header("content-type"), "application/x-www-form-urlencoded; charset=UTF-8");
  EXPECT_NE(logs.find("ucontact session ended"), std::string::npos) << logs;
  EXPECT_EQ(logs.find(token), std::string::npos) << logs;

  // A poll still in flight at shutdown does not open a new session.
  auto late = RunPoll(ioc, *client, *c.campaign_status, target);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().reason, Reason::auth);
  EXPECT_EQ(logic.logins, 1);
  EXPECT_EQ(server.count(), 3u);
}

TEST(UcontactCollectorTest, CloseSendsNothingWithoutASessionOfItsOwn) {
  net::io_context ioc;
  SessionServer logic;
  FakeVendor server(std::ref(logic));
  const TargetConfig target = MakeTarget(server.Url("/Integra/resources/"));
  auto client = MakeClient(ioc, target);
  // Never logged in: nothing to end.
  Collectors fresh = Build(PasswordYaml(), target);
  RunClose(ioc, *client, *fresh.queue_summary, target);
  EXPECT_TRUE(server.requests().empty());

  // A configured token belongs to whoever created it.
  Collectors ready = Build(std::string("auth: {token: ") + kStaticToken + "}\n", target);
  logic.valid = kStaticToken;
  ASSERT_TRUE(RunPoll(ioc, *client, *ready.queue_summary, target).ok());
  RunClose(ioc, *client, *ready.queue_summary, target);
  RunClose(ioc, *client, *ready.campaign_status, target);
  EXPECT_EQ(logic.ended, 0);
  EXPECT_EQ(server.count(), 1u);
  EXPECT_EQ(logic.valid, kStaticToken);
}

// --- campaign_status -----------------------------------------------------------------

TEST(UcontactCollectorTest, AllCampaignsAreAskedForTheirAgentsEncoded) {
  net::io_context ioc;
  SessionServer logic;
  FakeVendor server(std::ref(logic));
  const TargetConfig target = MakeTarget(server.Url("/Integra/resources/"));
  Collectors c = Build(PasswordYaml(), target);
  auto client = MakeClient(ioc, target);
  auto result = RunPoll(ioc, *client, *c.campaign_status, target);
  ASSERT_TRUE(result.ok()) << result.error().message;

  std::vector<std::string> bodies;
  for (const Request& r : server.requests()) {
    if (r.target.ends_with("/Supervisor/campaignstatus")) bodies.push_back(r.body);
  }
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[0], "queue=");
  std::sort(bodies.begin() + 1, bodies.end());
  EXPECT_EQ(bodies[1], "queue=Power%3C-");
  EXPECT_EQ(bodies[2], "queue=test-%3E");

  const Snapshot& snap = *result;
  EXPECT_EQ(Value(snap, "callcenter_ucontact_campaign_wrapup", {{"queue", "test->"}}), 3.0);  // from the overview
  EXPECT_EQ(Value(snap, "callcenter_ucontact_campaign_agents_members", {{"queue", "Power<-"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents", {{"queue", "test->"}, {"state", "available"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_agents", {{"queue", "Power<-"}, {"state", "available"}}), 0.0);
  EXPECT_EQ(Value(snap, "callcenter_queue_member_info", {{"queue", "test->"}, {"agent", "SIP/1001"}}), 1.0);
  EXPECT_EQ(Value(snap, "callcenter_agent_state", {{"agent", "SIP/1010"}, {"state", "offline"}}), 1.0);
}

TEST(UcontactCollectorTest, PerCampaignCallsRunConcurrentlyWithinTheLimit) {
  net::io_context ioc;
  const std::vector<std::string> names{"a->", "b<-", "c->", "d<-", "e->", "f<-"};
  auto per_campaign = [](const Request& r) { return !r.target.ends_with("/auth/getUserToken") && r.body != "queue="; };
  FakeVendor server([&](const Request& r) {
    if (r.target.ends_with("/auth/getUserToken")) return Reply(200, "[\"dG9r\"]");
    if (!per_campaign(r)) return Reply(200, "{}");
    const std::string name = r.body.substr(6, 1);
    const std::string campaign = name + (r.body.ends_with("%3E") ? "->" : "<-");
    return Reply(200, "{\"" + campaign + "\": {\"campaign\": \"" + campaign +
                          "\", \"completed\": 1}, "
                          "\"SIP/" +
                          name + "\": {\"queue\": \"" + campaign + "\", \"location\": \"SIP/" + name +
                          "\", \"status\": 1, \"paused\": false}}");
  });
  server.HoldUntil(2, 0, per_campaign);  // held until two are waiting
  const TargetConfig target = MakeTarget(server.Url("/r/"));
  Collectors c = Build(PasswordYaml("max_concurrent_requests: 2\ncampaigns: [\"a->\", \"b<-\", \"c->\", \"d<-\", "
                                    "\"e->\", \"f<-\"]\n"),
                       target);
  auto client = MakeClient(ioc, target);
  auto result = RunPoll(ioc, *client, *c.campaign_status, target);
  ASSERT_TRUE(result.ok()) << result.error().message;  // a sequential poll would never see two held
  EXPECT_EQ(server.max_in_flight(), 2u);
  // Two requests in flight need two connections; more would mean more in flight.
  EXPECT_LE(server.connections(), 2u);
  for (const std::string& name : names) {
    EXPECT_EQ(Value(*result, "callcenter_queue_calls_answered_total", {{"queue", name}}), 1.0) << name;
    EXPECT_EQ(Value(*result, "callcenter_queue_agents", {{"queue", name}, {"state", "available"}}), 1.0) << name;
  }
}

TEST(UcontactCollectorTest, CampaignFailureFailsThePoll) {
  net::io_context ioc;
  FakeVendor server([](const Request& r) -> http::Response {
    if (r.target.ends_with("/auth/getUserToken")) return Reply(200, "[\"dG9r\"]");
    if (r.body == "queue=") return Reply(200, CollectorFixture("seed_campaignstatus_all.json"));
    if (r.body == "queue=test-%3E") return Reply(200, "0");
    return Reply(200, "{}");
  });
  const TargetConfig target = MakeTarget(server.Url("/r/"));
  Collectors c = Build(PasswordYaml(), target);
  auto client = MakeClient(ioc, target);
  auto result = RunPoll(ioc, *client, *c.campaign_status, target);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, Reason::vendor_error);
  EXPECT_NE(result.error().message.find("test->"), std::string::npos) << result.error().message;
}

TEST(UcontactCollectorTest, SupervisorErrors) {
  struct Case {
    int status;
    std::string body;
    Reason reason;
  };
  for (const Case& k :
       {Case{503, "busy", Reason::http_status}, Case{200, CollectorFixture("html_error.html"), Reason::parse},
        Case{200, "0", Reason::vendor_error}}) {
    SCOPED_TRACE(k.status);
    net::io_context ioc;
    FakeVendor server([&](const Request& r) -> http::Response {
      if (r.target.ends_with("/auth/getUserToken")) return Reply(200, "[\"dG9r\"]");
      return Reply(k.status, k.body);
    });
    const TargetConfig target = MakeTarget(server.Url("/r/"));
    Collectors c = Build(PasswordYaml(), target);
    auto client = MakeClient(ioc, target);
    for (auto* collector : {c.queue_summary.get(), c.campaign_status.get()}) {
      auto r = RunPoll(ioc, *client, *collector, target);
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().reason, k.reason) << r.error().message;
    }
  }
}

}  // namespace
}  // namespace cc::ucontact

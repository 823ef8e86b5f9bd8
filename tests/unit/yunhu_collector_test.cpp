#include "collectors/yunhu/collector.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "collectors/kit/collector.h"
#include "common/log.h"
#include "config/config_node.h"
#include "config/url.h"
#include "http/server.h"
#include "model/agent_state.h"
#include "tests/unit/support/fake_vendor.h"
#include "tests/unit/support/log_capture.h"
#include "tests/unit/support/vendor_testing.h"

namespace cc::yunhu {
namespace {

using test::Count;
using test::ReadFile;
using test::RunPoll;
using test::Value;

std::string CollectorFixture(const std::string& name) { return test::Fixture("yunhu", name); }

namespace net = boost::asio;
using tcp = net::ip::tcp;
using http::Request;

constexpr const char* kAppId = "APP-7731";
constexpr const char* kAccessKey = "AK-s3cr3t-9f8e7d";
constexpr const char* kConfig = "auth: {appid: APP-7731, accesskey: AK-s3cr3t-9f8e7d}\n";

// A yunhu platform on loopback: Login issues tokens, GetQueueSipStatus
// accepts only the current one (ret 600 otherwise). Tests override answers.
// Its answers are computed on the server's thread: tests change them only
// between polls.
class FakeYunhu {
 public:
  struct Answer {
    int status;
    std::string body;
  };
  using Override = std::function<std::optional<Answer>(const Request&)>;

  std::string Url(const std::string& path) const { return server_.Url(path); }
  std::vector<Request> requests() const { return server_.requests(); }
  // "L" for a login, "Q" for a status call, in order.
  std::string Calls() const {
    std::string out;
    for (const Request& r : server_.requests()) out += r.FormParam("service") == "App.Sip_Auth.Login" ? "L" : "Q";
    return out;
  }

  Override override_answer;  // consulted first
  std::string valid_token;   // the token GetQueueSipStatus accepts
  std::string rows = CollectorFixture("seed_queue_sip_status.json");

 private:
  Answer Respond(const Request& r) {
    if (override_answer) {
      if (auto a = override_answer(r)) return *a;
    }
    const std::string service = r.FormParam("service");
    if (service == "App.Sip_Auth.Login") {
      if (r.FormParam("appid") != kAppId || r.FormParam("accesskey") != kAccessKey) {
        return {200, CollectorFixture("login_refused.json")};
      }
      // Alternate between two tokens, so a re-login is visible in the requests.
      const bool first = (logins_++ % 2) == 0;
      valid_token = first ? "TOKEN-A1b2C3d4" : "TOKEN-E5f6G7h8";
      return {200, CollectorFixture(first ? "login_ok.json" : "login_companycode_int.json")};
    }
    if (service == "App.Sip_Queue.GetQueueSipStatus") {
      const std::string token = r.FormParam("token");
      if (token.empty() || token != valid_token) return {200, CollectorFixture("ret600_token_invalid.json")};
      return {200, rows};
    }
    return {200, CollectorFixture("ret400_illegal_request.json")};
  }

  int logins_ = 0;
  // Last: it calls Respond until it is gone.
  test::FakeVendor server_{[this](const Request& r) {
    const Answer a = Respond(r);
    return test::MakeResponse(static_cast<unsigned>(a.status), a.body, "text/html; charset=UTF-8");
  }};
};

TargetConfig MakeTarget(const std::string& url, bool agent_metrics = true) {
  TargetConfig target;
  target.name = "dialer";
  target.vendor = "yunhu";
  std::string error;
  auto parsed = ParseUrl(url, &error);
  EXPECT_TRUE(parsed.has_value()) << error;
  if (parsed) target.url = *parsed;
  target.poll.agent_metrics = agent_metrics;
  return target;
}

std::shared_ptr<Collector> BuildCollector(const std::string& yaml, const TargetConfig& target) {
  ConfigNode node(YAML::Load(yaml), "test.yaml", "targets[0]");
  auto collectors = test::BuildCollectors(Vendor(), target, node);
  EXPECT_EQ(collectors.size(), 1u);
  return collectors.empty() ? nullptr : collectors.front();
}

std::string BuildError(const std::string& yaml) {
  const TargetConfig target = MakeTarget("http://127.0.0.1:1/api/yunhu");
  ConfigNode node(YAML::Load(yaml), "test.yaml", "targets[0]");
  try {
    test::BuildCollectors(Vendor(), target, node);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// Polls run to completion on `ioc`, with one http::Client shared like the scheduler does.
class Poller {
 public:
  Poller(net::io_context& ioc, const TargetConfig& target)
      : ioc_(ioc), target_(target), client_(ioc.get_executor(), http::Client::Options{.base = target.url, .tls = {}}) {}

  Result<Snapshot> Poll(Collector& collector) { return RunPoll(ioc_, client_, collector, target_); }

 private:
  net::io_context& ioc_;
  const TargetConfig& target_;
  http::Client client_;
};

std::optional<double> Series(const Snapshot& snap, std::string_view family, Labels labels) {
  const FamilySamples* f = snap.Find(family);
  if (f == nullptr) return std::nullopt;
  std::sort(labels.begin(), labels.end());
  for (const Sample& s : f->samples) {
    Labels l = s.labels;
    std::sort(l.begin(), l.end());
    if (l == labels) return s.value;
  }
  return std::nullopt;
}

using test::LogCapture;

void ExpectNoSecret(const std::string& text) {
  for (const char* secret : {kAccessKey, "TOKEN-A1b2C3d4", "TOKEN-E5f6G7h8"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "secret " << secret << " in: " << text;
  }
}

// --- configuration ----------------------------------------------------------

TEST(YunhuCollectorTest, BuildReadsConfig) {
  const TargetConfig target = MakeTarget("http://127.0.0.1:1/api/yunhu");
  auto collector = BuildCollector(kConfig, target);
  ASSERT_NE(collector, nullptr);
  EXPECT_EQ(collector->name(), "queue_sip_status");
  EXPECT_EQ(Vendor().name, "yunhu");
  EXPECT_NE(BuildCollector(std::string(kConfig) + "queues: [queue-1, \"队列2\"]\nutc_offset: \"-03:00\"\n", target),
            nullptr);

  const std::string key_file = testing::TempDir() + "/yunhu_accesskey";
  {
    std::ofstream out(key_file);
    out << kAccessKey << "\n";
  }
  EXPECT_NE(BuildCollector("auth: {appid: A, accesskey_file: " + key_file + "}\n", target), nullptr);
  std::remove(key_file.c_str());
}

TEST(YunhuCollectorTest, BuildRejectsBadConfig) {
  struct Case {
    std::string yaml;
    std::string key;
  };
  for (const Case& c : {Case{"{}", "appid"}, Case{"auth: {appid: A}\n", "accesskey"},
                        Case{"auth: {accesskey: AK-s3cr3t-9f8e7d}\n", "appid"},
                        Case{std::string(kConfig) + "utc_offset: \"8\"\n", "utc_offset"},
                        Case{std::string(kConfig) + "utc_offset: Asia/Shanghai\n", "utc_offset"},
                        Case{std::string(kConfig) + "queues: [\"\"]\n", "queues"},
                        Case{std::string(kConfig) + "queues: [a, a]\n", "queues"}}) {
    SCOPED_TRACE(c.yaml);
    const std::string error = BuildError(c.yaml);
    EXPECT_NE(error.find(c.key), std::string::npos) << error;
    ExpectNoSecret(error);
  }
}

// --- polling ----------------------------------------------------------------

TEST(YunhuCollectorTest, PollLogsInThenFetches) {
  net::io_context ioc;
  FakeYunhu server;
  const TargetConfig target = MakeTarget(server.Url("/api/yunhu"));
  auto collector = BuildCollector(kConfig, target);
  ASSERT_NE(collector, nullptr);
  Poller poller(ioc, target);

  auto result = poller.Poll(*collector);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(server.Calls(), "LQ");
  const auto& reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/api/yunhu");
  EXPECT_EQ(reqs[0].Header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(reqs[0].body, "service=App.Sip_Auth.Login&appid=APP-7731&accesskey=AK-s3cr3t-9f8e7d");
  EXPECT_EQ(reqs[1].method, "POST");
  EXPECT_EQ(reqs[1].target, "/api/yunhu");
  EXPECT_EQ(reqs[1].body, "service=App.Sip_Queue.GetQueueSipStatus&token=TOKEN-A1b2C3d4");

  // The seed's values, end to end.
  const Snapshot& snap = *result;
  EXPECT_EQ(snap.SampleCount(), 29u);
  EXPECT_EQ(
      Series(snap, "callcenter_queue_member_last_call_timestamp_seconds", {{"queue", "queue-1"}, {"agent", "100001"}}),
      1580907816.0);
  EXPECT_EQ(Series(snap, "callcenter_agent_state", {{"agent", "100001"}, {"state", "available"}}), 1.0);
  EXPECT_EQ(Series(snap, "callcenter_queue_agents", {{"queue", "queue-1"}, {"state", "available"}}), 1.0);
}

TEST(YunhuCollectorTest, UtcOffsetApplies) {
  net::io_context ioc;
  FakeYunhu server;
  const TargetConfig target = MakeTarget(server.Url("/api/yunhu"));
  auto collector = BuildCollector(std::string(kConfig) + "utc_offset: \"+00:00\"\n", target);
  ASSERT_NE(collector, nullptr);
  Poller poller(ioc, target);
  auto result = poller.Poll(*collector);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(Series(*result, "callcenter_agent_state_since_timestamp_seconds", {{"agent", "100001"}}),
            1580907809.0 + 8 * 3600);
}

TEST(YunhuCollectorTest, TokenIsReusedAcrossPolls) {
  net::io_context ioc;
  FakeYunhu server;
  const TargetConfig target = MakeTarget(server.Url("/api/yunhu"));
  auto collector = BuildCollector(kConfig, target);
  ASSERT_NE(collector, nullptr);
  Poller poller(ioc, target);

  ASSERT_TRUE(poller.Poll(*collector).ok());
  auto second = poller.Poll(*collector);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(server.Calls(), "LQQ");  // one login for two polls
  EXPECT_EQ(server.requests()[2].FormParam("token"), "TOKEN-A1b2C3d4");
  EXPECT_EQ(second->SampleCount(), 29u);
}

TEST(YunhuCollectorTest, ExpiredTokenIsRenewedWithinThePoll) {
  net::io_context ioc;
  FakeYunhu server;
  const TargetConfig target = MakeTarget(server.Url("/api/yunhu"));
  auto collector = BuildCollector(kConfig, target);
  ASSERT_NE(collector, nullptr);
  Poller poller(ioc, target);
  ASSERT_TRUE(poller.Poll(*collector).ok());

  server.valid_token.clear();  // the platform forgets the token (expiry, Logout)
  LogCapture capture;
  auto result = poller.Poll(*collector);
  const std::string logs = capture.Take();
  ASSERT_TRUE(result.ok()) << result.error().message;  // not a single failed poll
  EXPECT_EQ(server.Calls(), "LQQLQ");
  EXPECT_EQ(server.requests()[2].FormParam("token"), "TOKEN-A1b2C3d4");
  EXPECT_EQ(server.requests()[4].FormParam("token"), "TOKEN-E5f6G7h8");
  EXPECT_EQ(result->SampleCount(), 29u);
  EXPECT_NE(logs.find("ret 600"), std::string::npos) << logs;
  ExpectNoSecret(logs);

  // The new token is the one kept.
  ASSERT_TRUE(poller.Poll(*collector).ok());
  EXPECT_EQ(server.Calls(), "LQQLQQ");
  EXPECT_EQ(server.requests()[5].FormParam("token"), "TOKEN-E5f6G7h8");
}

TEST(YunhuCollectorTest, RetryHappensOnlyOnce) {
  net::io_context ioc;
  FakeYunhu server;
  const TargetConfig target = MakeTarget(server.Url("/api/yunhu"));
  auto collector = BuildCollector(kConfig, target);
  ASSERT_NE(collector, nullptr);
  Poller poller(ioc, target);
  ASSERT_TRUE(poller.Poll(*collector).ok());

  // Every token is refused from now on.
  server.override_answer = [](const Request& r) -> std::optional<FakeYunhu::Answer> {
    if (!r.FormParam("token").empty()) return FakeYunhu::Answer{200, CollectorFixture("ret600_token_invalid.json")};
    return std::nullopt;
  };
  auto result = poller.Poll(*collector);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, Reason::auth);
  EXPECT_NE(result.error().message.find("ret 600"), std::string::npos) << result.error().message;
  EXPECT_EQ(server.Calls(), "LQQLQ");
  ExpectNoSecret(result.error().message);

  // A token refused right after login is not kept: the next poll logs in first.
  auto again = poller.Poll(*collector);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(server.Calls(), "LQQLQLQ");
}

TEST(YunhuCollectorTest, PerQueueRequestsMergeAndFilter) {
  net::io_context ioc;
  FakeYunhu server;
  server.rows = CollectorFixture("multi_queue.json");  // ignores queuename, as a server might
  const TargetConfig target = MakeTarget(server.Url("/api/yunhu"));
  auto collector = BuildCollector(std::string(kConfig) + "queues: [queue-1, queue-2, empty q]\n", target);
  ASSERT_NE(collector, nullptr);
  Poller poller(ioc, target);

  auto result = poller.Poll(*collector);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(server.Calls(), "LQQQ");  // one login for all queues
  EXPECT_EQ(server.requests()[1].body,
            "service=App.Sip_Queue.GetQueueSipStatus&token=TOKEN-A1b2C3d4&queuename=queue-1");
  EXPECT_EQ(server.requests()[3].FormParam("queuename"), "empty q");
  EXPECT_EQ(server.requests()[3].body.find(' '), std::string::npos);
  const Snapshot& snap = *result;
  EXPECT_EQ(Series(snap, "callcenter_queue_member_calls_answered_total", {{"queue", "queue-2"}, {"agent", "100001"}}),
            2.0);
  EXPECT_EQ(Series(snap, "callcenter_queue_member_info", {{"queue", "queue-3"}, {"agent", "100009"}}), std::nullopt);
  EXPECT_EQ(Series(snap, "callcenter_queue_agents", {{"queue", "empty q"}, {"state", "available"}}), 0.0);
  EXPECT_EQ(snap.Find("callcenter_queue_agents")->samples.size(), 3 * kAllAgentStates.size());
  // Rows repeat across the three answers but are counted once.
  EXPECT_EQ(snap.Find("callcenter_queue_member_info")->samples.size(), 3u);
  EXPECT_EQ(Series(snap, "callcenter_queue_agents", {{"queue", "queue-2"}, {"state", "available"}}), 2.0);
}

TEST(YunhuCollectorTest, AuthorisationErrors) {
  struct Case {
    std::string fixture;
    bool on_login;
    std::string in_message;
  };
  for (const Case& c : {Case{"ret601_appid_not_authorized.json", false, "appid not authorized"},
                        Case{"ret602_appid_expired.json", true, "appid authorization expired"},
                        Case{"ret603_module_not_authorized.json", false, "module not authorized"},
                        Case{"ret604_ip_denied.json", true, "IP address is not on the platform's allow-list"},
                        Case{"ret604_ip_denied.json", false, "IP address is not on the platform's allow-list"},
                        Case{"login_refused.json", true, "login refused"}}) {
    SCOPED_TRACE(c.fixture + (c.on_login ? " on login" : " on status"));
    net::io_context ioc;
    FakeYunhu server;
    server.override_answer = [&](const Request& r) -> std::optional<FakeYunhu::Answer> {
      const bool login = r.FormParam("service") == "App.Sip_Auth.Login";
      if (login == c.on_login) return FakeYunhu::Answer{200, CollectorFixture(c.fixture)};
      return std::nullopt;
    };
    const TargetConfig target = MakeTarget(server.Url("/api/yunhu"));
    auto collector = BuildCollector(kConfig, target);
    ASSERT_NE(collector, nullptr);
    Poller poller(ioc, target);
    LogCapture capture;
    auto result = poller.Poll(*collector);
    const std::string logs = capture.Take();
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().reason, Reason::auth);
    EXPECT_NE(result.error().message.find(c.in_message), std::string::npos) << result.error().message;
    EXPECT_NE(logs.find(c.in_message), std::string::npos) << logs;  // said in the log, too
    EXPECT_EQ(server.Calls(), c.on_login ? "L" : "LQ");             // no retry for 601–604
    ExpectNoSecret(result.error().message);
    ExpectNoSecret(logs);
  }
}

TEST(YunhuCollectorTest, VendorAndHttpErrors) {
  struct Case {
    int status;
    std::string fixture;
    Reason reason;
    std::string in_message;
  };
  for (const Case& c : {Case{200, "status1_failure.json", Reason::vendor_error, "illegal queue"},
                        Case{200, "ret400_illegal_request.json", Reason::vendor_error, "ret 400"},
                        Case{502, "html_error.html", Reason::http_status, "502"},
                        Case{500, "seed_queue_sip_status.json", Reason::http_status, "500"},
                        Case{403, "ret604_ip_denied.json", Reason::auth, "allow-list"},  // ret mirrored in HTTP
                        Case{200, "html_error.html", Reason::parse, "not JSON"}}) {
    SCOPED_TRACE(c.fixture);
    net::io_context ioc;
    FakeYunhu server;
    server.override_answer = [&](const Request& r) -> std::optional<FakeYunhu::Answer> {
      if (r.FormParam("service") == "App.Sip_Auth.Login") return std::nullopt;
      return FakeYunhu::Answer{c.status, CollectorFixture(c.fixture)};
    };
    const TargetConfig target = MakeTarget(server.Url("/api/yunhu"));
    auto collector = BuildCollector(std::string(kConfig) + "queues: [queue-1, queue-2]\n", target);
    ASSERT_NE(collector, nullptr);
    Poller poller(ioc, target);
    auto result = poller.Poll(*collector);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().reason, c.reason);
    EXPECT_NE(result.error().message.find(c.in_message), std::string::npos) << result.error().message;
    EXPECT_EQ(server.Calls(), "LQ");  // the first failure ends the poll
  }
}

TEST(YunhuCollectorTest, SecretsNeverLeak) {
  net::io_context ioc;
  FakeYunhu server;
  // A platform that echoes what it was sent in its error text.
  server.override_answer = [](const Request& r) -> std::optional<FakeYunhu::Answer> {
    if (r.FormParam("service") == "App.Sip_Auth.Login") return std::nullopt;
    return FakeYunhu::Answer{200, R"({"ret":400,"data":[],"msg":"bad token )" + r.FormParam("token") + R"("})"};
  };
  const TargetConfig target = MakeTarget(server.Url("/api/yunhu"));
  auto collector = BuildCollector(kConfig, target);
  ASSERT_NE(collector, nullptr);
  Poller poller(ioc, target);
  LogCapture capture;
  auto result = poller.Poll(*collector);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, Reason::vendor_error);
  EXPECT_NE(result.error().message.find("bad token <redacted>"), std::string::npos) << result.error().message;
  ExpectNoSecret(result.error().message);

  // A login answer cut short is not echoed either (it holds the token).
  server.override_answer = [](const Request& r) -> std::optional<FakeYunhu::Answer> {
    if (r.FormParam("service") == "App.Sip_Auth.Login")
      return FakeYunhu::Answer{200, CollectorFixture("login_ok.json").substr(0, 120)};
    return FakeYunhu::Answer{200, CollectorFixture("ret600_token_invalid.json")};
  };
  auto broken = poller.Poll(*collector);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().reason, Reason::parse) << broken.error().message;
  ExpectNoSecret(broken.error().message);
  ExpectNoSecret(capture.Take());
}

TEST(YunhuCollectorTest, TransportErrorsPassThrough) {
  net::io_context ioc;
  std::string url;
  {
    tcp::acceptor probe(ioc, {net::ip::make_address("127.0.0.1"), 0});
    url = "http://127.0.0.1:" + std::to_string(probe.local_endpoint().port()) + "/api/yunhu";
  }
  const TargetConfig target = MakeTarget(url);
  auto collector = BuildCollector(kConfig, target);
  ASSERT_NE(collector, nullptr);
  Poller poller(ioc, target);
  auto result = poller.Poll(*collector);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, Reason::connect) << result.error().message;
}

}  // namespace
}  // namespace cc::yunhu

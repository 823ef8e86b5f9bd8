#include "collectors/huawei_cec/collector.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <boost/asio/io_context.hpp>

#include "collectors/huawei_cec/sign.h"
#include "collectors/kit/collector.h"
#include "config/config_node.h"
#include "config/url.h"
#include "http/server.h"
#include "tests/unit/support/fake_vendor.h"
#include "tests/unit/support/vendor_testing.h"

namespace cc::huawei_cec {
namespace {

using test::Count;
using test::ReadFile;
using test::RunPoll;
using test::Value;

std::string CollectorFixture(const std::string& name) { return test::Fixture("huawei_cec", name); }

namespace net = boost::asio;
using http::Request;
using test::FakeVendor;

constexpr const char* kAk = "test-ak";
constexpr const char* kSk = "S3cr3t-Very-Private";

// A CC-CMS answer: JSON with the charset as the CMS spells it.
http::Response Cms(unsigned status, std::string body) {
  return test::MakeResponse(status, std::move(body), "application/json;charset=UTF-8");
}

// Checks `auth-v2/AK/ts/host/sig` by signing the received request again.
bool SignatureMatches(const Request& r) {
  const std::string auth(r.Header("authorization"));
  const std::string prefix = std::string("auth-v2/") + kAk + "/";
  if (auth.rfind(prefix, 0) != 0) return false;
  const std::string ts = auth.substr(prefix.size(), 20);
  std::tm tm{};
  if (strptime(ts.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) return false;
  const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  const SignRequest sign{.method = r.method,
                         .uri = r.target,
                         .query = {},
                         .headers = {{"host", std::string(r.Header("host"))}},
                         .body = r.body};
  return Authorization(kAk, kSk, sign, when) == auth;
}

TargetConfig MakeTarget(const std::string& url, bool agent_metrics = true) {
  TargetConfig target;
  target.name = "cec";
  target.vendor = "huawei_cec";
  std::string error;
  auto parsed = ParseUrl(url, &error);
  EXPECT_TRUE(parsed.has_value()) << error;
  if (parsed) target.url = *parsed;
  target.poll.agent_metrics = agent_metrics;
  return target;
}

std::string Yaml(const std::string& extra = "") {
  return std::string("cc_id: 1\nvdn: 170\nskills: [1, 2]\nauth: {access_key: ") + kAk + ", secret_key: " + kSk + "}\n" +
         extra;
}

std::map<std::string, std::shared_ptr<Collector>> Build(const std::string& yaml, const TargetConfig& target) {
  ConfigNode node(YAML::Load(yaml), "test.yaml", "targets[0]");
  std::map<std::string, std::shared_ptr<Collector>> out;
  for (auto& c : test::BuildCollectors(Vendor(), target, node)) out[std::string(c->name())] = c;
  node.RejectUnknownKeys();
  return out;
}

void ExpectSigned(const Request& r, const std::string& host) {
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.Header("host"), host);
  EXPECT_EQ(r.Header("content-type"), "application/json;charset=UTF-8");
  EXPECT_TRUE(SignatureMatches(r)) << r.Header("authorization");
  EXPECT_NE(r.Header("authorization").find("/host/"), std::string::npos);
}

// --- config ---------------------------------------------------------------------

TEST(HuaweiCecCollectorTest, BuildsFourCollectors) {
  const TargetConfig target = MakeTarget("http://127.0.0.1:1");
  auto collectors = Build(Yaml("max_concurrent_requests: 2\npaths: {vdn_rest: /x}\n"), target);
  ASSERT_EQ(collectors.size(), 4u);
  for (const char* name : {"skill_agents", "skill_status", "skill_call_stats", "vdn_rest"}) {
    EXPECT_EQ(collectors.count(name), 1u) << name;
  }
  EXPECT_EQ(Vendor().name, "huawei_cec");
}

TEST(HuaweiCecCollectorTest, BuildRejectsBadConfig) {
  const TargetConfig target = MakeTarget("http://127.0.0.1:1");
  const std::string auth = std::string("auth: {access_key: ") + kAk + ", secret_key: " + kSk + "}\n";
  struct Case {
    std::string yaml;
    std::string key;
  };
  for (const Case& c : {Case{"vdn: 1\nskills: [1]\n" + auth, "cc_id"}, Case{"cc_id: 1\nskills: [1]\n" + auth, "vdn"},
                        Case{"cc_id: 0\nvdn: 1\nskills: [1]\n" + auth, "cc_id"},
                        Case{"cc_id: 1\nvdn: 1\nskills: []\n" + auth, "skills"},
                        Case{Yaml("media_types: [voice, fax_machine]\n"), "media_types"},
                        Case{Yaml("media_types: [5, voice]\n"), "media_types"},
                        Case{Yaml("skill_discovery_interval: 0s\n"), "skill_discovery_interval"},
                        Case{Yaml("paths: {skill_discovery: configures}\n"), "skill_discovery"},
                        Case{"cc_id: 1\nvdn: 1\nskills: [1, 1]\n" + auth, "skills"},
                        Case{"cc_id: 1\nvdn: 1\nskills: [10001]\n" + auth, "skills"},
                        Case{"cc_id: 1\nvdn: 1\nskills: [1]\nauth: {access_key: a}\n", "secret_key"},
                        Case{"cc_id: 1\nvdn: 1\nskills: [1]\nauth: {secret_key: s}\n", "access_key"},
                        Case{Yaml("paths: {skill_status: no-slash}\n"), "skill_status"},
                        Case{Yaml("max_concurrent_requests: 11\n"), "max_concurrent_requests"}}) {
    SCOPED_TRACE(c.yaml);
    try {
      Build(c.yaml, target);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(c.key), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find(kSk), std::string::npos) << e.what();
    }
  }
}

// --- polls ----------------------------------------------------------------------

TEST(HuaweiCecCollectorTest, SkillAgentsOneSignedRequestPerSkill) {
  net::io_context ioc;
  FakeVendor server([](const Request& r) {
    return Cms(200, CollectorFixture(r.body.find("\"skillId\":1}") != std::string::npos ? "seed_skill_agents.json"
                                                                                        : "skill_agents_camel.json"));
  });
  const TargetConfig target = MakeTarget(server.Url());
  auto collectors = Build(Yaml(), target);
  auto result = RunPoll(ioc, *collectors.at("skill_agents"), target);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(server.count(), 2u);
  const std::string host = target.url.HostHeader();
  for (const Request& r : server.requests()) {
    ExpectSigned(r, host);
    EXPECT_EQ(r.target, "/rest/cmsapp/v1/openapi/skill/agentbyconfigedskill");
  }
  // The two go out concurrently (max_concurrent_requests 4) and may arrive in either order.
  std::vector<std::string> bodies;
  for (const Request& r : server.requests()) bodies.push_back(r.body);
  std::sort(bodies.begin(), bodies.end());
  EXPECT_EQ(bodies[0], R"({"queryParam":{"ccId":1,"vdn":170,"skillId":1}})");
  EXPECT_EQ(bodies[1], R"({"queryParam":{"ccId":1,"vdn":170,"skillId":2}})");
  EXPECT_EQ(Value(*result, "callcenter_queue_member_info", {{"queue", "1"}, {"agent", "20011"}}), 1.0);
  EXPECT_EQ(Value(*result, "callcenter_queue_member_info", {{"queue", "2"}, {"agent", "70001"}}), 1.0);
  EXPECT_EQ(Value(*result, "callcenter_queue_agents", {{"queue", "2"}, {"state", "on_call"}}), 1.0);
  EXPECT_EQ(Value(*result, "callcenter_agent_status_code", {{"agent", "20011"}}), 4.0);
}

TEST(HuaweiCecCollectorTest, SkillAgentsRunConcurrentlyWithinTheLimit) {
  net::io_context ioc;
  FakeVendor server([](const Request&) { return Cms(200, CollectorFixture("seed_skill_agents.json")); });
  server.HoldUntil(3, 7);
  const TargetConfig target = MakeTarget(server.Url());
  auto collectors =
      Build(std::string("cc_id: 1\nvdn: 170\nskills: [1, 2, 3, 4, 5, 6, 7]\nmax_concurrent_requests: 3\n") +
                "auth: {access_key: " + kAk + ", secret_key: " + kSk + "}\n",
            target);
  auto result = RunPoll(ioc, *collectors.at("skill_agents"), target);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(server.count(), 7u);
  EXPECT_EQ(server.max_in_flight(), 3u);
  for (const Request& r : server.requests()) EXPECT_TRUE(SignatureMatches(r));
  for (int skill = 1; skill <= 7; ++skill) {
    EXPECT_EQ(Value(*result, "callcenter_queue_member_info", {{"queue", std::to_string(skill)}, {"agent", "20011"}}),
              1.0);
  }
}

TEST(HuaweiCecCollectorTest, ConcurrentForbiddenCountsAsOneBackoff) {
  net::io_context ioc;
  FakeVendor server([](const Request&) { return Cms(403, CollectorFixture("http_403.json")); });
  server.HoldUntil(4, 4);
  const TargetConfig target = MakeTarget(server.Url());
  auto collectors = Build(std::string("cc_id: 1\nvdn: 170\nskills: [1, 2, 3, 4]\n") + "auth: {access_key: " + kAk +
                              ", secret_key: " + kSk + "}\n",
                          target);
  auto result = RunPoll(ioc, *collectors.at("skill_agents"), target);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, Reason::auth);
  EXPECT_EQ(server.count(), 4u);
  auto next = RunPoll(ioc, *collectors.at("vdn_rest"), target);
  ASSERT_FALSE(next.ok());
  // One poll interval (15 s default), not doubled by the four answers.
  EXPECT_NE(next.error().message.find("backing off"), std::string::npos);
  EXPECT_EQ(server.count(), 4u);
}

TEST(HuaweiCecCollectorTest, SkillStatusAndCallStatsBatchSkillIds) {
  net::io_context ioc;
  FakeVendor server([](const Request& r) {
    return Cms(200, CollectorFixture(r.target.ends_with("currentcallstateinfo") ? "seed_call_stats.json"
                                                                                : "skill_status.json"));
  });
  const TargetConfig target = MakeTarget(server.Url("/cms/"));
  std::string skills = "skills: [";
  for (int i = 1; i <= 1001; ++i) skills += (i > 1 ? "," : "") + std::to_string(i);
  skills += "]\n";
  auto collectors = Build(std::string("cc_id: 1\nvdn: 170\n") + skills + "auth: {access_key: " + kAk +
                              ", secret_key: " + kSk + "}\npaths: {skill_status: /custom/status}\n",
                          target);

  auto status = RunPoll(ioc, *collectors.at("skill_status"), target);
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(server.count(), 2u);
  // The two batches go out concurrently, in either order.
  std::vector<std::string> bodies{server.requests()[0].body, server.requests()[1].body};
  std::sort(bodies.begin(), bodies.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
  EXPECT_EQ(server.requests()[0].target, "/cms/custom/status");
  EXPECT_EQ(server.requests()[1].target, "/cms/custom/status");
  EXPECT_EQ(bodies[0], R"({"ccId":1,"vdn":170,"skillIds":[1001]})");
  EXPECT_TRUE(bodies[1].starts_with(R"({"ccId":1,"vdn":170,"skillIds":[1,2,3,)"));
  EXPECT_TRUE(bodies[1].ends_with(",999,1000]}"));
  EXPECT_EQ(Value(*status, "callcenter_queue_calls_waiting", {{"queue", "1"}}), 3.0);
  EXPECT_EQ(Value(*status, "callcenter_queue_info", {{"queue", "2"}, {"name", "Support"}, {"media", ""}}), 1.0);

  auto stats = RunPoll(ioc, *collectors.at("skill_call_stats"), target);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  ASSERT_EQ(server.count(), 4u);
  EXPECT_EQ(server.requests()[2].target, "/cms/rest/cmsapp/v1/openapi/skill/currentcallstateinfo");
  for (const Request& r : server.requests()) ExpectSigned(r, target.url.HostHeader());
  EXPECT_EQ(Value(*stats, "callcenter_queue_window_start_timestamp_seconds", {{"queue", "2"}}), 1607390702.0);
}

TEST(HuaweiCecCollectorTest, VdnRest) {
  net::io_context ioc;
  FakeVendor server([](const Request&) { return Cms(200, CollectorFixture("rest_info.json")); });
  const TargetConfig target = MakeTarget(server.Url());
  auto collectors = Build(Yaml("paths: {vdn_rest: /rest/cmsapp/v1/openapi/agentgroup/agentrestinfos}\n"), target);
  auto result = RunPoll(ioc, *collectors.at("vdn_rest"), target);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(server.count(), 1u);
  ExpectSigned(server.requests()[0], target.url.HostHeader());
  EXPECT_EQ(server.requests()[0].target, "/rest/cmsapp/v1/openapi/agentgroup/agentrestinfos");
  EXPECT_EQ(server.requests()[0].body, R"({"queryParam":{"ccId":1,"vdn":170}})");
  EXPECT_EQ(Value(*result, "callcenter_break_agents", {{"phase", "approved"}}), 101.0);
}

TEST(HuaweiCecCollectorTest, ErrorsByStatus) {
  struct Case {
    int status;
    std::string fixture;
    Reason reason;
    std::string in_message;
  };
  for (const Case& c :
       {Case{401, "http_401.json", Reason::auth, "401"}, Case{500, "http_401.json", Reason::http_status, "500"},
        Case{200, "error_invalid_param.json", Reason::vendor_error, "0100002"},
        Case{200, "seed_rest_info_malformed.json", Reason::parse, "not JSON"}}) {
    SCOPED_TRACE(c.fixture);
    net::io_context ioc;
    FakeVendor server([&](const Request&) { return Cms(c.status, CollectorFixture(c.fixture)); });
    const TargetConfig target = MakeTarget(server.Url());
    auto collectors = Build(Yaml("max_concurrent_requests: 1\n"), target);
    auto result = RunPoll(ioc, *collectors.at("skill_agents"), target);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().reason, c.reason);
    EXPECT_NE(result.error().message.find(c.in_message), std::string::npos) << result.error().message;
    EXPECT_EQ(result.error().message.find(kSk), std::string::npos);
    EXPECT_EQ(server.count(), 1u);  // the first failure ends the (sequential) poll
    // 401 is no lock-out: the next poll asks again.
    auto again = RunPoll(ioc, *collectors.at("vdn_rest"), target);
    EXPECT_EQ(server.count(), 2u);
  }
}

TEST(HuaweiCecCollectorTest, Http403BacksOffWithoutSending) {
  net::io_context ioc;
  FakeVendor server([](const Request&) { return Cms(403, CollectorFixture("http_403.json")); });
  const TargetConfig target = MakeTarget(server.Url());
  auto collectors = Build(Yaml(), target);

  auto first = RunPoll(ioc, *collectors.at("skill_status"), target);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().reason, Reason::auth);
  EXPECT_NE(first.error().message.find("403"), std::string::npos) << first.error().message;
  ASSERT_EQ(server.count(), 1u);
  const std::string signature(server.requests()[0].Header("authorization"));

  // Every collector of the target shares the back-off (the lock is per IP).
  for (const char* name : {"skill_status", "skill_agents", "skill_call_stats", "vdn_rest"}) {
    SCOPED_TRACE(name);
    auto next = RunPoll(ioc, *collectors.at(name), target);
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.error().reason, Reason::auth);
    EXPECT_NE(next.error().message.find("backing off after HTTP 403 until "), std::string::npos)
        << next.error().message;
    EXPECT_EQ(next.error().message.find(kSk), std::string::npos);
    EXPECT_EQ(next.error().message.find(signature.substr(signature.rfind('/') + 1)), std::string::npos);
  }
  EXPECT_EQ(server.count(), 1u);

  // A target built afresh (config reload) starts without back-off.
  auto fresh = Build(Yaml(), target);
  auto retry = RunPoll(ioc, *fresh.at("vdn_rest"), target);
  EXPECT_EQ(server.count(), 2u);
}

TEST(HuaweiCecCollectorTest, BackoffDoublesUpToTenMinutes) {
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  EXPECT_EQ(NextBackoff(milliseconds{0}, seconds(15)), seconds(15));
  EXPECT_EQ(NextBackoff(seconds(15), seconds(15)), seconds(30));
  EXPECT_EQ(NextBackoff(seconds(30), seconds(15)), seconds(60));
  EXPECT_EQ(NextBackoff(seconds(480), seconds(15)), minutes(10));
  EXPECT_EQ(NextBackoff(minutes(10), seconds(15)), minutes(10));
  EXPECT_EQ(NextBackoff(milliseconds{0}, milliseconds(100)), seconds(1));
  EXPECT_EQ(NextBackoff(milliseconds{0}, minutes(30)), minutes(10));
}

TEST(HuaweiCecCollectorTest, SecretFromFileAndEnv) {
  net::io_context ioc;
  FakeVendor server([](const Request&) { return Cms(200, CollectorFixture("rest_info.json")); });
  const TargetConfig target = MakeTarget(server.Url());
  const std::string file = testing::TempDir() + "/huawei_cec_sk";
  {
    std::ofstream out(file);
    out << kSk << "\n";
  }
  setenv("CC_TEST_HUAWEI_SK", kSk, 1);
  for (const std::string& auth : {"auth: {access_key: test-ak, secret_key_file: " + file + "}\n",
                                  std::string("auth: {access_key: test-ak, secret_key: \"${CC_TEST_HUAWEI_SK}\"}\n")}) {
    SCOPED_TRACE(auth);
    auto collectors = Build("cc_id: 1\nvdn: 170\nskills: [1]\n" + auth, target);
    auto result = RunPoll(ioc, *collectors.at("vdn_rest"), target);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_TRUE(SignatureMatches(server.requests().back()));
  }
}

}  // namespace
}  // namespace cc::huawei_cec

// Skill discovery over real sockets: the collectors of one target against a
// FakeVendor that serves configures/skills and answers the skill interfaces
// for exactly the ids it is asked for.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <boost/asio/io_context.hpp>

#include "collectors/huawei_cec/collector.h"
#include "collectors/kit/collector.h"
#include "config/config_node.h"
#include "config/url.h"
#include "http/server.h"
#include "tests/unit/support/fake_vendor.h"
#include "tests/unit/support/vendor_testing.h"

namespace cc::huawei_cec {
namespace {

namespace net = boost::asio;
using http::Request;

constexpr std::string_view kListPath = "/rest/cmsapp/v1/openapi/configures/skills";
constexpr std::string_view kStatusPath = "/rest/cmsapp/v1/openapi/skill/totalskillstatusex3";

http::Response DiscoveryCms(std::string body) {
  return test::MakeResponse(200, std::move(body), "application/json;charset=UTF-8");
}

// The ids of `"skillIds":[…]` in a request body.
std::vector<std::string> RequestedIds(const std::string& body) {
  std::vector<std::string> ids;
  const auto open = body.find("\"skillIds\":[");
  if (open == std::string::npos) return ids;
  const auto close = body.find(']', open);
  std::string list = body.substr(open + 12, close - open - 12);
  std::size_t start = 0;
  while (start < list.size()) {
    const auto comma = list.find(',', start);
    ids.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    start = comma == std::string::npos ? list.size() : comma + 1;
  }
  return ids;
}

// totalskillstatusex3 for the requested ids: queueSize = id, skillDescrip "status <id>".
std::string StatusFor(const std::string& request_body) {
  std::string out = R"({"resultCode":"0100000","resultDesc":[)";
  bool first = true;
  for (const std::string& id : RequestedIds(request_body)) {
    out += (first ? "" : ",") + std::string(R"({"skillId":)") + id + R"(,"skillDescrip":"status )" + id +
           R"(","queueSize":)" + id + "}";
    first = false;
  }
  return out + "]}";
}

// A listing of `ids`, each voice unless listed in `chat`, named "queue <id>".
std::string ListingOf(const std::vector<int>& ids, const std::vector<int>& chat = {}) {
  std::string out = R"({"resultCode":"0100000","resultDesc":[)";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const bool is_chat = std::find(chat.begin(), chat.end(), ids[i]) != chat.end();
    out += (i ? "," : "") + std::string(R"({"id":)") + std::to_string(ids[i]) + R"(,"mediaType":)" +
           (is_chat ? "51" : "5") + R"(,"submediaType":"-1","name":"queue )" + std::to_string(ids[i]) + "\"}";
  }
  return out + "]}";
}

// What the fake CMS answers; changed by the tests only between polls.
struct FakeCms {
  std::mutex mu;
  std::string listing;                  // the configures/skills answer
  bool flat_is_invalid = false;         // answers 0100002 to the flat body
  bool query_param_is_invalid = false;  // … and to the queryParam one
  http::Response Answer(const Request& r) {
    std::lock_guard lock(mu);
    if (r.target == kListPath) {
      const bool wrapped = r.body.starts_with(R"({"queryParam")");
      if ((wrapped && query_param_is_invalid) || (!wrapped && flat_is_invalid)) {
        return DiscoveryCms(R"({"resultCode":"0100002","resultDesc":"Invalid parameter"})");
      }
      return DiscoveryCms(listing);
    }
    if (r.target == kStatusPath) return DiscoveryCms(StatusFor(r.body));
    return test::MakeResponse(404, "{}", "application/json");
  }
  void Set(std::string body) {
    std::lock_guard lock(mu);
    listing = std::move(body);
  }
};

TargetConfig DiscoveryTarget(const std::string& url) {
  TargetConfig target;
  target.name = "cec";
  target.vendor = "huawei_cec";
  std::string error;
  auto parsed = ParseUrl(url, &error);
  EXPECT_TRUE(parsed.has_value()) << error;
  if (parsed) target.url = *parsed;
  return target;
}

std::map<std::string, std::shared_ptr<Collector>> BuildDiscovering(const std::string& extra,
                                                                   const TargetConfig& target) {
  ConfigNode node(YAML::Load("cc_id: 1\nvdn: 170\nauth: {access_key: ak, secret_key: sk}\n" + extra), "test.yaml",
                  "targets[0]");
  std::map<std::string, std::shared_ptr<Collector>> out;
  for (auto& c : test::BuildCollectors(Vendor(), target, node)) out[std::string(c->name())] = c;
  node.RejectUnknownKeys();
  return out;
}

std::vector<Request> RequestsTo(const test::FakeVendor& server, std::string_view path) {
  std::vector<Request> out;
  for (const Request& r : server.requests()) {
    if (r.target == path) out.push_back(r);
  }
  return out;
}

// Every skill id the skill_status requests since request `from` asked for.
std::vector<std::string> StatusIds(const test::FakeVendor& server, std::size_t from = 0) {
  std::vector<std::string> ids;
  const auto requests = RequestsTo(server, kStatusPath);
  for (std::size_t i = from; i < requests.size(); ++i) {
    for (auto& id : RequestedIds(requests[i].body)) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(HuaweiCecDiscoveryTest, WithoutSkillsEveryListedQueueIsPolled) {
  net::io_context ioc;
  FakeCms cms;
  cms.Set(test::Fixture("huawei_cec", "skills_list_mixed.json"));
  test::FakeVendor server([&](const Request& r) { return cms.Answer(r); });
  const TargetConfig target = DiscoveryTarget(server.Url());
  auto collectors = BuildDiscovering("", target);
  ASSERT_EQ(collectors.size(), 5u);
  ASSERT_EQ(collectors.count("skill_discovery"), 1u);

  // skill_status before any discovery poll: it waits for a listing of its own.
  auto status = test::RunPoll(ioc, *collectors.at("skill_status"), target);
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(RequestsTo(server, kListPath).size(), 1u);
  EXPECT_EQ(RequestsTo(server, kListPath)[0].body, R"({"ccId":1,"vdn":170})");
  EXPECT_EQ(StatusIds(server), (std::vector<std::string>{"205", "3", "44", "45", "9999"}));
  EXPECT_EQ(test::Value(*status, "callcenter_queue_info", {{"queue", "3"}, {"name", "售前语音"}, {"media", "voice"}}),
            1.0);
  EXPECT_EQ(
      test::Value(*status, "callcenter_queue_info", {{"queue", "205"}, {"name", "网页客服"}, {"media", "web_chat"}}),
      1.0);
  EXPECT_EQ(test::Value(*status, "callcenter_queue_info", {{"queue", "44"}, {"name", "status 44"}, {"media", ""}}),
            1.0);
  EXPECT_EQ(test::Value(*status, "callcenter_queue_info", {{"queue", "45"}, {"name", "status 45"}, {"media", "77"}}),
            1.0);
  EXPECT_EQ(test::Value(*status, "callcenter_queue_calls_waiting", {{"queue", "9999"}}), 9999.0);

  // The listing is fresh (default interval 5m): discovery sends nothing.
  auto discovery = test::RunPoll(ioc, *collectors.at("skill_discovery"), target);
  ASSERT_TRUE(discovery.ok()) << discovery.error().message;
  EXPECT_EQ(RequestsTo(server, kListPath).size(), 1u);
}

TEST(HuaweiCecDiscoveryTest, FallsBackToTheOtherBodyFormAndKeepsIt) {
  net::io_context ioc;
  FakeCms cms;
  cms.Set(ListingOf({1, 10}));
  cms.flat_is_invalid = true;
  test::FakeVendor server([&](const Request& r) { return cms.Answer(r); });
  const TargetConfig target = DiscoveryTarget(server.Url());
  auto collectors = BuildDiscovering("skill_discovery_interval: 1s\n", target);

  auto first = test::RunPoll(ioc, *collectors.at("skill_discovery"), target);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto listed = RequestsTo(server, kListPath);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].body, R"({"ccId":1,"vdn":170})");
  EXPECT_EQ(listed[1].body, R"({"queryParam":{"ccId":1,"vdn":170}})");

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the listing is due again
  auto second = test::RunPoll(ioc, *collectors.at("skill_discovery"), target);
  ASSERT_TRUE(second.ok()) << second.error().message;
  listed = RequestsTo(server, kListPath);
  ASSERT_EQ(listed.size(), 3u);  // straight to the form that worked
  EXPECT_EQ(listed[2].body, R"({"queryParam":{"ccId":1,"vdn":170}})");

  {
    std::lock_guard lock(cms.mu);
    cms.query_param_is_invalid = true;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto neither = test::RunPoll(ioc, *collectors.at("skill_discovery"), target);
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.error().reason, Reason::vendor_error);
  EXPECT_NE(neither.error().message.find("skill_discovery"), std::string::npos) << neither.error().message;
  EXPECT_NE(neither.error().message.find("0100002"), std::string::npos) << neither.error().message;
  EXPECT_EQ(RequestsTo(server, kListPath).size(), 5u);  // each form once more, no loop
}

TEST(HuaweiCecDiscoveryTest, AFailedListingKeepsPollingTheLastKnownList) {
  net::io_context ioc;
  FakeCms cms;
  cms.Set(R"({"resultCode":"0100001","resultDesc":"Invocation failed"})");
  test::FakeVendor server([&](const Request& r) { return cms.Answer(r); });
  const TargetConfig target = DiscoveryTarget(server.Url());
  auto collectors = BuildDiscovering("skill_discovery_interval: 1s\n", target);

  auto failed = test::RunPoll(ioc, *collectors.at("skill_discovery"), target);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().reason, Reason::vendor_error);
  EXPECT_NE(failed.error().message.find("0100001 (Invocation failed)"), std::string::npos) << failed.error().message;
  // Nothing known yet: the skill collectors cannot poll and say why.
  auto blind = test::RunPoll(ioc, *collectors.at("skill_status"), target);
  ASSERT_FALSE(blind.ok());
  EXPECT_EQ(blind.error().reason, Reason::vendor_error);
  EXPECT_NE(blind.error().message.find("no skill list yet"), std::string::npos) << blind.error().message;
  EXPECT_TRUE(RequestsTo(server, kStatusPath).empty());

  cms.Set(ListingOf({2, 7}));
  ASSERT_TRUE(test::RunPoll(ioc, *collectors.at("skill_discovery"), target).ok());
  cms.Set(R"({"resultCode":"0100999","resultDesc":"unknown"})");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto again = test::RunPoll(ioc, *collectors.at("skill_discovery"), target);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, Reason::vendor_error);
  auto status = test::RunPoll(ioc, *collectors.at("skill_status"), target);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(StatusIds(server), (std::vector<std::string>{"2", "7"}));
  EXPECT_EQ(test::Value(*status, "callcenter_queue_calls_waiting", {{"queue", "7"}}), 7.0);
}

TEST(HuaweiCecDiscoveryTest, AddedQueuesArePolledAndRemovedOnesVanish) {
  net::io_context ioc;
  FakeCms cms;
  cms.Set(ListingOf({1, 10}));
  test::FakeVendor server([&](const Request& r) { return cms.Answer(r); });
  const TargetConfig target = DiscoveryTarget(server.Url());
  auto collectors = BuildDiscovering("skill_discovery_interval: 1s\n", target);
  ASSERT_TRUE(test::RunPoll(ioc, *collectors.at("skill_discovery"), target).ok());
  auto before = test::RunPoll(ioc, *collectors.at("skill_status"), target);
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(test::Count(*before, "callcenter_queue_info"), 2u);

  cms.Set(ListingOf({10, 4711}));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(test::RunPoll(ioc, *collectors.at("skill_discovery"), target).ok());
  const std::size_t sent = RequestsTo(server, kStatusPath).size();
  auto after = test::RunPoll(ioc, *collectors.at("skill_status"), target);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(StatusIds(server, sent), (std::vector<std::string>{"10", "4711"}));
  EXPECT_EQ(test::Count(*after, "callcenter_queue_info"), 2u);
  EXPECT_EQ(
      test::Value(*after, "callcenter_queue_info", {{"queue", "4711"}, {"name", "queue 4711"}, {"media", "voice"}}),
      1.0);
  EXPECT_EQ(test::Value(*after, "callcenter_queue_calls_waiting", {{"queue", "1"}}), std::nullopt);
}

TEST(HuaweiCecDiscoveryTest, ListedSkillsGoOutInBatchesOfAtMost1000) {
  net::io_context ioc;
  FakeCms cms;
  std::vector<int> ids;
  for (int id = 2; id <= 3002; id += 2) ids.push_back(id);  // 1501 non-contiguous ids
  cms.Set(ListingOf(ids));
  test::FakeVendor server([&](const Request& r) { return cms.Answer(r); });
  const TargetConfig target = DiscoveryTarget(server.Url());
  auto collectors = BuildDiscovering("", target);
  auto status = test::RunPoll(ioc, *collectors.at("skill_status"), target);
  ASSERT_TRUE(status.ok()) << status.error().message;
  std::vector<std::size_t> sizes;
  for (const Request& r : RequestsTo(server, kStatusPath)) sizes.push_back(RequestedIds(r.body).size());
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{501, 1000}));
  EXPECT_EQ(test::Count(*status, "callcenter_queue_info"), 1501u);
  EXPECT_EQ(test::Value(*status, "callcenter_queue_calls_waiting", {{"queue", "3002"}}), 3002.0);
}

TEST(HuaweiCecDiscoveryTest, MediaTypeFilterWithAndWithoutConfiguredSkills) {
  net::io_context ioc;
  FakeCms cms;
  cms.Set(ListingOf({3, 205, 9999}, {205}));
  test::FakeVendor server([&](const Request& r) { return cms.Answer(r); });
  const TargetConfig target = DiscoveryTarget(server.Url());

  auto voice = BuildDiscovering("media_types: [voice]\n", target);
  ASSERT_TRUE(test::RunPoll(ioc, *voice.at("skill_status"), target).ok());
  EXPECT_EQ(StatusIds(server), (std::vector<std::string>{"3", "9999"}));

  const std::size_t sent = RequestsTo(server, kStatusPath).size();
  auto configured = BuildDiscovering("skills: [205, 9999, 8]\nmedia_types: [web_chat]\n", target);
  ASSERT_EQ(configured.count("skill_discovery"), 1u);
  ASSERT_TRUE(test::RunPoll(ioc, *configured.at("skill_status"), target).ok());
  EXPECT_EQ(StatusIds(server, sent), (std::vector<std::string>{"205"}));

  // Configured without a filter: no listing at all, as before discovery existed.
  const std::size_t listings = RequestsTo(server, kListPath).size();
  auto fixed = BuildDiscovering("skills: [8]\n", target);
  EXPECT_EQ(fixed.count("skill_discovery"), 0u);
  ASSERT_TRUE(test::RunPoll(ioc, *fixed.at("skill_status"), target).ok());
  EXPECT_EQ(RequestsTo(server, kListPath).size(), listings);
}

}  // namespace
}  // namespace cc::huawei_cec

// Unit tests of what the vendors share: the faults. Each vendor's own are in
// its folder (tools/sim/<vendor>/sim_test.cpp).

#include <chrono>
#include <future>
#include <string>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include "tools/sim/faults.h"

namespace cc::sim {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

http::Response Normal() {
  http::Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = R"({"result":"1","data":{},"error":0})";
  return r;
}

http::Response RunApply(Faults& faults) {
  asio::io_context ioc;
  auto fut = asio::co_spawn(ioc, faults.Apply(Normal), asio::use_future);
  ioc.run();
  return fut.get();
}

TEST(FaultsTest, ModeNamesRoundTrip) {
  for (auto name : {"none", "http500", "garbage", "html", "slow", "truncated", "hang", "http429", "http503"}) {
    auto mode = ParseFaultMode(name);
    ASSERT_TRUE(mode) << name;
    EXPECT_EQ(ToString(*mode), name);
  }
  EXPECT_FALSE(ParseFaultMode("HTTP500"));
  EXPECT_FALSE(ParseFaultMode(""));
}

TEST(FaultsTest, RateLimitAndUnavailableSendTheirRetryAfterVerbatim) {
  Faults f(1);
  f.Set({FaultMode::http429, milliseconds(0), "30"});
  auto limited = RunApply(f);
  EXPECT_EQ(limited.status, 429u);
  ASSERT_EQ(limited.headers.size(), 1u);
  EXPECT_EQ(limited.headers[0], (std::pair<std::string, std::string>{"Retry-After", "30"}));
  f.Set({FaultMode::http503, milliseconds(0), "Sun, 06 Nov 1994 08:49:37 GMT"});
  auto unavailable = RunApply(f);
  EXPECT_EQ(unavailable.status, 503u);
  ASSERT_EQ(unavailable.headers.size(), 1u);
  EXPECT_EQ(unavailable.headers[0].second, "Sun, 06 Nov 1994 08:49:37 GMT");
  f.Set({FaultMode::http503, milliseconds(0), ""});
  EXPECT_TRUE(RunApply(f).headers.empty()) << "no retry_after, no Retry-After";
}

TEST(FaultsTest, ModesShapeTheResponse) {
  Faults f(1);
  EXPECT_EQ(RunApply(f).body, Normal().body);

  f.Set({FaultMode::http500, milliseconds(0)});
  EXPECT_EQ(RunApply(f).status, 500u);

  f.Set({FaultMode::html, milliseconds(0)});
  auto html = RunApply(f);
  EXPECT_EQ(html.status, 200u);
  EXPECT_EQ(html.content_type.rfind("text/html", 0), 0u);
  EXPECT_EQ(html.body.rfind("<!DOCTYPE html>", 0), 0u);

  f.Set({FaultMode::garbage, milliseconds(0)});
  auto garbage = RunApply(f);
  EXPECT_EQ(garbage.status, 200u);
  EXPECT_GE(garbage.body.size(), 256u);
  EXPECT_NE(garbage.body, RunApply(f).body);

  f.Set({FaultMode::truncated, milliseconds(0)});
  auto truncated = RunApply(f);
  const std::string body = Normal().body;
  EXPECT_EQ(truncated.raw.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(truncated.raw.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
  auto head_end = truncated.raw.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_EQ(truncated.raw.substr(head_end + 4), body.substr(0, body.size() / 2));

  f.Set({FaultMode::slow, milliseconds(1)});
  EXPECT_EQ(RunApply(f).body, body);
}

TEST(FaultsTest, HangIsReleasedWhenTheFaultChanges) {
  Faults f(1);
  f.Set({FaultMode::hang, milliseconds(0)});
  asio::io_context ioc;
  auto fut = asio::co_spawn(ioc, f.Apply(Normal), asio::use_future);
  // Runs after the hanging request has started waiting.
  asio::post(ioc, [&] { f.Set({FaultMode::http500, milliseconds(0)}); });
  ioc.run();
  EXPECT_EQ(fut.get().status, 500u);
}

}  // namespace
}  // namespace cc::sim

#pragma once
// What every vendor's parser and collector tests need: fixture files, a
// sample lookup in a Snapshot, and one poll run to completion on an
// io_context with the real http::Client.

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collectors/kit/vendor.h"
#include "config/config_node.h"
#include "http/client.h"
#include "model/snapshot.h"

namespace cc::test {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// tests/fixtures/<vendor>/<name>; an empty or missing file fails the test.
inline std::string Fixture(std::string_view vendor, const std::string& name) {
  std::string body = ReadFile(std::string(CC_FIXTURES) + "/" + std::string(vendor) + "/" + name);
  EXPECT_FALSE(body.empty()) << "missing fixture " << vendor << "/" << name;
  return body;
}

// The value of the one sample of `family` with exactly `labels` (in any
// order); nullopt if absent; a second match fails the test.
inline std::optional<double> Value(const Snapshot& snap, std::string_view family, Labels labels) {
  const FamilySamples* f = snap.Find(family);
  if (f == nullptr) return std::nullopt;
  std::sort(labels.begin(), labels.end());
  std::optional<double> found;
  for (const Sample& s : f->samples) {
    Labels have = s.labels;
    std::sort(have.begin(), have.end());
    if (have != labels) continue;
    EXPECT_FALSE(found.has_value()) << "duplicate series in " << family;
    found = s.value;
  }
  return found;
}

inline std::size_t Count(const Snapshot& snap, std::string_view family) {
  const FamilySamples* f = snap.Find(family);
  return f == nullptr ? 0 : f->samples.size();
}

// What the daemon does with a target's vendor keys: the loader reads them
// into TargetConfig::options (throwing ConfigError as it would), then the
// scheduler builds the collectors from them.
inline std::vector<std::shared_ptr<Collector>> BuildCollectors(const VendorDef& vendor, const TargetConfig& target,
                                                               ConfigNode& node) {
  TargetConfig loaded = target;
  loaded.options = vendor.read(target, node);
  return vendor.build(loaded);
}

// One poll of `collector` with `client`, run to completion on `ioc`; a poll
// that never finishes ends the test run with a timeout error, not a hang.
inline Result<Snapshot> RunPoll(boost::asio::io_context& ioc, http::Client& client, Collector& collector,
                                const TargetConfig& target) {
  namespace net = boost::asio;
  std::optional<Result<Snapshot>> out;
  net::steady_timer hang_guard(ioc, std::chrono::seconds(60));
  hang_guard.async_wait([&](boost::system::error_code ec) {
    if (!ec) ioc.stop();
  });
  net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        PollContext ctx{client, target, std::chrono::steady_clock::now() + std::chrono::seconds(30),
                        std::chrono::system_clock::now()};
        out.emplace(co_await collector.Poll(ctx));
        hang_guard.cancel();
      },
      net::detached);
  while (!out && !ioc.stopped()) ioc.run_one();
  if (!out) return MakeError(Reason::timeout, "poll did not finish");
  return std::move(*out);
}

// The same with a client of its own (no connection reuse across polls).
inline Result<Snapshot> RunPoll(boost::asio::io_context& ioc, Collector& collector, const TargetConfig& target) {
  http::Client client(ioc.get_executor(), http::Client::Options{.base = target.url, .tls = {}});
  return RunPoll(ioc, client, collector, target);
}

}  // namespace cc::test

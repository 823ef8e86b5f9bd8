// The configurations the project ships (the example, the package's conffile, the Kubernetes
// ConfigMap) as a user changes them: setting poll_interval to any allowed value, globally or
// on a target, must still load, the defaults following the interval (issue 12 item 6).

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "collectors/registry.h"
#include "config/config.h"

namespace cc {
namespace {

using namespace std::chrono_literals;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(in.good() || in.eof()) << path;
  return text.str();
}

std::string Repo(const std::string& relative) { return std::string(CC_FIXTURES) + "/../../" + relative; }

// The Kubernetes ConfigMap names its secrets as files of a mounted Secret; a temporary
// directory with one file per name stands in for that mount.
class ShippedConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cc-shipped-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string ConfigMap() {
    const std::string mount = "/run/secrets/callcenter_exporter/";
    std::string text =
        YAML::LoadFile(Repo("deploy/kubernetes/configmap.yaml"))["data"]["config.yaml"].as<std::string>();
    const std::regex secret(mount + "([A-Za-z0-9._-]+)");
    for (std::sregex_iterator it(text.begin(), text.end(), secret), end; it != end; ++it) {
      std::ofstream((dir_ / (*it)[1].str()).string()) << "not-a-real-secret\n";
    }
    std::string::size_type at;
    while ((at = text.find(mount)) != std::string::npos) text.replace(at, mount.size(), dir_.string() + "/");
    return text;
  }

  // name → text of every configuration a user starts from.
  std::vector<std::pair<std::string, std::string>> Shipped() {
    return {{"config.yaml", ReadFile(Repo("config.yaml"))},
            {"deploy/debian/config.yaml", ReadFile(Repo("deploy/debian/config.yaml"))},
            {"deploy/kubernetes/configmap.yaml", ConfigMap()}};
  }

  std::filesystem::path dir_;
};

const std::chrono::milliseconds kIntervals[] = {1s, 2s, 5s, 9s, 10s, 11s, 30s, 1min, 1h};

std::string WithInterval(const std::string& text, std::chrono::milliseconds interval, bool on_targets) {
  YAML::Node doc = YAML::Load(text);
  const std::string value = std::to_string(interval.count()) + "ms";
  if (on_targets) {
    for (YAML::Node target : doc["targets"]) target["poll_interval"] = value;
  } else {
    doc["global"]["poll_interval"] = value;
  }
  YAML::Emitter out;
  out << doc;
  return out.c_str();
}

TEST_F(ShippedConfigTest, ACopyWithAnotherGlobalPollIntervalLoads) {
  for (const auto& [name, text] : Shipped()) {
    for (auto interval : kIntervals) {
      SCOPED_TRACE(name + " with global poll_interval " + std::to_string(interval.count()) + "ms");
      Config config;
      ASSERT_NO_THROW(config = ParseConfig(WithInterval(text, interval, false), name, AllVendorKeys()));
      EXPECT_EQ(config.global.poll_interval, interval);
      EXPECT_EQ(config.global.poll_timeout, std::min<std::chrono::milliseconds>(10s, interval));
      EXPECT_EQ(config.global.stale_after, 3 * interval);
      for (const auto& target : config.targets) {
        EXPECT_EQ(target.poll.poll_interval, interval) << target.name;
        EXPECT_EQ(target.poll.poll_timeout, std::min<std::chrono::milliseconds>(10s, interval)) << target.name;
      }
    }
  }
}

TEST_F(ShippedConfigTest, ACopyWithAnotherPollIntervalOnEveryTargetLoads) {
  for (const auto& [name, text] : Shipped()) {
    for (auto interval : kIntervals) {
      SCOPED_TRACE(name + " with targets' poll_interval " + std::to_string(interval.count()) + "ms");
      Config config;
      ASSERT_NO_THROW(config = ParseConfig(WithInterval(text, interval, true), name, AllVendorKeys()));
      for (const auto& target : config.targets) {
        EXPECT_EQ(target.poll.poll_interval, interval) << target.name;
        EXPECT_EQ(target.poll.poll_timeout, std::min<std::chrono::milliseconds>(10s, interval)) << target.name;
        EXPECT_EQ(target.poll.stale_after, 3 * interval) << target.name;
      }
    }
  }
}

// What a user need not change stays commented out, so no shipped file pins a value that
// another key depends on.
TEST_F(ShippedConfigTest, NoShippedFileSetsAGlobalKey) {
  for (const auto& [name, text] : Shipped()) {
    const YAML::Node global = YAML::Load(text)["global"];
    EXPECT_TRUE(!global || global.IsNull() || (global.IsMap() && global.size() == 0))
        << name << " sets global keys: " << YAML::Dump(global);
  }
}

TEST_F(ShippedConfigTest, TheExampleSetsOnlyNameVendorAndUrlOfItsTarget) {
  const YAML::Node targets = YAML::LoadFile(Repo("config.yaml"))["targets"];
  ASSERT_TRUE(targets.IsSequence());
  ASSERT_GT(targets.size(), 0u);
  for (const YAML::Node& target : targets) {
    std::vector<std::string> keys;
    for (const auto& kv : target) keys.push_back(kv.first.as<std::string>());
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"name", "url", "vendor"}));
  }
}

}  // namespace
}  // namespace cc

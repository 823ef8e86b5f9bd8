#include "config/config.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "config/config_node.h"

namespace cc {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

// What the fake vendors saw, keyed by target name.
struct Seen {
  TargetConfig target;
  std::vector<std::string> queues;
  std::string access_key;
  std::string secret_key;
};
std::map<std::string, Seen>& SeenTargets() {
  static std::map<std::string, Seen> seen;
  return seen;
}

struct QueueOptions : VendorOptions {
  std::vector<std::string> queues;
};

// Like mixcall: an optional `queues` filter, kept in the target's options.
std::shared_ptr<const VendorOptions> ReadQueues(const TargetConfig& target, ConfigNode& node) {
  Seen& s = SeenTargets()[target.name];
  s.target = target;
  s.queues = node.StringList("queues");
  auto options = std::make_shared<QueueOptions>();
  options->queues = s.queues;
  return options;
}

// Like huawei_cec: an `auth:` mapping with a required secret.
std::shared_ptr<const VendorOptions> ReadAuth(const TargetConfig& target, ConfigNode& node) {
  Seen& s = SeenTargets()[target.name];
  s.target = target;
  ConfigNode auth = node.Child("auth");
  s.access_key = auth.String("access_key");
  s.secret_key = auth.RequiredSecret("secret_key").reveal();
  return nullptr;
}

// Fails on purpose, the way a vendor reports its own bad key.
std::shared_ptr<const VendorOptions> ReadPicky(const TargetConfig&, ConfigNode& node) {
  if (node.StringList("queues").empty()) node.Fail("queues", "must name at least one queue");
  return nullptr;
}

const std::vector<VendorKeys>& Vendors() {
  static const std::vector<VendorKeys> vendors = {{"fake", ReadQueues}, {"fakeauth", ReadAuth}, {"picky", ReadPicky}};
  return vendors;
}

Config Parse(const std::string& yaml) {
  SeenTargets().clear();
  return ParseConfig(yaml, "cfg.yaml", Vendors());
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return "";
}

std::string ParseError(const std::string& yaml) {
  return ErrorOf([&] { Parse(yaml); });
}

// A private directory for secret, CA and config files; removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cc_config_test.XXXXXX").string();
    char* made = mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }

  std::string Write(const std::string& name, const std::string& content) const {
    std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Sets an environment variable for the duration of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

// --- value formats -----------------------------------------------------------------------------

TEST(ConfigTest, ParseDurationAccepts) {
  EXPECT_EQ(ParseDuration("15s"), milliseconds(15000));
  EXPECT_EQ(ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(ParseDuration("1m30s"), milliseconds(90000));
  EXPECT_EQ(ParseDuration("2h"), milliseconds(7'200'000));
  EXPECT_EQ(ParseDuration("1d"), milliseconds(86'400'000));
  EXPECT_EQ(ParseDuration("1h1m1s1ms"), milliseconds(3'661'001));
  EXPECT_EQ(ParseDuration("0s"), milliseconds(0));
  EXPECT_EQ(ParseDuration("90s"), milliseconds(90000));  // no carry rule, like Prometheus
}

TEST(ConfigTest, ParseDurationRejects) {
  for (const char* bad : {"", "15", "-1s", "1.5s", "s", "ms", "1s1m", "1s1s", "1ms1s", " 15s", "15s ", "15 s", "1x",
                          "15S", "1m30", "9999999999999999999s", "999999999999999d"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(ConfigTest, FormatDurationRoundTrips) {
  EXPECT_EQ(FormatDuration(milliseconds(90000)), "1m30s");
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1s500ms");
  EXPECT_EQ(FormatDuration(milliseconds(86'400'000 + 1000)), "1d1s");
  for (const char* s : {"15s", "1m30s", "2h", "500ms", "1d2h3m4s5ms"}) {
    EXPECT_EQ(FormatDuration(*ParseDuration(s)), s);
  }
}

TEST(ConfigTest, ParseSizeAccepts) {
  EXPECT_EQ(ParseSize("16MiB"), 16ull * 1024 * 1024);
  EXPECT_EQ(ParseSize("512KiB"), 512ull * 1024);
  EXPECT_EQ(ParseSize("1GiB"), 1ull << 30);
  EXPECT_EQ(ParseSize("10MB"), 10'000'000ull);
  EXPECT_EQ(ParseSize("2KB"), 2000ull);
  EXPECT_EQ(ParseSize("1000"), 1000ull);
  EXPECT_EQ(ParseSize("1B"), 1ull);
  EXPECT_EQ(ParseSize("0"), 0ull);
  EXPECT_EQ(ParseSize("16 MiB"), 16ull << 20);
  EXPECT_EQ(ParseSize("16mib"), 16ull << 20);
  EXPECT_EQ(ParseSize("16777215TiB"), 16777215ull << 40);  // 2^64 - 2^40: the largest that fits
}

TEST(ConfigTest, ParseSizeRejects) {
  for (const char* bad : {"", "abc", "MiB", "-1", "1.5MiB", "16XB", "16 ", "16  MiB", " 16", "16MiBs",
                          "99999999999999999999", "16777216TiB", "0x10"}) {
    EXPECT_FALSE(ParseSize(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(ConfigTest, ExpandEnv) {
  ScopedEnv a("CC_TEST_ENV_A", "alpha");
  ScopedEnv empty("CC_TEST_ENV_EMPTY", "");
  std::string missing;
  EXPECT_EQ(ExpandEnv("x${CC_TEST_ENV_A}y${CC_TEST_ENV_A}", &missing), "xalphayalpha");
  EXPECT_EQ(ExpandEnv("[${CC_TEST_ENV_EMPTY}]", &missing), "[]");
  EXPECT_EQ(ExpandEnv("no vars", &missing), "no vars");
  // Not a well-formed ${NAME}: literal, so secrets may contain '$'.
  EXPECT_EQ(ExpandEnv("$5 $ $$ ${ ${1x} ${} ${A B} $CC_TEST_ENV_A end$", &missing),
            "$5 $ $$ ${ ${1x} ${} ${A B} $CC_TEST_ENV_A end$");
  // The value is not expanded again.
  ScopedEnv nested("CC_TEST_ENV_NESTED", "${CC_TEST_ENV_A}");
  EXPECT_EQ(ExpandEnv("${CC_TEST_ENV_NESTED}", &missing), "${CC_TEST_ENV_A}");

  unsetenv("CC_TEST_ENV_UNSET");
  EXPECT_FALSE(ExpandEnv("a${CC_TEST_ENV_A}b${CC_TEST_ENV_UNSET}", &missing).has_value());
  EXPECT_EQ(missing, "CC_TEST_ENV_UNSET");
}

// --- ConfigNode --------------------------------------------------------------------------------

TEST(ConfigNodeTest, TypedGetters) {
  ScopedEnv port("CC_TEST_NODE_PORT", "28090");
  YAML::Node doc = YAML::Load(
      "s: hello\n"
      "n: 42\n"
      "neg: -7\n"
      "env: ${CC_TEST_NODE_PORT}\n"
      "b1: yes\n"
      "b2: False\n"
      "list: [\"90\", 91]\n"
      "ints: [1, 2, 3]\n"
      "d: 1m\n"
      "sz: 4MiB\n"
      "nul: ~\n");
  ConfigNode node(doc, "n.yaml", "");
  EXPECT_EQ(node.String("s"), "hello");
  EXPECT_EQ(node.String("absent", "dflt"), "dflt");
  EXPECT_EQ(node.OptString("absent"), std::nullopt);
  EXPECT_EQ(node.OptString("nul"), std::nullopt);  // null reads as absent
  EXPECT_EQ(node.Int("n"), 42);
  EXPECT_EQ(node.Int("neg", 0), -7);
  EXPECT_EQ(node.Int("env"), 28090);
  EXPECT_EQ(node.Int("absent", 5), 5);
  EXPECT_TRUE(node.Bool("b1", false));
  EXPECT_FALSE(node.Bool("b2", true));
  EXPECT_TRUE(node.Bool("absent", true));
  EXPECT_EQ(node.StringList("list"), (std::vector<std::string>{"90", "91"}));
  EXPECT_TRUE(node.StringList("absent").empty());
  EXPECT_EQ(node.IntList("ints"), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(node.Duration("d", 1s), milliseconds(60000));
  EXPECT_EQ(node.Duration("absent", 7s), milliseconds(7000));
  EXPECT_EQ(node.Size("sz", 1), 4ull << 20);
  EXPECT_TRUE(node.Has("s"));
  EXPECT_FALSE(node.Has("nul"));
  EXPECT_FALSE(node.Has("absent"));
  node.RejectUnknownKeys();  // every key was asked for
}

TEST(ConfigNodeTest, WrongTypesGiveFileLineAndKey) {
  YAML::Node doc = YAML::Load(
      "cc_id: abc\n"      // 1
      "name: [a, b]\n"    // 2
      "flag: maybe\n"     // 3
      "queues: \"90\"\n"  // 4
      "skills:\n"         // 5
      "  - 1\n"           // 6
      "  - two\n"         // 7
      "auth: text\n"      // 8
      "names:\n"          // 9
      "  - ok\n"          // 10
      "  - {x: 1}\n"      // 11
      "wait: 15\n"        // 12
      "big: 1.5MiB\n");   // 13
  ConfigNode node(doc, "t.yaml", "targets[2]");
  auto err = [](auto f) { return ErrorOf(f); };
  EXPECT_EQ(err([&] { node.Int("cc_id"); }), "t.yaml:1: targets[2].cc_id: \"abc\" is not an integer");
  EXPECT_EQ(err([&] { node.String("name"); }), "t.yaml:2: targets[2].name: must be a string, not a list");
  EXPECT_EQ(err([&] { node.Bool("flag", false); }),
            "t.yaml:3: targets[2].flag: \"maybe\" is not a boolean (true or false)");
  EXPECT_EQ(err([&] { node.StringList("queues"); }),
            "t.yaml:4: targets[2].queues: must be a list of strings, not a scalar");
  EXPECT_EQ(err([&] { node.IntList("skills"); }), "t.yaml:7: targets[2].skills[1]: \"two\" is not an integer");
  EXPECT_EQ(err([&] { node.Child("auth"); }), "t.yaml:8: targets[2].auth: must be a mapping, not a scalar");
  EXPECT_EQ(err([&] { node.StringList("names"); }), "t.yaml:11: targets[2].names[1]: must be a string, not a mapping");
  EXPECT_EQ(err([&] { node.Duration("wait", 1s); }),
            "t.yaml:12: targets[2].wait: \"15\" is not a duration (e.g. 500ms, 15s, 1m30s, 2h)");
  EXPECT_EQ(err([&] { node.Size("big", 1); }),
            "t.yaml:13: targets[2].big: \"1.5MiB\" is not a size (e.g. 16MiB, 512KiB, 10MB, 1000)");
  EXPECT_EQ(err([&] { node.Int("missing"); }), "t.yaml:1: targets[2].missing: required key is missing");
  EXPECT_EQ(err([&] { node.Fail("", "whole mapping"); }), "t.yaml:1: targets[2]: whole mapping");
}

TEST(ConfigNodeTest, UnsetEnvironmentVariableIsNamed) {
  unsetenv("CC_TEST_NODE_UNSET");
  YAML::Node doc = YAML::Load("a: 1\nurl: http://${CC_TEST_NODE_UNSET}/\n");
  ConfigNode node(doc, "e.yaml", "");
  EXPECT_EQ(ErrorOf([&] { node.String("url"); }), "e.yaml:2: url: environment variable CC_TEST_NODE_UNSET is not set");
}

TEST(ConfigNodeTest, ChildOfAbsentKeyIsEmptyAndPointsAtParent) {
  YAML::Node doc = YAML::Load("name: x\nvendor: y\n");
  ConfigNode node(doc, "c.yaml", "targets[0]");
  ConfigNode auth = node.Child("auth");
  EXPECT_EQ(auth.path(), "targets[0].auth");
  EXPECT_FALSE(auth.Has("user"));
  EXPECT_TRUE(auth.OptSecret("password").empty());
  EXPECT_EQ(ErrorOf([&] { auth.String("user"); }), "c.yaml:1: targets[0].auth.user: required key is missing");
}

TEST(ConfigNodeTest, UnknownKeySuggestsTheNearestKnownOne) {
  YAML::Node doc = YAML::Load("poll_interval: 15s\npol_interval: 30s\n");
  ConfigNode node(doc, "u.yaml", "global");
  node.Duration("poll_interval", 1s);
  node.Duration("poll_timeout", 1s);
  EXPECT_EQ(ErrorOf([&] { node.RejectUnknownKeys(); }),
            "u.yaml:2: global.pol_interval: unknown key (did you mean \"poll_interval\"?)");

  YAML::Node far = YAML::Load("a: 1\nzzzzzz: 2\n");
  ConfigNode other(far, "u.yaml", "");
  other.Int("a", 0);
  other.Int("b", 0);
  EXPECT_EQ(ErrorOf([&] { other.RejectUnknownKeys(); }), "u.yaml:2: zzzzzz: unknown key (known here: a, b)");
}

TEST(ConfigNodeTest, KeyGivenTwiceIsAnError) {
  YAML::Node doc = YAML::Load("a: 1\nb: 2\na: 3\n");
  ConfigNode node(doc, "d.yaml", "");
  node.Int("a", 0);
  node.Int("b", 0);
  EXPECT_EQ(ErrorOf([&] { node.RejectUnknownKeys(); }), "d.yaml:3: a: key given twice");
}

TEST(ConfigNodeTest, ChildListGivesOneNodePerMapping) {
  YAML::Node doc = YAML::Load("items:\n  - a: 1\n  - a: 2\n    b: 3\n");
  ConfigNode node(doc, "l.yaml", "");
  std::vector<ConfigNode> items = node.ChildList("items");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].path(), "items[1]");
  EXPECT_EQ(items[1].Int("a"), 2);
  EXPECT_EQ(ErrorOf([&] { items[1].RejectUnknownKeys(); }), "l.yaml:4: items[1].b: unknown key (known here: a)");
  EXPECT_EQ(ErrorOf([&] { items[1].Fail("", "bad item"); }), "l.yaml:3: items[1]: bad item");

  YAML::Node scalars = YAML::Load("items: [1, 2]\n");
  ConfigNode bad(scalars, "l.yaml", "");
  EXPECT_EQ(ErrorOf([&] { bad.ChildList("items"); }), "l.yaml:1: items[0]: must be a mapping, not a scalar");
}

// --- secrets -------------------------------------------------------------------------------------

TEST(ConfigTest, SecretInlineFileAndEnv) {
  TempDir dir;
  std::string sk = dir.Write("cec.sk", "file-secret\n");
  std::string two = dir.Write("two.sk", "keep-one\n\n");
  std::string crlf = dir.Write("crlf.sk", "windows\r\n");
  ScopedEnv env("CC_TEST_SK", "env-secret");
  Config config = Parse(
      "targets:\n"
      "  - {name: a, vendor: fakeauth, url: http://h/, auth: {access_key: AK, secret_key: inline-secret}}\n"
      "  - {name: b, vendor: fakeauth, url: http://h/, auth: {access_key: AK, secret_key_file: " +
      sk +
      "}}\n"
      "  - {name: c, vendor: fakeauth, url: http://h/, auth: {access_key: AK, secret_key: \"${CC_TEST_SK}\"}}\n"
      "  - {name: d, vendor: fakeauth, url: http://h/, auth: {access_key: AK, secret_key_file: " +
      two +
      "}}\n"
      "  - {name: e, vendor: fakeauth, url: http://h/, auth: {access_key: AK, secret_key_file: " +
      crlf + "}}\n");
  ASSERT_EQ(config.targets.size(), 5u);
  EXPECT_EQ(SeenTargets()["a"].secret_key, "inline-secret");
  EXPECT_EQ(SeenTargets()["b"].secret_key, "file-secret");
  EXPECT_EQ(SeenTargets()["c"].secret_key, "env-secret");
  EXPECT_EQ(SeenTargets()["d"].secret_key, "keep-one\n");  // only one newline is stripped
  EXPECT_EQ(SeenTargets()["e"].secret_key, "windows");
  EXPECT_EQ(SeenTargets()["a"].access_key, "AK");
}

TEST(ConfigTest, SecretErrors) {
  TempDir dir;
  std::string sk = dir.Write("sk", "x\n");
  std::string empty = dir.Write("empty", "\n");
  const std::string head = "targets:\n  - name: a\n    vendor: fakeauth\n    url: http://h/\n    auth:\n";
  EXPECT_EQ(ParseError(head + "      access_key: AK\n      secret_key: s\n      secret_key_file: " + sk + "\n"),
            "cfg.yaml:7: targets[0].auth.secret_key: give either secret_key or secret_key_file, not both");
  EXPECT_EQ(ParseError(head + "      access_key: AK\n"),
            "cfg.yaml:6: targets[0].auth.secret_key: required: set secret_key or secret_key_file");
  std::string missing = dir.path() + "/no-such.sk";
  EXPECT_EQ(ParseError(head + "      access_key: AK\n      secret_key_file: " + missing + "\n"),
            "cfg.yaml:7: targets[0].auth.secret_key_file: cannot read secret file \"" + missing +
                "\": No such file or directory");
  EXPECT_EQ(
      ParseError(head + "      access_key: AK\n      secret_key_file: " + dir.path() + "\n"),
      "cfg.yaml:7: targets[0].auth.secret_key_file: cannot read secret file \"" + dir.path() + "\": Is a directory");
  EXPECT_EQ(ParseError(head + "      access_key: AK\n      secret_key_file: " + empty + "\n"),
            "cfg.yaml:7: targets[0].auth.secret_key_file: secret file is empty");
  EXPECT_EQ(ParseError(head + "      access_key: AK\n      secret_key: \"\"\n"),
            "cfg.yaml:7: targets[0].auth.secret_key: must not be empty");
}

TEST(ConfigTest, SecretValueNeverAppearsInErrors) {
  TempDir dir;
  const std::string secret = "S3cr3t-Qx7";
  std::string sk = dir.Write("sk", secret + "\n");
  ScopedEnv env("CC_TEST_LEAK", secret.c_str());
  const std::string head = "targets:\n  - name: a\n    vendor: fakeauth\n    url: http://h/\n    auth:\n";
  const std::vector<std::string> configs = {
      // both forms given
      head + "      access_key: AK\n      secret_key: " + secret + "\n      secret_key_file: " + sk + "\n",
      // a list where the secret is expected
      head + "      access_key: AK\n      secret_key: [" + secret + "]\n",
      // a misspelled secret key: the unknown-key error must not quote its value
      head + "      access_key: AK\n      secret_key: x\n      secret_kye: " + secret + "\n",
      // an unknown key after the secret was read (inline, file, env)
      head + "      access_key: AK\n      secret_key: " + secret + "\n      extra: 1\n",
      head + "      access_key: AK\n      secret_key_file: " + sk + "\n      extra: 1\n",
      head + "      access_key: AK\n      secret_key: ${CC_TEST_LEAK}\n    extra: 1\n",
      // a later error in the same target and in a later target
      head + "      access_key: AK\n      secret_key: " + secret + "\n    poll_interval: 1ms\n",
      head + "      access_key: AK\n      secret_key: " + secret + "\n  - {name: a, vendor: fake, url: http://h/}\n",
      // a password in the url
      "targets:\n  - {name: a, vendor: fake, url: \"http://user:" + secret + "@h/\"}\n",
  };
  for (const std::string& yaml : configs) {
    SCOPED_TRACE(yaml);
    std::string error = ParseError(yaml);
    EXPECT_FALSE(error.empty());
    EXPECT_EQ(error.find(secret), std::string::npos) << error;
    EXPECT_EQ(error.find("Qx7"), std::string::npos) << error;
  }
}

// --- whole configurations ------------------------------------------------------------------------

TEST(ConfigTest, EmptyFileIsAValidEmptyConfig) {
  for (const char* yaml : {"", "\n", "# only a comment\n", "---\n", "global:\n", "targets: []\n", "targets:\n"}) {
    SCOPED_TRACE(yaml);
    Config config = Parse(yaml);
    EXPECT_EQ(config.file, "cfg.yaml");
    EXPECT_TRUE(config.targets.empty());
    EXPECT_EQ(config.global.poll_interval, 15s);
    EXPECT_EQ(config.global.poll_timeout, 10s);
    EXPECT_EQ(config.global.stale_after, 45s);
    EXPECT_EQ(config.global.max_response_bytes, 16ull << 20);
    EXPECT_TRUE(config.global.agent_metrics);
  }
}

TEST(ConfigTest, FullConfigWithOverrides) {
  Config config = Parse(R"(global:
  poll_interval: 20s
  poll_timeout: 5s
  max_response_bytes: 1MiB
  agent_metrics: false
targets:
  - name: hq-mixcall
    vendor: fake
    url: http://192.0.2.10/admin/
    queues: ["90", "91"]
  - name: big.site_2
    vendor: fake
    url: https://[2001:db8::5]:8443/api?x=1
    poll_interval: 1m
    poll_timeout: 30s
    max_response_bytes: 64MiB
    agent_metrics: yes
    tls: {insecure_skip_verify: true}
)");
  EXPECT_EQ(config.global.poll_interval, 20s);
  EXPECT_EQ(config.global.poll_timeout, 5s);
  EXPECT_EQ(config.global.stale_after, 60s);
  EXPECT_EQ(config.global.max_response_bytes, 1ull << 20);
  EXPECT_FALSE(config.global.agent_metrics);
  ASSERT_EQ(config.targets.size(), 2u);

  const TargetConfig& a = config.targets[0];
  EXPECT_EQ(a.name, "hq-mixcall");
  EXPECT_EQ(a.vendor, "fake");
  EXPECT_EQ(a.url.ToString(), "http://192.0.2.10/admin/");
  EXPECT_EQ(a.poll.poll_interval, 20s);
  EXPECT_EQ(a.poll.poll_timeout, 5s);
  EXPECT_EQ(a.poll.stale_after, 60s);
  EXPECT_EQ(a.poll.max_response_bytes, 1ull << 20);
  EXPECT_FALSE(a.poll.agent_metrics);
  EXPECT_TRUE(a.tls.ca_file.empty());
  EXPECT_FALSE(a.tls.insecure_skip_verify);
  // The vendor's own keys end up in the target's options, as plain data.
  auto* options = dynamic_cast<const QueueOptions*>(a.options.get());
  ASSERT_NE(options, nullptr);
  EXPECT_EQ(options->queues, (std::vector<std::string>{"90", "91"}));

  const TargetConfig& b = config.targets[1];
  EXPECT_EQ(b.name, "big.site_2");
  EXPECT_EQ(b.url.host, "2001:db8::5");
  EXPECT_EQ(b.url.port, 8443);
  EXPECT_EQ(b.url.path, "/api?x=1");
  EXPECT_EQ(b.poll.poll_interval, 60s);
  EXPECT_EQ(b.poll.poll_timeout, 30s);
  EXPECT_EQ(b.poll.stale_after, 180s);
  EXPECT_EQ(b.poll.max_response_bytes, 64ull << 20);
  EXPECT_TRUE(b.poll.agent_metrics);
  EXPECT_TRUE(b.tls.insecure_skip_verify);
  EXPECT_TRUE(SeenTargets()["big.site_2"].queues.empty());
  // The vendor sees the target as resolved so far.
  EXPECT_EQ(SeenTargets()["big.site_2"].target.poll.poll_interval, 60s);
  EXPECT_EQ(SeenTargets()["big.site_2"].target.url.port, 8443);
}

TEST(ConfigTest, StaleAfterDefaultsToThreeIntervalsOfItsOwnLevel) {
  // No stale_after anywhere: each level gets 3 × its own interval.
  Config c1 = Parse(R"(targets:
  - {name: a, vendor: fake, url: http://h/}
  - {name: b, vendor: fake, url: http://h/, poll_interval: 30s}
)");
  EXPECT_EQ(c1.global.stale_after, 45s);
  EXPECT_EQ(c1.targets[0].poll.stale_after, 45s);
  EXPECT_EQ(c1.targets[1].poll.stale_after, 90s);

  // global stale_after given explicitly: targets inherit it, own interval or not.
  Config c2 = Parse(R"(global: {stale_after: 5m}
targets:
  - {name: a, vendor: fake, url: http://h/}
  - {name: b, vendor: fake, url: http://h/, poll_interval: 30s}
  - {name: c, vendor: fake, url: http://h/, poll_interval: 30s, stale_after: 1m}
)");
  EXPECT_EQ(c2.global.stale_after, 300s);
  EXPECT_EQ(c2.targets[0].poll.stale_after, 300s);
  EXPECT_EQ(c2.targets[1].poll.stale_after, 300s);
  EXPECT_EQ(c2.targets[2].poll.stale_after, 60s);

  // global interval only: the global default follows it, and targets inherit that.
  Config c3 = Parse("global: {poll_interval: 20s}\ntargets:\n  - {name: a, vendor: fake, url: http://h/}\n");
  EXPECT_EQ(c3.global.stale_after, 60s);
  EXPECT_EQ(c3.targets[0].poll.stale_after, 60s);
}

TEST(ConfigTest, InheritedPollTimeoutShrinksToAShorterInterval) {
  Config config = Parse(R"(global: {poll_interval: 5s}
targets:
  - {name: a, vendor: fake, url: http://h/}
  - {name: b, vendor: fake, url: http://h/, poll_interval: 2s}
  - {name: c, vendor: fake, url: http://h/, poll_interval: 1m}
)");
  EXPECT_EQ(config.global.poll_timeout, 5s);
  EXPECT_EQ(config.targets[0].poll.poll_timeout, 5s);
  EXPECT_EQ(config.targets[1].poll.poll_timeout, 2s);
  EXPECT_EQ(config.targets[2].poll.poll_timeout, 5s);  // inherited, not stretched
}

TEST(ConfigTest, PollSettingsAreValidated) {
  EXPECT_EQ(ParseError("global:\n  poll_interval: 500ms\n"),
            "cfg.yaml:2: global.poll_interval: must be at least 1s, got 500ms");
  EXPECT_EQ(ParseError("global:\n  poll_timeout: 0s\n"), "cfg.yaml:2: global.poll_timeout: must be greater than 0");
  EXPECT_EQ(ParseError("global:\n  poll_interval: 15s\n  poll_timeout: 20s\n"),
            "cfg.yaml:3: global.poll_timeout: poll_timeout (20s) must not exceed poll_interval (15s)");
  EXPECT_EQ(ParseError("global:\n  stale_after: 10s\n"),
            "cfg.yaml:2: global.stale_after: stale_after (10s) must be at least poll_interval (15s)");
  EXPECT_EQ(ParseError("global:\n  agent_metrics: true\n  max_response_bytes: 1023\n"),
            "cfg.yaml:3: global.max_response_bytes: must be at least 1KiB, got 1023");
  EXPECT_EQ(Parse("global: {max_response_bytes: 1KiB}\n").global.max_response_bytes, 1024u);

  // A target's own value is blamed at the target's line.
  EXPECT_EQ(ParseError(R"(targets:
  - name: a
    vendor: fake
    url: http://h/
    poll_timeout: 20s
)"),
            "cfg.yaml:5: targets[0].poll_timeout: poll_timeout (20s) must not exceed poll_interval (15s)");
  // Inherited stale_after that is too short for the target's interval: blame the interval.
  EXPECT_EQ(ParseError(R"(global:
  stale_after: 45s
targets:
  - name: a
    vendor: fake
    url: http://h/
    poll_interval: 1m
)"),
            "cfg.yaml:7: targets[0].poll_interval: stale_after (45s) must be at least poll_interval (1m)");
}

TEST(ConfigTest, ScrapeLimitsDefaultInheritAndRefuseNegatives) {
  Config c = Parse(R"(global:
  label_value_length_limit: 256
targets:
  - {name: a, vendor: fake, url: http://h/}
  - {name: b, vendor: fake, url: http://h/, label_value_length_limit: 0, sample_limit: 10}
)");
  EXPECT_EQ(c.global.label_value_length_limit, 256u);
  EXPECT_EQ(c.global.sample_limit, 500000u);
  EXPECT_EQ(c.targets[0].poll.label_value_length_limit, 256u);
  EXPECT_EQ(c.targets[0].poll.sample_limit, 500000u);
  EXPECT_EQ(c.targets[1].poll.label_value_length_limit, 0u);
  EXPECT_EQ(c.targets[1].poll.sample_limit, 10u);
  EXPECT_EQ(Parse("").global.label_value_length_limit, 1024u);
  EXPECT_EQ(ParseError("global:\n  sample_limit: -1\n"),
            "cfg.yaml:2: global.sample_limit: must be 0 (no limit) or more, got -1");
  EXPECT_EQ(ParseError("global:\n  label_value_length_limit: 1k\n"),
            "cfg.yaml:2: global.label_value_length_limit: \"1k\" is not an integer");
}

// agent_labels: group and media unless chosen otherwise (name and phone are personal
// data), inherited from global:, [] for none; only the descriptive labels of
// callcenter_agent_info, each once.
TEST(ConfigTest, AgentLabelsDefaultInheritAndOverride) {
  using Labels = std::vector<std::string>;
  EXPECT_EQ(Parse("").global.agent_labels, (Labels{"group", "media"}));
  Config c = Parse(R"(global:
  agent_labels: [name, phone]
targets:
  - {name: a, vendor: fake, url: http://h/}
  - {name: b, vendor: fake, url: http://h/, agent_labels: []}
  - {name: c, vendor: fake, url: http://h/, agent_labels: [media, group, name, phone]}
  - {name: d, vendor: fake, url: http://h/, agent_labels: ~}
)");
  EXPECT_EQ(c.global.agent_labels, (Labels{"name", "phone"}));
  EXPECT_EQ(c.targets[0].poll.agent_labels, (Labels{"name", "phone"}));
  EXPECT_EQ(c.targets[1].poll.agent_labels, Labels{});
  EXPECT_EQ(c.targets[2].poll.agent_labels, (Labels{"media", "group", "name", "phone"}));
  EXPECT_EQ(c.targets[3].poll.agent_labels, (Labels{"name", "phone"}));  // null: as if absent
  EXPECT_EQ(Parse("targets:\n  - {name: a, vendor: fake, url: http://h/}\n").targets[0].poll.agent_labels,
            (Labels{"group", "media"}));
}

TEST(ConfigTest, AgentLabelsErrorsAreListedWithTheOthers) {
  EXPECT_EQ(ParseError(R"(global:
  agent_labels: [name, email]
targets:
  - {name: a, vendor: fake, url: http://h/, agent_labels: [agent]}
  - {name: b, vendor: fake, url: http://h/, agent_labels: [phone, phone]}
  - {name: c, vendor: fake, url: http://h/, agent_labels: name}
  - {name: d, vendor: fake, url: http://h/, agent_labels: [Name], agent_metric: false}
)"),
            "cfg.yaml:2: global.agent_labels: unknown label \"email\" (known: name, phone, group, media)\n"
            "cfg.yaml:4: targets[0].agent_labels: \"agent\" is the agent's id, always exported; list only name, "
            "phone, group, media\n"
            "cfg.yaml:5: targets[1].agent_labels: label \"phone\" is listed twice\n"
            "cfg.yaml:6: targets[2].agent_labels: must be a list of strings, not a scalar\n"
            "cfg.yaml:7: targets[3].agent_labels: unknown label \"Name\" (known: name, phone, group, media)\n"
            "cfg.yaml:7: targets[3].agent_metric: unknown key (did you mean \"agent_metrics\"?)");
}

TEST(ConfigTest, ErrorsNameFileLineAndKeyPath) {
  const std::string yaml = R"(global:
  poll_interval: 15s
targets:
  - name: first
    vendor: fake
    url: http://h/
  - name: second
    vendor: fake
    url: http://h/
    pol_interval: 30s
)";
  EXPECT_EQ(ParseError(yaml), "cfg.yaml:10: targets[1].pol_interval: unknown key (did you mean \"poll_interval\"?)");
}

TEST(ConfigTest, UnknownKeysAtEveryLevel) {
  EXPECT_EQ(ParseError("global: {}\ntarget:\n  - name: a\n"),
            "cfg.yaml:2: target: unknown key (did you mean \"targets\"?)");
  EXPECT_EQ(ParseError("global:\n  poll_intervall: 15s\n"),
            "cfg.yaml:2: global.poll_intervall: unknown key (did you mean \"poll_interval\"?)");
  EXPECT_EQ(ParseError("targets:\n  - {name: a, vendor: fake, url: http://h/, tls: {ca: x}}\n"),
            "cfg.yaml:2: targets[0].tls.ca: unknown key (known here: ca_file, insecure_skip_verify)");
  // A vendor's nested mapping is covered by the target's check.
  EXPECT_EQ(ParseError(R"(targets:
  - name: a
    vendor: fakeauth
    url: http://h/
    auth:
      access_key: AK
      secret_key: s
      secret_kye: t
)"),
            "cfg.yaml:8: targets[0].auth.secret_kye: unknown key (did you mean \"secret_key\"?)");
  // A key belonging to another vendor is unknown to this one.
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendor: fake\n    url: http://h/\n    cc_id: 1\n"),
            "cfg.yaml:5: targets[0].cc_id: unknown key (known here: agent_labels, agent_metrics, "
            "label_value_length_limit, max_response_bytes, name, poll_interval, poll_timeout, queues, sample_limit, "
            "stale_after, tls, url, vendor)");
}

TEST(ConfigTest, DuplicateTargetNames) {
  EXPECT_EQ(ParseError(R"(targets:
  - name: a
    vendor: fake
    url: http://h/
  - name: b
    vendor: fake
    url: http://h/
  - name: a
    vendor: fake
    url: http://h/
)"),
            "cfg.yaml:8: targets[2].name: duplicate target name \"a\" (also targets[0])");
}

TEST(ConfigTest, TargetRequiredKeysAndNames) {
  EXPECT_EQ(ParseError("targets:\n  - vendor: fake\n    url: http://h/\n"),
            "cfg.yaml:2: targets[0].name: required key is missing");
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    url: http://h/\n"),
            "cfg.yaml:2: targets[0].vendor: required key is missing");
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendor: fake\n"),
            "cfg.yaml:2: targets[0].url: required key is missing");
  EXPECT_EQ(ParseError("targets:\n  - name: \"\"\n    vendor: fake\n"),
            "cfg.yaml:2: targets[0].name: must not be empty");
  EXPECT_EQ(ParseError("targets:\n  - name: a b\n    vendor: fake\n    url: http://h/\n"),
            "cfg.yaml:2: targets[0].name: \"a b\" must use only A-Z a-z 0-9 _ . -");
  EXPECT_EQ(ParseError("targets:\n  - name: a/b\n    vendor: fake\n    url: http://h/\n"),
            "cfg.yaml:2: targets[0].name: \"a/b\" must use only A-Z a-z 0-9 _ . -");
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendor: fake\n    url: ftp://h/\n"),
            "cfg.yaml:4: targets[0].url: unsupported url scheme (only http and https)");
}

TEST(ConfigTest, UnknownVendorListsTheKnownOnes) {
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendor: mixcal\n    url: http://h/\n"),
            "cfg.yaml:3: targets[0].vendor: unknown vendor \"mixcal\" (known: fake, fakeauth, picky)");
  EXPECT_EQ(ErrorOf([] { ParseConfig("targets:\n  - {name: a, vendor: fake, url: http://h/}\n", "x.yaml", {}); }),
            "x.yaml:2: targets[0].vendor: unknown vendor \"fake\" (known: none)");
}

TEST(ConfigTest, VendorErrorsUseTheSameFormat) {
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendor: picky\n    url: http://h/\n    queues: []\n"),
            "cfg.yaml:5: targets[0].queues: must name at least one queue");
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendor: fake\n    url: http://h/\n    queues: \"90\"\n"),
            "cfg.yaml:5: targets[0].queues: must be a list of strings, not a scalar");
}

TEST(ConfigTest, StructuralErrors) {
  EXPECT_EQ(ParseError("targets:\n  name: a\n"), "cfg.yaml:1: targets: must be a list, not a mapping");
  EXPECT_EQ(ParseError("targets:\n  - a\n"), "cfg.yaml:2: targets[0]: must be a mapping, not a scalar");
  EXPECT_EQ(ParseError("global: 15s\n"), "cfg.yaml:1: global: must be a mapping, not a scalar");
  EXPECT_EQ(ParseError("- a\n- b\n"), "cfg.yaml:1: the top level must be a mapping with global and targets");
  EXPECT_EQ(ParseError("global:\n  poll_interval: [15s]\n"),
            "cfg.yaml:2: global.poll_interval: must be a string, not a list");
  EXPECT_EQ(ParseError("global:\n  agent_metrics: sometimes\n"),
            "cfg.yaml:2: global.agent_metrics: \"sometimes\" is not a boolean (true or false)");
}

TEST(ConfigTest, YamlSyntaxErrorHasFileAndLine) {
  EXPECT_EQ(ParseError("global:\n  poll_interval: 15s\ntargets:\n  - name: a: b\n"),
            "cfg.yaml:4: YAML syntax error: illegal map value");
  EXPECT_EQ(ParseError("global:\n  poll_interval: 15s\n\tpoll_timeout: 5s\n"),
            "cfg.yaml:3: YAML syntax error: illegal tab when looking for indentation");
  EXPECT_EQ(ParseError("global:\n  poll_interval: 15s\n bad: 1\n"),
            "cfg.yaml:3: YAML syntax error: end of map not found");
  // An unclosed flow list is noticed where the input runs out.
  EXPECT_EQ(ParseError("global:\n  poll_interval: 15s\ntargets:\n  - name: [a\n    vendor: fake\n"),
            "cfg.yaml:5: YAML syntax error: end of sequence flow not found");
  EXPECT_EQ(ParseError("a: &x 1\nb: *y\n"), "cfg.yaml:2: YAML syntax error: the referenced anchor is not defined");
}

// A quoted value whose closing quote is missing swallows the lines below it; yaml-cpp
// reads that as one long string. Every spelling of the fault is an error at its line,
// and the message never quotes the value (it is often a secret).
TEST(ConfigTest, UnclosedQuoteIsASyntaxErrorAtItsLine) {
  const std::string head = "targets:\n  - name: a\n    vendor: fakeauth\n    url: http://h/\n    auth:\n";
  const std::string tls = "    tls:\n      insecure_skip_verify: true\n";
  const std::map<std::string, std::string> cases = {
      {head + "      access_key: AK\n      secret_key: \"HUNTER2SECRET\n" + tls,
       "cfg.yaml:7: YAML syntax error: quoted string has no closing quote"},
      {head + "      access_key: AK\n      secret_key: 'HUNTER2SECRET\n" + tls,
       "cfg.yaml:7: YAML syntax error: quoted string has no closing quote"},
      {head + "      secret_key: \"HUNTER2SECRET\n      access_key: AK\n" + tls,
       "cfg.yaml:6: YAML syntax error: quoted string has no closing quote"},
      {"targets:\n  - name: 'a\n    vendor: fake\n    url: http://h/\n",
       "cfg.yaml:2: YAML syntax error: quoted string has no closing quote"},
      {"global:\n  \"poll_interval: 15s\n  poll_timeout: 5s\n",
       "cfg.yaml:2: YAML syntax error: quoted string has no closing quote"},
  };
  for (const auto& [yaml, want] : cases) {
    SCOPED_TRACE(yaml);
    const std::string error = ParseError(yaml);
    EXPECT_EQ(error, want);
    EXPECT_EQ(error.find("HUNTER2"), std::string::npos);
  }
}

TEST(ConfigTest, QuotedStringContinuingOnALessIndentedLineIsAnError) {
  // A quote closes at the end of the file, so yaml-cpp reads the rest into the string.
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendor: fakeauth\n    url: http://h/\n    auth:\n"
                       "      access_key: \"AK\n      secret_key: s\n    tls: {}\n    x: y\"\n"),
            "cfg.yaml:6: YAML syntax error: quoted string runs on to line 7 (a missing closing quote?): "
            "a continuation line must be indented more than the first");
}

TEST(ConfigTest, WellFormedQuotedStringsStillRead) {
  Config c = Parse(
      "targets:\n  - name: a\n    vendor: fakeauth\n    url: http://h/\n    auth:\n"
      "      access_key: \"A\\\"K\"\n      secret_key: 'it''s\n        folded'\n");
  ASSERT_EQ(c.targets.size(), 1u);
  EXPECT_EQ(SeenTargets()["a"].access_key, "A\"K");
  EXPECT_EQ(SeenTargets()["a"].secret_key, "it's folded");
  // A trailing `---` with nothing after it is an empty document.
  EXPECT_EQ(Parse("targets:\n  - {name: a, vendor: fake, url: http://h/}\n---\n").targets.size(), 1u);
}

// YAML 1.2 §5.1: no C0 control character but tab, LF and CR in a stream.
TEST(ConfigTest, ControlCharactersAreASyntaxError) {
  EXPECT_EQ(ParseError(std::string(",\x01\x00\x00\x01:t", 7)),
            "cfg.yaml:1: YAML syntax error: control character 1 (YAML allows only tab, LF and CR)");
  EXPECT_EQ(ParseError(std::string("global:\n  poll_interval: 15s\x00\n", 30)),
            "cfg.yaml:2: YAML syntax error: control character 0 (YAML allows only tab, LF and CR)");
  EXPECT_EQ(Parse("global:\r\n  poll_interval:\t15s\r\n").global.poll_interval, std::chrono::seconds(15));
}

// Found by fuzzing (fuzz/regressions/*/stray_comma*): yaml-cpp 0.7's LoadAll never returned
// on a `,` where a block value or key starts, whatever comes before or after it.
TEST(ConfigTest, AStrayCommaIsASyntaxErrorAtItsLine) {
  const std::string error = "YAML syntax error: no value or key can start here (a stray `,`?)";
  EXPECT_EQ(ParseError(","), "cfg.yaml:1: " + error);
  EXPECT_EQ(ParseError(",X"), "cfg.yaml:1: " + error);
  EXPECT_EQ(ParseError("# a comment\n,# another\nglobal: {}\n"), "cfg.yaml:2: " + error);
  EXPECT_EQ(ParseError("global: {}\n---\n,\n"), "cfg.yaml:3: " + error);  // where a document starts
  // Inside a block yaml-cpp refuses it by itself, at its line.
  EXPECT_EQ(ParseError("global:\n  poll_interval: 15s\n,\n"), "cfg.yaml:3: YAML syntax error: end of map not found");
  EXPECT_EQ(ParseError("targets:\n  - {name: a, vendor: fake, url: http://h/}\n  ,\n"),
            "cfg.yaml:3: YAML syntax error: end of map not found");
  // Inside a flow collection a comma is the separator it should be.
  EXPECT_EQ(Parse("targets: [{name: a, vendor: fake, url: http://h/}, {name: b, vendor: fake, url: http://h/}]\n")
                .targets.size(),
            2u);
}

// yaml-cpp's Load reads the first document and drops the rest unread.
TEST(ConfigTest, SecondDocumentIsAnError) {
  EXPECT_EQ(ParseError("global:\n  poll_interval: 15s\n---\ntargets:\n  - {name: a, vendor: fake, url: http://h/}\n"),
            "cfg.yaml:4: YAML syntax error: a second YAML document starts here; a configuration file holds one "
            "(is this line's indentation or a stray `---` wrong?)");
  // A top-level list ends where a mapping key starts: the same fault without `---`.
  EXPECT_EQ(ParseError("- targets\nglobal:\n  poll_interval: 15s\n"),
            "cfg.yaml:2: YAML syntax error: a second YAML document starts here; a configuration file holds one "
            "(is this line's indentation or a stray `---` wrong?)");
}

// Every error of the file in one report: a misspelt key is named next to the required key
// it should have been, and one bad target does not hide the next one's errors.
TEST(ConfigTest, AllErrorsOfTheFileAreReported) {
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendr: fake\n    url: http://h/\n"),
            "cfg.yaml:2: targets[0].vendor: required key is missing\n"
            "cfg.yaml:3: targets[0].vendr: unknown key (did you mean \"vendor\"?)");
  EXPECT_EQ(ParseError(R"(global:
  poll_interval: 0s
  pol_timeout: 5s
targets:
  - name: a
    vendor: fake
    url: http://h/
    queus: ["90"]
    stale_afterr: 1m
  - name: b
    vendor: mixcal
    url: http://h/
  - name: c
    vendor: fakeauth
    url: http://h/
    auth: {access_key: AK}
)"),
            "cfg.yaml:2: global.poll_interval: must be at least 1s, got 0s\n"
            "cfg.yaml:3: global.pol_timeout: unknown key (did you mean \"poll_timeout\"?)\n"
            "cfg.yaml:8: targets[0].queus: unknown key (did you mean \"queues\"?)\n"
            "cfg.yaml:9: targets[0].stale_afterr: unknown key (did you mean \"stale_after\"?)\n"
            "cfg.yaml:11: targets[1].vendor: unknown vendor \"mixcal\" (known: fake, fakeauth, picky)\n"
            "cfg.yaml:16: targets[2].auth.secret_key: required: set secret_key or secret_key_file");
}

TEST(ConfigTest, AllErrorsAreListedOneByOne) {
  try {
    Parse("targets:\n  - {name: a, vendor: fake, url: http://h/, qeues: []}\n  - {name: b, vendr: fake}\n");
    ADD_FAILURE() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.errors(), (std::vector<std::string>{
                              "cfg.yaml:2: targets[0].qeues: unknown key (did you mean \"queues\"?)",
                              "cfg.yaml:3: targets[1].vendor: required key is missing",
                              "cfg.yaml:3: targets[1].vendr: unknown key (did you mean \"vendor\"?)",
                          }));
  }
}

TEST(ConfigTest, EnvironmentExpansionInValues) {
  ScopedEnv host("CC_TEST_CFG_HOST", "198.51.100.7");
  ScopedEnv interval("CC_TEST_CFG_INTERVAL", "40s");
  Config config = Parse(R"(global:
  poll_interval: ${CC_TEST_CFG_INTERVAL}
targets:
  - {name: a, vendor: fake, url: "http://${CC_TEST_CFG_HOST}:9710/admin/"}
)");
  EXPECT_EQ(config.global.poll_interval, 40s);
  EXPECT_EQ(config.targets[0].url.host, "198.51.100.7");
  unsetenv("CC_TEST_CFG_UNSET");
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendor: fake\n    url: http://${CC_TEST_CFG_UNSET}/\n"),
            "cfg.yaml:4: targets[0].url: environment variable CC_TEST_CFG_UNSET is not set");
}

TEST(ConfigTest, TlsCaFileMustBeReadable) {
  TempDir dir;
  std::string ca = dir.Write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
  Config config =
      Parse("targets:\n  - name: a\n    vendor: fake\n    url: https://h/\n    tls:\n      ca_file: " + ca + "\n");
  EXPECT_EQ(config.targets[0].tls.ca_file, ca);
  EXPECT_FALSE(config.targets[0].tls.insecure_skip_verify);

  std::string missing = dir.path() + "/missing.pem";
  EXPECT_EQ(ParseError("targets:\n  - name: a\n    vendor: fake\n    url: https://h/\n    tls:\n      ca_file: " +
                       missing + "\n"),
            "cfg.yaml:6: targets[0].tls.ca_file: cannot read CA file \"" + missing + "\": No such file or directory");
}

TEST(ConfigTest, RelativeFilePathsAreRelativeToTheConfigFile) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/etc/keys");
  dir.Write("etc/keys/ca.pem", "-----BEGIN CERTIFICATE-----\n");
  dir.Write("etc/keys/cec.sk", "relative-secret\n");
  std::string path = dir.Write("etc/exporter.yaml",
                               "targets:\n"
                               "  - {name: a, vendor: fakeauth, url: https://h/, tls: {ca_file: keys/ca.pem},\n"
                               "     auth: {access_key: AK, secret_key_file: keys/cec.sk}}\n");
  // The working directory is not the config's: only its directory makes the paths work.
  ASSERT_NE(std::filesystem::current_path(), std::filesystem::path(dir.path() + "/etc"));
  Config config = LoadConfigFile(path, Vendors());
  ASSERT_EQ(config.targets.size(), 1u);
  EXPECT_EQ(config.targets[0].tls.ca_file, dir.path() + "/etc/keys/ca.pem");
  EXPECT_EQ(SeenTargets()["a"].secret_key, "relative-secret");
}

// --- what a reload compares ---------------------------------------------------------------------

TEST(ConfigTest, FingerprintFollowsWhatTheTargetDependsOn) {
  TempDir dir;
  const std::string sk = dir.Write("cec.sk", "one\n");
  ScopedEnv env("CC_TEST_AK", "AK1");
  const std::string a =
      "  - {name: a, vendor: fakeauth, url: http://h/, auth: {access_key: \"${CC_TEST_AK}\", "
      "secret_key_file: " +
      sk + "}}\n";
  const std::string b = "  - {name: b, vendor: fake, url: http://h/}\n";
  const auto fingerprints = [&](const std::string& text) {
    std::map<std::string, std::string> out;
    for (const auto& t : Parse(text).targets) out[t.name] = t.fingerprint;
    return out;
  };
  const auto before = fingerprints("targets:\n" + a + b);
  EXPECT_EQ(before, fingerprints("targets:\n" + a + b));
  // Another order of the targets, or another target added, changes nothing for `a`.
  EXPECT_EQ(fingerprints("targets:\n" + b + a)["a"], before.at("a"));
  EXPECT_EQ(fingerprints("targets:\n" + a + b + "  - {name: c, vendor: fake, url: http://c/}\n")["a"], before.at("a"));
  // What `a` reads changes: its own keys, the global section, an environment variable, a secret file.
  EXPECT_NE(fingerprints("targets:\n" + b + "  - {name: a, vendor: fake, url: http://h/}\n")["a"], before.at("a"));
  const auto global = fingerprints("global: {poll_interval: 30s}\ntargets:\n" + a + b);
  EXPECT_NE(global.at("a"), before.at("a"));
  EXPECT_NE(global.at("b"), before.at("b"));
  setenv("CC_TEST_AK", "AK2", 1);
  const auto env_changed = fingerprints("targets:\n" + a + b);
  EXPECT_NE(env_changed.at("a"), before.at("a"));
  EXPECT_EQ(env_changed.at("b"), before.at("b"));
  setenv("CC_TEST_AK", "AK1", 1);
  dir.Write("cec.sk", "two\n");
  const auto rotated = fingerprints("targets:\n" + a + b);
  EXPECT_NE(rotated.at("a"), before.at("a"));
  EXPECT_EQ(rotated.at("b"), before.at("b"));
}

TEST(ConfigTest, LoadConfigFile) {
  TempDir dir;
  std::string path = dir.Write("exporter.yaml", "targets:\n  - {name: a, vendor: fake, url: http://h/}\n");
  Config config = LoadConfigFile(path, Vendors());
  EXPECT_EQ(config.file, path);
  ASSERT_EQ(config.targets.size(), 1u);
  EXPECT_EQ(config.targets[0].name, "a");

  std::string bad = dir.Write("bad.yaml", "global:\n  poll_interval: nope\n");
  EXPECT_EQ(ErrorOf([&] { LoadConfigFile(bad, Vendors()); }),
            bad + ":2: global.poll_interval: \"nope\" is not a duration (e.g. 500ms, 15s, 1m30s, 2h)");

  std::string missing = dir.path() + "/absent.yaml";
  EXPECT_EQ(ErrorOf([&] { LoadConfigFile(missing, Vendors()); }),
            missing + ": cannot read config file: No such file or directory");
}

TEST(ConfigTest, ExampleConfigLoads) {
  // Only mixcall is implemented; the example keeps the other vendors commented out.
  const std::vector<VendorKeys> vendors = {{"mixcall", ReadQueues}};
  SeenTargets().clear();
  Config config = LoadConfigFile(CC_FIXTURES "/../../config.yaml", vendors);
  EXPECT_EQ(config.global.poll_interval, 15s);
  EXPECT_EQ(config.global.poll_timeout, 10s);
  EXPECT_EQ(config.global.stale_after, 45s);
  EXPECT_EQ(config.global.max_response_bytes, 16ull << 20);
  EXPECT_TRUE(config.global.agent_metrics);
  ASSERT_EQ(config.targets.size(), 1u);
  EXPECT_EQ(config.targets[0].name, "demo-mixcall");
  EXPECT_EQ(config.targets[0].vendor, "mixcall");
  EXPECT_EQ(config.targets[0].url.ToString(), "http://127.0.0.1:9710/admin/");
  EXPECT_TRUE(SeenTargets()["demo-mixcall"].queues.empty());
}

}  // namespace
}  // namespace cc

namespace cc {
namespace {

TEST(ConfigNodeTest, IntListNamesTheBadElementAndItsLine) {
  YAML::Node root = YAML::Load("skills:\n  - 1\n  - two\n  - [3]\n");
  ConfigNode node(root, "s.yaml", "targets[0]");
  try {
    node.IntList("skills");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "s.yaml:3: targets[0].skills[1]: \"two\" is not an integer");
  }
  YAML::Node nested = YAML::Load("skills:\n  - [3]\n");
  ConfigNode n2(nested, "s.yaml", "t");
  try {
    n2.IntList("skills");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "s.yaml:2: t.skills[0]: must be an integer, not a list");
  }
  YAML::Node good = YAML::Load("skills: [1, 2, 30]\n");
  ConfigNode n3(good, "s.yaml", "t");
  EXPECT_EQ(n3.IntList("skills"), (std::vector<std::int64_t>{1, 2, 30}));
}

}  // namespace
}  // namespace cc

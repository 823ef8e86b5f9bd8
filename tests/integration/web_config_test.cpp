// --web.config.file on the real exporter: basic auth on every route, TLS on
// the listener (checked with curl, an independent client), and a broken file
// refused at start-up and by --config.check.

#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/harness.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

// bcrypt of "U*U" (crypt_blowfish's test vector); base64 of "prometheus:U*U".
constexpr const char* kHash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
constexpr const char* kGoodAuth = "Basic cHJvbWV0aGV1czpVKlU=";

const std::string kTls = std::string(CC_FIXTURES) + "/tls/";

class WebConfigIntegration : public ::testing::Test {
 protected:
  // Starts the exporter (no targets) with `web_yaml` as its web config.
  void Start(const std::string& web_yaml) {
    const std::string config = dir_.Write("config.yaml", "targets: []\n");
    const std::string web = dir_.Write("web.yml", web_yaml);
    exporter_ = std::make_unique<Process>(ExporterBinary(),
                                          std::vector<std::string>{"--config.file", config, "--web.config.file", web,
                                                                   "--web.listen-address", "127.0.0.1:0"},
                                          dir_.path() + "/exporter.log");
    auto line = exporter_->WaitForLine("msg=listening address=", 20s);
    ASSERT_TRUE(line) << exporter_->Log();
    addr_ = AddressAfter(*line, "address=");
  }

  // curl's HTTP status for an HTTPS GET (0 when the request failed).
  int Curl(const std::string& path, const std::string& extra) {
    const std::string cmd =
        "curl -s -o /dev/null -w '%{http_code}' --max-time 10 " + extra + " 'https://" + addr_ + path + "'";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    char buf[16] = {};
    const std::size_t n = pipe ? std::fread(buf, 1, sizeof buf - 1, pipe.get()) : 0;
    return std::atoi(std::string(buf, n).c_str());
  }

  TempDir dir_;
  std::unique_ptr<Process> exporter_;
  std::string addr_;
};

TEST_F(WebConfigIntegration, BasicAuthGuardsEveryRoute) {
  Start(std::string("basic_auth_users:\n  prometheus: ") + kHash + "\n");
  for (const char* path : {"/metrics", "/", "/-/healthy", "/-/ready", "/probe?target=x"}) {
    auto refused = Get(addr_, path);
    EXPECT_EQ(refused.status, 401) << path;
    EXPECT_EQ(refused.headers["www-authenticate"], "Basic") << path;
    EXPECT_EQ(Http("GET", addr_, path, {{"Authorization", "Basic cHJvbWV0aGV1czpVKlUq"}}).status, 401) << path;
  }
  auto ok = Http("GET", addr_, "/metrics", {{"Authorization", kGoodAuth}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(ParseExposition(ok.body).Value("callcenter_exporter_build_info", {}).has_value()) << ok.body;
  EXPECT_EQ(exporter_->Log().find("U*U"), std::string::npos);
}

// Issue 10: bcrypt ran on the I/O threads, so a few connections sending wrong
// passwords held up a client whose credentials were already verified. With a
// cost-13 hash (a few hundred ms per check) and eight such connections, the
// remembered client is answered before any wrong password was checked; the
// eight get 401, or 503 past the bounded verifier queue.
TEST_F(WebConfigIntegration, ARememberedClientIsServedWhileWrongPasswordsAreChecked) {
  // bcrypt of "U*U" at cost 13 (Python's crypt module).
  Start("basic_auth_users:\n  prometheus: $2b$13$pS4dwOlQmEPgUGzS0fzZC.tvQozhSkhH8VTbj6UvIYHdzgRqMl6by\n");
  ASSERT_EQ(Http("GET", addr_, "/metrics", {{"Authorization", kGoodAuth}}).status, 200);  // now remembered

  std::atomic<int> refused{0};
  std::vector<std::thread> attackers;
  std::vector<HttpResult> results(8);
  for (std::size_t i = 0; i < results.size(); ++i) {
    attackers.emplace_back([&, i] {
      // "prometheus:wrongN"; base64 by hand (Python) for N = 0 … 7.
      static const char* kWrong[] = {"cHJvbWV0aGV1czp3cm9uZzA=", "cHJvbWV0aGV1czp3cm9uZzE=", "cHJvbWV0aGV1czp3cm9uZzI=",
                                     "cHJvbWV0aGV1czp3cm9uZzM=", "cHJvbWV0aGV1czp3cm9uZzQ=", "cHJvbWV0aGV1czp3cm9uZzU=",
                                     "cHJvbWV0aGV1czp3cm9uZzY=", "cHJvbWV0aGV1czp3cm9uZzc="};
      results[i] = Http("GET", addr_, "/metrics", {{"Authorization", std::string("Basic ") + kWrong[i]}}, "", 60s);
      if (results[i].status == 401) ++refused;
    });
  }
  std::this_thread::sleep_for(100ms);  // let the wrong passwords arrive first (no timing is asserted)
  auto ok = Http("GET", addr_, "/metrics", {{"Authorization", kGoodAuth}});
  const int refused_before = refused.load();
  for (auto& t : attackers) t.join();
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(refused_before, 0) << "the remembered client waited for bcrypt checks of wrong passwords";
  int verified = 0;
  for (const auto& r : results) {
    if (r.status == 401) {
      ++verified;
      EXPECT_EQ(r.headers.at("www-authenticate"), "Basic");
    } else {
      EXPECT_EQ(r.status, 503) << r.error;
      EXPECT_EQ(r.headers.count("retry-after") ? r.headers.at("retry-after") : "", "1");
    }
  }
  EXPECT_GE(verified, 1);
  EXPECT_EQ(exporter_->Log().find("wrong"), std::string::npos);
}

TEST_F(WebConfigIntegration, TlsWithBasicAuthAndHeaders) {
  Start("tls_server_config:\n  cert_file: " + kTls + "server.pem\n  key_file: " + kTls +
        "server.key\nhttp_server_config:\n  headers:\n    Strict-Transport-Security: max-age=600\n"
        "basic_auth_users:\n  prometheus: " +
        kHash + "\n");
  const std::string ca = "--cacert " + kTls + "ca.pem";
  EXPECT_EQ(Curl("/metrics", ca + " -u 'prometheus:U*U'"), 200);
  EXPECT_EQ(Curl("/metrics", ca), 401);
  EXPECT_EQ(Curl("/metrics", "--cacert " + kTls + "wrong_ca.pem -u 'prometheus:U*U'"), 0);  // untrusted
  EXPECT_EQ(Get(addr_, "/metrics").status, 0);                    // plain HTTP gets no HTTP answer
  EXPECT_EQ(Curl("/metrics", ca + " -u 'prometheus:U*U'"), 200);  // and the listener is still fine

  const std::string cmd =
      "curl -s -D - -o /dev/null --max-time 10 " + ca + " -u 'prometheus:U*U' 'https://" + addr_ + "/metrics'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  std::string headers;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) headers.append(buf, n);
  EXPECT_NE(headers.find("Strict-Transport-Security: max-age=600"), std::string::npos) << headers;
}

TEST(WebConfigStartup, ABrokenWebConfigStopsStartAndFailsTheCheck) {
  TempDir dir;
  const std::string config = dir.Write("config.yaml", "targets: []\n");
  const std::string web = dir.Write("web.yml", "tls_server_config:\n  cert_file: " + kTls + "server.pem\n");
  Process run(ExporterBinary(),
              {"--config.file", config, "--web.config.file", web, "--web.listen-address", "127.0.0.1:0"},
              dir.path() + "/run.log");
  EXPECT_EQ(run.Wait(20s), 1);
  EXPECT_NE(run.Log().find(web + ":2: tls_server_config.key_file: required key is missing"), std::string::npos)
      << run.Log();
  Process check(ExporterBinary(), {"--config.file", config, "--web.config.file", web, "--config.check"},
                dir.path() + "/check.log");
  EXPECT_EQ(check.Wait(20s), 1);
  EXPECT_NE(check.Log().find("tls_server_config.key_file: required key is missing"), std::string::npos) << check.Log();
}

}  // namespace
}  // namespace cc::test

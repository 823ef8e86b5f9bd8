#include "http/web_config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "config/config.h"

namespace cc::http {
namespace {

// Classic bcrypt vectors from crypt_blowfish's test suite (password, hash).
constexpr const char* kHashUU = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";   // "U*U"
constexpr const char* kHashUUU = "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a";  // "U*U*U"

class WebConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cc_web_config_test." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "tls");
    for (const char* f : {"server.pem", "server.key", "other.key", "ca.pem"}) {
      std::filesystem::copy_file(std::string(CC_FIXTURES) + "/tls/" + f, dir_ / "tls" / f,
                                 std::filesystem::copy_options::overwrite_existing);
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& text) {
    const std::string path = (dir_ / "web.yml").string();
    std::ofstream(path) << text;
    return path;
  }
  // The error of loading `text`, with the file's path replaced by "web.yml".
  std::string ErrorOf(const std::string& text) {
    const std::string path = Write(text);
    try {
      LoadWebConfig(path);
    } catch (const ConfigError& e) {
      std::string msg = e.what();
      if (msg.rfind(path, 0) == 0) msg = "web.yml" + msg.substr(path.size());
      return msg;
    }
    return "no error";
  }

  std::filesystem::path dir_;
};

TEST_F(WebConfigTest, EmptyFileMeansPlainHttpWithoutAuth) {
  WebConfig c = LoadWebConfig(Write(""));
  EXPECT_EQ(c.tls, nullptr);
  EXPECT_TRUE(c.basic_auth_users.empty());
  EXPECT_TRUE(c.headers.empty());
}

TEST_F(WebConfigTest, ReadsTlsUsersAndHeadersWithPathsRelativeToTheFile) {
  WebConfig c = LoadWebConfig(Write(std::string("tls_server_config:\n"
                                                "  cert_file: tls/server.pem\n"
                                                "  key_file: tls/server.key\n"
                                                "  client_auth_type: VerifyClientCertIfGiven\n"
                                                "  client_ca_file: tls/ca.pem\n"
                                                "  min_version: TLS13\n"
                                                "http_server_config:\n"
                                                "  http2: false\n"
                                                "  headers:\n"
                                                "    Strict-Transport-Security: max-age=31536000\n"
                                                "basic_auth_users:\n"
                                                "  prometheus: ") +
                                    kHashUU + "\n  grafana: '" + kHashUUU + "'\n"));
  ASSERT_NE(c.tls, nullptr);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(c.tls->native_handle()), TLS1_3_VERSION);
  ASSERT_EQ(c.basic_auth_users.size(), 2u);
  EXPECT_EQ(c.basic_auth_users[0], (std::pair<std::string, std::string>{"prometheus", kHashUU}));
  EXPECT_EQ(c.basic_auth_users[1].first, "grafana");
  ASSERT_EQ(c.headers.size(), 1u);
  EXPECT_EQ(c.headers[0].first, "Strict-Transport-Security");
  EXPECT_EQ(c.headers[0].second, "max-age=31536000");
}

TEST_F(WebConfigTest, MistakesNameFileLineAndKey) {
  const std::string tls = "tls_server_config:\n  cert_file: tls/server.pem\n";
  EXPECT_EQ(ErrorOf(tls), "web.yml:2: tls_server_config.key_file: required key is missing");
  EXPECT_NE(ErrorOf(tls + "  key_file: tls/other.key\n")
                .find("web.yml:3: tls_server_config.key_file: cannot load private key \"" +
                      (dir_ / "tls/other.key").string() + "\": key values mismatch"),
            std::string::npos);
  EXPECT_EQ(
      ErrorOf(tls + "  key_file: tls/server.key\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n"),
      "web.yml:4: tls_server_config.cipher_suites: not supported by callcenter_exporter (OpenSSL's defaults apply)");
  EXPECT_EQ(ErrorOf(tls + "  key_file: tls/server.key\n  min_version: TLS99\n"),
            "web.yml:4: tls_server_config.min_version: \"TLS99\" is not one of TLS10, TLS11, TLS12, TLS13");
  EXPECT_EQ(ErrorOf(tls + "  key_file: tls/server.key\n  client_auth_type: RequireAndVerifyClientCert\n"),
            "web.yml:2: tls_server_config.client_ca_file: required with client_auth_type RequireAndVerifyClientCert");
  EXPECT_EQ(ErrorOf(tls + "  key_file: tls/server.key\n  client_auth_type: Sometimes\n")
                .rfind("web.yml:4: tls_server_config.client_auth_type: \"Sometimes\" is not one of", 0),
            0u);
  EXPECT_EQ(ErrorOf("tls_server_config:\n  cert_file: tls/missing.pem\n  key_file: tls/server.key\n")
                .rfind("web.yml:2: tls_server_config.cert_file: cannot load certificate \"" +
                           (dir_ / "tls/missing.pem").string(),
                       0),
            0u);
  EXPECT_EQ(ErrorOf("basic_auth_users:\n  alice: secret\n"),
            "web.yml:2: basic_auth_users.alice: must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters)");
  EXPECT_EQ(ErrorOf("basic_auth_user:\n  alice: x\n").rfind("web.yml:1: basic_auth_user: unknown key", 0), 0u);
  EXPECT_EQ(ErrorOf("tls_server_config: [\n"), "web.yml:2: YAML syntax error: end of sequence flow not found");
}

// The text form (what the fuzzer feeds) is the file form without the read:
// relative paths resolve against the named file's directory, errors name it.
TEST_F(WebConfigTest, ParseWebConfigResolvesAndNamesTheGivenPath) {
  const std::string path = (dir_ / "web.yml").string();
  WebConfig c = ParseWebConfig("tls_server_config:\n  cert_file: tls/server.pem\n  key_file: tls/server.key\n", path);
  EXPECT_NE(c.tls, nullptr);
  try {
    ParseWebConfig("basic_auth_users:\n  alice: secret\n", path);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ":2: basic_auth_users.alice: must be a bcrypt hash", 0), 0u)
        << e.what();
  }
}

TEST_F(WebConfigTest, ErrorsNeverEchoAPlainPassword) {
  // A password pasted where the hash belongs must not end up in a log line.
  const std::string msg = ErrorOf("basic_auth_users:\n  alice: hunter2-plain\n");
  EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
}

TEST_F(WebConfigTest, HeadersThatWouldSplitAResponseAreRefused) {
  const std::string head = "http_server_config:\n  headers:\n    X-Ok: fine\n";
  for (const char* value : {R"("a\r\nSet-Cookie: x=1")", R"("a\nb")", R"("a\rb")", R"("a\0b")", R"("a\x01b")"}) {
    EXPECT_EQ(ErrorOf(head + "    X-Frame-Options: " + value + "\n"),
              "web.yml:4: http_server_config.headers.X-Frame-Options: a header value must not contain CR, LF, NUL or "
              "other control characters")
        << value;
  }
  EXPECT_EQ(ErrorOf(head + "    \"X-A: b\": c\n"),
            "web.yml:4: http_server_config.headers.X-A: b: a header name must be an RFC 9110 token (letters, digits, "
            "!#$%&'*+-.^_`|~)");
  EXPECT_NE(ErrorOf(head + "    \"\": c\n").find(": http_server_config.headers: a header name must be"),
            std::string::npos);
  WebConfig c = LoadWebConfig(Write(head + "    X-Tab: \"a\\tb\"\n"));  // HTAB is allowed (RFC 9110 5.5)
  ASSERT_EQ(c.headers.size(), 2u);
  EXPECT_EQ(c.headers[1].second, "a\tb");
  EXPECT_EQ(ErrorOf("basic_auth_users:\n  \"a\\nb\": x\n").find("web.yml:2: basic_auth_users.a"), 0u);
}

}  // namespace
}  // namespace cc::http

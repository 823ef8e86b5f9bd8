#include "config/url.h"

#include <gtest/gtest.h>

namespace cc {
namespace {

Url MustParse(std::string_view text) {
  std::string error;
  std::optional<Url> url = ParseUrl(text, &error);
  EXPECT_TRUE(url.has_value()) << text << ": " << error;
  return url.value_or(Url{});
}

std::string ErrorOf(std::string_view text) {
  std::string error;
  std::optional<Url> url = ParseUrl(text, &error);
  EXPECT_FALSE(url.has_value()) << text << " parsed as " << (url ? url->ToString() : "");
  EXPECT_FALSE(error.empty()) << text;
  return error;
}

TEST(UrlTest, HttpWithPortAndPath) {
  Url url = MustParse("http://127.0.0.1:9710/admin/");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_FALSE(url.tls());
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 9710);
  EXPECT_EQ(url.path, "/admin/");
  EXPECT_EQ(url.HostHeader(), "127.0.0.1:9710");
  EXPECT_EQ(url.ToString(), "http://127.0.0.1:9710/admin/");
}

TEST(UrlTest, DefaultPortsAndPath) {
  Url https = MustParse("https://cms.example.com");
  EXPECT_TRUE(https.tls());
  EXPECT_EQ(https.port, 443);
  EXPECT_EQ(https.path, "/");
  EXPECT_EQ(https.HostHeader(), "cms.example.com");
  EXPECT_EQ(https.ToString(), "https://cms.example.com/");

  Url http = MustParse("http://192.0.2.10/admin/");
  EXPECT_EQ(http.port, 80);
  EXPECT_EQ(http.HostHeader(), "192.0.2.10");
}

TEST(UrlTest, ExplicitDefaultPortIsOmittedFromHostHeader) {
  EXPECT_EQ(MustParse("https://h.example:443/x").HostHeader(), "h.example");
  EXPECT_EQ(MustParse("http://h.example:80/x").HostHeader(), "h.example");
  // The other scheme's default is not a default here.
  EXPECT_EQ(MustParse("https://h.example:80/").HostHeader(), "h.example:80");
  EXPECT_EQ(MustParse("https://cms.example.com:28090").ToString(), "https://cms.example.com:28090/");
}

TEST(UrlTest, PathAndQueryKeptVerbatim) {
  EXPECT_EQ(MustParse("http://h/admin/?m=interface&c=api").path, "/admin/?m=interface&c=api");
  EXPECT_EQ(MustParse("http://h?x=1").path, "/?x=1");
  EXPECT_EQ(MustParse("https://example.ucontactcloud.com/Integra/resources/").path, "/Integra/resources/");
  EXPECT_EQ(MustParse("http://h/a%20b/?q=%2F").path, "/a%20b/?q=%2F");
  // An '@' in the query is data, not user info.
  EXPECT_EQ(MustParse("http://h/p?mail=a@b").path, "/p?mail=a@b");
}

TEST(UrlTest, Ipv6InBrackets) {
  Url url = MustParse("http://[2001:db8::1]:8080/p");
  EXPECT_EQ(url.host, "2001:db8::1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.HostHeader(), "[2001:db8::1]:8080");
  EXPECT_EQ(url.ToString(), "http://[2001:db8::1]:8080/p");

  Url local = MustParse("https://[::1]");
  EXPECT_EQ(local.host, "::1");
  EXPECT_EQ(local.HostHeader(), "[::1]");
  EXPECT_EQ(local.ToString(), "https://[::1]/");
}

TEST(UrlTest, SchemeIsCaseInsensitive) {
  EXPECT_EQ(MustParse("HTTPS://h/").scheme, "https");
  EXPECT_EQ(MustParse("Http://h/").scheme, "http");
}

TEST(UrlTest, RejectsMalformed) {
  for (const char* bad : {"",
                          "ftp://h/",
                          "h/path",
                          "//h/",
                          "http://",
                          "http:///x",
                          "http://h:0/",
                          "http://h:65536/",
                          "http://h:abc/",
                          "http://h:/",
                          "http://h:-1/",
                          "http://h /",
                          " http://h/",
                          "http://h/\n",
                          "http://h/a b",
                          "http://h/#frag",
                          "http://h#",
                          "http://[::1/",
                          "http://[]/",
                          "http://[zz::1]/",
                          "http://[::1]x/",
                          "http://::1/",
                          "http://h_o$t/"}) {
    SCOPED_TRACE(bad);
    ErrorOf(bad);
  }
}

TEST(UrlTest, SpecificErrors) {
  EXPECT_NE(ErrorOf("ftp://h/").find("http"), std::string::npos);
  EXPECT_NE(ErrorOf("http://h/#x").find("fragment"), std::string::npos);
  EXPECT_NE(ErrorOf("http://h:70000/").find("port"), std::string::npos);
  EXPECT_NE(ErrorOf("http://h /").find("whitespace"), std::string::npos);
}

TEST(UrlTest, UserInfoRejectedWithoutEchoingThePassword) {
  for (const char* bad :
       {"http://admin:Zq9xKpw@h.example/", "https://admin:Zq9xKpw@[::1]:8443/x", "http://admin:Zq9/xKpw@h.example/",
        "http://Zq9xKpw@h/", "http://admin:Zq9xKpw@h.example:badport/"}) {
    SCOPED_TRACE(bad);
    std::string error = ErrorOf(bad);
    EXPECT_NE(error.find("user info"), std::string::npos) << error;
    EXPECT_EQ(error.find("Zq9"), std::string::npos) << error;
    EXPECT_EQ(error.find("xKpw"), std::string::npos) << error;
    EXPECT_EQ(error.find("admin"), std::string::npos) << error;
  }
}

TEST(UrlTest, ErrorPointerMayBeNull) {
  EXPECT_FALSE(ParseUrl("nope", nullptr).has_value());
  EXPECT_TRUE(ParseUrl("http://h/", nullptr).has_value());
}

}  // namespace
}  // namespace cc

namespace cc {
namespace {

TEST(UrlTest, PercentEncodeKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("Sales-90_a.b~"), "Sales-90_a.b~");
  EXPECT_EQ(PercentEncode("Sales->x y&z=1"), "Sales-%3Ex%20y%26z%3D1");
  EXPECT_EQ(PercentEncode("\xE8\xAE\xB0"), "%E8%AE%B0");
  EXPECT_EQ(PercentEncode(""), "");
}

TEST(UrlTest, FormEncodeJoinsEncodedPairs) {
  EXPECT_EQ(FormEncode({}), "");
  EXPECT_EQ(FormEncode({{"queue", ""}}), "queue=");
  // uContact campaign names carry "->" and "<-".
  EXPECT_EQ(FormEncode({{"queue", "test->"}}), "queue=test-%3E");
  EXPECT_EQ(FormEncode({{"queue", "Power<-"}}), "queue=Power%3C-");
  EXPECT_EQ(FormEncode({{"user", "api user"}, {"password", "p&s=w%rd+"}}),
            "user=api%20user&password=p%26s%3Dw%25rd%2B");
}

}  // namespace
}  // namespace cc

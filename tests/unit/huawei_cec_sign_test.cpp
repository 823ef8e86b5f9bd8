#include "collectors/huawei_cec/sign.h"

#include <chrono>
#include <ctime>

#include <gtest/gtest.h>

namespace cc::huawei_cec {
namespace {

// 2018-07-02T02:42:49Z, the time of both vectors (docs/vendors/api/huawei_cec.md §2.3).
std::chrono::system_clock::time_point VectorTime() {
  std::tm tm{};
  tm.tm_year = 2018 - 1900;
  tm.tm_mon = 6;
  tm.tm_mday = 2;
  tm.tm_hour = 2;
  tm.tm_min = 42;
  tm.tm_sec = 49;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(872);
}

TEST(HuaweiCecSignTest, TimestampIsUtcWithoutFraction) {
  EXPECT_EQ(FormatTimestamp(VectorTime()), "2018-07-02T02:42:49Z");
}

TEST(HuaweiCecSignTest, NormalizeEncodesEveryByteButUnreserved) {
  EXPECT_EQ(Normalize("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(Normalize("a b/c:d"), "a%20b%2Fc%3Ad");
  EXPECT_EQ(Normalize("{\"x\":[1]}"), "%7B%22x%22%3A%5B1%5D%7D");
  EXPECT_EQ(Normalize("\xE4\xB8\xAD"), "%E4%B8%AD");  // UTF-8 bytes, upper-case hex
  EXPECT_EQ(Normalize(std::string("\0+", 2)), "%00%2B");
}

TEST(HuaweiCecSignTest, VectorA) {
  const std::string body = R"({"ccId":1,"vdn":170,"skillIds":[1,2]})";
  const SignRequest r{.method = "POST",
                      .uri = "/rest/cmsapp/v1/openapi/skill/currentcallstateinfo",
                      .query = {},
                      .headers = {{"host", "10.22.26.181:28080"}},
                      .body = body};
  EXPECT_EQ(HmacSha256Hex("testsecretkey", "auth-v2/globalaktest/2018-07-02T02:42:49Z/host"),
            "de3f4d60a41fd3d240dccd9b5f7560e338c9f9aff484cea7788298648d5dbaa1");
  EXPECT_EQ(CanonicalRequest(r),
            "POST\n/rest/cmsapp/v1/openapi/skill/currentcallstateinfo\nhost\nhost:10.22.26.181%3A28080\n"
            "%7B%22ccId%22%3A1%2C%22vdn%22%3A170%2C%22skillIds%22%3A%5B1%2C2%5D%7D");
  EXPECT_EQ(Authorization("globalaktest", "testsecretkey", r, VectorTime()),
            "auth-v2/globalaktest/2018-07-02T02:42:49Z/host/"
            "f87014e45b001cd7ef0aac5f4f8aad74decd4beedb630cf49e22854a5dd1f490");
}

TEST(HuaweiCecSignTest, VectorB) {
  const SignRequest r{.method = "GET",
                      .uri = "/rest/cmsapp/v1/openapi/skillgroups/1/170",
                      .query = {{"b", "x y"}, {"a", "1"}},
                      .headers = {{"Host", "10.22.26.181:28080"}, {"Content-Type", "application/json; charset=UTF-8"}},
                      .body = ""};
  EXPECT_EQ(SignedHeaders(r.headers), "content-type;host");
  EXPECT_EQ(CanonicalRequest(r),
            "GET\n/rest/cmsapp/v1/openapi/skillgroups/1/170\na=1&b=x%20y\ncontent-type;host\n"
            "content-type:application%2Fjson%3B%20charset%3DUTF-8\nhost:10.22.26.181%3A28080\n");
  EXPECT_EQ(Authorization("globalaktest", "testsecretkey", r, VectorTime()),
            "auth-v2/globalaktest/2018-07-02T02:42:49Z/content-type;host/"
            "98412904dfc33c0f432bd5021010fd9cbfdbbb724d180f9eab07590b6960d7db");
}

TEST(HuaweiCecSignTest, SignatureDependsOnBodyHostAndSecret) {
  SignRequest r{.method = "POST", .uri = "/p", .query = {}, .headers = {{"host", "h:1"}}, .body = "{}"};
  const std::string base = Authorization("ak", "sk", r, VectorTime());
  EXPECT_EQ(base.find("sk"), std::string::npos);
  EXPECT_NE(Authorization("ak", "sk2", r, VectorTime()), base);
  r.body = "{ }";
  EXPECT_NE(Authorization("ak", "sk", r, VectorTime()), base);
  r.body = "{}";
  r.headers = {{"host", "h"}};
  EXPECT_NE(Authorization("ak", "sk", r, VectorTime()), base);
}

}  // namespace
}  // namespace cc::huawei_cec

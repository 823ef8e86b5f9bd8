#include "http/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "tests/unit/support/zlib_inflate.h"

namespace cc {
namespace {

// `printf 'hello, gzip\n' | gzip -n -9`: bytes from the real gzip tool.
constexpr unsigned char kHelloGz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb,
                                      0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x48, 0xaf, 0xca, 0x2c, 0xe0,
                                      0x02, 0x00, 0x86, 0x1f, 0x82, 0xa4, 0x0c, 0x00, 0x00, 0x00};

std::string_view HelloGz() { return {reinterpret_cast<const char*>(kHelloGz), sizeof(kHelloGz)}; }

using test::ZlibInflate;

std::string RandomBytes(std::size_t n) {
  std::mt19937 rng(42);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

TEST(GzipTest, DecompressesOutputOfGzipTool) {
  auto r = GzipDecompress(HelloGz(), 1024);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "hello, gzip\n");
}

TEST(GzipTest, CompressProducesGzipThatZlibReads) {
  const std::string text = "queue=90 waiting=3 agents=12\n";
  std::string input;
  for (int i = 0; i < 1000; ++i) input += text;
  const std::string gz = GzipCompress(input);
  ASSERT_GE(gz.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_LT(gz.size(), input.size() / 10);
  EXPECT_EQ(ZlibInflate(gz), input);
}

TEST(GzipTest, RoundTripAtEveryLevel) {
  const std::string input = RandomBytes(200000) + std::string(100000, 'x');
  for (int level : {0, 1, 6, 9}) {
    auto r = GzipDecompress(GzipCompress(input, level), input.size());
    ASSERT_TRUE(r.ok()) << "level " << level << ": " << r.error().message;
    EXPECT_EQ(*r, input) << "level " << level;
  }
}

TEST(GzipTest, EmptyRoundTrip) {
  const std::string gz = GzipCompress("");
  EXPECT_FALSE(gz.empty());
  auto r = GzipDecompress(gz, 0);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "");
}

TEST(GzipTest, CapIsInclusive) {
  const std::string input(5000, 'a');
  const std::string gz = GzipCompress(input);
  auto exact = GzipDecompress(gz, 5000);
  ASSERT_TRUE(exact.ok()) << exact.error().message;
  EXPECT_EQ(exact->size(), 5000u);
  auto over = GzipDecompress(gz, 4999);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().reason, Reason::too_large);
}

TEST(GzipTest, BombStopsAtCap) {
  // 64 MiB of zeros compress to about 64 KiB.
  const std::string gz = GzipCompress(std::string(64u << 20, '\0'), 9);
  ASSERT_LT(gz.size(), 1u << 20);
  auto r = GzipDecompress(gz, 1u << 20);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, Reason::too_large);
  EXPECT_NE(r.error().message.find("1048576"), std::string::npos) << r.error().message;
}

TEST(GzipTest, TruncatedInputIsParseError) {
  const std::string gz = GzipCompress(RandomBytes(10000));
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, gz.size() / 2, gz.size() - 1}) {
    auto r = GzipDecompress(gz.substr(0, cut), 1u << 20);
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_EQ(r.error().reason, Reason::parse) << "cut at " << cut;
  }
}

TEST(GzipTest, CorruptInputIsParseError) {
  auto not_gzip = GzipDecompress("this is plain text, not gzip", 1024);
  ASSERT_FALSE(not_gzip.ok());
  EXPECT_EQ(not_gzip.error().reason, Reason::parse);

  std::string gz(HelloGz());
  gz[gz.size() - 6] ^= 0x55;  // CRC32 of the trailer
  auto bad_crc = GzipDecompress(gz, 1024);
  ASSERT_FALSE(bad_crc.ok());
  EXPECT_EQ(bad_crc.error().reason, Reason::parse);
  EXPECT_NE(bad_crc.error().message.find("check"), std::string::npos) << bad_crc.error().message;
}

TEST(GzipTest, ConcatenatedMembersAreOneStream) {
  const std::string gz = GzipCompress("first,") + GzipCompress("second");
  auto r = GzipDecompress(gz, 1024);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "first,second");
}

TEST(GzipTest, TrailingGarbageIsParseError) {
  auto r = GzipDecompress(std::string(HelloGz()) + "junk", 1024);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, Reason::parse);
}

}  // namespace
}  // namespace cc

namespace cc {
namespace {

TEST(AcceptsGzipTest, ReadsCodingsAndQualities) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, gzip;q=0.8"));
  EXPECT_TRUE(AcceptsGzip(" br , * "));
  EXPECT_TRUE(AcceptsGzip("gzip;q=0.001"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
  EXPECT_FALSE(AcceptsGzip("x-gzip2"));
}

}  // namespace
}  // namespace cc

// GzipWriter and PieceDeflater (http/gzip.h): members spliced from pieces deflated at
// different times, read back by zlib and by Debian's gzip program.

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/gzip.h"

#include "tests/unit/support/zlib_inflate.h"

namespace cc {
namespace {

using test::ZlibInflate;

// What `gzip -dc` writes for `member` and whether `gzip -t` accepts it: Debian's gzip
// (an essential package) reads the file, independent of this process' zlib.
struct GzipTool {
  bool test_ok = false;
  std::string decompressed;
};

std::string RunCapturing(const std::string& command, int* status) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen " + command);
  std::string out;
  char buf[65536];
  for (std::size_t n; (n = fread(buf, 1, sizeof(buf), pipe)) > 0;) out.append(buf, n);
  *status = pclose(pipe);
  return out;
}

GzipTool ReadWithGzipTool(const std::string& member) {
  const auto path = std::filesystem::temp_directory_path() / ("cc_gzip_writer_" + std::to_string(getpid()) + ".gz");
  std::ofstream(path, std::ios::binary).write(member.data(), static_cast<std::streamsize>(member.size()));
  GzipTool result;
  int status = -1;
  RunCapturing("gzip -t " + path.string() + " 2>&1", &status);
  result.test_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  result.decompressed = RunCapturing("gzip -dc " + path.string(), &status);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "gzip -dc failed";
  std::filesystem::remove(path);
  return result;
}

// Raw deflate data (no wrapper), inflated on its own by a fresh zlib stream.
std::string InflateRaw(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, -MAX_WBITS), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[4096];
  int rc = Z_OK;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_SYNC_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
  } while (rc == Z_OK && (zs.avail_in > 0 || zs.avail_out == 0));
  EXPECT_EQ(zs.avail_in, 0u) << "a piece is read to its end without a final block";
  inflateEnd(&zs);
  return out;
}

// Exposition-like lines (which deflate well), random bytes (which do not), or nothing.
std::string RandomText(std::mt19937& rng) {
  std::string text;
  switch (rng() % 4) {
    case 0: return text;
    case 1:
      for (unsigned i = 0, n = rng() % 4000; i < n; ++i) {
        text += "callcenter_agent_state{target=\"t" + std::to_string(rng() % 5) + "\",agent=\"" +
                std::to_string(rng() % 100000) + "\",state=\"idle\"} " + std::to_string(rng() % 2) + "\n";
      }
      return text;
    case 2:
      text.resize(rng() % 70000);
      for (char& c : text) c = static_cast<char>(rng() & 0xff);
      return text;
    default: return std::string(rng() % 200, static_cast<char>('a' + rng() % 26));
  }
}

// A member of `texts`, each one spliced as a piece made beforehand, stored or deflated now
// (chosen by `rng`), as a scrape mixes the three.
std::string SplicedMember(const std::vector<std::string>& texts, std::mt19937& rng) {
  PieceDeflater fast(1), best(9);
  std::vector<DeflatePiece> pieces;
  for (const auto& t : texts) pieces.push_back((rng() % 2 ? fast : best).Deflate(t));
  std::string out;
  GzipWriter gz(out, 6);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    switch (rng() % 3) {
      case 0: gz.Append(pieces[i]); break;
      case 1: gz.Store(texts[i]); break;
      default: gz.Deflate(texts[i]);
    }
  }
  gz.Finish();
  return out;
}

std::string Concatenated(const std::vector<std::string>& texts) {
  std::string all;
  for (const auto& t : texts) all += t;
  return all;
}

TEST(GzipWriterTest, PieceInflatesAloneAfterOthersFromTheSameDeflater) {
  const std::string text(3000, 'x');
  PieceDeflater deflater(6);
  const DeflatePiece first = deflater.Deflate(text);
  // The same text again: a back-reference into the first piece would be the cheapest.
  const DeflatePiece second = deflater.Deflate(text);
  EXPECT_EQ(InflateRaw(first.data), text);
  EXPECT_EQ(InflateRaw(second.data), text);
  EXPECT_EQ(second.size, text.size());
  EXPECT_EQ(second.crc, crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
  EXPECT_LT(second.data.size(), 100u);
}

TEST(GzipWriterTest, EmptyTextIsAnEmptyPiece) {
  PieceDeflater deflater(1);
  const DeflatePiece piece = deflater.Deflate("");
  EXPECT_EQ(piece.data, "");
  EXPECT_EQ(piece.crc, 0u);
  EXPECT_EQ(piece.size, 0u);
}

TEST(GzipWriterTest, RandomSplicedMembersInflateToTheConcatenatedTexts) {
  for (unsigned seed = 0; seed < 60; ++seed) {
    std::mt19937 rng(seed);
    std::vector<std::string> texts(rng() % 12);
    for (auto& t : texts) t = RandomText(rng);
    const std::string member = SplicedMember(texts, rng);
    const std::string all = Concatenated(texts);
    ASSERT_EQ(ZlibInflate(member), all) << "seed " << seed;
    auto capped = GzipDecompress(member, all.size());
    ASSERT_TRUE(capped.ok()) << "seed " << seed << ": " << capped.error().message;
    if (seed % 10 == 0) {  // a few through the gzip program, which is slower to start
      const GzipTool tool = ReadWithGzipTool(member);
      EXPECT_TRUE(tool.test_ok) << "gzip -t, seed " << seed;
      EXPECT_EQ(tool.decompressed, all) << "seed " << seed;
    }
  }
}

TEST(GzipWriterTest, ThousandsOfPiecesIncludingEmptyOnes) {
  std::mt19937 rng(7);
  std::vector<std::string> texts(5000);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i % 3 != 0) texts[i] = "callcenter_queue_calls_waiting{target=\"t\",queue=\"" + std::to_string(i) + "\"} 1\n";
  }
  const std::string member = SplicedMember(texts, rng);
  const std::string all = Concatenated(texts);
  EXPECT_EQ(ZlibInflate(member), all);
  const GzipTool tool = ReadWithGzipTool(member);
  EXPECT_TRUE(tool.test_ok);
  EXPECT_EQ(tool.decompressed, all);
}

TEST(GzipWriterTest, EmptyMemberIsValidGzip) {
  std::string out;
  GzipWriter gz(out, 1);
  gz.Append(DeflatePiece{});
  gz.Store("");
  gz.Deflate("");
  gz.Finish();
  // Header, final empty block, CRC-32 and length of nothing.
  EXPECT_EQ(out.size(), 10u + 2u + 8u);
  EXPECT_EQ(ZlibInflate(out), "");
  const GzipTool tool = ReadWithGzipTool(out);
  EXPECT_TRUE(tool.test_ok);
  EXPECT_EQ(tool.decompressed, "");
}

TEST(GzipWriterTest, StoredBlocksSplitAtTheirMaximumLength) {
  for (std::size_t n : {65534u, 65535u, 65536u, 200000u}) {
    const std::string text(n, 'q');
    std::string out;
    GzipWriter gz(out, 1);
    gz.Store(text);
    gz.Finish();
    const std::size_t blocks = (n + 65534) / 65535;
    EXPECT_EQ(out.size(), 10 + n + 5 * blocks + 2 + 8) << n;  // 5 bytes of header per block
    EXPECT_EQ(ZlibInflate(out), text) << n;
  }
}

TEST(GzipWriterTest, TrailerHoldsTheCrcAndLengthOfAllTheText) {
  std::string out;
  GzipWriter gz(out, 1);
  PieceDeflater deflater(1);
  gz.Append(deflater.Deflate("callcenter_up 1\n"));
  gz.Store("# HELP x y\n");
  gz.Deflate("x 2\n");
  gz.Finish();
  const std::string all = "callcenter_up 1\n# HELP x y\nx 2\n";
  const auto crc = crc32(0, reinterpret_cast<const Bytef*>(all.data()), static_cast<uInt>(all.size()));
  auto le32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(out[at + i]);
    return v;
  };
  EXPECT_EQ(le32(out.size() - 8), crc);
  EXPECT_EQ(le32(out.size() - 4), all.size());
}

TEST(GzipWriterTest, LevelOutsideZlibsRangeIsRefused) {
  EXPECT_THROW(PieceDeflater(10), std::invalid_argument);
  EXPECT_THROW(PieceDeflater(-2), std::invalid_argument);
}

}  // namespace
}  // namespace cc

#include "http/response_head.h"

#include <string>

#include <gtest/gtest.h>

namespace cc::http {
namespace {

constexpr auto npos = std::string::npos;

TEST(ResponseHead, EndIsTheFirstEmptyLineInEitherLineEnding) {
  EXPECT_EQ(FindResponseHeadEnd("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody"), 25u);
  EXPECT_EQ(FindResponseHeadEnd("HTTP/1.1 200 OK\nA: b\n\nbody"), 22u);
  EXPECT_EQ(FindResponseHeadEnd("HTTP/1.1 200 OK\nA: b\r\n\nbody"), 23u);
  EXPECT_EQ(FindResponseHeadEnd("HTTP/1.1 200 OK\r\nA: b\n\r\nbody"), 24u);
}

TEST(ResponseHead, IncompleteHeadHasNoEnd) {
  EXPECT_EQ(FindResponseHeadEnd(""), npos);
  EXPECT_EQ(FindResponseHeadEnd("HTTP/1.1 200 OK\r\nA: b\r\n"), npos);
  EXPECT_EQ(FindResponseHeadEnd("HTTP/1.1 200 OK\r\nA: b\r\n\r"), npos);
  // A blank first line is not the end of a head: the parser refuses what follows.
  EXPECT_EQ(FindResponseHeadEnd("\r\nHTTP/1.1 200 OK\r\n"), npos);
}

TEST(ResponseHead, LinesEndInCrlfAndAMissingReasonGetsItsSpace) {
  EXPECT_EQ(NormalizeResponseHead("HTTP/1.1 200\nA: b\n\n"), "HTTP/1.1 200 \r\nA: b\r\n\r\n");
  EXPECT_EQ(NormalizeResponseHead("HTTP/1.0 404\r\n\r\n"), "HTTP/1.0 404 \r\n\r\n");
  EXPECT_EQ(NormalizeResponseHead("HTTP/1.1 200 OK\r\nA: b\r\n\r\n"), "HTTP/1.1 200 OK\r\nA: b\r\n\r\n");
}

TEST(ResponseHead, OnlyTheStatusLineShapeIsMended) {
  // Not a status line without reason: left for the parser to refuse.
  EXPECT_EQ(NormalizeResponseHead("HTTP/1.1 20\r\n\r\n"), "HTTP/1.1 20\r\n\r\n");
  EXPECT_EQ(NormalizeResponseHead("HTTP/1.1 2000\r\n\r\n"), "HTTP/1.1 2000\r\n\r\n");
  EXPECT_EQ(NormalizeResponseHead("HTTP/1.1 20x\r\n\r\n"), "HTTP/1.1 20x\r\n\r\n");
  // A field line that looks like a status line is a field line.
  EXPECT_EQ(NormalizeResponseHead("HTTP/1.1 200 OK\nHTTP/1.1 200\n\n"), "HTTP/1.1 200 OK\r\nHTTP/1.1 200\r\n\r\n");
  // A CR inside a line stays for the parser to judge.
  EXPECT_EQ(NormalizeResponseHead("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n"), "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n");
}

}  // namespace
}  // namespace cc::http

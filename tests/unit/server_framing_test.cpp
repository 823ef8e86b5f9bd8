// The listener on requests whose framing two HTTP readers could disagree on
// (request smuggling, RFC 9112 §6), on folded header lines (§5.2) and on
// expectations (RFC 9110 §10.1.1): raw bytes over loopback sockets.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http/server.h"
#include "tests/unit/support/loopback_server.h"
#include "tests/unit/support/text.h"

namespace cc::http {
namespace {

using namespace cc::http::testing;
using cc::test::Occurrences;

// A request that hides in a body; were it ever parsed, the handler would see
// its path.
const std::string kSmuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

// An echo server that records every path it was asked for.
class RecordingServer {
 public:
  explicit RecordingServer(Server::Options options = LoopbackServer::MakeOptions())
      : server_(
            [paths = paths_](Request r) {
              {
                std::lock_guard lock(paths->mu);
                paths->seen.push_back(r.path);
              }
              return Echo(std::move(r));
            },
            std::move(options)) {}

  unsigned short port() const { return server_.port(); }
  std::vector<std::string> Paths() const {
    std::lock_guard lock(paths_->mu);
    return paths_->seen;
  }

 private:
  struct Seen {
    std::mutex mu;
    std::vector<std::string> seen;
  };
  std::shared_ptr<Seen> paths_ = std::make_shared<Seen>();
  LoopbackServer server_;
};

// Sends `bytes` on a new connection and reads until the server closes it.
std::string ExchangeRaw(unsigned short port, const std::string& bytes, error_code* last = nullptr) {
  RawClient c;
  EXPECT_FALSE(c.Connect(port));
  EXPECT_FALSE(c.Send(bytes));
  return c.ReadToEof(last);
}

// `status` once, Connection: close, the server closed the connection, and
// the handler never ran (neither for the request nor for what its body hid).
void ExpectRefused(RecordingServer& srv, const std::string& request, const std::string& status) {
  SCOPED_TRACE(request);
  error_code ec;
  const std::string raw = ExchangeRaw(srv.port(), request, &ec);
  EXPECT_EQ(StatusLine(raw), "HTTP/1.1 " + status);
  EXPECT_EQ(Occurrences(raw, "HTTP/1.1 "), 1u) << raw;
  EXPECT_NE(raw.find("Connection: close"), std::string::npos) << raw;
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_TRUE(srv.Paths().empty());
}

std::string Post(const std::string& fields, const std::string& body, const char* version = "HTTP/1.1") {
  return std::string("POST /echo ") + version + "\r\nHost: x\r\n" + fields + "\r\n" + body;
}

std::string Chunked(const std::string& data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx", data.size());
  return std::string(size) + "\r\n" + data + "\r\n0\r\n\r\n";
}

// RFC 9112 §6.3: a Transfer-Encoding whose last coding is not chunked leaves
// the body length unknown: 400 and close, and the body is never a request.
TEST(ServerFramingTest, TransferEncodingNotEndingInOneChunkedIs400AndClosed) {
  RecordingServer srv;
  for (const char* te : {"xchunked", "chunkedx", "identity", "gzip", "chunked, gzip", "chunked, chunked",
                         "chunked;ext=1", "", ",chunked", "chunked,", "chunked ,, chunked", "\"chunked\""}) {
    ExpectRefused(srv, Post(std::string("Transfer-Encoding: ") + te + "\r\n", kSmuggled), "400 Bad Request");
    ExpectRefused(srv, Post(std::string("Transfer-Encoding: ") + te + "\r\n", Chunked(kSmuggled)), "400 Bad Request");
  }
  // The same list over two fields: chunked first, then another coding.
  ExpectRefused(srv, Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", kSmuggled), "400 Bad Request");
}

// RFC 9112 §6.1: a coding the server does not implement before the final
// chunked is 501; the message is still closed, never read further.
TEST(ServerFramingTest, UnknownCodingBeforeChunkedIs501AndClosed) {
  RecordingServer srv;
  for (const char* fields : {"Transfer-Encoding: gzip, chunked\r\n", "Transfer-Encoding: GZIP ,Chunked\r\n",
                             "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"}) {
    ExpectRefused(srv, Post(fields, Chunked(kSmuggled)), "501 Not Implemented");
  }
}

// RFC 9112 §6.1 and §6.3: Transfer-Encoding with Content-Length in either
// order, whatever the codings, is 400 and close.
TEST(ServerFramingTest, TransferEncodingWithContentLengthIs400AndClosed) {
  RecordingServer srv;
  const std::string body = Chunked(kSmuggled);
  const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
  for (const char* te : {"chunked", "xchunked", "gzip", "gzip, chunked"}) {
    const std::string field = std::string("Transfer-Encoding: ") + te + "\r\n";
    ExpectRefused(srv, Post(field + length, body), "400 Bad Request");
    ExpectRefused(srv, Post(length + field, body), "400 Bad Request");
  }
}

// RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty
// framing, even with a valid chunked body: 400, and the connection closes.
TEST(ServerFramingTest, TransferEncodingInHttp10Is400AndClosed) {
  RecordingServer srv;
  for (const char* te : {"chunked", "xchunked"}) {
    SCOPED_TRACE(te);
    error_code ec;
    const std::string raw = ExchangeRaw(
        srv.port(), "POST /echo HTTP/1.0\r\nTransfer-Encoding: " + std::string(te) + "\r\n\r\n" + Chunked(kSmuggled),
        &ec);
    EXPECT_EQ(StatusLine(raw), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(Occurrences(raw, "HTTP/1.1 "), 1u) << raw;
    EXPECT_EQ(ec, asio::error::eof);
  }
  EXPECT_TRUE(srv.Paths().empty());
}

// RFC 9112 §6.3 and RFC 9110 §8.6: Content-Length is one field of one
// decimal number; anything else is 400 and close.
TEST(ServerFramingTest, InvalidOrRepeatedContentLengthIs400AndClosed) {
  RecordingServer srv;
  for (const char* fields :
       {"Content-Length: 5, 5\r\n", "Content-Length: 5\r\nContent-Length: 5\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n", "Content-Length: +5\r\n", "Content-Length: 0x5\r\n",
        "Content-Length: -5\r\n", "Content-Length: 5 5\r\n", "Content-Length: \r\n", "Content-Length: 5,\r\n",
        "Content-Length: 99999999999999999999999\r\n"}) {
    ExpectRefused(srv, Post(fields, "hello" + kSmuggled), "400 Bad Request");
  }
}

// RFC 9112 §5.2 and §2.2: a header line that starts with whitespace (a folded
// value, or whitespace before the first field) is refused, never unfolded.
TEST(ServerFramingTest, FoldedHeaderLinesAre400AndClosed) {
  RecordingServer srv;
  ExpectRefused(srv, "GET /echo HTTP/1.1\r\nHost: x\r\nX-Test: a\r\n b\r\n\r\n", "400 Bad Request");
  ExpectRefused(srv, "GET /echo HTTP/1.1\r\nHost: x\r\nX-Test: a\r\n\tb\r\n\r\n", "400 Bad Request");
  ExpectRefused(srv, Post("Transfer-Encoding: gzip,\r\n chunked\r\n", Chunked(kSmuggled)), "400 Bad Request");
  ExpectRefused(srv, "GET /echo HTTP/1.1\r\n Host: x\r\n\r\n", "400 Bad Request");
}

// What the rules must not refuse: a chunked body reaches the handler, the
// connection stays open, and a request sent right behind it is served next.
TEST(ServerFramingTest, ChunkedBodyAndPipelinedRequestAreServed) {
  RecordingServer srv;
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  ASSERT_FALSE(c.Send(Post("Transfer-Encoding: chunked\r\n", Chunked("hello")) +
                      "GET /next HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
  bhttp::response<bhttp::string_body> first, second;
  ASSERT_FALSE(c.Read(first));
  ASSERT_FALSE(c.Read(second));
  EXPECT_EQ(first.result_int(), 200u);
  EXPECT_EQ(Lines(first.body()).back(), "hello");
  EXPECT_EQ(second.result_int(), 200u);
  EXPECT_EQ(Lines(second.body()).at(1), "/next");
  EXPECT_EQ(srv.Paths(), (std::vector<std::string>{"/echo", "/next"}));
}

// RFC 9110 §10.1.1: 100 Continue comes before the body is read; the final
// answer follows the body.
TEST(ServerFramingTest, ExpectContinueGets100BeforeTheBody) {
  RecordingServer srv;
  for (const auto& framing : {std::string("Content-Length: 5\r\n"), std::string("Transfer-Encoding: chunked\r\n")}) {
    SCOPED_TRACE(framing);
    RawClient c;
    ASSERT_FALSE(c.Connect(srv.port()));
    ASSERT_FALSE(c.Send(Post("Expect: 100-Continue\r\n" + framing, "")));
    EXPECT_EQ(c.ReadUntil("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
    ASSERT_FALSE(c.Send(framing.starts_with("Content") ? std::string("hello") : Chunked("hello")));
    bhttp::response<bhttp::string_body> res;
    ASSERT_FALSE(c.Read(res));
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(Lines(res.body()).back(), "hello");
    EXPECT_TRUE(res.keep_alive());
  }
}

// A request refused anyway gets its final status instead of 100, without the
// server waiting for the body: too large, unauthorized.
TEST(ServerFramingTest, ExpectContinueOnARefusedRequestGetsTheFinalStatusAtOnce) {
  auto options = LoopbackServer::MakeOptions();
  options.max_body_bytes = 100;
  options.authorize = [](std::string authorization) -> boost::asio::awaitable<AuthVerdict> {
    co_return authorization == "Basic good" ? AuthVerdict::allow : AuthVerdict::deny;
  };
  RecordingServer srv(options);
  for (const auto& [fields, status] :
       {std::pair{"Authorization: Basic good\r\nContent-Length: 1000\r\n", "413 Payload Too Large"},
        std::pair{"Content-Length: 5\r\n", "401 Unauthorized"},
        std::pair{"Authorization: Basic bad\r\nTransfer-Encoding: chunked\r\n", "401 Unauthorized"}}) {
    SCOPED_TRACE(fields);
    RawClient c;
    ASSERT_FALSE(c.Connect(srv.port()));
    ASSERT_FALSE(c.Send(Post(std::string("Expect: 100-continue\r\n") + fields, "")));
    const std::string head = c.ReadUntil("\r\n\r\n");
    EXPECT_EQ(StatusLine(head), std::string("HTTP/1.1 ") + status);
    EXPECT_NE(head.find("Connection: close"), std::string::npos) << head;
  }
  EXPECT_TRUE(srv.Paths().empty());
}

// Any expectation but 100-continue is 417 (RFC 9110 §10.1.1); HTTP/1.0's
// 100-continue is ignored, and a request without a body needs no 100.
TEST(ServerFramingTest, UnknownExpectationIs417AndHttp10ExpectationIsIgnored) {
  RecordingServer srv;
  ExpectRefused(srv, Post("Expect: 200-ok\r\nContent-Length: 5\r\n", "hello"), "417 Expectation Failed");
  ExpectRefused(srv, Post("Expect: 100-continue, x\r\nContent-Length: 5\r\n", "hello"), "417 Expectation Failed");
  ExpectRefused(srv, Post("Expect: 100-continue=1\r\nContent-Length: 5\r\n", "hello"), "417 Expectation Failed");

  const std::string http10 =
      ExchangeRaw(srv.port(), "POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(StatusLine(http10), "HTTP/1.0 200 OK");
  EXPECT_EQ(http10.find("100 Continue"), std::string::npos) << http10;
  const std::string empty =
      ExchangeRaw(srv.port(), "GET /empty HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusLine(empty), "HTTP/1.1 200 OK");
  EXPECT_EQ(empty.find("100 Continue"), std::string::npos) << empty;
  EXPECT_EQ(srv.Paths(), (std::vector<std::string>{"/echo", "/empty"}));
}

}  // namespace
}  // namespace cc::http

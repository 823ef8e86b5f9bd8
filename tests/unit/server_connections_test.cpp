// The listener's connection limit (Server::Options::max_connections) over
// loopback sockets, and the open-file limit it is derived from.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/fd_limit.h"
#include "http/connections.h"
#include "http/server.h"
#include "tests/unit/support/log_capture.h"
#include "tests/unit/support/loopback_server.h"
#include "tests/unit/support/text.h"

namespace cc::http {
namespace {

using namespace cc::http::testing;

bool ClosedByServer(RawClient& c) {
  error_code ec;
  const std::string rest = c.ReadToEof(&ec);
  return rest.empty() && (ec == asio::error::eof || ec == asio::error::connection_reset);
}

// At the limit, a new connection closes the keep-alive connection idle
// longest, even when a connection that never sent a byte is older; the
// others keep working.
TEST(ServerConnectionsTest, PastTheLimitTheLongestIdleKeepAliveConnectionMakesRoom) {
  auto options = LoopbackServer::MakeOptions();
  options.max_connections = 3;
  LoopbackServer srv(Echo, options);
  RawClient silent, a, b, d;
  ASSERT_FALSE(silent.Connect(srv.port()));
  ASSERT_FALSE(a.Connect(srv.port()));
  EXPECT_EQ(a.Exchange(bhttp::verb::get, "/a").result_int(), 200u);
  ASSERT_FALSE(b.Connect(srv.port()));
  EXPECT_EQ(b.Exchange(bhttp::verb::get, "/b").result_int(), 200u);

  ASSERT_FALSE(d.Connect(srv.port()));
  EXPECT_EQ(Lines(d.Exchange(bhttp::verb::get, "/d").body()).at(1), "/d");
  EXPECT_TRUE(ClosedByServer(a));
  EXPECT_EQ(Lines(b.Exchange(bhttp::verb::get, "/b2").body()).at(1), "/b2");
  EXPECT_EQ(Lines(silent.Exchange(bhttp::verb::get, "/silent").body()).at(1), "/silent");
}

// When every connection is in the middle of a request, the new one is closed
// unanswered and the requests in progress finish.
TEST(ServerConnectionsTest, WithNoConnectionIdleTheNewOneIsClosed) {
  auto options = LoopbackServer::MakeOptions();
  options.max_connections = 2;
  LoopbackServer srv(Echo, options);
  const std::string head = "POST /busy HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
  RawClient busy1, busy2, late;
  for (RawClient* c : {&busy1, &busy2}) {
    ASSERT_FALSE(c->Connect(srv.port()));
    ASSERT_FALSE(c->Send(head));
    // Answered 100: the server is waiting for this body, not for a request.
    ASSERT_EQ(c->ReadUntil("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  }
  ASSERT_FALSE(late.Connect(srv.port()));
  EXPECT_TRUE(ClosedByServer(late));
  for (RawClient* c : {&busy1, &busy2}) {
    ASSERT_FALSE(c->Send("body"));
    bhttp::response<bhttp::string_body> res;
    ASSERT_FALSE(c->Read(res));
    EXPECT_EQ(Lines(res.body()).back(), "body");
  }
}

// A storm of failed accepts is one warning line, and the next accept waits
// longer each time (5 ms doubling to 1 s) until one succeeds.
TEST(AcceptBackoffTest, OneWarningForAStormAndTheDelayDoublesUntilAnAcceptSucceeds) {
  test::LogCapture log;
  AcceptBackoff backoff;
  std::vector<long> delays;
  for (int i = 0; i < 10; ++i) delays.push_back(static_cast<long>(backoff.Failed("Too many open files").count()));
  EXPECT_EQ(delays, (std::vector<long>{5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000}));
  backoff.Succeeded();
  EXPECT_EQ(backoff.Failed("Too many open files").count(), 5);
  const std::string out = log.Take();
  EXPECT_EQ(test::Occurrences(out, "http accept failed"), 1u) << out;
  EXPECT_EQ(test::Occurrences(out, "err=\"Too many open files\" failures_since_last_report=0"), 1u) << out;
}

// The soft limit goes up to the hard one (in a child process, so that this
// test program's own limit stays as it is).
TEST(FileLimitTest, SoftLimitIsRaisedToTheHardOne) {
  rlimit original{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original), 0);
  ASSERT_GT(original.rlim_max, 64u);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    rlimit low = original;
    low.rlim_cur = 64;
    if (setrlimit(RLIMIT_NOFILE, &low) != 0) _exit(10);
    const FileLimit got = RaiseFileLimit();
    rlimit now{};
    if (getrlimit(RLIMIT_NOFILE, &now) != 0) _exit(11);
    if (got.before != 64 || got.soft != original.rlim_max || got.hard != original.rlim_max) _exit(12);
    _exit(now.rlim_cur == original.rlim_max && got.error.empty() ? 0 : 13);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(FileLimitTest, DefaultConnectionLimitLeavesAQuarterAndAtLeast64Descriptors) {
  EXPECT_EQ(DefaultMaxConnections(1024), 768u);
  EXPECT_EQ(DefaultMaxConnections(160), 96u);
  EXPECT_EQ(DefaultMaxConnections(200), 136u);
  EXPECT_EQ(DefaultMaxConnections(64), 1u);
  EXPECT_EQ(DefaultMaxConnections(10), 1u);
  EXPECT_EQ(DefaultMaxConnections(524288), 65536u);
}

}  // namespace
}  // namespace cc::http
